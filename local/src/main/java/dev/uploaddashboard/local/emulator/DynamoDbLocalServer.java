package dev.uploaddashboard.local.emulator;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local in server mode inside this JVM, listening on loopback only, telemetry off.
 *
 * <p>{@code -sharedDb} makes every client see the same tables whatever its credentials and region,
 * so the AWS CLI with other credentials still sees the product's table.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private DynamoDbLocalServer(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server.
   *
   * @param databaseDirectory where the SQLite file lives; empty for {@code -inMemory}
   */
  public static DynamoDbLocalServer start(String host, int port, Optional<Path> databaseDirectory)
      throws Exception {
    // DynamoDB Local refuses port 0, so a free port is asked for by setting it on the connector
    // below.
    String portArgument = port == 0 ? "8000" : Integer.toString(port);
    List<String> args =
        new ArrayList<>(List.of("-port", portArgument, "-sharedDb", "-disableTelemetry"));
    if (databaseDirectory.isPresent()) {
      Files.createDirectories(databaseDirectory.get());
      args.addAll(List.of("-dbPath", databaseDirectory.get().toString()));
    } else {
      args.add("-inMemory");
    }
    DynamoDBProxyServer server =
        ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
    ServerConnector connector = connectorOf(server);
    // DynamoDB Local has no bind-address option; its Jetty connector would listen on every
    // interface.
    connector.setHost(host);
    connector.setPort(port);
    server.start();
    return new DynamoDbLocalServer(
        server, URI.create("http://" + host + ":" + connector.getLocalPort()));
  }

  private static ServerConnector connectorOf(DynamoDBProxyServer proxy)
      throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        return serverConnector;
      }
    }
    throw new IllegalStateException("DynamoDB Local has no network connector");
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Stops the server; DynamoDB Local commits each write to SQLite as it happens. */
  @Override
  public void close() throws Exception {
    server.stop();
  }
}
