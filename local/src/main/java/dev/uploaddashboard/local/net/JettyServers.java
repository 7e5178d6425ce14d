package dev.uploaddashboard.local.net;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Local mode's Jetty servers: bound at once, daemon threads, the Host allow-list first. */
public final class JettyServers {

  private JettyServers() {}

  /**
   * A server whose port is bound now (so its origin is known before it starts), that answers only
   * requests naming it ({@link HostAllowList}) and passes them to {@code handler}.
   */
  public static Server bind(String host, int port, String threadName, int maxThreads)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, 2);
    threads.setName(threadName);
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // API Gateway and CloudFront name no server version
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    connector.open();
    return server;
  }

  /** Puts {@code handler} behind the server's Host allow-list. */
  public static void handle(Server server, Handler handler) {
    URI url = url(server);
    server.setHandler(HostAllowList.forServer(url.getHost(), url.getPort()).handler(handler));
  }

  /** {@code http://host:port} of a bound server. */
  public static URI url(Server server) {
    ServerConnector connector = (ServerConnector) server.getConnectors()[0];
    return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
  }

  /** Stops the server, letting requests already inside a handler finish (up to 10 s). */
  public static void stop(Server server) {
    try {
      server.setStopTimeout(10_000);
      server.stop();
    } catch (Exception e) {
      // A server that never started, or one already stopping: nothing left to free.
    }
  }
}
