package dev.uploaddashboard.lambda.testing;

import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Multipart upload ids as AWS treats them, where s3proxy 4.1.0 differs (checked by experiment; AWS
 * is the truth): an upload id belongs to one key, and any call naming it with another key, or
 * naming an upload that was completed or aborted, is 404 NoSuchUpload. s3proxy answers ListParts of
 * an unknown upload with an empty list and even stores a part sent with another key's upload id.
 * Local mode does not use it (see README, Local mode).
 */
public final class AwsUploadIds extends ForwardingBlobStore {

  public AwsUploadIds(BlobStore delegate) {
    super(delegate);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream input) {
    requireUploadOfKey(upload);
    return super.uploadMultipartPart(upload, request, input);
  }

  @Override
  public List<Part> listMultipartUpload(MultipartUpload upload) {
    requireUploadOfKey(upload);
    return super.listMultipartUpload(upload);
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    requireUploadOfKey(upload);
    return super.completeMultipartUpload(upload, request);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    requireUploadOfKey(upload);
    super.abortMultipartUpload(upload);
  }

  // ForwardingBlobStore leaves these to BlobStore's defaults; forward them to the real store so
  // that everything but the multipart checks behaves exactly as without this wrapper.

  @Override
  public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
    return delegate().removeBlobs(request);
  }

  @Override
  public HeadObjectResponse blobMetadataIfPresent(HeadObjectRequest request) {
    return delegate().blobMetadataIfPresent(request);
  }

  @Override
  public HeadObjectResponse blobMetadataIfPresent(String container, String key) {
    return delegate().blobMetadataIfPresent(container, key);
  }

  @Override
  public HeadObjectResponse blobMetadata(String container, String key) {
    return delegate().blobMetadata(container, key);
  }

  @Override
  public boolean containerExists(String container) {
    return delegate().containerExists(container);
  }

  @Override
  public CreateBucketResponse createContainer(String container) {
    return delegate().createContainer(container);
  }

  @Override
  public boolean blobExists(String container, String key) {
    return delegate().blobExists(container, key);
  }

  private void requireUploadOfKey(MultipartUpload upload) {
    boolean exists =
        delegate().listMultipartUploads(upload.containerName()).stream()
            .anyMatch(u -> u.uploadId().equals(upload.id()) && u.key().equals(upload.blobName()));
    if (!exists) {
      throw new S3ProxyException(S3ErrorCode.NO_SUCH_UPLOAD);
    }
  }
}
