package dev.uploaddashboard.local;

import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.emulator.DynamoDbEmulator;
import dev.uploaddashboard.local.auth.DevUser;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole product on one machine, no AWS account: the dashboard, the HTTP API running the real
 * Lambda handlers behind a JWT authorizer, a development identity provider in place of Cognito's
 * hosted UI, S3 (s3proxy) with event notifications to the real sync handler, and DynamoDB (moto's
 * emulator, {@link DynamoDbEmulator}).
 *
 * <p>Used by {@code bin/run} and by tests: {@code try (LocalProduct product =
 * LocalProduct.start(options))}.
 */
public final class LocalProduct implements AutoCloseable {

  public static final String BUCKET_NAME = "upload-dashboard-local";
  public static final String TABLE_NAME = Tables.METADATA.name();
  public static final String UPLOAD_QUOTA_TABLE_NAME = Tables.UPLOAD_QUOTA.name();
  public static final String REGION = "us-east-1";

  /** The dashboard's app client at the local identity provider (a public client: no secret). */
  public static final String CLIENT_ID = "upload-dashboard-local";

  private static final Logger LOG = LoggerFactory.getLogger(LocalProduct.class);

  private final LocalStartup parts;
  private boolean closed;

  LocalProduct(LocalStartup parts) {
    this.parts = parts;
  }

  /** Starts everything; returns once the product is ready, or stops what started and throws. */
  public static LocalProduct start(LocalOptions options) throws Exception {
    long started = System.nanoTime();
    LocalStartup parts = new LocalStartup(options);
    try {
      LocalProduct product = parts.start();
      LOG.info("Local mode started in {} ms", (System.nanoTime() - started) / 1_000_000);
      return product;
    } catch (Exception | Error e) {
      parts.stop(null);
      throw e;
    }
  }

  /** The dashboard origin, e.g. {@code http://127.0.0.1:8080}. */
  public URI dashboardUrl() {
    return parts.dashboard.url();
  }

  /** The HTTP API's base URL, as {@code /config.json} names it: {@code http://127.0.0.1:8081}. */
  public URI apiUrl() {
    return parts.api.url();
  }

  /** The local S3 endpoint (path-style), e.g. {@code http://127.0.0.1:8082}. */
  public URI s3Endpoint() {
    return parts.s3.endpoint();
  }

  /** The DynamoDB emulator's endpoint, e.g. {@code http://127.0.0.1:8083}. */
  public URI dynamoDbEndpoint() {
    return parts.dynamoDb.endpoint();
  }

  /**
   * The sign-in service's base URL, e.g. {@code http://127.0.0.1:8084} ({@code iss}: + /oauth2).
   */
  public URI identityProviderUrl() {
    return parts.identityProvider.url();
  }

  /** The dashboard's app client id ({@code auth.clientId} in {@code /config.json}). */
  public String clientId() {
    return CLIENT_ID;
  }

  /** The development users: alice and bob, and admin in the {@code admins} group. */
  public List<DevUser> users() {
    return parts.identityProvider.users();
  }

  public DevUser user(String userName) {
    return parts.identityProvider.user(userName);
  }

  /** An access token for a development user, as sign-in issues it: to call the API directly. */
  public String accessTokenFor(String userName) {
    return parts.identityProvider.accessTokenFor(userName);
  }

  /** An ID token for a development user (the API takes these too: {@code aud} is the client). */
  public String idTokenFor(String userName) {
    return parts.identityProvider.idTokenFor(userName);
  }

  public String bucketName() {
    return BUCKET_NAME;
  }

  public String tableName() {
    return TABLE_NAME;
  }

  public String region() {
    return REGION;
  }

  public String accessKeyId() {
    return parts.credentials.accessKeyId();
  }

  /** The data directory's (owner-only, {@value LocalCredentials#FILE_NAME}), or new in memory. */
  public String secretAccessKey() {
    return parts.credentials.secretAccessKey();
  }

  public LocalOptions options() {
    return parts.options;
  }

  /** A client of the local S3 (closed with the product): its writes reach the sync like any. */
  public S3Client s3Client() {
    return parts.s3Client;
  }

  /** A DynamoDB client for the local DynamoDB (closed with the product). */
  public DynamoDbClient dynamoDbClient() {
    return parts.dynamoDbClient;
  }

  /**
   * Waits until the sync function has handled every S3 event so far (or, after its retries, written
   * it to the on-failure log); throws {@link IllegalStateException} after {@code timeout}.
   */
  public void awaitSyncIdle(Duration timeout) {
    try {
      if (!parts.sync.awaitIdle(timeout)) {
        throw new IllegalStateException("metadata sync still busy after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the metadata sync", e);
    }
  }

  /** Fault injection: while on, every DeleteObject fails with S3's 500 InternalError. */
  public void failObjectDeletes(boolean fail) {
    parts.s3.storage().failObjectDeletes(fail);
  }

  /** Fault injection: deletes of these keys fail with InternalError (per key in DeleteObjects). */
  public void failObjectDeletes(java.util.function.Predicate<String> keys) {
    parts.s3.storage().failObjectDeletes(keys);
  }

  /** Sync invocations that failed (a record mid-batch, or a crash), retries included. */
  public long syncFailedInvocations() {
    return parts.sync.failedInvocations();
  }

  /** On-failure records of the S3 events the sync could not handle, this run, oldest first. */
  public List<String> syncFailures() {
    return parts.syncFailures.records();
  }

  /** Stops everything ({@link LocalStartup#stop}); a data directory is complete on disk after. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    parts.stop(parts.s3.storage()::refuseWrites);
    LOG.info("Local mode stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
  }
}
