package dev.uploaddashboard.lambda.testing;

import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.emulator.ContractTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The upload quota table of the contract, created once per test JVM in the DynamoDB emulator. */
public final class UploadQuotaTable {
  public static final String NAME = Tables.UPLOAD_QUOTA.name();

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
    ContractTables.createIfMissing(dynamoDb, Tables.UPLOAD_QUOTA);
    created = true;
  }
}
