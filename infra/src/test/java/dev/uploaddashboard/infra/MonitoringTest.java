package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.contract.Functions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Alarms that reach a person: every alarm of the environment, what it watches, its threshold, and
 * that it notifies the environment's encrypted topic (which CloudWatch may use), plus the e-mail
 * subscription from cdk.json and the dashboard.
 */
class MonitoringTest {

  /** Alarm label of each function (by handler), as the stack names them. */
  private static final Map<String, String> FUNCTION_LABELS = functionLabels();

  private static Map<String, String> functionLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Functions.DELETE_FILE.handlerClass(), "Delete");
    labels.put(Functions.LIST_FILES.handlerClass(), "List");
    labels.put(Functions.FILE_DETAIL.handlerClass(), "Detail");
    labels.put(Functions.CREATE_UPLOAD.handlerClass(), "Upload");
    labels.put(Functions.METADATA_SYNC.handlerClass(), "Sync");
    labels.put(Functions.ADMIN_MFA_GUARD.handlerClass(), "MfaGuard");
    labels.put(Functions.RECONCILE.handlerClass(), "Reconcile");
    return labels;
  }

  private static String prefix(String env) {
    return "UploadDashboard-" + env + "-";
  }

  /** Alarms by name. */
  private static Map<String, Map<String, Object>> alarms(Template template) {
    return template.findResources("AWS::CloudWatch::Alarm").values().stream()
        .map(Resources::properties)
        .collect(Collectors.toMap(p -> (String) p.get("AlarmName"), p -> p));
  }

  private static Map<String, Object> alarm(Template template, String env, String id) {
    Map<String, Object> alarm = alarms(template).get(prefix(env) + id);
    assertThat(alarm).as("alarm " + id).isNotNull();
    return alarm;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theEnvironmentHasExactlyTheseAlarms(String env) {
    Template template = TestApps.template(env);
    TreeSet<String> expected = new TreeSet<>();
    for (String id :
        List.of(
            "FailedSyncEvents",
            "Api5xxRate",
            "ApiLatencyP99",
            "MetadataTableThrottles",
            "UploadQuotaTableThrottles",
            "ReconcilerRepairs")) {
      expected.add(prefix(env) + id);
    }
    for (String handler : TestApps.deployedHandlers(env, HandlerClassesTest.HANDLERS)) {
      expected.add(prefix(env) + FUNCTION_LABELS.get(handler) + "Errors");
      expected.add(prefix(env) + FUNCTION_LABELS.get(handler) + "Throttles");
    }
    assertThat(new TreeSet<>(alarms(template).keySet())).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyAlarmNotifiesTheTopicOnAlarmAndOnRecovery(String env) {
    Template template = TestApps.template(env);
    String topic = Resources.only(template, "AWS::SNS::Topic").getKey();
    for (Map.Entry<String, Map<String, Object>> alarm : alarms(template).entrySet()) {
      for (String actions : List.of("AlarmActions", "OKActions")) {
        assertThat(list(alarm.getValue().get(actions)))
            .as(alarm.getKey() + " " + actions)
            .singleElement()
            .satisfies(action -> assertThat(Resources.target(action)).isEqualTo(topic));
      }
      assertThat(alarm.getValue().get("TreatMissingData")).isEqualTo("notBreaching");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyFunctionAlarmsOnAnyErrorAndAnyThrottle(String env) {
    Template template = TestApps.template(env);
    for (String handler : TestApps.deployedHandlers(env, HandlerClassesTest.HANDLERS)) {
      String function = Resources.functionId(template, handler);
      for (String metric : List.of("Errors", "Throttles")) {
        Map<String, Object> alarm = alarm(template, env, FUNCTION_LABELS.get(handler) + metric);
        assertThat(alarm)
            .containsEntry("Namespace", "AWS/Lambda")
            .containsEntry("MetricName", metric)
            .containsEntry("Statistic", "Sum")
            .containsEntry("Period", 300)
            .containsEntry("Threshold", 1)
            .containsEntry("EvaluationPeriods", 1)
            .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        Map<String, Object> dimension = map(list(alarm.get("Dimensions")).get(0));
        assertThat(dimension.get("Name")).isEqualTo("FunctionName");
        assertThat(Resources.target(dimension.get("Value"))).as(handler).isEqualTo(function);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void anyFailedSyncEventWaitingInTheQueueAlarms(String env) {
    Template template = TestApps.template(env);
    String queue = Resources.only(template, "AWS::SQS::Queue").getKey();
    Map<String, Object> alarm = alarm(template, env, "FailedSyncEvents");
    assertThat(alarm)
        .containsEntry("Namespace", "AWS/SQS")
        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
        .containsEntry("Statistic", "Maximum")
        .containsEntry("Threshold", 1)
        .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
    Map<String, Object> dimension = map(list(alarm.get("Dimensions")).get(0));
    assertThat(dimension.get("Name")).isEqualTo("QueueName");
    assertThat(Resources.target(dimension.get("Value"))).isEqualTo(queue);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void apiAlarmsOnItsServerErrorRateAndP99Latency(String env) {
    Template template = TestApps.template(env);
    String api = Resources.only(template, "AWS::ApiGatewayV2::Api").getKey();

    Map<String, Object> rate = alarm(template, env, "Api5xxRate");
    assertThat(rate)
        .containsEntry("Threshold", 1)
        .containsEntry("EvaluationPeriods", 2)
        .containsEntry("DatapointsToAlarm", 2)
        .containsEntry("ComparisonOperator", "GreaterThanThreshold");
    Map<String, String> metricNames = new LinkedHashMap<>();
    String expression = null;
    for (Object query : list(rate.get("Metrics"))) {
      Map<String, Object> q = map(query);
      if (q.containsKey("Expression")) {
        expression = (String) q.get("Expression");
        continue;
      }
      Map<String, Object> metric = map(map(q.get("MetricStat")).get("Metric"));
      assertThat(metric.get("Namespace")).isEqualTo("AWS/ApiGateway");
      Map<String, Object> dimension = map(list(metric.get("Dimensions")).get(0));
      assertThat(dimension.get("Name")).isEqualTo("ApiId");
      assertThat(Resources.target(dimension.get("Value"))).isEqualTo(api);
      metricNames.put((String) q.get("Id"), (String) metric.get("MetricName"));
    }
    assertThat(metricNames).containsEntry("errors", "5xx").containsEntry("requests", "Count");
    assertThat(expression).isEqualTo("IF(requests >= 10, 100 * errors / requests, 0)");

    Map<String, Object> latency = alarm(template, env, "ApiLatencyP99");
    assertThat(latency)
        .containsEntry("Namespace", "AWS/ApiGateway")
        .containsEntry("MetricName", "Latency")
        .containsEntry("ExtendedStatistic", "p99")
        .containsEntry("Threshold", 3000)
        .containsEntry("EvaluationPeriods", 3)
        .containsEntry("ComparisonOperator", "GreaterThanThreshold");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void bothTablesAlarmOnAnyThrottledReadOrWrite(String env) {
    Template template = TestApps.template(env);
    for (String id : List.of("MetadataTableThrottles", "UploadQuotaTableThrottles")) {
      Map<String, Object> alarm = alarm(template, env, id);
      assertThat(alarm)
          .containsEntry("Threshold", 1)
          .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
      TreeSet<String> metrics = new TreeSet<>();
      TreeSet<String> tables = new TreeSet<>();
      for (Object query : list(alarm.get("Metrics"))) {
        Map<String, Object> q = map(query);
        if (q.containsKey("MetricStat")) {
          Map<String, Object> metric = map(map(q.get("MetricStat")).get("Metric"));
          assertThat(metric.get("Namespace")).isEqualTo("AWS/DynamoDB");
          metrics.add((String) metric.get("MetricName"));
          tables.add(Resources.target(map(list(metric.get("Dimensions")).get(0)).get("Value")));
        }
      }
      assertThat(metrics).containsExactly("ReadThrottleEvents", "WriteThrottleEvents");
      assertThat(tables)
          .singleElement()
          .satisfies(t -> assertThat(t).startsWith(id.replace("TableThrottles", "")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void anyRepairByTheReconcilerAlarms(String env) {
    Template template = TestApps.template(env);
    Map<String, Object> alarm = alarm(template, env, "ReconcilerRepairs");
    assertThat(alarm)
        .containsEntry("Namespace", "UploadDashboard")
        .containsEntry("MetricName", "ReconcilerRepairs")
        .containsEntry("Statistic", "Sum")
        .containsEntry("Threshold", 1)
        .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
    Map<String, Object> dimension = map(list(alarm.get("Dimensions")).get(0));
    assertThat(dimension.get("Name")).isEqualTo("Bucket");
    assertThat(Resources.target(dimension.get("Value"))).isEqualTo(UploadBucket.LOGICAL_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theTopicIsEncryptedWithARotatedKeyThatOnlyOurAlarmsMayUse(String env) {
    Template template = TestApps.template(env);
    Map<String, Object> topic =
        Resources.properties(Resources.only(template, "AWS::SNS::Topic").getValue());
    String key = Resources.target(topic.get("KmsMasterKeyId"));
    Map<String, Object> keyProperties = Resources.properties(Resources.byLogicalId(template, key));
    assertThat(keyProperties.get("EnableKeyRotation")).isEqualTo(true);

    String alarmArns =
        TestApps.pinned(
            env,
            "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:"
                + prefix(env)
                + "*");
    Map<String, Object> keyStatement =
        statementBySid(map(keyProperties.get("KeyPolicy")), "CloudWatchAlarmsPublishEncrypted");
    assertThat(map(keyStatement.get("Principal")).get("Service"))
        .isEqualTo("cloudwatch.amazonaws.com");
    assertThat(keyStatement.get("Action"))
        .isEqualTo(List.of("kms:Decrypt", "kms:GenerateDataKey*"));
    assertThat(Policies.render(keyStatement.get("Condition"))).contains(alarmArns);

    Map<String, Object> topicPolicy =
        Resources.properties(Resources.only(template, "AWS::SNS::TopicPolicy").getValue());
    Map<String, Object> publish =
        statementBySid(map(topicPolicy.get("PolicyDocument")), "CloudWatchAlarmsPublish");
    assertThat(publish.get("Action")).isEqualTo("sns:Publish");
    assertThat(map(publish.get("Principal")).get("Service")).isEqualTo("cloudwatch.amazonaws.com");
    assertThat(Policies.render(publish.get("Condition"))).contains(alarmArns);
    // enforceSSL: a deny for plain-HTTP publishing and subscribing.
    assertThat(Policies.render(topicPolicy.get("PolicyDocument"))).contains("aws:SecureTransport");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void cdkJsonAlarmEmailIsSubscribedAndNothingElse(String env) {
    Template template = TestApps.template(env);
    Object email = TestApps.setting(env, "alarmEmail");
    Map<String, Map<String, Object>> subscriptions =
        template.findResources("AWS::SNS::Subscription");
    if (email == null) {
      assertThat(subscriptions).isEmpty();
      return;
    }
    assertThat(subscriptions.values())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(Resources.properties(s))
                  .containsEntry("Protocol", "email")
                  .containsEntry("Endpoint", email);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theDashboardShowsEveryAlarm(String env) {
    Template template = TestApps.template(env);
    Map<String, Object> dashboard =
        Resources.properties(Resources.only(template, "AWS::CloudWatch::Dashboard").getValue());
    assertThat(dashboard.get("DashboardName")).isEqualTo("UploadDashboard-" + env);
    String body = Policies.render(dashboard.get("DashboardBody"));
    for (String alarm : template.findResources("AWS::CloudWatch::Alarm").keySet()) {
      assertThat(body).as(alarm).contains(Policies.strip(alarm) + ".Arn");
    }
    assertThat(body)
        .contains("ApproximateNumberOfMessagesVisible")
        .contains("ReadThrottleEvents")
        .contains("ConsumedReadCapacityUnits");
  }

  @Test
  void anAlarmEmailMustBeOneAddress() {
    assertThat(
            EnvironmentConfig.fromContext("qa", Map.of("alarmEmail", "oncall@example.org"))
                .alarmEmail())
        .isEqualTo(Optional.of("oncall@example.org"));
    for (String bad : List.of("oncall", "a@b", "Ops <ops@example.com>", "a@example.com,b@x.io")) {
      assertThatThrownBy(() -> EnvironmentConfig.fromContext("qa", Map.of("alarmEmail", bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alarmEmail");
    }
  }

  private static Map<String, Object> statementBySid(Map<String, Object> document, String sid) {
    return list(document.get("Statement")).stream()
        .map(Policies::map)
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No statement " + sid + " in " + document));
  }
}
