package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Resources.byLogicalId;
import static dev.uploaddashboard.infra.Resources.function;
import static dev.uploaddashboard.infra.Resources.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.contract.Functions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code listingIndexes}: CloudFormation creates at most one global secondary index per table
 * update, so a table deployed before the name and size orders existed is upgraded by deploying with
 * 3, 4, 5 and then 6 indexes. Each step has exactly the indexes it names, the list function may
 * query only those, and it offers only the orders whose two indexes exist.
 */
class ListingIndexRolloutTest {

  @ParameterizedTest
  @CsvSource({
    "2, uploaded",
    "3, uploaded",
    "4, 'uploaded,name'",
    "5, 'uploaded,name'",
    "6, 'uploaded,name,size'"
  })
  void eachStepHasItsIndexesAndTheListFunctionOnlyThose(int indexes, String orders) {
    Template template = template(indexes);

    List<String> expected = MetadataTable.LISTING_INDEXES.subList(0, indexes);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> gsis =
        (List<Map<String, Object>>)
            properties(byLogicalId(template, MetadataTable.LOGICAL_ID))
                .get("GlobalSecondaryIndexes");
    assertThat(gsis).extracting(g -> g.get("IndexName")).containsExactlyElementsOf(expected);

    Map<String, Object> list = function(template, Functions.LIST_FILES.handlerClass());
    @SuppressWarnings("unchecked")
    Map<String, Object> variables =
        (Map<String, Object>) ((Map<String, Object>) list.get("Environment")).get("Variables");
    assertThat(variables).containsEntry("SORT_ORDERS", orders);
    assertThat(Policies.statementsOfFunction(template, Functions.LIST_FILES.handlerClass()))
        .filteredOn(statement -> statement.contains("dynamodb:"))
        .containsExactly(
            "Allow [dynamodb:Query] on ["
                + String.join(
                    ", ",
                    expected.stream().map(i -> "MetadataTable.Arn/index/" + i).sorted().toList())
                + "]");
  }

  @ParameterizedTest
  @CsvSource({"1", "7", "0"})
  void refusesACountThatIsNotAStep(int indexes) {
    assertThatThrownBy(() -> template(indexes)).hasStackTraceContaining("listingIndexes must be");
  }

  private static Template template(int indexes) {
    @SuppressWarnings("unchecked")
    Map<String, Object> dev = new HashMap<>((Map<String, Object>) TestApps.ENVIRONMENTS.get("dev"));
    dev.put("listingIndexes", indexes);
    App app =
        TestApps.app(
            Map.of(
                UploadDashboardApp.ENVIRONMENTS,
                Map.of("dev", dev),
                UploadDashboardApp.ONLY,
                "dev"));
    return Template.fromStack(UploadDashboardApp.createStacks(app).get(0));
  }
}
