package dev.uploaddashboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class DynamoDbEmulatorTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path directory;

  @Test
  void listensOnTheLoopbackAddressOnly() throws Exception {
    try (DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory()) {
      int port = emulator.endpoint().getPort();
      assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      }
      // A server bound to every interface (0.0.0.0) would also answer here.
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress("127.0.0.2", port), 2000);
                }
              })
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void refusesWebPagesAndSendsNoCorsHeaders() throws Exception {
    try (DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory()) {
      HttpResponse<String> preflight =
          send(
              HttpRequest.newBuilder(emulator.endpoint())
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "http://attacker.example")
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "x-amz-target,content-type"));
      assertThat(preflight.statusCode()).isEqualTo(403);
      assertNoCorsHeaders(preflight);

      // A page can send a "simple" cross-origin POST without a preflight; it must change nothing.
      HttpResponse<String> fromPage =
          send(
              createTableRequest(emulator.endpoint(), "from_a_page")
                  .header("Origin", "http://attacker.example"));
      assertThat(fromPage.statusCode()).isEqualTo(403);
      assertNoCorsHeaders(fromPage);

      HttpResponse<String> fromSdk = send(createTableRequest(emulator.endpoint(), "from_sdk"));
      assertThat(fromSdk.statusCode()).isEqualTo(200);
      assertNoCorsHeaders(fromSdk);
      try (DynamoDbClient dynamoDb = client(emulator)) {
        assertThat(dynamoDb.listTables().tableNames()).containsExactly("from_sdk");
      }
    }
  }

  @Test
  void servesTheDynamoDbApiAndNothingElseOfMoto() throws Exception {
    try (DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory()) {
      send(createTableRequest(emulator.endpoint(), "kept"));
      // moto's own API would wipe every table with this request.
      HttpResponse<String> reset =
          send(
              HttpRequest.newBuilder(emulator.endpoint().resolve("/moto-api/reset"))
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(reset.statusCode()).isEqualTo(400);
      try (DynamoDbClient dynamoDb = client(emulator)) {
        assertThat(dynamoDb.listTables().tableNames()).containsExactly("kept");
      }
    }
  }

  @Test
  void conditionalWritesAreAtomicUnderConcurrency() throws Exception {
    try (DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory();
        DynamoDbClient dynamoDb = client(emulator)) {
      createTable(dynamoDb, "race");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 20; round++) {
          String key = "key-" + round;
          List<Callable<Boolean>> writers = new ArrayList<>();
          for (int writer = 0; writer < 8; writer++) {
            String value = "writer-" + writer;
            writers.add(
                () -> {
                  try {
                    dynamoDb.putItem(
                        r ->
                            r.tableName("race")
                                .item(Map.of("pk", s(key), "sk", s("row"), "who", s(value)))
                                .conditionExpression("attribute_not_exists(pk)"));
                    return true;
                  } catch (ConditionalCheckFailedException e) {
                    return false;
                  }
                });
          }
          int winners = 0;
          for (Future<Boolean> result : pool.invokeAll(writers)) {
            winners += result.get() ? 1 : 0;
          }
          assertThat(winners).as("writers that created %s", key).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The emulator copies each table once per TransactWriteItems call for moto's rollback (instead of
   * once per item): a cancelled transaction must still leave every row as it was, and a committed
   * one apply every write.
   */
  @Test
  void aCancelledTransactionChangesNothingAndACommittedOneAppliesEveryWrite() throws Exception {
    try (DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory();
        DynamoDbClient dynamoDb = client(emulator)) {
      createTable(dynamoDb, "tx");
      for (int i = 0; i < 5; i++) {
        String row = "row-" + i;
        dynamoDb.putItem(r -> r.tableName("tx").item(Map.of("pk", s(row), "sk", s("x"))));
      }
      java.util.function.Function<List<String>, List<TransactWriteItem>> deletes =
          rows ->
              rows.stream()
                  .map(
                      row ->
                          TransactWriteItem.builder()
                              .delete(
                                  d ->
                                      d.tableName("tx")
                                          .key(Map.of("pk", s(row), "sk", s("x")))
                                          .conditionExpression("attribute_exists(pk)"))
                              .build())
                  .toList();

      // row-9 does not exist: its condition fails, so rows 0 to 3 must survive the rollback.
      assertThatThrownBy(
              () ->
                  dynamoDb.transactWriteItems(
                      r ->
                          r.transactItems(
                              deletes.apply(List.of("row-0", "row-1", "row-2", "row-3", "row-9")))))
          .isInstanceOf(TransactionCanceledException.class);
      assertThat(dynamoDb.scan(r -> r.tableName("tx")).count()).isEqualTo(5);

      dynamoDb.transactWriteItems(
          r -> r.transactItems(deletes.apply(List.of("row-0", "row-1", "row-2", "row-3"))));
      assertThat(dynamoDb.scan(r -> r.tableName("tx")).items())
          .extracting(item -> item.get("pk").s())
          .containsExactly("row-4");
    }
  }

  @Test
  void aJournalKeepsTablesIndexesTtlAndItemsAcrossARestart() throws Exception {
    Path journal = directory.resolve("dynamodb").resolve("journal.jsonl");
    try (DynamoDbEmulator first = DynamoDbEmulator.start(0, Optional.of(journal));
        DynamoDbClient dynamoDb = client(first)) {
      createTable(dynamoDb, "kept");
      dynamoDb.updateTimeToLive(
          r ->
              r.tableName("kept")
                  .timeToLiveSpecification(t -> t.attributeName("expires_at").enabled(true)));
      for (int i = 0; i < 5; i++) {
        String sk = "row-" + i;
        dynamoDb.putItem(
            r -> r.tableName("kept").item(Map.of("pk", s("p"), "sk", s(sk), "at", s("t" + sk))));
      }
      dynamoDb.deleteItem(r -> r.tableName("kept").key(Map.of("pk", s("p"), "sk", s("row-0"))));
      dynamoDb.updateItem(
          r ->
              r.tableName("kept")
                  .key(Map.of("pk", s("p"), "sk", s("row-1")))
                  .updateExpression("SET note = :n")
                  .expressionAttributeValues(Map.of(":n", s("updated"))));
      // A write that failed its condition changed nothing and is not replayed.
      assertThatThrownBy(
              () ->
                  dynamoDb.putItem(
                      r ->
                          r.tableName("kept")
                              .item(Map.of("pk", s("p"), "sk", s("row-2"), "at", s("lost")))
                              .conditionExpression("attribute_not_exists(pk)")))
          .isInstanceOf(ConditionalCheckFailedException.class);
    }

    // A hard stop can cut the last line short: what came before it is kept.
    Files.writeString(
        journal, "{\"region\": \"us-east-1\", \"operation\": \"Put", StandardOpenOption.APPEND);

    try (DynamoDbEmulator second = DynamoDbEmulator.start(0, Optional.of(journal));
        DynamoDbClient dynamoDb = client(second)) {
      TableDescription table = dynamoDb.describeTable(r -> r.tableName("kept")).table();
      assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
      assertThat(table.globalSecondaryIndexes())
          .singleElement()
          .satisfies(
              index -> {
                assertThat(index.indexName()).isEqualTo("at_index");
                assertThat(index.keySchema())
                    .extracting(k -> k.attributeName() + " " + k.keyType())
                    .containsExactly("pk HASH", "at RANGE");
                assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.ALL);
              });
      var ttl = dynamoDb.describeTimeToLive(r -> r.tableName("kept")).timeToLiveDescription();
      assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
      assertThat(ttl.attributeName()).isEqualTo("expires_at");
      var rows =
          dynamoDb
              .query(
                  r ->
                      r.tableName("kept")
                          .indexName("at_index")
                          .keyConditionExpression("pk = :p")
                          .expressionAttributeValues(Map.of(":p", s("p"))))
              .items();
      assertThat(rows)
          .extracting(row -> row.get("sk").s())
          .containsExactly("row-1", "row-2", "row-3", "row-4");
      assertThat(rows.get(0).get("note").s()).isEqualTo("updated");
      assertThat(rows.get(1).get("at").s()).isEqualTo("trow-2");
    }
    // Rewritten at the second start: the table, its TTL setting and one line per item.
    assertThat(Files.readAllLines(journal)).hasSize(1 + 1 + 4);
  }

  @Test
  void closeEndsTheProcess() throws Exception {
    DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory();
    ProcessHandle process = emulator.process();
    assertThat(process.isAlive()).isTrue();
    emulator.close();
    assertThat(process.isAlive()).isFalse();
    emulator.close();
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theProcessEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process jvm =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EmulatorInAnotherJvm.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      long pid = Long.parseLong(out.readLine().trim());
      ProcessHandle emulator = ProcessHandle.of(pid).orElseThrow();
      assertThat(emulator.isAlive()).isTrue();

      jvm.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (emulator.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(emulator.isAlive()).as("emulator outlived its JVM").isFalse();
    } finally {
      jvm.destroyForcibly();
    }
  }

  /** Started by the test above in a second JVM: prints the emulator's pid and waits. */
  static final class EmulatorInAnotherJvm {
    public static void main(String[] args) throws Exception {
      DynamoDbEmulator emulator = DynamoDbEmulator.startInMemory();
      System.out.println(emulator.process().pid());
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(2).toMillis());
    }
  }

  private static void assertNoCorsHeaders(HttpResponse<?> response) {
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
  }

  private static HttpRequest.Builder createTableRequest(URI endpoint, String table) {
    String body =
        """
        {"TableName": "%s", "BillingMode": "PAY_PER_REQUEST",
         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}"""
            .formatted(table);
    return HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810.CreateTable")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void createTable(DynamoDbClient dynamoDb, String name) {
    dynamoDb.createTable(
        r ->
            r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("at").attributeType(ScalarAttributeType.S))
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("at_index")
                            .keySchema(
                                k -> k.attributeName("pk").keyType(KeyType.HASH),
                                k -> k.attributeName("at").keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL))));
  }

  private static DynamoDbClient client(DynamoDbEmulator emulator) {
    return DynamoDbClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
