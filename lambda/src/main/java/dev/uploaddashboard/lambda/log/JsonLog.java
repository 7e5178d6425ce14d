package dev.uploaddashboard.lambda.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.uploaddashboard.lambda.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured log lines (one JSON object per line) for one invocation, with a level.
 *
 * <p>In Lambda each line goes through the context logger as bytes with its level ({@code
 * LambdaLogger.log(byte[], LogLevel)}): the runtime then filters it by the function's application
 * log level and writes the bytes as they are, so CloudWatch gets one single-encoded JSON object per
 * event, with {@code level} and {@code timestamp} at the top. (Through {@code log(String)} the
 * runtime's JSON log format would wrap the line, as a string, in its own {@code message}, with
 * level {@code UNDEFINED}.) Without a context (local tools), lines go to standard output.
 */
public final class JsonLog {
  /** Writes one line at a level. */
  @FunctionalInterface
  interface Sink {
    void write(LogLevel level, String line);
  }

  private final Sink sink;
  private final String requestId;
  private final Clock clock;

  JsonLog(Sink sink, String requestId, Clock clock) {
    this.sink = sink;
    this.requestId = requestId;
    this.clock = clock;
  }

  public static JsonLog forInvocation(Context context) {
    LambdaLogger logger = context == null ? null : context.getLogger();
    String requestId = context == null ? null : context.getAwsRequestId();
    Sink sink =
        logger == null
            ? (level, line) -> System.out.println(line)
            : (level, line) -> logger.log(line.getBytes(StandardCharsets.UTF_8), level);
    return new JsonLog(sink, requestId, Clock.systemUTC());
  }

  /** The Lambda request id, or null outside Lambda (local mode without a context). */
  public String requestId() {
    return requestId;
  }

  public void info(String message, Map<String, ?> fields) {
    write(LogLevel.INFO, message, fields, null);
  }

  public void warn(String message, Map<String, ?> fields) {
    write(LogLevel.WARN, message, fields, null);
  }

  public void error(String message, Map<String, ?> fields, Throwable error) {
    write(LogLevel.ERROR, message, fields, error);
  }

  private void write(LogLevel level, String message, Map<String, ?> fields, Throwable error) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("timestamp", clock.instant().toString());
    entry.put("level", level.name());
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
      sink.write(level, Json.write(entry));
    } catch (IllegalArgumentException e) {
      sink.write(
          LogLevel.ERROR, "{\"level\":\"ERROR\",\"message\":\"log entry could not be encoded\"}");
    }
  }
}
