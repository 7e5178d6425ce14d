package dev.uploaddashboard.local;

import static dev.uploaddashboard.local.LocalProduct.BUCKET_NAME;
import static dev.uploaddashboard.local.LocalProduct.CLIENT_ID;
import static dev.uploaddashboard.local.LocalProduct.REGION;
import static dev.uploaddashboard.local.LocalProduct.TABLE_NAME;
import static dev.uploaddashboard.local.LocalProduct.UPLOAD_QUOTA_TABLE_NAME;

import dev.uploaddashboard.contract.DashboardPage;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.emulator.ContractTables;
import dev.uploaddashboard.emulator.DynamoDbEmulator;
import dev.uploaddashboard.local.api.CorsPolicy;
import dev.uploaddashboard.local.api.HttpApiGateway;
import dev.uploaddashboard.local.api.JwtAuthorizer;
import dev.uploaddashboard.local.auth.IdentityProvider;
import dev.uploaddashboard.local.auth.IdentityProviderSettings;
import dev.uploaddashboard.local.emulator.S3Server;
import dev.uploaddashboard.local.events.AsyncInvoker;
import dev.uploaddashboard.local.events.BucketNotification;
import dev.uploaddashboard.local.events.OnFailureLog;
import dev.uploaddashboard.local.events.S3EventNotifications;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import dev.uploaddashboard.local.web.DashboardServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts {@link LocalProduct}'s parts in dependency order and keeps each as it starts, so that a
 * failed start can stop what did start: DynamoDB and its tables, the dashboard's port (its origin
 * goes into the CORS rules), S3 with its notifications to the sync function, the contract's
 * functions behind the API, the sign-in server, then the page's config.
 */
final class LocalStartup {
  /**
   * S3 notifications reach Lambda a moment after the change, not instantly; the same short delay
   * here keeps local timing close to AWS (a handler that deletes an object finishes its own writes
   * first, as it does there).
   */
  static final Duration S3_NOTIFICATION_DELAY = Duration.ofMillis(200);

  /** Lambda retries a failed asynchronous invocation twice; locally the waits are short. */
  static final List<Duration> SYNC_RETRY_DELAYS =
      List.of(Duration.ofMillis(200), Duration.ofMillis(1000));

  static final String DYNAMODB_JOURNAL = "journal.jsonl";

  /** What DynamoDB Local, used before, kept there (not read any more). */
  private static final String DYNAMODB_LOCAL_FILE = "shared-local-instance.db";

  private static final Logger LOG = LoggerFactory.getLogger(LocalProduct.class);

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

