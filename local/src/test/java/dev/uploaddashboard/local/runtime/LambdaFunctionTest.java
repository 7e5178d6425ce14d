package dev.uploaddashboard.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LambdaFunctionTest {

  @Test
  void runsWithTheDeployedFunctionsTimeoutAndMemoryByDefault() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    LambdaFunction function =
        new LambdaFunction(
            "f",
            (in, out, context) -> {
              seen.set(context.getMemoryLimitInMB() + " " + context.getRemainingTimeInMillis());
              out.write(in.readAllBytes());
            });

    assertThat(function.invoke("{}".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("{}");
    String[] parts = seen.get().split(" ");
    assertThat(parts[0]).isEqualTo("1024");
    assertThat(Integer.parseInt(parts[1])).isBetween(1, 15_000);
  }

  @Test
  void anInvocationThatRunsOutOfTimeFailsAndIsInterruptedAsInLambda() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    LambdaFunction function =
        new LambdaFunction(
            "slow",
            (in, out, context) -> {
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
            },
            Duration.ofMillis(200),
            128);

    assertThatThrownBy(() -> function.invoke(new byte[0], "req-1"))
        .isInstanceOf(LambdaFunction.TimeoutException.class)
        .hasMessage("req-1 Task timed out after 0.20 seconds");
    assertThat(interrupted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aHandlersExceptionIsTheInvocationError() {
    LambdaFunction function =
        new LambdaFunction(
            "crash",
            (in, out, context) -> {
              throw new IllegalStateException("boom");
            });

    assertThatThrownBy(() -> function.invoke(new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }
}
