package dev.uploaddashboard.lambda.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.uploaddashboard.lambda.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Structured log lines (one JSON object per line) for one invocation, written through the Lambda
 * context logger so CloudWatch keeps each entry as one event.
 */
public final class JsonLog {
  private final Consumer<String> sink;
  private final String requestId;

  private JsonLog(Consumer<String> sink, String requestId) {
    this.sink = sink;
    this.requestId = requestId;
  }

  public static JsonLog forInvocation(Context context) {
    LambdaLogger logger = context == null ? null : context.getLogger();
    String requestId = context == null ? null : context.getAwsRequestId();
    Consumer<String> sink = logger == null ? System.out::println : line -> logger.log(line + "\n");
    return new JsonLog(sink, requestId);
  }

  /** The Lambda request id, or null outside Lambda (local mode without a context). */
  public String requestId() {
    return requestId;
  }

  public void info(String message, Map<String, ?> fields) {
    write("INFO", message, fields, null);
  }

  public void warn(String message, Map<String, ?> fields) {
    write("WARN", message, fields, null);
  }

  public void error(String message, Map<String, ?> fields, Throwable error) {
    write("ERROR", message, fields, error);
  }

  private void write(String level, String message, Map<String, ?> fields, Throwable error) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("level", level);
    entry.put("message", message);
    if (requestId != null) {
      entry.put("request_id", requestId);
    }
    if (fields != null) {
      fields.forEach(entry::putIfAbsent);
    }
    if (error != null) {
      entry.put("error_type", error.getClass().getName());
      entry.put("error_message", String.valueOf(error.getMessage()));
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      entry.put("stack_trace", trace.toString());
    }
    try {
      sink.accept(Json.write(entry));
    } catch (IllegalArgumentException e) {
      sink.accept("{\"level\":\"ERROR\",\"message\":\"log entry could not be encoded\"}");
    }
  }
}