  LocalStartup(LocalOptions options) {
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
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    ContractTables.createIfMissing(dynamoDbClient, Tables.METADATA);
    ContractTables.createIfMissing(dynamoDbClient, Tables.UPLOAD_QUOTA);

    // The dashboard's port is bound first: its origin goes into the S3 and API CORS rules.
    dashboard = DashboardServer.bind(host, options.dashboardPort(), options.webRoot());
    Set<String> origins = new LinkedHashSet<>();
    origins.add(dashboard.url().toString());
    if (host.equals("127.0.0.1")) {
      // The same page opened as localhost is another origin: allowed too, not a confusing failure.
      origins.add("http://localhost:" + dashboard.url().getPort());
    }
    origins.addAll(options.extraCorsOrigins());

    // The deployed bucket notifies the sync function for keys under incoming/ only.
    BucketNotification toSync =
        new BucketNotification(
            Functions.UPLOAD_PREFIX,
            new S3EventNotifications(REGION, Functions.METADATA_SYNC.localName()));
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
        environment(credentials.secretAccessKey(), s3.endpoint(), dynamoDb.endpoint());
    env.put(Env.SORT_ORDERS, options.sortOrders());
    env.put(Env.UPLOADS_PER_USER_PER_HOUR, Long.toString(options.uploadsPerUserPerHour()));
    syncFailures = new OnFailureLog(data.map(d -> d.resolve("sync-failures.jsonl")));
    sync =
        new AsyncInvoker(
            LambdaFunction.load(Functions.METADATA_SYNC, env::get),
            syncFailures,
            S3_NOTIFICATION_DELAY,
            SYNC_RETRY_DELAYS);
    toSync.connect(sync);

    // The contract's API functions, each on its route keys.
    Map<String, LambdaFunction> routes = new HashMap<>();
    for (FunctionSpec spec : Functions.API) {
      LambdaFunction function = LambdaFunction.load(spec, env::get);
      spec.routes().forEach(route -> routes.put(route, function));
    }
    // Cognito's role: the dashboard's origins are the app client's exact callback/sign-out URLs.
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
        new JwtAuthorizer(identityProvider.issuer(), CLIENT_ID, identityProvider.publicKeys());
    api =
        HttpApiGateway.start(
            host,
            options.portAfterDashboard(1),
            routes,
            new CorsPolicy(
                origins,
                Functions.CORS_METHODS,
                Functions.CORS_HEADERS,
                Duration.ofSeconds(Functions.CORS_MAX_AGE_SECONDS)),
            authorizer);

    s3Client =
        S3Client.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            // For tests and tools, not the handlers: a request with a body to s3proxy now and then
            // fails all of the SDK's default attempts ("Error writing request body to server").
            .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(8)))
            .build();

    dashboard.publish(
        api.url(),
        s3.endpoint(),
        new DashboardPage.SignIn(
            identityProvider.url().toString(), CLIENT_ID, IdentityProvider.SCOPES),
        Functions.DEFAULT_MAX_MULTIPART_UPLOAD_BYTES);
    return new LocalProduct(this);
  }

  /** The functions' environment: the contract's settings, the emulators, the local credentials. */
  static Map<String, String> environment(String secret, URI s3, URI dynamoDb) {
    Map<String, String> env = new HashMap<>();
    env.put(Env.TABLE_NAME, TABLE_NAME);
    env.put(Env.UPLOAD_BUCKET, BUCKET_NAME);
    env.put(Env.SORT_ORDERS, LocalOptions.ALL_SORT_ORDERS);
    env.put(Env.DOWNLOAD_URL_TTL_SECONDS, Integer.toString(Functions.DOWNLOAD_URL_TTL_SECONDS));
    env.put(Env.UPLOAD_URL_TTL_SECONDS, Integer.toString(Functions.UPLOAD_URL_TTL_SECONDS));
    env.put(Env.MAX_UPLOAD_BYTES, Long.toString(Functions.DEFAULT_MAX_UPLOAD_BYTES));
    env.put(
        Env.MAX_MULTIPART_UPLOAD_BYTES,
        Long.toString(Functions.DEFAULT_MAX_MULTIPART_UPLOAD_BYTES));
    env.put(Env.PART_URL_TTL_SECONDS, Integer.toString(Functions.PART_URL_TTL_SECONDS));
    env.put(Env.UPLOAD_QUOTA_TABLE, UPLOAD_QUOTA_TABLE_NAME);
    env.put(
        Env.UPLOADS_PER_USER_PER_HOUR, Long.toString(Functions.DEFAULT_UPLOADS_PER_USER_PER_HOUR));
    env.put("AWS_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_ENDPOINT_URL_S3", s3.toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString());
    return env;
  }

  /**
   * Stops what started, in dependency order, logging rather than throwing: the dashboard and the
   * API stop taking requests (requests in flight finish), then {@code beforeSync} (S3 refusing
   * changes, on close), queued S3 events reach the sync, then S3 and DynamoDB stop.
   */
  void stop(AutoCloseable beforeSync) {
    for (AutoCloseable component :
        new AutoCloseable[] {
          dashboard, api, identityProvider, beforeSync, sync, s3Client, s3, dynamoDbClient, dynamoDb
        }) {
      if (component == null) {
        continue;
      }
      String name = component.getClass().getSimpleName();
      long started = System.nanoTime();
      try {
        component.close();
        LOG.debug("Stopped {} in {} ms", name, (System.nanoTime() - started) / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while stopping {}", name);
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}", name, e.toString());
      }
    }
  }
}
