package dev.uploaddashboard.local.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Lambda context of a local invocation; handler log lines go to this process's log, tagged. */
final class LocalLambdaContext implements Context {

  private final String functionName;
  private final String requestId;
  private final long deadline;
  private final LambdaLogger logger;
  private final int memoryMb;

  LocalLambdaContext(String functionName, String requestId, Duration timeout, int memoryMb) {
    this.functionName = functionName;
    this.requestId = requestId;
    this.deadline = System.currentTimeMillis() + timeout.toMillis();
    this.memoryMb = memoryMb;
    Logger log = LoggerFactory.getLogger("lambda." + functionName);
    this.logger =
        new LambdaLogger() {
          @Override
          public void log(String message) {
            log.info("{} {}", requestId, message.stripTrailing());
          }

          @Override
          public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
          }
        };
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
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
    return (int) Math.max(0, deadline - System.currentTimeMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
