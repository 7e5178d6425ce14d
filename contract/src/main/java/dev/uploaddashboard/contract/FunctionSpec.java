package dev.uploaddashboard.contract;

import java.util.List;
import java.util.Objects;

/**
 * One Lambda function of the product, as infra deploys it and local mode runs it.
 *
 * @param id its construct id in the stack (e.g. {@code DeleteFile})
 * @param localName its name in local mode's logs (e.g. {@code delete-file})
 * @param packageName its deployment package, {@code lambda/target/functions/<name>.jar}
 * @param handlerClass the fully qualified {@code RequestStreamHandler}
 * @param description what it does (the function's description in the console)
 * @param routes the HTTP API route keys it serves ({@code METHOD /path}); empty for functions that
 *     S3, the scheduler or Cognito invoke
 * @param environment the {@link Env} names it reads, each set by infra and by local mode
 * @param timeoutSeconds its timeout, enforced by Lambda and by local mode
 * @param memoryMb its memory (Lambda also sizes its CPU and the JVM's heap from it)
 */
public record FunctionSpec(
    String id,
    String localName,
    String packageName,
    String handlerClass,
    String description,
    List<String> routes,
    List<String> environment,
    int timeoutSeconds,
    int memoryMb) {

  public FunctionSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(localName, "localName");
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(handlerClass, "handlerClass");
    Objects.requireNonNull(description, "description");
    routes = List.copyOf(routes);
    for (String route : routes) {
      if (!route.matches("(GET|POST|PUT|PATCH|DELETE) /[a-z/]*")) {
        throw new IllegalArgumentException("not a route key: " + route);
      }
    }
    environment = List.copyOf(environment);
    if (timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new IllegalArgumentException("Lambda timeouts are 1 to 900 s: " + timeoutSeconds);
    }
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException("Lambda memory is 128 to 10,240 MB: " + memoryMb);
    }
  }

  /** A route key's method: {@code DELETE} of {@code DELETE /metadata}. */
  public static String method(String route) {
    return route.substring(0, route.indexOf(' '));
  }

  /** A route key's path: {@code /metadata} of {@code DELETE /metadata}. */
  public static String path(String route) {
    return route.substring(route.indexOf(' ') + 1);
  }
}
