package dev.uploaddashboard.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's asynchronous invocation, locally: events queue up and one worker runs them through the
 * function; an invocation that throws is retried after each of the retry delays, and an event that
 * still fails is written to the on-failure destination, shaped like Lambda's destination record.
 */
public final class AsyncInvoker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncInvoker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LambdaFunction function;
  private final OnFailureLog onFailure;
  private final Duration deliveryDelay;
  private final List<Duration> retryDelays;
  private final ScheduledExecutorService worker;
  private final AtomicLong failedInvocations = new AtomicLong();
  private int pending; // events submitted and not yet done: guarded by this

  /**
   * @param deliveryDelay how long an event waits before its first invocation, like the short delay
   *     between an S3 change and its notification reaching Lambda
   * @param retryDelays one entry per retry: the wait before it
   */
  public AsyncInvoker(
      LambdaFunction function,
      OnFailureLog onFailure,
      Duration deliveryDelay,
      List<Duration> retryDelays) {
    this.function = function;
    this.onFailure = onFailure;
    this.deliveryDelay = deliveryDelay;
    this.retryDelays = List.copyOf(retryDelays);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "async-" + function.name());
              thread.setDaemon(true);
              return thread;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
    this.worker = executor;
  }

  /** Invocations that failed (each retry counts), since the start. */
  public long failedInvocations() {
    return failedInvocations.get();
  }

  /** Queues one event; returns at once. */
  public void submit(byte[] event) {
    synchronized (this) {
      pending++;
    }
    String requestId = UUID.randomUUID().toString();
    try {
      worker.schedule(
          () -> attempt(event, requestId, 1), deliveryDelay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.warn(
          "{} is stopped; event not delivered: {}",
          function.name(),
          new String(event, StandardCharsets.UTF_8));
      done();
    }
  }

  private void attempt(byte[] event, String requestId, int attempt) {
    try {
      function.invoke(event, requestId);
      done();
    } catch (Exception | Error e) {
      failedInvocations.incrementAndGet();
      if (attempt <= retryDelays.size()) {
        LOG.warn(
            "{} invocation {} failed (attempt {}), retrying: {}",
            function.name(),
            requestId,
            attempt,
            e.toString());
        worker.schedule(
            () -> attempt(event, requestId, attempt + 1),
            retryDelays.get(attempt - 1).toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        LOG.error(
            "{} invocation {} failed {} times; event sent to the on-failure destination",
            function.name(),
            requestId,
            attempt,
            e);
        recordFailure(event, requestId, attempt, e);
        done();
      }
    }
  }

  private void recordFailure(byte[] event, String requestId, int attempts, Throwable error) {
    ObjectNode record = JSON.createObjectNode();
    record.put("version", "1.0");
    record.put(
        "timestamp",
        DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    record
        .putObject("requestContext")
        .put("requestId", requestId)
        .put(
            "functionArn",
            "arn:aws:lambda:us-east-1:000000000000:function:" + function.name() + ":$LATEST")
        .put("condition", "RetriesExhausted")
        .put("approximateInvokeCount", attempts);
    try {
      record.set("requestPayload", JSON.readTree(event));
    } catch (IOException e) {
      record.put("requestPayload", new String(event, StandardCharsets.UTF_8));
    }
    record
        .putObject("responseContext")
        .put("statusCode", 200)
        .put("executedVersion", "$LATEST")
        .put("functionError", "Unhandled");
    record
        .putObject("responsePayload")
        .put("errorMessage", String.valueOf(error.getMessage()))
        .put("errorType", error.getClass().getName());
    onFailure.accept(record);
  }

  private synchronized void done() {
    pending--;
    if (pending == 0) {
      notifyAll();
    }
  }

  /** Waits until every submitted event has succeeded or gone to the on-failure destination. */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Delivers what is queued (retries included), then stops the worker. */
  @Override
  public void close() throws InterruptedException {
    boolean idle = awaitIdle(Duration.ofSeconds(30));
    worker.shutdown();
    if (!idle || !worker.awaitTermination(5, TimeUnit.SECONDS)) {
      synchronized (this) {
        LOG.warn("{} stopped with {} undelivered events", function.name(), pending);
      }
      worker.shutdownNow();
    }
  }
}
