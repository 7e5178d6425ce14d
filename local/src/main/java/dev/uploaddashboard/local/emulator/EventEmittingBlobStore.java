package dev.uploaddashboard.local.emulator;

import dev.uploaddashboard.local.events.S3EventListener;
import dev.uploaddashboard.local.events.S3ObjectEvent;
import dev.uploaddashboard.local.events.SequencerClock;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The local S3's storage, reporting every successful object change the way S3 event notifications
 * do.
 *
 * <p>Whoever writes to the local S3 (the dashboard's presigned PUT, the AWS CLI, a test) triggers
 * the same events, so the metadata sync sees them all. The listener runs before S3 answers the
 * client, which is what lets tests wait for the sync right after an upload returns.
 */
public final class EventEmittingBlobStore extends ForwardingBlobStore {

  /** s3proxy keeps its own bookkeeping objects (e.g. multipart upload stubs) under this prefix. */
  private static final String INTERNAL_KEY_PREFIX = ".s3proxy-";

  private final S3EventListener listener;
  private final SequencerClock sequencers = new SequencerClock();
  private final AtomicBoolean failDeletes = new AtomicBoolean();
  private final AtomicBoolean readOnly = new AtomicBoolean();

  public EventEmittingBlobStore(BlobStore delegate, S3EventListener listener) {
    super(delegate);
    this.listener = listener;
  }

  /** Fault injection: while on, every object delete fails with S3's 500 InternalError. */
  public void failObjectDeletes(boolean fail) {
    failDeletes.set(fail);
  }

  /**
   * From now on, refuses every change (500 InternalError) while reads keep working: during
   * shutdown, the sync can still read what it needs for the events already queued, and no new
   * events appear.
   */
  public void refuseWrites() {
    readOnly.set(true);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    refuseWriteIfReadOnly();
    PutObjectResponse response = super.putBlob(request, input);
    emitCreated("ObjectCreated:Put", request.bucket(), request.key());
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    refuseWriteIfReadOnly();
    CopyObjectResponse response = super.copyBlob(request);
    emitCreated("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey());
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    refuseWriteIfReadOnly();
    CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
    emitCreated("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key());
    return response;
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    refuseDeleteIfFailing();
    DeleteObjectResponse response = super.removeBlob(request);
    emitRemoved(request.bucket(), request.key());
    return response;
  }

  @Override
  public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
    refuseDeleteIfFailing();
    DeleteObjectsResponse response = delegate().removeBlobs(request);
    for (DeletedObject deleted : response.deleted()) {
      emitRemoved(request.bucket(), deleted.key());
    }
    return response;
  }

  private void refuseWriteIfReadOnly() {
    if (readOnly.get()) {
      throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "Local mode is shutting down");
    }
  }

  private void refuseDeleteIfFailing() {
    refuseWriteIfReadOnly();
    if (failDeletes.get()) {
      throw new S3ProxyException(
          S3ErrorCode.INTERNAL_ERROR, "Local mode is failing object deletes on purpose");
    }
  }

  private void emitCreated(String eventName, String bucket, String key) {
    if (key.startsWith(INTERNAL_KEY_PREFIX)) {
      return;
    }
    HeadObjectResponse head = delegate().blobMetadata(bucket, key);
    long size = head.contentLength() == null ? 0L : head.contentLength();
    listener.onEvent(
        S3ObjectEvent.created(
            eventName, bucket, key, size, head.eTag(), sequencers.next(), Instant.now()));
  }

  private void emitRemoved(String bucket, String key) {
    if (key.startsWith(INTERNAL_KEY_PREFIX)) {
      return;
    }
    listener.onEvent(S3ObjectEvent.removed(bucket, key, sequencers.next(), Instant.now()));
  }
}
