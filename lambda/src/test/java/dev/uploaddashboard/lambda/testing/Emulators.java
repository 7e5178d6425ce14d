package dev.uploaddashboard.lambda.testing;

import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.emulator.ContractTables;
import dev.uploaddashboard.emulator.DynamoDbEmulator;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A DynamoDB emulator (moto, see {@link DynamoDbEmulator}) and s3proxy, started once per test JVM
 * on free loopback ports and stopped when it exits, with the contract's table and both GSIs. Tests
 * isolate themselves by using their own bucket (the table's partition key) and their own user ids
 * (the owner index's partition key, see {@link TestBucket#newUserId}), so nothing is reset between
 * tests.
 */
public final class Emulators {
  public static final String TABLE = Tables.METADATA.name();
  public static final String REGION = "us-east-1";

  public static final String ACCESS_KEY = "emulatorAccessKey";

  public static final String SECRET_KEY = "emulatorSecretKey";

  private static Emulators instance;
  private static RuntimeException startFailure;

  private final URI dynamoDbEndpoint;
  private final URI s3Endpoint;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final S3Presigner presigner;

  private Emulators(URI dynamoDbEndpoint, URI s3Endpoint) {
    this.dynamoDbEndpoint = dynamoDbEndpoint;
    this.s3Endpoint = s3Endpoint;
    this.dynamoDb = dynamoDb();
    this.s3 = s3();
    this.presigner = presigner();
  }

  public static synchronized Emulators get() {
    if (startFailure != null) {
      throw startFailure;
    }
    if (instance == null) {
      try {
        instance = start();
      } catch (Exception e) {
        startFailure = new IllegalStateException("emulators did not start", e);
        throw startFailure;
      }
    }
    return instance;
  }

  private static Emulators start() throws Exception {
    // The emulator picks its own free port, so there is no port race.
    DynamoDbEmulator dynamoServer = DynamoDbEmulator.startInMemory();

    Properties properties = new Properties();
    S3Proxy s3proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", properties))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    s3proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(s3proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + s3proxy.getState());
      }
      Thread.sleep(10);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    s3proxy.stop();
                    dynamoServer.close();
                  } catch (Exception e) {
                    // the JVM is exiting; nothing left to clean up
                  }
                }));

    Emulators emulators =
        new Emulators(dynamoServer.endpoint(), URI.create("http://127.0.0.1:" + s3proxy.getPort()));
    emulators.createTable();
    return emulators;
  }

  private void createTable() {
    ContractTables.createIfMissing(dynamoDb, Tables.METADATA);
  }

  public URI dynamoDbEndpoint() {
    return dynamoDbEndpoint;
  }

  public URI s3Endpoint() {
    return s3Endpoint;
  }

  /** A shared client for arranging and inspecting test data. */
  public DynamoDbClient dynamoDbClient() {
    return dynamoDb;
  }

  /** A shared client for arranging and inspecting test data. */
  public S3Client s3Client() {
    return s3;
  }

  /** A shared presigner (signing is local; it holds no per-test state). */
  public S3Presigner sharedPresigner() {
    return presigner;
  }

  /** A new client, optionally with interceptors that inject faults. */
  public DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
    return DynamoDbClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(dynamoDbEndpoint)
        .overrideConfiguration(c -> c.executionInterceptors(java.util.List.of(interceptors)))
        .build();
  }

  /**
   * A new client, optionally with interceptors that inject faults.
   *
   * <p>No {@code Expect: 100-continue} handshake, and more attempts than the default: clean-clone
   * CI runs on a loaded machine twice saw a small PutObject to s3proxy fail four times in a row
   * with "Error writing request body to server" in a test's arrangement. Neither changes what a
   * handler under test does or is counted doing: the faults tests inject are answers, and a
   * successful call is one call whatever its attempts.
   */
  public S3Client s3(ExecutionInterceptor... interceptors) {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(s3Endpoint)
        .forcePathStyle(true)
        .serviceConfiguration(c -> c.expectContinueEnabled(false))
        .overrideConfiguration(
            c ->
                c.executionInterceptors(java.util.List.of(interceptors))
                    .retryStrategy(b -> b.maxAttempts(8)))
        .build();
  }

  public S3Presigner presigner() {
    return S3Presigner.builder()
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(s3Endpoint)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }
}
