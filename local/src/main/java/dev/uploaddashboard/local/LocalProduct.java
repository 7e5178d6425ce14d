package dev.uploaddashboard.local;

import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.emulator.DynamoDbEmulator;
import dev.uploaddashboard.local.api.HttpApiGateway;
import dev.uploaddashboard.local.auth.DevUser;
import dev.uploaddashboard.local.auth.IdentityProvider;
import dev.uploaddashboard.local.emulator.S3Server;
import dev.uploaddashboard.local.events.AsyncInvoker;
import dev.uploaddashboard.local.events.OnFailureLog;
import dev.uploaddashboard.local.web.DashboardServer;
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

  /**
   * The local access key id; its secret is generated per data directory ({@link LocalCredentials}).
   * s3proxy checks signatures against them. the DynamoDB emulator takes any.
   */
  public static final String ACCESS_KEY_ID = LocalCredentials.ACCESS_KEY_ID;

  public static final String UPLOAD_PREFIX = Functions.UPLOAD_PREFIX;

  /** The dashboard's app client at the local identity provider (a public client: no secret). */
  public static final String CLIENT_ID = "upload-dashboard-local";

  private static final Logger LOG = LoggerFactory.getLogger(LocalProduct.class);

  private final LocalOptions options;
  private final DashboardServer dashboard;
  private final HttpApiGateway api;
  private final IdentityProvider identityProvider;
  private final S3Server s3;
  private final DynamoDbEmulator dynamoDb;
  private final AsyncInvoker sync;
  private final OnFailureLog syncFailures;
  private final S3Client s3Client;
  private final DynamoDbClient dynamoDbClient;
  private final LocalCredentials credentials;
  private boolean closed;

  static LocalProduct of(LocalStartup parts) {
    return new LocalProduct(parts);
  }

  private LocalProduct(LocalStartup parts) {
    this.options = parts.options;
    this.dashboard = parts.dashboard;
    this.api = parts.api;
    this.identityProvider = parts.identityProvider;
    this.s3 = parts.s3;
    this.dynamoDb = parts.dynamoDb;
    this.sync = parts.sync;
    this.syncFailures = parts.syncFailures;
    this.s3Client = parts.s3Client;
    this.dynamoDbClient = parts.dynamoDbClient;
    this.credentials = parts.credentials;
  }

  /**
   * Starts everything and returns once the product is ready; on any failure, what was started is
   * stopped.
   */
  public static LocalProduct start(LocalOptions options) throws Exception {
    long started = System.nanoTime();
    LocalStartup parts = new LocalStartup(options);
    try {
      LocalProduct product = parts.start();
      LOG.info("Local mode started in {} ms", (System.nanoTime() - started) / 1_000_000);
      return product;
    } catch (Exception | Error e) {
      LocalStartup.stopInOrder(
          parts.dashboard,
          parts.api,
          parts.identityProvider,
          parts.sync,
          parts.s3Client,
          parts.s3,
          parts.dynamoDbClient,
          parts.dynamoDb);
      throw e;
    }
  }

  /** The dashboard origin, e.g. {@code http://127.0.0.1:8080}. */
  public URI dashboardUrl() {
    return dashboard.url();
  }

  /**
   * The HTTP API's base URL (what {@code /config.json} says), e.g. {@code http://127.0.0.1:8081}.
   */
  public URI apiUrl() {
    return api.url();
  }

  /** The local S3 endpoint (path-style), e.g. {@code http://127.0.0.1:8082}. */
  public URI s3Endpoint() {
    return s3.endpoint();
  }

  /** The DynamoDB emulator's endpoint, e.g. {@code http://127.0.0.1:8083}. */
  public URI dynamoDbEndpoint() {
    return dynamoDb.endpoint();
  }

  /**
   * The development identity provider's base URL, e.g. {@code http://127.0.0.1:8084}, under which
   * are the sign-in URLs in {@code /config.json}; the tokens' {@code iss} is this plus {@code
   * /oauth2}.
   */
  public URI identityProviderUrl() {
    return identityProvider.url();
  }

  /** The dashboard's app client id ({@code auth.clientId} in {@code /config.json}). */
  public String clientId() {
    return CLIENT_ID;
  }

  /** The development users: alice and bob, and admin in the {@code admins} group. */
  public List<DevUser> users() {
    return identityProvider.users();
  }

  /** The development user called {@code userName}. */
  public DevUser user(String userName) {
    return users().stream()
        .filter(user -> user.name().equals(userName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no development user " + userName));
  }

  /**
   * A valid access token for a development user, signed by the identity provider, as its token
   * endpoint issues them: send it as {@code Authorization: Bearer <token>} to call the API without
   * a browser.
   */
  public String accessTokenFor(String userName) {
    return identityProvider.accessTokenFor(userName);
  }

  /**
   * A valid ID token for a development user (API Gateway also accepts these: their {@code aud} is
   * the client).
   */
  public String idTokenFor(String userName) {
    return identityProvider.idTokenFor(userName);
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
    return credentials.accessKeyId();
  }

  /**
   * The local S3's secret access key: kept (owner-only) in the data directory's {@value
   * LocalCredentials#FILE_NAME}, new on every in-memory start.
   */
  public String secretAccessKey() {
    return credentials.secretAccessKey();
  }

  public LocalOptions options() {
    return options;
  }

  /**
   * An S3 client for the local S3 (closed with the product): writes through it reach the sync like
   * any.
   */
  public S3Client s3Client() {
    return s3Client;
  }

  /** A DynamoDB client for the local DynamoDB (closed with the product). */
  public DynamoDbClient dynamoDbClient() {
    return dynamoDbClient;
  }

  /**
   * Blocks until every S3 event emitted so far has been handled by the sync function (or, after its
   * retries, written to the on-failure log).
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  public void awaitSyncIdle(Duration timeout) {
    try {
      if (!sync.awaitIdle(timeout)) {
        throw new IllegalStateException("metadata sync still busy after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the metadata sync", e);
    }
  }

  /**
   * Fault injection: while {@code true}, the local S3 fails every DeleteObject with 500
   * InternalError, so the real delete handler answers with its 5xx.
   */
  public void failObjectDeletes(boolean fail) {
    s3.failObjectDeletes(fail);
  }

  /**
   * Fault injection for tests: deletes of the keys the predicate accepts fail with S3's
   * InternalError (per key inside a DeleteObjects call, as S3 reports them).
   */
  public void failObjectDeletes(java.util.function.Predicate<String> keys) {
    s3.failObjectDeletes(keys);
  }

  /**
   * Sync invocations that failed (a record failed mid-batch, or the function crashed), retries
   * included.
   */
  public long syncFailedInvocations() {
    return sync.failedInvocations();
  }

  /**
   * On-failure records of S3 events the sync function could not handle, oldest first (this run
   * only).
   */
  public List<String> syncFailures() {
    return syncFailures.records();
  }

  /**
   * Stops everything in dependency order: the dashboard and the API stop taking requests (requests
   * in flight finish), S3 refuses further changes, queued S3 events are delivered to the sync, then
   * S3 and DynamoDB stop. Data in a data directory is complete on disk afterwards.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // No new requests, then no new S3 events; the sync drains its queue while S3 still serves its
    // reads and
    // DynamoDB its writes; then S3 and DynamoDB stop.
    long started = System.nanoTime();
    LocalStartup.stopInOrder(
        dashboard,
        api,
        identityProvider,
        s3::refuseWrites,
        sync,
        s3Client,
        s3,
        dynamoDbClient,
        dynamoDb);
    LOG.info("Local mode stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
  }
}
