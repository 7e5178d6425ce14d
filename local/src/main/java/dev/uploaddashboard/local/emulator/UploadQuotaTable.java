package dev.uploaddashboard.local.emulator;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The upload quota table exactly as docs/CONTRACT.md and the CDK stack define it. */
public final class UploadQuotaTable {

  public static final String NAME = "upload_quota";
  public static final String PARTITION_KEY = "quota_key";
  public static final String TTL_ATTRIBUTE = "expires_at";

  private UploadQuotaTable() {}

  /** Creates the table and its TTL setting unless the table already exists. */
  public static void createIfMissing(DynamoDbClient dynamoDb, String tableName) {
    try {
      dynamoDb.describeTable(request -> request.tableName(tableName));
    } catch (ResourceNotFoundException missing) {
      dynamoDb.createTable(
          request ->
              request
                  .tableName(tableName)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      a -> a.attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S))
                  .keySchema(k -> k.attributeName(PARTITION_KEY).keyType(KeyType.HASH)));
      dynamoDb.waiter().waitUntilTableExists(request -> request.tableName(tableName));
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
}
