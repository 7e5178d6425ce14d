package dev.uploaddashboard.lambda.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for every AWS endpoint that only records what reaches it ("METHOD /path?query") and
 * answers 500: for tests that show a code path sends nothing, or what it sends.
 */
public final class RecordingAws implements AutoCloseable {
  private final HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  private RecordingAws(HttpServer server) {
    this.server = server;
  }

  public static RecordingAws start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      RecordingAws aws = new RecordingAws(server);
      server.createContext(
          "/",
          exchange -> {
            aws.received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
          });
      server.start();
      return aws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What reached the server, in order. */
  public List<String> received() {
    return received;
  }

  /**
   * A function's environment with test credentials, region eu-west-1 and every endpoint pointed
   * here, plus {@code settings}.
   */
  public Function<String, String> env(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIDRECORDINGTEST");
    env.put("AWS_SECRET_ACCESS_KEY", "recording-test-secret");
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    return Map.copyOf(env)::get;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
