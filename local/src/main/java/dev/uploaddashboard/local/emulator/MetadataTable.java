package dev.uploaddashboard.local.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** An index: its name, partition attribute, and sort attribute and type. */
  private record Index(String name, String partition, String sort, ScalarAttributeType sortType) {
    GlobalSecondaryIndex definition() {
      return GlobalSecondaryIndex.builder()
          .indexName(name)
          .keySchema(key(partition, KeyType.HASH), key(sort, KeyType.RANGE))
          .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
          .build();
    }
  }

  /** The listing indexes (infra's MetadataTable): by bucket and by owner, for each order. */
  private static final List<Index> INDEXES =
      List.of(
          new Index(UPLOADED_AT_INDEX, PARTITION_KEY, UPLOADED_AT, ScalarAttributeType.S),
          new Index(OWNER_UPLOADED_AT_INDEX, OWNER, UPLOADED_AT, ScalarAttributeType.S),
          new Index("name_index", PARTITION_KEY, "name_sort", ScalarAttributeType.S),
          new Index("owner_name_index", OWNER, "name_sort", ScalarAttributeType.S),
          new Index("size_index", PARTITION_KEY, "size", ScalarAttributeType.N),
          new Index("owner_size_index", OWNER, "size", ScalarAttributeType.N));

  /**
   * Creates the table, its indexes and its TTL setting unless the table already exists; a table
   * kept from an earlier version gets the indexes it lacks, one per update as DynamoDB requires.
   * (Rows written before the name index existed carry no {@code name_sort}: the reconciler, {@code
   * bin/reconcile}, rewrites them.)
   */
  public static void createIfMissing(DynamoDbClient dynamoDb, String tableName) {
    if (!exists(dynamoDb, tableName)) {
      dynamoDb.createTable(
          request ->
              request
                  .tableName(tableName)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(attributeDefinitions())
                  .keySchema(key(PARTITION_KEY, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
                  .globalSecondaryIndexes(INDEXES.stream().map(Index::definition).toList()));
      dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(tableName));
    } else {
      for (Index index : INDEXES) {
        if (!hasIndex(dynamoDb, tableName, index.name())) {
          dynamoDb.updateTable(
              request ->
                  request
                      .tableName(tableName)
                      .attributeDefinitions(attributeDefinitions())
                      .globalSecondaryIndexUpdates(
                          update ->
                              update.create(
                                  create ->
                                      create
                                          .indexName(index.name())
                                          .keySchema(index.definition().keySchema())
                                          .projection(index.definition().projection()))));
        }
      }
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

  private static List<AttributeDefinition> attributeDefinitions() {
    Map<String, ScalarAttributeType> types = new LinkedHashMap<>();
    types.put(PARTITION_KEY, ScalarAttributeType.S);
    types.put(SORT_KEY, ScalarAttributeType.S);
    for (Index index : INDEXES) {
      types.put(index.partition(), ScalarAttributeType.S);
      types.put(index.sort(), index.sortType());
    }
    return types.entrySet().stream()
        .map(
            e ->
                AttributeDefinition.builder()
                    .attributeName(e.getKey())
                    .attributeType(e.getValue())
                    .build())
        .toList();
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

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
