package dev.uploaddashboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.Tables;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class ContractTablesTest {

  @Test
  void aTableKeptFromAnEarlierVersionGetsEveryIndexItLacks() throws Exception {
    try (DynamoDbEmulator server = DynamoDbEmulator.startInMemory();
        DynamoDbClient dynamoDb =
            DynamoDbClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      // The table as local mode created it before sign-in: the bucket-wide index only.
      dynamoDb.createTable(
          request ->
              request
                  .tableName("old_table")
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      attribute ->
                          attribute.attributeName("bucket").attributeType(ScalarAttributeType.S),
                      attribute ->
                          attribute
                              .attributeName("object_key")
                              .attributeType(ScalarAttributeType.S),
                      attribute ->
                          attribute
                              .attributeName("uploaded_at")
                              .attributeType(ScalarAttributeType.S))
                  .keySchema(
                      key -> key.attributeName("bucket").keyType(KeyType.HASH),
                      key -> key.attributeName("object_key").keyType(KeyType.RANGE))
                  .globalSecondaryIndexes(
                      index ->
                          index
                              .indexName(Tables.UPLOADED_AT_INDEX)
                              .keySchema(
                                  key -> key.attributeName("bucket").keyType(KeyType.HASH),
                                  key -> key.attributeName("uploaded_at").keyType(KeyType.RANGE))
                              .projection(
                                  projection -> projection.projectionType(ProjectionType.ALL))));

      ContractTables.createIfMissing(dynamoDb, Tables.METADATA, "old_table", 6);
      ContractTables.createIfMissing(dynamoDb, Tables.METADATA, "new_table", 6);

      for (String table : new String[] {"old_table", "new_table"}) {
        GlobalSecondaryIndexDescription owner =
            dynamoDb
                .describeTable(request -> request.tableName(table))
                .table()
                .globalSecondaryIndexes()
                .stream()
                .filter(index -> index.indexName().equals(Tables.OWNER_UPLOADED_AT_INDEX))
                .findFirst()
                .orElseThrow();
        assertThat(owner.keySchema())
            .extracting(key -> key.attributeName() + " " + key.keyType())
            .containsExactly("owner HASH", "uploaded_at RANGE");
        assertThat(owner.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        // ... and every listing index the list function reads (added one per update).
        assertThat(
                dynamoDb
                    .describeTable(request -> request.tableName(table))
                    .table()
                    .globalSecondaryIndexes())
            .extracting(
                index ->
                    index.indexName()
                        + " "
                        + index.keySchema().stream()
                            .map(key -> key.attributeName())
                            .reduce((a, b) -> a + "/" + b)
                            .orElseThrow())
            .containsExactlyInAnyOrder(
                "uploaded_at_index bucket/uploaded_at",
                "owner_uploaded_at_index owner/uploaded_at",
                "name_index bucket/name_sort",
                "owner_name_index owner/name_sort",
                "size_index bucket/size",
                "owner_size_index owner/size");
      }
    }
  }

  @Test
  void bothTablesAreCreatedAsTheContractDescribesThemWithTheirTtl() throws Exception {
    try (DynamoDbEmulator server = DynamoDbEmulator.startInMemory();
        DynamoDbClient dynamoDb = client(server)) {
      ContractTables.createIfMissing(dynamoDb, Tables.METADATA);
      ContractTables.createIfMissing(dynamoDb, Tables.UPLOAD_QUOTA);
      // A second call finds both and changes nothing.
      ContractTables.createIfMissing(dynamoDb, Tables.UPLOAD_QUOTA);

      var quota = dynamoDb.describeTable(r -> r.tableName("upload_quota")).table();
      assertThat(quota.keySchema())
          .extracting(key -> key.attributeName() + " " + key.keyType())
          .containsExactly("quota_key HASH");
      assertThat(quota.globalSecondaryIndexes()).isEmpty();
      assertThat(quota.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);

      var metadata = dynamoDb.describeTable(r -> r.tableName("upload_metadata")).table();
      assertThat(metadata.keySchema())
          .extracting(key -> key.attributeName() + " " + key.keyType())
          .containsExactly("bucket HASH", "object_key RANGE");
      assertThat(metadata.attributeDefinitions())
          .extracting(a -> a.attributeName() + " " + a.attributeType())
          .containsExactlyInAnyOrder(
              "bucket S", "object_key S", "uploaded_at S", "owner S", "name_sort S", "size N");
      for (String table : new String[] {"upload_quota", "upload_metadata"}) {
        var ttl = dynamoDb.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expires_at");
        assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
      }
    }
  }

  private static DynamoDbClient client(DynamoDbEmulator server) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
