package dev.uploaddashboard.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.handler.InvocationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lambda function hosted in this JVM: a handler instance built once, like one warm execution
 * environment, invoked with raw JSON bytes.
 *
 * <p>An execution environment runs one invocation at a time, so invocations are serialized here
 * too; the handler never sees concurrent calls locally that it would not see in Lambda.
 *
 * <p>Each invocation has the deployed function's timeout, enforced as Lambda does: when it runs
 * out, the invocation fails ("Task timed out"), its thread is interrupted, and the caller sees an
 * invocation error (API Gateway answers {@code 500 {"message":"Internal Server Error"}}).
 */
public final class LambdaFunction {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaFunction.class);

  private final String name;
  private final RequestStreamHandler handler;
  private final Duration timeout;
  private final int memoryMb;
  private final Logger log;

  /** A function with the API functions' timeout and memory (the contract's). */
  public LambdaFunction(String name, RequestStreamHandler handler) {
    this(name, handler, Duration.ofSeconds(Functions.API_TIMEOUT_SECONDS), Functions.MEMORY_MB);
  }

  public LambdaFunction(String name, RequestStreamHandler handler, Duration timeout, int memoryMb) {
    this.name = Objects.requireNonNull(name, "name");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.memoryMb = memoryMb;
    this.log = LoggerFactory.getLogger("lambda." + name); // handler log lines, tagged
  }

  /** An invocation that ran out of its function's time. */
  public static final class TimeoutException extends IOException {
    TimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Loads a function of the contract as the Lambda runtime does: its handler class through the
   * {@code (Function<String,String> env)} constructor (docs/CONTRACT.md), with the function's
   * timeout and memory. The handler sees only the environment the contract gives the function (and
   * the runtime's {@code AWS_*} variables).
   */
  public static LambdaFunction load(FunctionSpec spec, Function<String, String> env) {
    String handlerClass = spec.handlerClass();
    Function<String, String> own =
        name ->
            spec.environment().contains(name) || name.startsWith("AWS_") ? env.apply(name) : null;
    for (String name : spec.environment()) {
      if (env.apply(name) == null) {
        throw new IllegalStateException(spec.localName() + " needs " + name + ", which is not set");
      }
    }
    try {
      Class<? extends RequestStreamHandler> type =
          Class.forName(handlerClass).asSubclass(RequestStreamHandler.class);
      return new LambdaFunction(
          spec.localName(),
          type.getConstructor(Function.class).newInstance(own),
          Duration.ofSeconds(spec.timeoutSeconds()),
          spec.memoryMb());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "Handler " + handlerClass + " is not on the classpath; build the lambda module first", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "Handler " + handlerClass + " failed to initialize", e.getCause());
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "Handler "
              + handlerClass
              + " must be a RequestStreamHandler with a (Function<String,String>) constructor",
          e);
    }
  }

  public String name() {
    return name;
  }

  /** Runs the handler with a fresh request id; any exception it throws is an invocation error. */
  public synchronized byte[] invoke(byte[] event) throws IOException {
    return invoke(event, UUID.randomUUID().toString());
  }

  public synchronized byte[] invoke(byte[] event, String requestId) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FutureTask<Void> invocation =
        new FutureTask<>(
            () -> {
              handler.handleRequest(
                  new ByteArrayInputStream(event),
                  out,
                  new InvocationContext(
                      name,
                      requestId,
                      memoryMb,
                      System.currentTimeMillis() + timeout.toMillis(),
                      line -> log.info("{} {}", requestId, line.stripTrailing())));
              return null;
            });
    Thread thread = new Thread(invocation, "lambda-" + name);
    thread.setDaemon(true);
    thread.start();
    try {
      invocation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      invocation.cancel(true);
      String message =
          String.format(
              Locale.ROOT,
              "%s Task timed out after %.2f seconds",
              requestId,
              timeout.toMillis() / 1000.0);
      LOG.error("{}: {}", name, message);
      throw new TimeoutException(message);
    } catch (InterruptedException e) {
      invocation.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + name + " ran", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
    return out.toByteArray();
  }
}
