package dev.uploaddashboard.local.soak;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Fault injection for {@code bin/soak} (a fake only to inject faults): an SDK interceptor that
 * every SDK client in the soak's JVM loads (listed in this module's test resources as a global
 * interceptor), so the real handlers' S3 and DynamoDB clients in local mode get it too. While
 * {@link #enable} is in force:
 *
 * <ul>
 *   <li>each HTTP <em>attempt</em>, with the given probability, fails as a dropped connection would
 *       (an I/O error before anything is sent), which the SDK's standard retries retry;
 *   <li>each <em>call</em>, with a quarter of that probability, is throttled or fails on every
 *       attempt: it goes to a small server that answers as AWS does, S3 {@code 503 SlowDown} or
 *       {@code 500 InternalError}, DynamoDB {@code 400 ThrottlingException} or {@code 500
 *       InternalServerError}, so the call fails once the SDK's retries are used up.
 * </ul>
 *
 * Neither reaches the emulator, as with AWS's own throttling. Off (probability 0) by default, so
 * other tests in the JVM are unaffected.
 */
public final class AwsFaults implements ExecutionInterceptor {
  private static volatile double probability;
  private static volatile int faultPort;
  private static final AtomicLong INJECTED = new AtomicLong();
  private static HttpServer server;

  /** Presigners run the interceptors too, to build the URL they sign; those are not calls. */
  private static boolean presigning(ExecutionAttributes attributes) {
    return attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null;
  }

  /** The soak's own threads (its checks) are never faulted; local mode's are. */
  private static boolean harness() {
    return Thread.currentThread().getName().startsWith(HARNESS_THREAD);
  }

  /** Name prefix of the soak's own threads. */
  static final String HARNESS_THREAD = "soak-worker-";

  /** Starts injecting faults into this fraction of attempts (0 stops). */
  public static synchronized void enable(double fraction) throws IOException {
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              boolean s3 = exchange.getRequestURI().getPath().startsWith("/s3/");
              boolean throttle = ThreadLocalRandom.current().nextBoolean();
              byte[] body;
              int status;
              if (s3) {
                status = throttle ? 503 : 500;
                body =
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                            + (throttle ? "SlowDown" : "InternalError")
                            + "</Code><Message>injected by bin/soak</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
              } else {
                status = throttle ? 400 : 500;
                body =
                    ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                            + (throttle ? "ThrottlingException" : "InternalServerError")
                            + "\",\"message\":\"injected by bin/soak\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
              }
              boolean head = "HEAD".equals(exchange.getRequestMethod());
              exchange.sendResponseHeaders(status, head ? -1 : body.length);
              if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                  out.write(body);
                }
              }
            }
          });
      server.start();
      faultPort = server.getAddress().getPort();
    }
    probability = fraction;
  }

  /** Stops injecting. */
  public static void disable() {
    probability = 0;
  }

  /** Attempts answered with an injected fault so far. */
  public static long injected() {
    return INJECTED.get();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    double p = harness() ? 0 : probability;
    if (p > 0 && ThreadLocalRandom.current().nextDouble() < p) {
      INJECTED.incrementAndGet();
      throw SdkClientException.builder()
          .message("Unable to execute HTTP request: connection reset (injected by bin/soak)")
          .cause(new IOException("Connection reset (injected by bin/soak)"))
          .build();
    }
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    if (presigning(attributes)) {
      return context.httpRequest(); // a URL signed locally, not a call: nothing to fail
    }
    double p = harness() ? 0 : probability / 4;
    if (p <= 0 || ThreadLocalRandom.current().nextDouble() >= p) {
      return context.httpRequest();
    }
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    INJECTED.incrementAndGet();
    return context.httpRequest().toBuilder()
        .protocol("http")
        .host("127.0.0.1")
        .port(faultPort)
        .encodedPath(("S3".equals(service) ? "/s3/" : "/dynamodb/") + "fault")
        .build();
  }
}
