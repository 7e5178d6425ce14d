package dev.uploaddashboard.local;

import dev.uploaddashboard.emulator.DynamoDbEmulator;
import dev.uploaddashboard.lambda.handler.CreateUploadHandler;
import dev.uploaddashboard.local.api.ApiRoute;
import dev.uploaddashboard.local.api.CorsPolicy;
import dev.uploaddashboard.local.api.HttpApiGateway;
import dev.uploaddashboard.local.api.JwtAuthorizer;
import dev.uploaddashboard.local.auth.DevUser;
import dev.uploaddashboard.local.auth.IdentityProvider;
import dev.uploaddashboard.local.auth.IdentityProviderSettings;
import dev.uploaddashboard.local.emulator.MetadataTable;
import dev.uploaddashboard.local.emulator.S3Server;
import dev.uploaddashboard.local.emulator.UploadQuotaTable;
import dev.uploaddashboard.local.events.AsyncInvoker;
import dev.uploaddashboard.local.events.BucketNotification;
import dev.uploaddashboard.local.events.OnFailureLog;
import dev.uploaddashboard.local.events.S3EventNotifications;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import dev.uploaddashboard.local.web.DashboardServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
  public static final String TABLE_NAME = MetadataTable.NAME;
  public static final String UPLOAD_QUOTA_TABLE_NAME = UploadQuotaTable.NAME;
  public static final String REGION = "us-east-1";

  /**
   * The local access key id; its secret is generated per data directory ({@link LocalCredentials}).
   * s3proxy checks signatures against them. the DynamoDB emulator takes any.
   */
  public static final String ACCESS_KEY_ID = LocalCredentials.ACCESS_KEY_ID;

  public static final String UPLOAD_PREFIX = "incoming/";

  /** The dashboard's app client at the local identity provider (a public client: no secret). */
  public static final String CLIENT_ID = "upload-dashboard-local";

  static final String DELETE_HANDLER = "dev.uploaddashboard.lambda.handler.DeleteFileHandler";
  static final String LIST_HANDLER = "dev.uploaddashboard.lambda.handler.ListFilesHandler";
  static final String DETAIL_HANDLER = "dev.uploaddashboard.lambda.handler.FileDetailHandler";
  static final String UPLOAD_HANDLER = "dev.uploaddashboard.lambda.handler.CreateUploadHandler";
  static final String SYNC_HANDLER = "dev.uploaddashboard.lambda.handler.MetadataSyncHandler";

  /** The deployed API's CORS settings (infra FileApi). */
  static final List<String> CORS_METHODS = List.of("GET", "POST", "DELETE");

  static final List<String> CORS_HEADERS = List.of("content-type", "authorization");
  static final Duration CORS_MAX_AGE = Duration.ofHours(1);

  /**
   * S3 notifications reach Lambda a moment after the change, not instantly; the same short delay
   * here keeps local timing close to AWS (a handler that deletes an object finishes its own writes
   * first, as it does there).
   */
  static final Duration S3_NOTIFICATION_DELAY = Duration.ofMillis(200);

  /** Lambda retries a failed asynchronous invocation twice; locally the waits are short. */
  static final List<Duration> SYNC_RETRY_DELAYS =
      List.of(Duration.ofMillis(200), Duration.ofMillis(1000));

  /** The DynamoDB emulator's journal in the data directory's {@code dynamodb/}. */
  static final String DYNAMODB_JOURNAL = "journal.jsonl";

  /** What DynamoDB Local, used before, kept there (not read any more). */
  private static final String DYNAMODB_LOCAL_FILE = "shared-local-instance.db";

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

  private LocalProduct(Builder parts) {
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
    Builder parts = new Builder(options);
    try {
      LocalProduct product = parts.start();
      LOG.info("Local mode started in {} ms", (System.nanoTime() - started) / 1_000_000);
      return product;
    } catch (Exception | Error e) {
      stopInOrder(
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

  /** Collects components as they start, so a failed start can stop them in reverse order. */
  private static final class Builder {
    final LocalOptions options;
    DashboardServer dashboard;
    HttpApiGateway api;
    IdentityProvider identityProvider;
    S3Server s3;
    DynamoDbEmulator dynamoDb;
    AsyncInvoker sync;
    OnFailureLog syncFailures;
    S3Client s3Client;
    DynamoDbClient dynamoDbClient;
    LocalCredentials credentials;

    Builder(LocalOptions options) {
      this.options = options;
    }

    LocalProduct start() throws Exception {
      String host = options.host();
      Optional<Path> data = options.dataDirectory();
      credentials = LocalCredentials.loadOrCreate(data);

      data.map(d -> d.resolve("dynamodb").resolve(DYNAMODB_LOCAL_FILE))
          .filter(Files::exists)
          .ifPresent(
              file ->
                  LOG.warn(
                      "{} was written by DynamoDB Local, which local mode no longer uses: files"
                          + " uploaded before are still in S3 but not listed. Delete the data"
                          + " directory to start afresh.",
                      file));
      // On 127.0.0.1 whatever the host: only this JVM and local tools (the AWS CLI) talk to it.
      dynamoDb =
          DynamoDbEmulator.start(
              options.portAfterDashboard(3),
              data.map(d -> d.resolve("dynamodb").resolve(DYNAMODB_JOURNAL)));
      dynamoDbClient =
          DynamoDbClient.builder()
              .endpointOverride(dynamoDb.endpoint())
              .region(Region.of(REGION))
              .credentialsProvider(awsCredentials(credentials))
              .httpClient(UrlConnectionHttpClient.create())
              .build();
      MetadataTable.createIfMissing(dynamoDbClient, TABLE_NAME);
      UploadQuotaTable.createIfMissing(dynamoDbClient, UPLOAD_QUOTA_TABLE_NAME);

      // The dashboard's port is bound first: its origin goes into the S3 and API CORS rules.
      dashboard = DashboardServer.bind(host, options.dashboardPort(), options.webRoot());
      Set<String> origins = new LinkedHashSet<>();
      origins.add(dashboard.url().toString());
      if (host.equals("127.0.0.1")) {
        // The same page opened as localhost is another origin; allow it too rather than fail
        // confusingly.
        origins.add("http://localhost:" + dashboard.url().getPort());
      }
      origins.addAll(options.extraCorsOrigins());

      // The deployed bucket notifies the sync function for keys under incoming/ only.
      BucketNotification toSync =
          new BucketNotification(UPLOAD_PREFIX, new S3EventNotifications(REGION, "metadata-sync"));
      s3 =
          S3Server.start(
              host,
              options.portAfterDashboard(2),
              data.map(d -> d.resolve("s3")),
              credentials.accessKeyId(),
              credentials.secretAccessKey(),
              List.copyOf(origins),
              BUCKET_NAME,
              options.eventTap().apply(toSync));

      Map<String, String> env =
          Map.of(
              "SORT_ORDERS",
              options.sortOrders(),
              "TABLE_NAME",
              TABLE_NAME,
              "UPLOAD_BUCKET",
              BUCKET_NAME,
              "UPLOAD_QUOTA_TABLE",
              UPLOAD_QUOTA_TABLE_NAME,
              "UPLOADS_PER_USER_PER_HOUR",
              Long.toString(options.uploadsPerUserPerHour()),
              "AWS_REGION",
              REGION,
              "AWS_ACCESS_KEY_ID",
              credentials.accessKeyId(),
              "AWS_SECRET_ACCESS_KEY",
              credentials.secretAccessKey(),
              "AWS_ENDPOINT_URL_S3",
              s3.endpoint().toString(),
              "AWS_ENDPOINT_URL_DYNAMODB",
              dynamoDb.endpoint().toString());
      syncFailures = new OnFailureLog(data.map(d -> d.resolve("sync-failures.jsonl")));
      sync =
          new AsyncInvoker(
              LambdaFunction.load("metadata-sync", SYNC_HANDLER, env::get),
              syncFailures,
              S3_NOTIFICATION_DELAY,
              SYNC_RETRY_DELAYS);
      toSync.connect(sync);

      List<ApiRoute> routes =
          new ArrayList<>(
              List.of(
                  new ApiRoute(
                      "GET",
                      "/metadata",
                      LambdaFunction.load("list-files", LIST_HANDLER, env::get)),
                  new ApiRoute(
                      "GET",
                      "/metadata/file",
                      LambdaFunction.load("file-detail", DETAIL_HANDLER, env::get)),
                  new ApiRoute(
                      "DELETE",
                      "/metadata",
                      LambdaFunction.load("delete-file", DELETE_HANDLER, env::get))));
      // One function serves the single PUT and the multipart routes, as deployed.
      LambdaFunction upload = LambdaFunction.load("create-upload", UPLOAD_HANDLER, env::get);
      for (String routeKey : CreateUploadHandler.ROUTES) {
        String[] methodAndPath = routeKey.split(" ", 2);
        routes.add(new ApiRoute(methodAndPath[0], methodAndPath[1], upload));
      }
      // Cognito's role: the dashboard's origins are the app client's exact callback and sign-out
      // URLs.
      identityProvider =
          IdentityProvider.start(
              new IdentityProviderSettings(
                  host,
                  options.portAfterDashboard(4),
                  CLIENT_ID,
                  List.copyOf(origins),
                  options.users(),
                  options.accessTokenLifetime(),
                  options.refreshTokenLifetime(),
                  data.map(d -> d.resolve("identity-provider").resolve("signing-key.json"))));
      JwtAuthorizer authorizer =
          new JwtAuthorizer(
              identityProvider.issuer(),
              CLIENT_ID,
              identityProvider.publicKeys(),
              Clock.systemUTC());
      api =
          HttpApiGateway.start(
              host,
              options.portAfterDashboard(1),
              routes,
              new CorsPolicy(origins, CORS_METHODS, CORS_HEADERS, CORS_MAX_AGE),
              authorizer);

      s3Client =
          S3Client.builder()
              .endpointOverride(s3.endpoint())
              .region(Region.of(REGION))
              .credentialsProvider(awsCredentials(credentials))
              .forcePathStyle(true)
              .httpClient(UrlConnectionHttpClient.create())
              .build();

      dashboard.publish(
          api.url(),
          s3.endpoint(),
          new DashboardServer.SignIn(
              identityProvider.issuer(), CLIENT_ID, IdentityProvider.SCOPES));
      return new LocalProduct(this);
    }
  }

  private static StaticCredentialsProvider awsCredentials(LocalCredentials credentials) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
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
   * The development identity provider's base URL, e.g. {@code http://127.0.0.1:8084}: {@code
   * auth.authority} in {@code /config.json} and the tokens' {@code iss}.
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
    stopInOrder(
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

  private static void stopInOrder(AutoCloseable... components) {
    for (AutoCloseable component : components) {
      if (component == null) {
        continue;
      }
      long started = System.nanoTime();
      try {
        component.close();
        LOG.debug(
            "Stopped {} in {} ms",
            component.getClass().getSimpleName(),
            (System.nanoTime() - started) / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while stopping {}", component.getClass().getSimpleName());
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
