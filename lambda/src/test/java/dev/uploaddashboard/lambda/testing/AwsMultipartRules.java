package dev.uploaddashboard.lambda.testing;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
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
 * Multipart uploads as AWS treats them, where s3proxy 4.1.0 differs (checked by experiment; AWS is
 * the truth):
 *
 * <ul>
 *   <li>An upload id belongs to one key, and any call naming it with another key, or naming an
 *       upload that was completed or aborted, is 404 NoSuchUpload. s3proxy answers ListParts of an
 *       unknown upload with an empty list and even stores a part sent with another key's upload id.
 *   <li>A completion that names a part with a checksum other than the one the part was stored with
 *       is refused with 400 InvalidPart (CompleteMultipartUpload's answer for a part that does not
 *       match what was uploaded), and the upload stays open. s3proxy keeps no part checksums (its
 *       ListParts returns none), drops the ones a completion names and completes anyway; so this
 *       store records each part's CRC32C ({@link #storedPartChecksum}) and {@link
 *       PartChecksumsAtCompletion}, an SDK interceptor, answers as S3 would before the request
 *       leaves the client.
 * </ul>
 *
 * Local mode does not use it (see README, Local mode).
 */
public final class AwsMultipartRules extends ForwardingBlobStore {
  /** The CRC32C of every stored part, by upload id and part number, as S3 records it. */
  private static final Map<String, String> PART_CHECKSUMS = new ConcurrentHashMap<>();

  public AwsMultipartRules(BlobStore delegate) {
    super(delegate);
  }

  /** The CRC32C (base64) a part of an upload of this store was stored with, or null. */
  static String storedPartChecksum(String uploadId, int partNumber) {
    return PART_CHECKSUMS.get(uploadId + "/" + partNumber);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream input) {
    requireUploadOfKey(upload);
    CheckedInputStream counted = new CheckedInputStream(input, new CRC32C());
    UploadPartResponse stored = super.uploadMultipartPart(upload, request, counted);
    int crc = (int) counted.getChecksum().getValue();
    PART_CHECKSUMS.put(
        upload.id() + "/" + request.partNumber(),
        Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array()));
    return stored;
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
