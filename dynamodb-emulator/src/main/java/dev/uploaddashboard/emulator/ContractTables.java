package dev.uploaddashboard.emulator;

import dev.uploaddashboard.contract.TableSchema;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the contract's tables ({@code dev.uploaddashboard.contract.Tables}) through the DynamoDB
 * API, for local mode and the tests, as the CDK stack defines them: on demand, the schema's keys
 * and indexes (projecting all attributes) and TTL on its TTL attribute.
 */
public final class ContractTables {
  private ContractTables() {}

  /**
   * Creates the table with all of its schema's indexes unless it exists. A table kept from an
   * earlier version gets the indexes it lacks, one per update as DynamoDB requires; TTL is switched
   * on either way.
   */
  public static void createIfMissing(DynamoDbClient dynamoDb, TableSchema schema) {
    createIfMissing(dynamoDb, schema, schema.name(), schema.indexes().size());
  }

  /**
   * As {@link #createIfMissing(DynamoDbClient, TableSchema)}, under another name and with the first
   * {@code indexCount} of the schema's indexes only (a deployment still adding the others).
   */
  public static void createIfMissing(
      DynamoDbClient dynamoDb, TableSchema schema, String tableName, int indexCount) {
    List<TableSchema.Index> indexes = schema.indexes().subList(0, indexCount);
    TableDescription existing = describe(dynamoDb, tableName);
    if (existing == null) {
      List<KeySchemaElement> keys = new ArrayList<>();
      keys.add(key(schema.partitionKey().name(), KeyType.HASH));
      schema.sortKey().ifPresent(sort -> keys.add(key(sort.name(), KeyType.RANGE)));
      dynamoDb.createTable(
          request -> {
            request
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributeDefinitions(schema, indexCount))
                .keySchema(keys);
            if (!indexes.isEmpty()) {
              request.globalSecondaryIndexes(
                  indexes.stream().map(ContractTables::definition).toList());
            }
          });
      dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(tableName));
    } else {
      for (TableSchema.Index index : indexes) {
        boolean present =
            existing.globalSecondaryIndexes() != null
                && existing.globalSecondaryIndexes().stream()
                    .anyMatch(gsi -> gsi.indexName().equals(index.name()));
        if (!present) {
          GlobalSecondaryIndex definition = definition(index);
          dynamoDb.updateTable(
              request ->
                  request
                      .tableName(tableName)
                      .attributeDefinitions(attributeDefinitions(schema, indexCount))
                      .globalSecondaryIndexUpdates(
                          update ->
                              update.create(
                                  create ->
                                      create
                                          .indexName(definition.indexName())
                                          .keySchema(definition.keySchema())
                                          .projection(definition.projection()))));
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
                      spec -> spec.attributeName(schema.ttlAttribute()).enabled(true)));
    }
  }

  private static GlobalSecondaryIndex definition(TableSchema.Index index) {
    return GlobalSecondaryIndex.builder()
        .indexName(index.name())
        .keySchema(
            key(index.partitionKey().name(), KeyType.HASH),
            key(index.sortKey().name(), KeyType.RANGE))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
        .build();
  }

  private static List<AttributeDefinition> attributeDefinitions(
      TableSchema schema, int indexCount) {
    List<AttributeDefinition> definitions = new ArrayList<>();
    for (Map.Entry<String, TableSchema.Type> attribute :
        schema.keyAttributes(indexCount).entrySet()) {
      definitions.add(
          AttributeDefinition.builder()
              .attributeName(attribute.getKey())
              .attributeType(
                  attribute.getValue() == TableSchema.Type.NUMBER
                      ? ScalarAttributeType.N
                      : ScalarAttributeType.S)
              .build());
    }
    return definitions;
  }

  private static TableDescription describe(DynamoDbClient dynamoDb, String tableName) {
    try {
      return dynamoDb.describeTable(request -> request.tableName(tableName)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
