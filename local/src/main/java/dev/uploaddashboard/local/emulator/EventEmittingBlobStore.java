package dev.uploaddashboard.local.emulator;

import dev.uploaddashboard.local.events.S3ObjectEvent;
import dev.uploaddashboard.local.events.SequencerClock;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * The local S3's storage, reporting every object change as S3 event notifications do.
 *
 * <p>Whoever writes to the local S3 (the dashboard's presigned PUT, the AWS CLI, a test) triggers
 * the same events, so the metadata sync sees them all. The listener runs before S3 answers the
 * client, which is what lets tests wait for the sync right after an upload returns.
 */
public final class EventEmittingBlobStore extends ForwardingBlobStore {

  /** s3proxy keeps its own bookkeeping objects (e.g. multipart upload stubs) under this prefix. */
  private static final String INTERNAL_KEY_PREFIX = ".s3proxy-";

  private final Consumer<S3ObjectEvent> listener;
  private final SequencerClock sequencers = new SequencerClock();
  private volatile Predicate<String> failDeletes = key -> false;
  private final AtomicBoolean readOnly = new AtomicBoolean();

  public EventEmittingBlobStore(BlobStore delegate, Consumer<S3ObjectEvent> listener) {
    super(delegate);
    this.listener = listener;
  }

  /** Fault injection: while on, every object delete fails with S3's 500 InternalError. */
  public void failObjectDeletes(boolean fail) {
    failObjectDeletes(key -> fail);
  }

  /**
   * Fault injection: deletes of the keys the predicate accepts fail with S3's InternalError (a 500
   * for DeleteObject; a per-key error, the others deleted, for DeleteObjects, as S3 reports them).
   */
  public void failObjectDeletes(Predicate<String> keys) {
    failDeletes = keys;
  }

  /**
   * From now on, refuses every change (500 InternalError) but serves reads: shutting down, the sync
   * can still read what the queued events need, and no new events appear.
   */
  public void refuseWrites() {
    readOnly.set(true);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    return created(
        "ObjectCreated:Put", request.bucket(), request.key(), () -> super.putBlob(request, input));
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    return created(
        "ObjectCreated:Copy",
        request.destinationBucket(),
        request.destinationKey(),
        () -> super.copyBlob(request));
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    return created(
        "ObjectCreated:CompleteMultipartUpload",
        request.bucket(),
        request.key(),
        () -> super.completeMultipartUpload(upload, request));
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    refuseWriteIfReadOnly();
    if (failDeletes.test(request.key())) {
      throw new S3ProxyException(
          S3ErrorCode.INTERNAL_ERROR, "Local mode is failing object deletes on purpose");
    }
    DeleteObjectResponse response = super.removeBlob(request);
    emitRemoved(request.bucket(), request.key());
    return response;
  }

  @Override
  public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
    refuseWriteIfReadOnly();
    Predicate<String> failing = failDeletes;
    List<ObjectIdentifier> kept = new ArrayList<>();
    List<S3Error> errors = new ArrayList<>();
    for (ObjectIdentifier object : request.delete().objects()) {
      if (failing.test(object.key())) {
        errors.add(
            S3Error.builder()
                .key(object.key())
                .code("InternalError")
                .message("Local mode is failing object deletes on purpose")
                .build());
      } else {
        kept.add(object);
      }
    }
    DeleteObjectsResponse response =
        kept.isEmpty()
            ? DeleteObjectsResponse.builder().build()
            : delegate()
                .removeBlobs(
                    request.toBuilder()
                        .delete(d -> d.objects(kept).quiet(request.delete().quiet()))
                        .build());
    for (DeletedObject deleted : response.deleted()) {
      emitRemoved(request.bucket(), deleted.key());
    }
    if (errors.isEmpty()) {
      return response;
    }
    List<S3Error> all = new ArrayList<>(response.errors());
    all.addAll(errors);
    return response.toBuilder().errors(all).build();
  }

  private void refuseWriteIfReadOnly() {
    if (readOnly.get()) {
      throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "Local mode is shutting down");
    }
  }

  private <T> T created(String eventName, String bucket, String key, Supplier<T> write) {
    refuseWriteIfReadOnly();
    T response = write.get();
    if (!key.startsWith(INTERNAL_KEY_PREFIX)) {
      HeadObjectResponse head = delegate().blobMetadata(bucket, key);
      long size = head.contentLength() == null ? 0L : head.contentLength();
      listener.accept(
          S3ObjectEvent.created(
              eventName, bucket, key, size, head.eTag(), sequencers.next(), Instant.now()));
    }
    return response;
  }

  private void emitRemoved(String bucket, String key) {
    if (key.startsWith(INTERNAL_KEY_PREFIX)) {
      return;
    }
    listener.accept(S3ObjectEvent.removed(bucket, key, sequencers.next(), Instant.now()));
  }
}
