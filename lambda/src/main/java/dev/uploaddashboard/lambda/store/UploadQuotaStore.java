package dev.uploaddashboard.lambda.store;

import static dev.uploaddashboard.contract.Tables.EXPIRES_AT;
import static dev.uploaddashboard.contract.Tables.QUOTA_KEY;
import static dev.uploaddashboard.contract.Tables.UPLOADS;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The upload quota table: one counter row per user and time window ({@code quota_key} = {@code
 * <user id>#<window start, epoch seconds>}), counted up with one conditional UpdateItem, so
 * concurrent requests can never take more than the limit. Rows expire through DynamoDB TTL ({@code
 * expires_at}).
 */
public final class UploadQuotaStore {
  private final DynamoDbClient dynamoDb;
  private final String tableName;

  public UploadQuotaStore(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * Counts one more upload for the user in the window starting at {@code windowStart}, unless the
   * window already holds {@code limit}.
   *
   * @return false when the limit was already reached (nothing was counted)
   */
  public boolean tryCount(String userId, Instant windowStart, int limit, Instant expiresAt) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(tableName)
                  .key(
                      Map.of(
                          QUOTA_KEY,
                          AttributeValue.fromS(userId + "#" + windowStart.getEpochSecond())))
                  .updateExpression("ADD #n :one SET #e = :expires")
                  .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                  .expressionAttributeNames(Map.of("#n", UPLOADS, "#e", EXPIRES_AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":limit", AttributeValue.fromN(Integer.toString(limit)),
                          ":expires",
                              AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }
}
