package dev.uploaddashboard.lambda.store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Runs SDK calls for their first-call work only, for SnapStart priming: a call made inside {@link
 * #run} goes through request marshalling, endpoint resolution, credentials, signing and checksums
 * on the real client, and is stopped just before the HTTP client would send it. Nothing reaches S3
 * or DynamoDB, so priming can neither read nor change anyone's files, and no connection is open
 * when Lambda takes the snapshot. Calls on other threads are never stopped.
 *
 * <p>{@link AwsClientFactory} installs one instance on every client it builds.
 */
public final class RequestPriming implements ExecutionInterceptor {
  /** Keys priming calls name: outside {@code incoming/}, so no user's file can ever have one. */
  public static final String KEY = "snapstart-priming/never-stored";

  private final ThreadLocal<List<String>> stopped = new ThreadLocal<>();

  /**
   * Runs each call with requests stopped before transmission.
   *
   * @return the operations that were stopped, in order (one per call when all is well)
   * @throws IllegalStateException if a call finished without making a request
   */
  public List<String> run(Runnable... calls) {
    List<String> operations = new ArrayList<>();
    stopped.set(operations);
    try {
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (RuntimeException e) {
          if (!isStop(e)) {
            throw e;
          }
          continue;
        }
        throw new IllegalStateException("a priming call made no request");
      }
    } finally {
      stopped.remove();
    }
    return List.copyOf(operations);
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    List<String> operations = stopped.get();
    if (operations != null) {
      operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
      throw new Stopped();
    }
  }

  private static boolean isStop(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof Stopped) {
        return true;
      }
    }
    return false;
  }

  /** How a priming request ends: before the network. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("priming request stopped before transmission", null, false, false);
    }
  }
}
