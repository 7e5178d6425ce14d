package dev.uploaddashboard.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Alarms that reach a person, and one CloudWatch dashboard of the same metrics.
 *
 * <p>Every alarm notifies one SNS topic of the environment, on entering ALARM and on returning to
 * OK; cdk.json's {@code alarmEmail} subscribes an address (SNS mails a confirmation link first).
 * The topic is encrypted with its own customer managed key: CloudWatch cannot publish to a topic
 * encrypted with the AWS managed SNS key, so the key policy lets CloudWatch use the key, and the
 * topic policy lets it publish, both only for this environment's alarms (by name) in this account.
 *
 * <p>What is watched: S3 events parked in the sync function's on-failure queue (any is a file the
 * table does not reflect), each function's errors and throttles, the API's 5xx rate and p99
 * latency, and throttling of both tables.
 */
public final class Monitoring extends Construct {

  /** Alarms look at five-minute periods. */
  public static final Duration PERIOD = Duration.minutes(5);

  /** Namespace of the reconciler's metrics (lambda ReconcileHandler.METRIC_NAMESPACE). */
  public static final String RECONCILER_NAMESPACE = "UploadDashboard";

  /** The API alarms only once at least this many requests were made in a period. */
  public static final int MIN_REQUESTS_FOR_RATE = 10;

  /** Percentage of requests answered 5xx (two periods in a row) that raises the alarm. */
  public static final double API_5XX_PERCENT = 1;

  /** p99 latency of the API, in milliseconds (three periods in a row), that raises the alarm. */
  public static final double API_P99_LATENCY_MS = 3000;

  /**
   * @param environment the environment's name (alarm and dashboard names start with its stack name)
   * @param stackName the environment's stack name
   * @param alarmEmail who is e-mailed, if anyone
   * @param functions the Java functions by a short label (alarm names use it), in dashboard order
   * @param api the file API
   * @param failedSyncEvents the sync function's on-failure queue
   * @param bucketName the upload bucket (the reconciler's metrics name it)
   * @param tables the DynamoDB tables by label, in dashboard order
   */
  public record Props(
      String environment,
      String stackName,
      Optional<String> alarmEmail,
      Map<String, Function> functions,
      HttpApi api,
      Queue failedSyncEvents,
      String bucketName,
      Map<String, Table> tables) {
    public Props {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(stackName, "stackName");
      Objects.requireNonNull(alarmEmail, "alarmEmail");
      functions = new LinkedHashMap<>(functions);
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(failedSyncEvents, "failedSyncEvents");
      Objects.requireNonNull(bucketName, "bucketName");
      tables = new LinkedHashMap<>(tables);
    }
  }

  private final Topic topic;
  private final List<Alarm> alarms = new ArrayList<>();
  private final Dashboard dashboard;
  private final String alarmPrefix;

