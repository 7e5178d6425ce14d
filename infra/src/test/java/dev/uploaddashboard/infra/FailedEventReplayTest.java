package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * The replay path of failed S3 events: a disabled SQS event source mapping from the sync function's
 * on-failure queue to the function's alias, reporting partial batch failures, and a queue
 * visibility timeout that outlasts an invocation.
 */
class FailedEventReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theOnFailureQueueCanBeReplayedIntoTheSyncAliasAndIsNotByDefault(String env) {
    Template template = TestApps.template(env);
    Map.Entry<String, Map<String, Object>> mapping =
        Resources.only(template, "AWS::Lambda::EventSourceMapping");
    Map<String, Object> properties = Resources.properties(mapping.getValue());
    String queue = Resources.only(template, "AWS::SQS::Queue").getKey();

    assertThat(properties.get("Enabled")).isEqualTo(false);
    assertThat(Resources.target(properties.get("EventSourceArn"))).isEqualTo(queue);
    // "<function name>:live", the name taken from the alias's ARN: the alias, not $LATEST.
    assertThat(String.valueOf(properties.get("FunctionName")))
        .isEqualTo(
            "{Fn::Join=[, [{Fn::Select=[6, {Fn::Split=[:, {Ref="
                + Resources.aliasId(template, Functions.METADATA_SYNC.handlerClass())
                + "}]}]}, :"
                + JavaFunction.ALIAS
                + "]]}");
    assertThat(properties.get("BatchSize")).isEqualTo(MetadataSync.REPLAY_BATCH_SIZE);
    assertThat(properties.get("FunctionResponseTypes"))
        .isEqualTo(List.of("ReportBatchItemFailures"));

    Map<String, Object> queueProperties =
        Resources.properties(Resources.byLogicalId(template, queue));
    int timeout =
        ((Number)
                Resources.function(template, Functions.METADATA_SYNC.handlerClass()).get("Timeout"))
            .intValue();
    assertThat(((Number) queueProperties.get("VisibilityTimeout")).intValue())
        .isEqualTo(6 * timeout);
  }
}
