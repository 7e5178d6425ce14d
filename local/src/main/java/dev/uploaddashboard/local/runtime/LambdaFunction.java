package dev.uploaddashboard.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * One Lambda function hosted in this JVM: a handler instance built once, like one warm execution
 * environment, invoked with raw JSON bytes.
 *
 * <p>An execution environment runs one invocation at a time, so invocations are serialized here
 * too; the handler never sees concurrent calls locally that it would not see in Lambda.
 */
public final class LambdaFunction {

  private final String name;
  private final RequestStreamHandler handler;

  public LambdaFunction(String name, RequestStreamHandler handler) {
    this.name = Objects.requireNonNull(name, "name");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Loads a handler by class name, as the Lambda runtime does, through its {@code
   * (Function<String,String> env)} constructor (docs/CONTRACT.md).
   */
  public static LambdaFunction load(
      String name, String handlerClass, Function<String, String> env) {
    try {
      Class<? extends RequestStreamHandler> type =
          Class.forName(handlerClass).asSubclass(RequestStreamHandler.class);
      return new LambdaFunction(name, type.getConstructor(Function.class).newInstance(env));
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
    handler.handleRequest(
        new ByteArrayInputStream(event), out, new LocalLambdaContext(name, requestId));
    return out.toByteArray();
  }
}