  public Monitoring(Construct scope, String id, Props props) {
    super(scope, id);
    alarmPrefix = props.stackName() + "-";
    Stack stack = Stack.of(this);
    String alarmArns =
        "arn:"
            + stack.getPartition()
            + ":cloudwatch:"
            + stack.getRegion()
            + ":"
            + stack.getAccount()
            + ":alarm:"
            + alarmPrefix
            + "*";
    Map<String, Object> fromOurAlarms =
        new TreeMap<>(
            Map.of(
                "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                "ArnLike", Map.of("aws:SourceArn", alarmArns)));

    Key key =
        Key.Builder.create(this, "AlarmTopicKey")
            .description("Encrypts the " + props.stackName() + " alarm topic")
            .enableKeyRotation(true)
            .removalPolicy(RemovalPolicy.DESTROY)
            .pendingWindow(Duration.days(7))
            .build();
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudWatchAlarmsPublishEncrypted")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
            .resources(List.of("*"))
            .conditions(fromOurAlarms)
            .build());
    topic =
        Topic.Builder.create(this, "AlarmTopic")
            .displayName("Upload dashboard " + props.environment() + " alarms")
            .masterKey(key)
            .enforceSsl(true)
            .build();
    topic.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudWatchAlarmsPublish")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("sns:Publish"))
            .resources(List.of(topic.getTopicArn()))
            .conditions(fromOurAlarms)
            .build());
    props.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

    alarm(
        "FailedSyncEvents",
        "S3 events the sync function gave up on are waiting in its on-failure queue: the table"
            + " may not reflect the bucket. Replay them (README, Operations).",
        props.failedSyncEvents().metricApproximateNumberOfMessagesVisible(options("Maximum")));
    props
        .functions()
        .forEach(
            (label, function) -> {
              alarm(
                  label + "Errors",
                  "The " + label + " function failed (unhandled error or timeout).",
                  function.metricErrors(options("Sum")));
              alarm(
                  label + "Throttles",
                  "The " + label + " function was throttled (its reserved concurrency is used up).",
                  function.metricThrottles(options("Sum")));
            });
    HttpApi api = props.api();
    alarm(
        "Api5xxRate",
        "More than "
            + API_5XX_PERCENT
            + "% of API requests were answered 5xx for 10 minutes (periods with at least "
            + MIN_REQUESTS_FOR_RATE
            + " requests).",
        MathExpression.Builder.create()
            .expression("IF(requests >= " + MIN_REQUESTS_FOR_RATE + ", 100 * errors / requests, 0)")
            .usingMetrics(
                metrics(
                    "errors", api.metricServerError(options("Sum")),
                    "requests", api.metricCount(options("Sum"))))
            .label("API 5xx (% of requests)")
            .period(PERIOD)
            .build(),
        API_5XX_PERCENT,
        2);
    alarm(
        "ApiLatencyP99",
        "The API's p99 latency was above " + (int) API_P99_LATENCY_MS + " ms for 15 minutes.",
        api.metricLatency(options("p99")),
        API_P99_LATENCY_MS,
        3);
    props
        .tables()
        .forEach(
            (label, table) ->
                alarm(
                    label + "TableThrottles",
                    "DynamoDB throttled reads or writes of the " + label + " table.",
                    tableThrottles(table, label, "throttled requests")));

    alarm(
        "ReconcilerRepairs",
        "The reconciler repaired drift between the bucket and the table: events were lost or a row"
            + " was edited. Its log lists each repair (README, Operations).",
        reconcilerMetric(props.bucketName(), "ReconcilerRepairs"));

    dashboard = dashboard(props);
  }

  /**
   * Two metrics of an expression by id, in id order: {@code Map.of} iterates in an order that
   * differs between JVM runs, and the order lands in the template (synth must be deterministic).
   */
  private static Map<String, IMetric> metrics(String id1, IMetric m1, String id2, IMetric m2) {
    return new TreeMap<>(Map.of(id1, m1, id2, m2));
  }

  /** A count the reconciler reports in embedded metric format (ReconcileHandler). */
  static Metric reconcilerMetric(String bucketName, String name) {
    return Metric.Builder.create()
        .namespace(RECONCILER_NAMESPACE)
        .metricName(name)
        .dimensionsMap(Map.of("Bucket", bucketName))
        .statistic("Sum")
        .period(PERIOD)
        .build();
  }

  private static MetricOptions options(String statistic) {
    return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
  }

  /**
   * Throttled reads and writes of a table. Metric ids are unique per table: a graph may hold
   * several of these expressions.
   */
  private static IMetric tableThrottles(Table table, String tableLabel, String label) {
    String id = Character.toLowerCase(tableLabel.charAt(0)) + tableLabel.substring(1);
    return MathExpression.Builder.create()
        .expression("FILL(" + id + "Reads, 0) + FILL(" + id + "Writes, 0)")
        .usingMetrics(
            metrics(
                id + "Reads", table.metric("ReadThrottleEvents", options("Sum")),
                id + "Writes", table.metric("WriteThrottleEvents", options("Sum"))))
        .label(label)
        .period(PERIOD)
        .build();
  }

