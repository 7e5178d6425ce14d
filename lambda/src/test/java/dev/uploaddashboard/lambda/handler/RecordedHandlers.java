package dev.uploaddashboard.lambda.handler;

import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.service.DeleteFileService;
import dev.uploaddashboard.lambda.service.FileDetailService;
import dev.uploaddashboard.lambda.service.FileListService;
import dev.uploaddashboard.lambda.service.MultipartUploadService;
import dev.uploaddashboard.lambda.service.UploadQuota;
import dev.uploaddashboard.lambda.service.UploadService;
import dev.uploaddashboard.lambda.store.FileListings;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.MultipartUploads;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import dev.uploaddashboard.lambda.testing.CallRecorder;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.UploadQuotaTable;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The four HTTP handlers for one test bucket, built on clients shared by all tests (building SDK
 * clients per test costs more than the test). Detail and delete record every AWS call they make, to
 * show which requests are decided before any call.
 */
final class RecordedHandlers {
  private static final Emulators EMULATORS = Emulators.get();
  private static final CallRecorder CALLS = new CallRecorder();
  private static final DynamoDbClient RECORDED_DYNAMODB = EMULATORS.dynamoDb(CALLS);
  private static final S3Client RECORDED_S3 = EMULATORS.s3(CALLS);

  final ListFilesHandler list;
  final FileDetailHandler detail;
  final DeleteFileHandler delete;
  final CreateUploadHandler upload;

  RecordedHandlers(TestBucket bucket) {
    CALLS.clear();
    String name = bucket.name();
    FileMetadataStore recorded = new FileMetadataStore(RECORDED_DYNAMODB, Emulators.TABLE);
    ObjectUrlSigner signer = new ObjectUrlSigner(EMULATORS.sharedPresigner(), name);
    Duration ttl = Duration.ofSeconds(Functions.DOWNLOAD_URL_TTL_SECONDS);
    list =
        new ListFilesHandler(
            new FileListService(
                new FileListings(EMULATORS.dynamoDbClient(), Emulators.TABLE), name));
    detail = new FileDetailHandler(new FileDetailService(recorded, signer, ttl));
    delete =
        new DeleteFileHandler(new DeleteFileService(recorded, new ObjectStore(RECORDED_S3, name)));
    UploadQuota quota =
        new UploadQuota(
            new UploadQuotaStore(EMULATORS.dynamoDbClient(), UploadQuotaTable.NAME),
            Integer.parseInt(UploadQuotaTable.GENEROUS_LIMIT),
            Clock.systemUTC());
    UploadService uploads =
        new UploadService(
            signer,
            quota,
            Duration.ofSeconds(Functions.UPLOAD_URL_TTL_SECONDS),
            Functions.DEFAULT_MAX_UPLOAD_BYTES);
    upload =
        new CreateUploadHandler(
            uploads,
            new MultipartUploadService(
                uploads,
                new MultipartUploads(RECORDED_S3, name),
                signer,
                Duration.ofSeconds(Functions.PART_URL_TTL_SECONDS),
                Functions.DEFAULT_MAX_MULTIPART_UPLOAD_BYTES));
  }

  /** The AWS calls detail and delete made since these handlers were built (or cleared). */
  CallRecorder calls() {
    return CALLS;
  }
}
