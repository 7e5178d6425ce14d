package dev.uploaddashboard.lambda.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.lambda.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Log lines reach the Lambda runtime as bytes with their level, which is the call the runtime
 * writes unchanged and filters by the function's application log level (its {@code log(String)}
 * would wrap the line in its own JSON message with level UNDEFINED).
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Records what a handler hands the runtime's logger, and through which call. */
  private static final class RuntimeLogger implements LambdaLogger {
    final List<LogLevel> levels = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    int unlevelledCalls;

    @Override
    public void log(String message) {
      unlevelledCalls++;
    }

    @Override
    public void log(byte[] message) {
      unlevelledCalls++;
    }

    @Override
    public void log(byte[] message, LogLevel level) {
      levels.add(level);
      lines.add(new String(message, StandardCharsets.UTF_8));
    }
  }

  @Test
  void eachLineIsOneJsonObjectWithItsLevelPassedToTheRuntime() throws Exception {
    RuntimeLogger logger = new RuntimeLogger();
    TestContext context = new TestContext(logger);
    JsonLog log = JsonLog.forInvocation(context);

    log.info("file deleted", Map.of("object_key", "incoming/a/b.txt"));
    log.warn("record ignored", Map.of());
    log.error("record failed", Map.of(), new IllegalStateException("boom"));

    assertThat(logger.unlevelledCalls).isZero();
    assertThat(logger.levels).containsExactly(LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR);
    List<JsonNode> entries = new ArrayList<>();
    for (String line : logger.lines) {
      assertThat(line).doesNotContain("\n").startsWith("{\"timestamp\":\"");
      entries.add(JSON.readTree(line));
    }
    assertThat(entries.get(0).path("level").asText()).isEqualTo("INFO");
    assertThat(entries.get(0).path("message").asText()).isEqualTo("file deleted");
    assertThat(entries.get(0).path("object_key").asText()).isEqualTo("incoming/a/b.txt");
    assertThat(entries.get(0).path("request_id").asText()).isEqualTo(context.getAwsRequestId());
    assertThat(entries.get(0).path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(entries.get(1).path("level").asText()).isEqualTo("WARN");
    assertThat(entries.get(2).path("level").asText()).isEqualTo("ERROR");
    assertThat(entries.get(2).path("error_type").asText())
        .isEqualTo(IllegalStateException.class.getName());
  }
}
