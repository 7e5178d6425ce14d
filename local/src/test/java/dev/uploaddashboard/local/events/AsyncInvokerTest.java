package dev.uploaddashboard.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncInvokerTest {

  private static final List<Duration> NO_WAIT = List.of(Duration.ZERO, Duration.ZERO);

  @Test
  void deliversEventsInOrderAndReportsIdle() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    LambdaFunction function =
        new LambdaFunction(
            "sync",
            (in, out, context) ->
                received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    OnFailureLog failures = new OnFailureLog(Optional.empty());
    try (AsyncInvoker invoker = new AsyncInvoker(function, failures, Duration.ZERO, NO_WAIT)) {
      invoker.submit("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
      invoker.submit("{\"n\":2}".getBytes(StandardCharsets.UTF_8));

      assertThat(invoker.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(received).containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(failures.records()).isEmpty();
  }

  @Test
  void retriesTwiceThenWritesAnOnFailureRecord() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    LambdaFunction function =
        new LambdaFunction(
            "sync",
            (in, out, context) -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("table is gone");
            });
    OnFailureLog failures = new OnFailureLog(Optional.empty());
    try (AsyncInvoker invoker = new AsyncInvoker(function, failures, Duration.ZERO, NO_WAIT)) {
      invoker.submit("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8));

      assertThat(invoker.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(attempts).hasValue(3);
    assertThat(failures.records()).hasSize(1);
    JsonNode record =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(failures.records().get(0));
    assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
    assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(record.at("/requestPayload/Records").isArray()).isTrue();
    assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("table is gone");
  }

  @Test
  void recoversWhenARetrySucceeds() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    LambdaFunction function =
        new LambdaFunction(
            "sync",
            (in, out, context) -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("throttled");
              }
            });
    OnFailureLog failures = new OnFailureLog(Optional.empty());
    try (AsyncInvoker invoker = new AsyncInvoker(function, failures, Duration.ZERO, NO_WAIT)) {
      invoker.submit("{}".getBytes(StandardCharsets.UTF_8));
      assertThat(invoker.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(attempts).hasValue(2);
    assertThat(failures.records()).isEmpty();
  }
}