  /** An alarm as soon as one period has any (a count of at least one). */
  private void alarm(String id, String description, IMetric metric) {
    alarm(id, description, metric, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, 1);
  }

  /** An alarm above {@code threshold} in each of {@code periods} periods in a row. */
  private void alarm(String id, String description, IMetric metric, double threshold, int periods) {
    alarm(id, description, metric, ComparisonOperator.GREATER_THAN_THRESHOLD, threshold, periods);
  }

  private void alarm(
      String id,
      String description,
      IMetric metric,
      ComparisonOperator comparison,
      double threshold,
      int periods) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmName(alarmPrefix + id)
            .alarmDescription(description)
            .metric(metric)
            .threshold(threshold)
            .comparisonOperator(comparison)
            .evaluationPeriods(periods)
            .datapointsToAlarm(periods)
            // No data means nothing happened (no failed events, no requests, no errors).
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    SnsAction notify = new SnsAction(topic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    alarms.add(alarm);
  }

  private Dashboard dashboard(Props props) {
    HttpApi api = props.api();
    List<IMetric> errors = new ArrayList<>();
    List<IMetric> throttles = new ArrayList<>();
    List<IMetric> durations = new ArrayList<>();
    props
        .functions()
        .forEach(
            (label, function) -> {
              errors.add(function.metricErrors(labelled(label, "Sum")));
              throttles.add(function.metricThrottles(labelled(label, "Sum")));
              durations.add(function.metricDuration(labelled(label, "p99")));
            });
    List<IMetric> tableThrottles = new ArrayList<>();
    List<IMetric> capacity = new ArrayList<>();
    props
        .tables()
        .forEach(
            (label, table) -> {
              tableThrottles.add(tableThrottles(table, label, label));
              capacity.add(
                  table.metricConsumedReadCapacityUnits(labelled(label + " reads", "Sum")));
              capacity.add(
                  table.metricConsumedWriteCapacityUnits(labelled(label + " writes", "Sum")));
            });
    Dashboard board =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(props.stackName())
            .defaultInterval(Duration.hours(3))
            .build();
    board.addWidgets(
        AlarmStatusWidget.Builder.create()
            .title("Alarms")
            .alarms(new ArrayList<IAlarm>(alarms))
            .width(24)
            .height(4)
            .build());
    board.addWidgets(
        graph(
            "API requests and errors",
            List.of(
                api.metricCount(labelled("requests", "Sum")),
                api.metricClientError(labelled("4xx", "Sum")),
                api.metricServerError(labelled("5xx", "Sum")))),
        graph(
            "API latency (ms)",
            List.of(
                api.metricLatency(labelled("p50", "p50")),
                api.metricLatency(labelled("p99", "p99")))),
        graph(
            "Failed sync events waiting",
            List.of(
                props
                    .failedSyncEvents()
                    .metricApproximateNumberOfMessagesVisible(labelled("messages", "Maximum")))));
    board.addWidgets(
        graph("Function errors", errors),
        graph("Function throttles", throttles),
        graph("Function duration p99 (ms)", durations));
    board.addWidgets(
        graph("DynamoDB throttled requests", tableThrottles),
        graph("DynamoDB consumed capacity units", capacity),
        graph(
            "Reconciler: keys checked, repairs, failures",
            List.of(
                reconcilerMetric(props.bucketName(), "ReconcilerChecked"),
                reconcilerMetric(props.bucketName(), "ReconcilerRepairs"),
                reconcilerMetric(props.bucketName(), "ReconcilerFailures"))));
    return board;
  }

  private static MetricOptions labelled(String label, String statistic) {
    return MetricOptions.builder().label(label).statistic(statistic).period(PERIOD).build();
  }

  private static GraphWidget graph(String title, List<IMetric> metrics) {
    return GraphWidget.Builder.create().title(title).left(metrics).width(8).height(6).build();
  }

  /** Where the alarms go. */
  public Topic topic() {
    return topic;
  }

  /** Every alarm, in the order created. */
  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  public Dashboard dashboard() {
    return dashboard;
  }
}
