package dev.uploaddashboard.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/**
 * The benchmark's {@code delete-floor}: the lab lesson's Python delete ported to Java, run from the
 * delete function's own package on the product's SDK clients ({@link AwsClientFactory}: explicit
 * region, the JDK's HTTP client, AWS's trust roots) and its JSON codec, with none of the product's
 * code around it (no validation, owner check, tombstone, logging, metrics or priming). Its init +
 * first invoke is what the managed Java runtime and the AWS SDK cost for the seed's two calls, the
 * floor under the product's delete. Compiled by bench/coldstart/coldstart.py into a copy of the
 * package; not part of the product. No lambdas: the package's lambdas are compiled at build time,
 * this class is not.
 */
public final class SeedPortDeleteHandler implements RequestStreamHandler {
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final String table = System.getenv("TABLE_NAME");

  public SeedPortDeleteHandler() {
    AwsClientFactory clients = new AwsClientFactory(System::getenv);
    dynamoDb = clients.dynamoDb();
    s3 = clients.s3();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Object body = Json.read((String) Json.member(Json.read(input), "body"));
    String bucket = (String) Json.member(body, "bucket");
    String key = (String) Json.member(body, "key");
    s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    Map<String, AttributeValue> itemKey = new HashMap<>();
    itemKey.put("bucket", AttributeValue.builder().s(bucket).build());
    itemKey.put("object_key", AttributeValue.builder().s(key).build());
    DeleteItemResponse deleted =
        dynamoDb.deleteItem(
            DeleteItemRequest.builder()
                .tableName(table)
                .key(itemKey)
                .returnValues(ReturnValue.ALL_OLD)
                .build());
    // As the product answers (the seed answers 200 either way): 404 when there was no row.
    boolean hadRow = deleted.hasAttributes() && !deleted.attributes().isEmpty();
    Map<String, Object> response = new HashMap<>();
    response.put("statusCode", hadRow ? 200 : 404);
    response.put("body", Json.write(Map.of("object_key", key)));
    output.write(Json.writeBytes(response));
  }
}
