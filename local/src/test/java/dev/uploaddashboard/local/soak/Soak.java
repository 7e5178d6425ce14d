package dev.uploaddashboard.local.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.local.LocalOptions;
import dev.uploaddashboard.local.LocalProduct;
import dev.uploaddashboard.local.LocalReconcile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The fault-and-load suite ({@code bin/soak}; a short run is {@code SoakTest} in the CI suite).
 * Several users upload, list, open and delete files concurrently against local mode, and make
 * client mistakes, while faults are injected: S3 and DynamoDB attempts fail and calls are throttled
 * ({@link AwsFaults}), S3 events are dropped, duplicated and delayed past later ones ({@link
 * FaultyEvents}), and the sync function fails mid-batch whenever a fault hits one of its records
 * (it retries twice, then records the event as failed, as Lambda's on-failure destination would).
 * Then faults stop, the sync drains, the bucket and the table are compared (drift before), the
 * reconciler runs once, and they are compared again. What must hold: zero drift after reconciling,
 * no file lost (uploaded and not deleted, but gone or not listed to its owner), none resurrected
 * (deleted with a 200 or 404 answer, but still in S3 or listed), no file listed to another user,
 * and no 5xx for a client mistake.
 */
public final class Soak {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> USERS = List.of("alice", "bob", "admin");

  /** What to run. */
  public record Config(
      int workers,
      int operationsPerWorker,
      double awsFaultRate,
      double eventFaultRate,
      Duration maxDuration,
      long seed) {}

  enum Op {
    UPLOAD,
    LIST,
    DETAIL,
    DELETE,
    CLIENT_MISTAKE
  }

  /**
   * Objects under incoming/ without a live row, live rows without an object, size/ETag differing.
   */
  public record Drift(long objectsWithoutRow, long rowsWithoutObject, long mismatched) {
    public long total() {
      return objectsWithoutRow + rowsWithoutObject + mismatched;
    }

    @Override
    public String toString() {
      return total()
          + " (objects without a row "
          + objectsWithoutRow
          + ", rows without an object "
          + rowsWithoutObject
          + ", size/ETag differing "
          + mismatched
          + ")";
    }
  }

  /** The outcome of a run. */
  public record Report(
      long operations,
      Duration elapsed,
      Map<Op, long[]> latencyMillisP50P95,
      Map<String, Long> outcomes,
      long awsFaults,
      long eventsDropped,
      long eventsDuplicated,
      long eventsDelayed,
      long syncFailedInvocations,
      long syncFailuresRecorded,
      Drift driftBefore,
      long repaired,
      Drift driftAfter,
      List<String> violations) {

    public double operationsPerSecond() {
      return operations * 1000.0 / Math.max(1, elapsed.toMillis());
    }

    public String describe() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "operations %d in %.1f s: %.1f ops/s%n",
              operations,
              elapsed.toMillis() / 1000.0,
              operationsPerSecond()));
      latencyMillisP50P95.forEach(
          (op, p) ->
              out.append(
                  String.format(
                      Locale.ROOT,
                      "  %-15s p50 %5d ms  p95 %5d ms  (%d)%n",
                      op.name().toLowerCase(Locale.ROOT),
                      p[0],
                      p[1],
                      p[2])));
      out.append("answers ").append(new java.util.TreeMap<>(outcomes)).append('\n');
      out.append(
          String.format(
              Locale.ROOT,
              "faults injected: %d S3/DynamoDB attempts or calls, events dropped %d, duplicated %d,"
                  + " delayed %d; sync invocations failed mid-batch %d (retried), events given up"
                  + " on after retries %d%n",
              awsFaults,
              eventsDropped,
              eventsDuplicated,
              eventsDelayed,
              syncFailedInvocations,
              syncFailuresRecorded));
      out.append("drift before reconciling: ").append(driftBefore).append('\n');
      out.append("reconciler repaired: ").append(repaired).append('\n');
      out.append("drift after reconciling: ").append(driftAfter).append('\n');
      out.append(violations.isEmpty() ? "invariants: all hold" : "VIOLATIONS: " + violations);
      return out.toString();
    }
  }

  private enum State {
    PRESENT,
    DELETED,
    UNKNOWN
  }

  private record Owned(String user, State state) {}

  private final Config config;
  private final LocalProduct product;
  private final FaultyEvents events;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, Owned> files = new ConcurrentHashMap<>();
  private final Map<Op, ConcurrentLinkedQueue<Long>> latencies = new EnumMap<>(Op.class);
  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<String>> history = new ConcurrentHashMap<>();

  private void note(String key, String what) {
    history.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(what);
  }

  private Soak(Config config, LocalProduct product, FaultyEvents events) {
    this.config = config;
    this.product = product;
    this.events = events;
    for (Op op : Op.values()) {
      latencies.put(op, new ConcurrentLinkedQueue<>());
    }
    for (String user : USERS) {
      tokens.put(user, product.accessTokenFor(user));
    }
  }

  /** Runs the suite against a fresh in-memory local mode. */
  public static Report run(Config config) throws Exception {
    FaultyEvents[] tap = new FaultyEvents[1];
    LocalOptions options =
        LocalOptions.builder()
            .ephemeralPorts()
            .inMemory()
            .uploadsPerUserPerHour(1_000_000)
            .eventTap(
                downstream -> {
                  tap[0] = new FaultyEvents(downstream);
                  return tap[0];
                })
            .build();
    try (LocalProduct product = LocalProduct.start(options)) {
      return new Soak(config, product, tap[0]).run();
    } finally {
      AwsFaults.disable();
    }
  }

  private Report run() throws Exception {
    long faultsBefore = AwsFaults.injected();
    AwsFaults.enable(config.awsFaultRate());
    events.enable(config.eventFaultRate());
    long started = System.nanoTime();
    long deadline = started + config.maxDuration().toNanos();
    AtomicLong threads = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            config.workers(),
            r -> new Thread(r, AwsFaults.HARNESS_THREAD + threads.incrementAndGet()));
    List<Future<Long>> workers = new ArrayList<>();
    for (int w = 0; w < config.workers(); w++) {
      int worker = w;
      workers.add(pool.submit(() -> work(worker, deadline)));
    }
    long operations = 0;
    for (Future<Long> worker : workers) {
      operations += worker.get();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    pool.shutdown();
    AwsFaults.disable();
    events.disable();
    long awsFaults = AwsFaults.injected() - faultsBefore;

    events.awaitDelayed();
    product.awaitSyncIdle(Duration.ofMinutes(2));
    Drift before = drift();
    Map<String, Object> reconciled =
        LocalReconcile.run(
            product.s3Endpoint(),
            product.dynamoDbEndpoint(),
            product.secretAccessKey(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    long repaired = ((Number) reconciled.get("repaired")).longValue();
    Drift after = drift();
    if (after.total() != 0) {
      violations.add("drift after reconciling: " + after);
    }
    if (((Number) reconciled.get("failed")).longValue() != 0) {
      violations.add("reconciler failures: " + reconciled.get("failed"));
    }
    checkFiles();

    Map<Op, long[]> percentiles = new EnumMap<>(Op.class);
    latencies.forEach(
        (op, values) -> {
          List<Long> sorted = new ArrayList<>(values);
          Collections.sort(sorted);
          if (!sorted.isEmpty()) {
            percentiles.put(
                op,
                new long[] {
                  percentile(sorted, 50) / 1_000_000,
                  percentile(sorted, 95) / 1_000_000,
                  sorted.size()
                });
          }
        });
    Map<String, Long> counted = new HashMap<>();
    outcomes.forEach((k, v) -> counted.put(k, v.get()));
    return new Report(
        operations,
        elapsed,
        percentiles,
        counted,
        awsFaults,
        events.dropped.get(),
        events.duplicated.get(),
        events.delayed.get(),
        product.syncFailedInvocations(),
        product.syncFailures().size(),
        before,
        repaired,
        after,
        List.copyOf(violations));
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** One worker: its own user and files; returns how many operations it made. */
  private long work(int worker, long deadline) throws Exception {
    Random random = new Random(config.seed() * 31 + worker);
    String user = USERS.get(worker % USERS.size());
    List<String> deletable = new ArrayList<>();
    List<String> uploaded = new ArrayList<>();
    long done = 0;
    for (int i = 0; i < config.operationsPerWorker() && System.nanoTime() < deadline; i++) {
      int roll = random.nextInt(100);
      Op op =
          roll < 40
              ? Op.UPLOAD
              : roll < 65
                  ? Op.LIST
                  : roll < 75 ? Op.DETAIL : roll < 95 ? Op.DELETE : Op.CLIENT_MISTAKE;
      if ((op == Op.DELETE || op == Op.DETAIL) && deletable.isEmpty()) {
        op = Op.LIST;
      }
      long start = System.nanoTime();
      switch (op) {
        case UPLOAD -> upload(user, worker, i, uploaded);
        case LIST -> list(user, uploaded, deletable);
        case DETAIL -> detail(user, deletable.get(random.nextInt(deletable.size())));
        case DELETE -> delete(user, deletable.remove(random.nextInt(deletable.size())));
        case CLIENT_MISTAKE -> mistake(user, random);
      }
      latencies.get(op).add(System.nanoTime() - start);
      done++;
    }
    return done;
  }

  private void count(Op op, int status) {
    outcomes
        .computeIfAbsent(op.name().toLowerCase(Locale.ROOT) + " " + status, k -> new AtomicLong())
        .incrementAndGet();
  }

  private HttpRequest.Builder api(String user, String pathAndQuery) {
    return HttpRequest.newBuilder(product.apiUrl().resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + tokens.get(user));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 500
        && (response.body().contains("Exception") || response.body().contains("\tat "))) {
      violations.add("a 5xx carried a stack trace: " + response.body());
    }
    return response;
  }

  private void upload(String user, int worker, int i, List<String> uploaded) throws Exception {
    String content = "soak file " + worker + "-" + i + " of " + user;
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String request =
        JSON.writeValueAsString(
            Map.of(
                "file_name",
                "soak " + worker + "-" + i + ".txt",
                "content_type",
                "text/plain",
                "size",
                bytes.length));
    HttpResponse<String> ticket =
        send(
            api(user, "/uploads")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request))
                .build());
    count(Op.UPLOAD, ticket.statusCode());
    if (ticket.statusCode() != 201) {
      return;
    }
    JsonNode body = JSON.readTree(ticket.body());
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(body.get("upload_url").asText()))
            .timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    body.get("headers")
        .fields()
        .forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
    HttpResponse<String> stored = send(put.build());
    outcomes
        .computeIfAbsent("s3 put " + stored.statusCode(), k -> new AtomicLong())
        .incrementAndGet();
    note(body.get("key").asText(), user + " put " + stored.statusCode());
    if (stored.statusCode() == 200) {
      String key = body.get("key").asText();
      files.put(key, new Owned(user, State.PRESENT));
      uploaded.add(key);
    }
  }

  private void list(String user, List<String> uploaded, List<String> deletable) throws Exception {
    HttpResponse<String> response = send(api(user, "/metadata?limit=100").GET().build());
    count(Op.LIST, response.statusCode());
    if (response.statusCode() != 200) {
      return;
    }
    Set<String> listed = ConcurrentHashMap.newKeySet();
    for (JsonNode item : JSON.readTree(response.body()).get("items")) {
      String key = item.get("object_key").asText();
      listed.add(key);
      checkVisibleTo(user, key);
    }
    // Files this worker uploaded and has now seen listed may be opened and deleted.
    for (var it = uploaded.iterator(); it.hasNext(); ) {
      String key = it.next();
      if (listed.contains(key)) {
        deletable.add(key);
        it.remove();
      }
    }
  }

  private void checkVisibleTo(String user, String key) {
    if (user.equals("admin")) {
      return;
    }
    Owned owned = files.get(key);
    if (owned == null || !owned.user().equals(user)) {
      violations.add(
          user + " was shown " + key + " (owner " + (owned == null ? "?" : owned.user()) + ")");
    }
  }

  private void detail(String user, String key) throws Exception {
    HttpResponse<String> response =
        send(
            api(user, "/metadata/file?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8))
                .GET()
                .build());
    count(Op.DETAIL, response.statusCode());
  }

  private void delete(String user, String key) throws Exception {
    HttpResponse<String> response =
        send(
            api(user, "/metadata")
                .header("Content-Type", "application/json")
                .method(
                    "DELETE",
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of("bucket", product.bucketName(), "key", key))))
                .build());
    count(Op.DELETE, response.statusCode());
    note(key, user + " delete " + response.statusCode());
    // 200 and 404 both mean the object is gone (404: no row, but S3's delete was still done).
    State state =
        response.statusCode() == 200 || response.statusCode() == 404
            ? State.DELETED
            : response.statusCode() >= 500 ? State.UNKNOWN : State.PRESENT;
    files.put(key, new Owned(user, state));
  }

  /** A client mistake: must be a 4xx, never a 5xx, and must change nothing. */
  private void mistake(String user, Random random) throws Exception {
    HttpRequest request;
    int expected;
    switch (random.nextInt(4)) {
      case 0 -> {
        // Another user's file: answered as missing without any AWS call, so never a 5xx. An
        // admin may delete anything, so for the admin the mistake is the wrong bucket instead.
        String other = USERS.get((USERS.indexOf(user) + 1) % 2); // alice <-> bob
        String key =
            files.entrySet().stream()
                .filter(e -> e.getValue().user().equals(other))
                .map(Map.Entry::getKey)
                .findAny()
                .orElse("incoming/" + product.user(other).sub() + "/not-there/x.txt");
        boolean admin = user.equals("admin");
        note(key, user + (admin ? " deletes from another bucket" : " deletes another's key"));
        request =
            api(user, "/metadata")
                .header("Content-Type", "application/json")
                .method(
                    "DELETE",
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of(
                                "bucket",
                                admin ? "another-bucket" : product.bucketName(),
                                "key",
                                key))))
                .build();
        expected = admin ? 400 : 404;
      }
      case 1 -> {
        request =
            api(user, "/metadata")
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"bucket\": "))
                .build();
        expected = 400;
      }
      case 2 -> {
        request = api(user, "/metadata?limit=0").GET().build();
        expected = 400;
      }
      default -> {
        request = api(user, "/metadata/file?key=incoming%2F..%2Fsecret").GET().build();
        expected = 400;
      }
    }
    HttpResponse<String> response = send(request);
    count(Op.CLIENT_MISTAKE, response.statusCode());
    note(request.uri().toString(), user + " mistake " + response.statusCode());
    if (response.statusCode() != expected) {
      violations.add(
          "client mistake "
              + request.method()
              + " "
              + request.uri().getPath()
              + " answered "
              + response.statusCode()
              + " (expected "
              + expected
              + "): "
              + response.body());
    }
  }

  private Drift drift() {
    Map<String, String> objects = new HashMap<>();
    for (S3Object object :
        product
            .s3Client()
            .listObjectsV2Paginator(r -> r.bucket(product.bucketName()).prefix("incoming/"))
            .contents()) {
      objects.put(object.key(), object.size() + "/" + object.eTag().replace("\"", ""));
    }
    Map<String, String> rows = new HashMap<>();
    product
        .dynamoDbClient()
        .queryPaginator(
            r ->
                r.tableName(product.tableName())
                    .consistentRead(true)
                    .keyConditionExpression("#b = :b AND begins_with(#k, :p)")
                    .expressionAttributeNames(Map.of("#b", "bucket", "#k", "object_key"))
                    .expressionAttributeValues(
                        Map.of(
                            ":b", AttributeValue.fromS(product.bucketName()),
                            ":p", AttributeValue.fromS("incoming/"))))
        .items()
        .forEach(
            row -> {
              if (row.containsKey("uploaded_at")) {
                rows.put(
                    row.get("object_key").s(), row.get("size").n() + "/" + row.get("etag").s());
              }
            });
    long withoutRow = objects.keySet().stream().filter(k -> !rows.containsKey(k)).count();
    long withoutObject = rows.keySet().stream().filter(k -> !objects.containsKey(k)).count();
    long mismatched =
        objects.entrySet().stream()
            .filter(e -> rows.containsKey(e.getKey()) && !rows.get(e.getKey()).equals(e.getValue()))
            .count();
    return new Drift(withoutRow, withoutObject, mismatched);
  }

  /** After reconciling: nothing lost, nothing resurrected, nobody sees another's files. */
  private void checkFiles() throws Exception {
    Map<String, Set<String>> listedBy = new HashMap<>();
    for (String user : USERS) {
      Set<String> keys = new java.util.HashSet<>();
      String cursor = null;
      do {
        String query =
            "/metadata?limit=100"
                + (cursor == null
                    ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        HttpResponse<String> response = send(api(user, query).GET().build());
        if (response.statusCode() != 200) {
          violations.add("final list of " + user + " answered " + response.statusCode());
          break;
        }
        JsonNode body = JSON.readTree(response.body());
        for (JsonNode item : body.get("items")) {
          String key = item.get("object_key").asText();
          keys.add(key);
          checkVisibleTo(user, key);
        }
        cursor = body.path("next_cursor").isTextual() ? body.get("next_cursor").asText() : null;
      } while (cursor != null);
      listedBy.put(user, keys);
    }
    Set<String> inS3 = new java.util.HashSet<>();
    product
        .s3Client()
        .listObjectsV2Paginator(r -> r.bucket(product.bucketName()).prefix("incoming/"))
        .contents()
        .forEach(o -> inS3.add(o.key()));
    long lost = 0;
    long resurrected = 0;
    for (Map.Entry<String, Owned> file : files.entrySet()) {
      String key = file.getKey();
      Owned owned = file.getValue();
      boolean listed =
          listedBy.get(owned.user()).contains(key) && listedBy.get("admin").contains(key);
      if (owned.state() == State.PRESENT && (!inS3.contains(key) || !listed)) {
        lost++;
        if (lost <= 5) {
          violations.add(
              "lost: "
                  + key
                  + (inS3.contains(key) ? " (in S3" : " (not in S3")
                  + (listed ? ", listed)" : ", not listed to its owner and admin)")
                  + " history "
                  + history.get(key));
        }
      }
      if (owned.state() == State.DELETED
          && (inS3.contains(key) || listedBy.get("admin").contains(key))) {
        resurrected++;
      }
    }
    if (lost > 0) {
      violations.add(lost + " files lost");
    }
    if (resurrected > 0) {
      violations.add(resurrected + " files resurrected");
    }
  }

  /** {@code bin/soak [--workers N] [--operations N per worker] [--faults RATE] [--minutes N]}. */
  public static void main(String[] args) throws Exception {
    int workers = 16;
    int operations = 250;
    double faults = 0.05;
    int minutes = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--operations" -> operations = Integer.parseInt(args[++i]);
        case "--faults" -> faults = Double.parseDouble(args[++i]);
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: bin/soak [--workers 16] [--operations 250 (per worker)] [--faults 0.05]"
                  + " [--minutes 10]");
          System.exit(2);
        }
      }
    }
    Report report =
        run(new Config(workers, operations, faults, faults, Duration.ofMinutes(minutes), 1));
    System.out.println(report.describe());
    System.exit(report.violations().isEmpty() ? 0 : 1);
  }
}
