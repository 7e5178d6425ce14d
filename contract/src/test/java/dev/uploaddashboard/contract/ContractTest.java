package dev.uploaddashboard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContractTest {

  @Test
  void functionsAreNamedOnceAndEachRouteHasOneFunction() {
    List<FunctionSpec> all = Functions.ALL;
    assertThat(all).extracting(FunctionSpec::id).doesNotHaveDuplicates();
    assertThat(all).extracting(FunctionSpec::localName).doesNotHaveDuplicates();
    assertThat(all).extracting(FunctionSpec::packageName).doesNotHaveDuplicates();
    assertThat(all).extracting(FunctionSpec::handlerClass).doesNotHaveDuplicates();
    List<String> routes = new ArrayList<>();
    all.forEach(function -> routes.addAll(function.routes()));
    assertThat(routes).doesNotHaveDuplicates().contains("DELETE /metadata");
    // The API functions are exactly those with routes; the others are invoked by AWS services.
    assertThat(Functions.API)
        .containsExactlyInAnyOrderElementsOf(
            all.stream().filter(function -> !function.routes().isEmpty()).toList());
    // CORS allows every method a route uses.
    assertThat(Functions.CORS_METHODS)
        .containsExactlyInAnyOrderElementsOf(
            routes.stream().map(FunctionSpec::method).distinct().toList());
  }

  @Test
  void everyEnvironmentNameIsGivenToSomeFunction() throws Exception {
    List<String> used = Functions.ALL.stream().flatMap(f -> f.environment().stream()).toList();
    for (Field field : Env.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        assertThat(used)
            .as("functions reading %s", field.getName())
            .contains((String) field.get(null));
      }
    }
  }

  @Test
  void routeKeysSplitIntoMethodAndPath() {
    assertThat(FunctionSpec.method("GET /metadata/file")).isEqualTo("GET");
    assertThat(FunctionSpec.path("GET /metadata/file")).isEqualTo("/metadata/file");
    assertThatThrownBy(() -> spec(List.of("/metadata"), 15))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec(List.of(), 901)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMetadataTableHasTheLessonsKeysAndAPairOfIndexesPerOrder() {
    TableSchema table = Tables.METADATA;
    assertThat(table.name()).isEqualTo("upload_metadata");
    assertThat(table.partitionKey().name()).isEqualTo("bucket");
    assertThat(table.sortKey().map(TableSchema.Key::name)).contains("object_key");
    assertThat(table.indexes()).hasSize(2 * Tables.SORT_ORDERS.size());
    assertThat(table.indexes()).extracting(TableSchema.Index::name).doesNotHaveDuplicates();
    for (int i = 0; i < table.indexes().size(); i += 2) {
      TableSchema.Index byBucket = table.indexes().get(i);
      TableSchema.Index byOwner = table.indexes().get(i + 1);
      assertThat(byBucket.partitionKey().name()).isEqualTo(Tables.BUCKET);
      assertThat(byOwner.partitionKey().name()).isEqualTo(Tables.OWNER);
      assertThat(byOwner.sortKey()).isEqualTo(byBucket.sortKey());
      assertThat(byOwner.name()).isEqualTo("owner_" + byBucket.name());
    }
    assertThat(Tables.sortOrders(2)).containsExactly("uploaded");
    assertThat(Tables.sortOrders(6)).containsExactly("uploaded", "name", "size");
    // Every key attribute once, with one type: what CreateTable's AttributeDefinitions need.
    assertThat(table.keyAttributes(6))
        .containsOnlyKeys("bucket", "object_key", "uploaded_at", "owner", "name_sort", "size")
        .containsEntry("size", TableSchema.Type.NUMBER);
    assertThat(table.keyAttributes(2))
        .containsOnlyKeys("bucket", "object_key", "uploaded_at", "owner");
    assertThat(Tables.UPLOAD_QUOTA.sortKey()).isEqualTo(Optional.empty());
  }

  private static FunctionSpec spec(List<String> routes, int timeout) {
    return new FunctionSpec("X", "x", "x", "X", "x", routes, List.of(), timeout, 1024);
  }
}
