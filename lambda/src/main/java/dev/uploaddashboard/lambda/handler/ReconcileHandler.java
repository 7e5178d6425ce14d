package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.log.JsonLog;
import dev.uploaddashboard.lambda.service.ObjectKeys;
import dev.uploaddashboard.lambda.service.ReconcileService;
import dev.uploaddashboard.lambda.service.ReconcileService.Budget;
import dev.uploaddashboard.lambda.service.ReconcileService.Kind;
import dev.uploaddashboard.lambda.service.ReconcileService.Report;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.IncomingObjects;
import dev.uploaddashboard.lambda.store.MetadataRepairs;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.store.RequestPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reconciler: runs on a schedule (EventBridge Scheduler) and on demand ({@code aws lambda
 * invoke}), from where the last run stopped, within its budget (keys and the invocation's time),
 * and reports what it checked and repaired as a JSON answer, log lines and CloudWatch metrics
 * (embedded metric format, namespace {@value #METRIC_NAMESPACE}, dimension {@code Bucket}).
 *
 * <p>Input: {@code {}} (the schedule), or {@code {"from_start": true}} to ignore the checkpoint, or
 * {@code {"max_keys": n}} to check fewer keys.
 */
public final class ReconcileHandler extends PrimedHandler {
  public static final String METRIC_NAMESPACE = "UploadDashboard";
  public static final long DEFAULT_MAX_KEYS = 100_000;
  public static final long DEFAULT_ABANDONED_UPLOAD_HOURS = 24;

  /** Time kept back from the invocation's timeout to save the checkpoint and answer. */
  static final Duration RESERVE = Duration.ofSeconds(20);

  /** Repairs logged one by one per run (all are counted). */
  static final int LOGGED_REPAIRS = 200;

  private final ReconcileService service;
  private final MetadataRepairs rows;
  private final String bucket;
  private final long maxKeys;
  private final Clock clock;
  private final PrintStream metrics;
  private final Supplier<SnapStartPriming.Report> priming;

  public ReconcileHandler() {
    this(System::getenv, System.out);
    SnapStartPriming.register(this);
  }

  public ReconcileHandler(Function<String, String> env) {
    this(env, System.out);
  }

  public ReconcileHandler(Function<String, String> env, PrintStream metrics) {
    this(new Settings(env), new AwsClientFactory(env), metrics);
  }

  private ReconcileHandler(Settings settings, AwsClientFactory clients, PrintStream metrics) {
    this.bucket = settings.required(Env.UPLOAD_BUCKET);
    this.rows = new MetadataRepairs(clients.dynamoDb(), settings.required(Env.TABLE_NAME));
    IncomingObjects listing = new IncomingObjects(clients.s3(), bucket, ObjectKeys.PREFIX);
    ObjectStore objects = new ObjectStore(clients.s3(), bucket);
    this.clock = Clock.systemUTC();
    this.maxKeys = settings.positiveLong(Env.RECONCILE_MAX_KEYS, DEFAULT_MAX_KEYS);
    this.service =
        new ReconcileService(
            listing,
            objects,
            rows,
            clock,
            Duration.ofHours(
                settings.positiveLong(Env.ABANDONED_UPLOAD_HOURS, DEFAULT_ABANDONED_UPLOAD_HOURS)));
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    // Priming: the calls a run makes, unsent, for keys outside incoming/.
    this.priming =
        () ->
            new SnapStartPriming.Report(
                0,
                clients
                    .priming()
                    .run(
                        () -> listing.list(Optional.of(RequestPriming.KEY), 1),
                        () -> rows.rows(bucket, RequestPriming.KEY, Optional.empty(), 1),
                        () -> objects.head(RequestPriming.KEY),
                        () -> rows.checkpoint(bucket)));
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonLog log = JsonLog.forInvocation(context);
    Object event = Json.read(input);
    boolean fromStart = Boolean.TRUE.equals(Json.member(event, "from_start"));
    long keys = maxKeys;
    if (Json.member(event, "max_keys") instanceof Number n && n.longValue() > 0) {
      keys = Math.min(n.longValue(), maxKeys);
    }
    Instant started = clock.instant();
    long remaining = context == null ? 60_000 : context.getRemainingTimeInMillis();
    Instant deadline = started.plusMillis(Math.max(1_000, remaining - RESERVE.toMillis()));
    Budget budget = new Budget((int) Math.min(keys, Integer.MAX_VALUE), deadline);
    Report report =
        fromStart ? service.run(Optional.empty(), budget) : service.runFromCheckpoint(budget);
    if (fromStart) {
      rows.saveCheckpoint(bucket, report.resumeAfter(), clock.instant());
    }

    List<ReconcileService.Repair> repairs = report.repairs();
    for (ReconcileService.Repair repair :
        repairs.subList(0, Math.min(repairs.size(), LOGGED_REPAIRS))) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("kind", repair.kind().name().toLowerCase(Locale.ROOT));
      fields.put("object_key", repair.key());
      log.warn("drift repaired", fields);
    }
    for (String key : report.failures()) {
      log.error("repair failed; retried on the next pass", Map.of("object_key", key), null);
    }
    Map<String, Object> answer = summary(report, started);
    log.info("reconciled", answer);
    metrics.println(Json.write(emf(report)));
    metrics.flush();
    output.write(Json.writeBytes(answer));
    output.flush();
  }

  private Map<String, Object> summary(Report report, Instant started) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("checked", report.checked());
    answer.put("repaired", report.repairs().size());
    Map<String, Object> byKind = new LinkedHashMap<>();
    report
        .repairedByKind()
        .forEach((kind, n) -> byKind.put(kind.name().toLowerCase(Locale.ROOT), n));
    answer.put("repaired_by_kind", byKind);
    answer.put("failed", report.failures().size());
    answer.put("complete", report.complete());
    report.resumeAfter().ifPresent(after -> answer.put("resume_after", after));
    answer.put("duration_ms", Duration.between(started, clock.instant()).toMillis());
    return answer;
  }

  /** One CloudWatch embedded-metric-format line: counts of this run, by bucket. */
  private Map<String, Object> emf(Report report) {
    List<Map<String, Object>> definitions = new ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("ReconcilerChecked", report.checked());
    values.put("ReconcilerRepairs", (long) report.repairs().size());
    values.put("ReconcilerFailures", (long) report.failures().size());
    report
        .repairedByKind()
        .forEach((kind, n) -> values.put("ReconcilerRepairs_" + metricName(kind), n));
    values.keySet().forEach(name -> definitions.add(Map.of("Name", name, "Unit", "Count")));
    Map<String, Object> directive = new LinkedHashMap<>();
    directive.put("Namespace", METRIC_NAMESPACE);
    directive.put("Dimensions", List.of(List.of("Bucket")));
    directive.put("Metrics", definitions);
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", clock.millis());
    aws.put("CloudWatchMetrics", List.of(directive));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_aws", aws);
    line.put("Bucket", bucket);
    line.putAll(values);
    return line;
  }

  /** MISSING_ROW -> MissingRow. */
  static String metricName(Kind kind) {
    StringBuilder name = new StringBuilder();
    for (String part : kind.name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
