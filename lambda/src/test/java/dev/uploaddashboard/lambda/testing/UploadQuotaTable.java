package dev.uploaddashboard.lambda.testing;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The upload quota table of the contract, created once per test JVM in the DynamoDB emulator. */
public final class UploadQuotaTable {
  public static final String NAME = "upload_quota";

  /**
   * The per-user hourly limit tests run with unless they test the quota: high enough that the
   * shared test user ids never meet it.
   */
  public static final String GENEROUS_LIMIT = "1000000";

  private static boolean created;

  private UploadQuotaTable() {}

  public static synchronized void ensure(DynamoDbClient dynamoDb) {
    if (created) {
      return;
    }
    try {
      dynamoDb.createTable(
          r ->
              r.tableName(NAME)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      a -> a.attributeName("quota_key").attributeType(ScalarAttributeType.S))
                  .keySchema(k -> k.attributeName("quota_key").keyType(KeyType.HASH)));
    } catch (ResourceInUseException alreadyThere) {
      // created by an earlier test class in this JVM
    }
    created = true;
  }
}
