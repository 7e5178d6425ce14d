package dev.uploaddashboard.local.emulator;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The metadata table exactly as docs/CONTRACT.md and the CDK stack define it. */
public final class MetadataTable {

  public static final String NAME = "upload_metadata";
  public static final String PARTITION_KEY = "bucket";
  public static final String SORT_KEY = "object_key";
  public static final String UPLOADED_AT_INDEX = "uploaded_at_index";
  public static final String UPLOADED_AT = "uploaded_at";

  /** Per-owner listing (sparse: rows without {@code owner} are not in it). */
  public static final String OWNER_UPLOADED_AT_INDEX = "owner_uploaded_at_index";

  public static final String OWNER = "owner";
  public static final String TTL_ATTRIBUTE = "expires_at";

  private MetadataTable() {}

  /**
   * Creates the table, its indexes and its TTL setting unless the table already exists; a table
   * kept from before sign-in (no per-owner index) gets that index added.
   */
  public static void createIfMissing(DynamoDbClient dynamoDb, String tableName) {
    if (!exists(dynamoDb, tableName)) {
      dynamoDb.createTable(
          request ->
              request
                  .tableName(tableName)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      string(PARTITION_KEY), string(SORT_KEY), string(UPLOADED_AT), string(OWNER))
                  .keySchema(key(PARTITION_KEY, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
                  .globalSecondaryIndexes(
                      GlobalSecondaryIndex.builder()
                          .indexName(UPLOADED_AT_INDEX)
                          .keySchema(
                              key(PARTITION_KEY, KeyType.HASH), key(UPLOADED_AT, KeyType.RANGE))
                          .projection(
                              Projection.builder().projectionType(ProjectionType.ALL).build())
                          .build(),
                      ownerIndex()));
      dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(tableName));
    } else if (!hasIndex(dynamoDb, tableName, OWNER_UPLOADED_AT_INDEX)) {
      dynamoDb.updateTable(
          request ->
              request
                  .tableName(tableName)
                  .attributeDefinitions(string(UPLOADED_AT), string(OWNER))
                  .globalSecondaryIndexUpdates(
                      update ->
                          update.create(
                              create ->
                                  create
                                      .indexName(OWNER_UPLOADED_AT_INDEX)
                                      .keySchema(
                                          key(OWNER, KeyType.HASH), key(UPLOADED_AT, KeyType.RANGE))
                                      .projection(
                                          Projection.builder()
                                              .projectionType(ProjectionType.ALL)
                                              .build()))));
    }
    TimeToLiveStatus ttl =
        dynamoDb
            .describeTimeToLive(request -> request.tableName(tableName))
            .timeToLiveDescription()
            .timeToLiveStatus();
    if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
      dynamoDb.updateTimeToLive(
          request ->
              request
                  .tableName(tableName)
                  .timeToLiveSpecification(
                      spec -> spec.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }
  }

  private static GlobalSecondaryIndex ownerIndex() {
    return GlobalSecondaryIndex.builder()
        .indexName(OWNER_UPLOADED_AT_INDEX)
        .keySchema(key(OWNER, KeyType.HASH), key(UPLOADED_AT, KeyType.RANGE))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
        .build();
  }

  private static boolean hasIndex(DynamoDbClient dynamoDb, String tableName, String indexName) {
    var indexes =
        dynamoDb
            .describeTable(request -> request.tableName(tableName))
            .table()
            .globalSecondaryIndexes();
    return indexes != null
        && indexes.stream().anyMatch(index -> index.indexName().equals(indexName));
  }

  private static boolean exists(DynamoDbClient dynamoDb, String tableName) {
    try {
      dynamoDb.describeTable(request -> request.tableName(tableName));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
