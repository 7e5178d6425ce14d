package dev.uploaddashboard.local.net;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@code Host} headers a local server answers: its own address, {@code 127.0.0.1} and {@code
 * localhost}, each with the server's port. Anything else is refused with {@code 421 Misdirected
 * Request} before any handler runs.
 *
 * <p>Why: with DNS rebinding, a page on {@code http://attacker.example:8081} can make the browser
 * resolve that name to 127.0.0.1 and then read the answers of a local server as same-origin
 * responses. The browser still sends {@code Host: attacker.example:8081}, so checking the header
 * closes that door (the same defence as webpack's and Vite's development servers).
 */
public final class HostAllowList {

  /** The status for a request that names another host. */
  public static final int MISDIRECTED_REQUEST = 421;

  private static final Pattern PORT_SUFFIX = Pattern.compile(":[0-9]+$");

  private final Set<String> allowed;
  private final String origin;

  private HostAllowList(Set<String> allowed, String origin) {
    this.allowed = Set.copyOf(allowed);
    this.origin = origin;
  }

  /** The allow-list of a server bound to {@code boundHost} on {@code port}. */
  public static HostAllowList forServer(String boundHost, int port) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String name : new String[] {boundHost, "127.0.0.1", "localhost"}) {
      allowed.add(name.toLowerCase(Locale.ROOT) + ":" + port);
    }
    return new HostAllowList(allowed, "http://" + boundHost + ":" + port);
  }

  /** Whether a request with this {@code Host} header (null when absent) may be answered. */
  public boolean allows(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    // "localhost" and "localhost:80" name the same server.
    return allowed.contains(PORT_SUFFIX.matcher(host).find() ? host : host + ":80");
  }

  /** The JSON body of a refusal: says which address to use instead. */
  public String refusalBody() {
    return "{\"error\":\"This server only answers requests for "
        + origin
        + " (or localhost with the same port)\",\"code\":\"misdirected_request\"}";
  }

  /** A Jetty handler: refuses other hosts with 421 JSON, passes the rest to {@code next}. */
  public Handler handler(Handler next) {
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (allows(request.getHeaders().get(HttpHeader.HOST))) {
          return super.handle(request, response, callback);
        }
        response.setStatus(MISDIRECTED_REQUEST);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, refusalBody(), callback);
        return true;
      }
    };
  }
}
