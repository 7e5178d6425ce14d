package dev.uploaddashboard.lambda.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A Lambda context whose logger keeps the lines, so tests can read the structured logs. */
public final class TestContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final List<String> lines = new ArrayList<>();
  private final LambdaLogger logger;

  /** A context whose logger keeps the lines ({@link #logLines()}). */
  public TestContext() {
    this.logger =
        new LambdaLogger() {
          @Override
          public void log(String message) {
            lines.add(message.strip());
          }

          @Override
          public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
          }
        };
  }

  /** A context with the given logger (to see how handlers call the runtime's logger). */
  public TestContext(LambdaLogger logger) {
    this.logger = logger;
  }

  public List<String> logLines() {
    return List.copyOf(lines);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/upload-dashboard-test";
  }

  @Override
  public String getLogStreamName() {
    return "2026/11/21/[$LATEST]0123456789abcdef";
  }

  @Override
  public String getFunctionName() {
    return "upload-dashboard-test";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:123456789012:function:upload-dashboard-test";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return 30_000;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
