package dev.uploaddashboard.lambda.store;

import dev.uploaddashboard.contract.Tables;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Runs SDK calls for their first-call work only, for SnapStart priming. A call made inside {@link
 * #run} goes through request marshalling, endpoint resolution, credentials, signing and checksums
 * on the real client; then, instead of the network, {@link PrimingHttpClient} hands it a canned
 * answer of the operation (an empty success, or one row or object named {@link #KEY}), so that
 * response parsing is primed too. An operation without a canned answer is stopped just before the
 * HTTP client. Nothing reaches S3 or DynamoDB, so priming can neither read nor change anyone's
 * files, and no connection is open when Lambda takes the snapshot. Calls on other threads, and
 * every call outside {@link #run}, go to the network as usual.
 *
 * <p>{@link AwsClientFactory} installs one instance on every client it builds.
 */
public final class RequestPriming implements ExecutionInterceptor {
  /** Keys priming calls name: outside {@code incoming/}, so no user's file can ever have one. */
  public static final String KEY = "snapstart-priming/never-stored";

  /** The header that marks a priming request for {@link PrimingHttpClient}; never sent. */
  static final String MARK = "x-snapstart-priming";

  private static final String S3_XML = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

  /** A live row as the functions write it, for a file that does not exist. */
  private static final String ROW =
      String.join(
          ",",
          "{\"" + Tables.BUCKET + "\":{\"S\":\"snapstart-priming\"}",
          "\"" + Tables.OBJECT_KEY + "\":{\"S\":\"" + KEY + "\"}",
          "\"" + Tables.OWNER + "\":{\"S\":\"snapstart-priming\"}",
          "\"" + Tables.FILE_NAME + "\":{\"S\":\"never-stored\"}",
          "\"" + Tables.NAME_SORT + "\":{\"S\":\"never-stored\"}",
          "\"" + Tables.SIZE + "\":{\"N\":\"0\"}",
          "\"" + Tables.CONTENT_TYPE + "\":{\"S\":\"application/octet-stream\"}",
          "\"" + Tables.UPLOADED_AT + "\":{\"S\":\"2026-01-01T00:00:00Z\"}",
          "\"" + Tables.ETAG + "\":{\"S\":\"d41d8cd98f00b204e9800998ecf8427e\"}}");

  /** Each operation's canned answer: status, content type (null for none) and body. */
  private record Answer(int status, String contentType, String body) {}

  private static final Map<String, Answer> ANSWERS =
      Map.ofEntries(
          Map.entry("DeleteObject", new Answer(204, null, "")),
          Map.entry("AbortMultipartUpload", new Answer(204, null, "")),
          Map.entry("HeadObject", new Answer(200, "application/octet-stream", "")),
          Map.entry(
              "DeleteObjects",
              xml("<DeleteResult %s><Deleted><Key>%s</Key></Deleted></DeleteResult>", KEY)),
          Map.entry(
              "ListObjectsV2",
              xml(
                  "<ListBucketResult %s><Name>snapstart-priming</Name><Prefix>%s</Prefix>"
                      + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys>"
                      + "<IsTruncated>false</IsTruncated></ListBucketResult>",
                  KEY)),
          Map.entry(
              "ListMultipartUploads",
              xml(
                  "<ListMultipartUploadsResult %s><Bucket>snapstart-priming</Bucket>"
                      + "<Prefix>%s</Prefix><MaxUploads>1000</MaxUploads>"
                      + "<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>",
                  KEY)),
          Map.entry("DeleteItem", json("{\"Attributes\":" + ROW + "}")),
          Map.entry("GetItem", json("{\"Item\":" + ROW + "}")),
          Map.entry("Query", json("{\"Count\":1,\"Items\":[" + ROW + "],\"ScannedCount\":1}")),
          Map.entry("PutItem", json("{}")),
          Map.entry("UpdateItem", json("{}")),
          Map.entry("TransactWriteItems", json("{}")),
          Map.entry(
              "AdminGetUser",
              new Answer(
                  200,
                  "application/x-amz-json-1.1",
                  "{\"Username\":\"snapstart-priming\",\"Enabled\":true,"
                      + "\"UserStatus\":\"CONFIRMED\",\"UserAttributes\":[],"
                      + "\"UserMFASettingList\":[]}")));

  private final ThreadLocal<List<String>> primed = new ThreadLocal<>();

  /**
   * Runs each call as a priming call (above).
   *
   * @return the operations primed, in order (one per call when all is well)
   * @throws IllegalStateException if a call finished without making a request
   */
  public List<String> run(Runnable... calls) {
    List<String> operations = new ArrayList<>();
    primed.set(operations);
    try {
      for (Runnable call : calls) {
        int before = operations.size();
        try {
          call.run();
        } catch (RuntimeException e) {
          if (!isStop(e)) {
            throw e;
          }
        }
        if (operations.size() == before) {
          throw new IllegalStateException("a priming call made no request");
        }
      }
    } finally {
      primed.remove();
    }
    return List.copyOf(operations);
  }

  /** Marks a priming request that has a canned answer; any other request passes unchanged. */
  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    if (primed.get() == null) {
      return context.httpRequest(); // every request outside priming: one thread-local read
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (!ANSWERS.containsKey(operation)) {
      return context.httpRequest();
    }
    return context.httpRequest().toBuilder().putHeader(MARK, operation).build();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    List<String> operations = primed.get();
    if (operations == null) {
      return;
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    operations.add(operation);
    if (!ANSWERS.containsKey(operation)) {
      throw new Stopped();
    }
  }

  /** The canned answer to a request {@link #modifyHttpRequest} marked; empty for all others. */
  static Optional<HttpExecuteResponse> cannedAnswer(SdkHttpRequest request) {
    return request
        .firstMatchingHeader(MARK)
        .map(ANSWERS::get)
        .map(
            answer -> {
              byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
              SdkHttpResponse.Builder response =
                  SdkHttpResponse.builder()
                      .statusCode(answer.status())
                      .putHeader("x-amz-request-id", "snapstart-priming")
                      .putHeader("x-amzn-RequestId", "snapstart-priming")
                      .putHeader("Content-Length", Integer.toString(body.length));
              if (answer.contentType() != null) {
                response.putHeader("Content-Type", answer.contentType());
              }
              return HttpExecuteResponse.builder()
                  .response(response.build())
                  .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                  .build();
            });
  }

  private static Answer xml(String template, String key) {
    return new Answer(
        200,
        "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + template.formatted(S3_XML, key));
  }

  private static Answer json(String body) {
    return new Answer(200, "application/x-amz-json-1.0", body);
  }

  private static boolean isStop(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof Stopped) {
        return true;
      }
    }
    return false;
  }

  /** How a priming request without a canned answer ends: before the network. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("priming request stopped before transmission", null, false, false);
    }
  }
}
