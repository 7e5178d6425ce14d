package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming, shared by the handlers. With SnapStart, Lambda initializes a function once
 * when a version is published, runs {@code beforeCheckpoint} hooks, snapshots the environment, and
 * resumes every new environment from that snapshot (then {@code afterRestore} hooks run). A handler
 * primes by running its own request path before the snapshot, so that class loading, JIT work and
 * first-call set-up are in the snapshot instead of in the first request:
 *
 * <ol>
 *   <li>one synthetic API Gateway (or S3) event through {@code handleRequest}, from a caller who
 *       owns nothing, asking for something that is answered before any AWS call (a key outside the
 *       caller's prefix, an unreadable cursor, a size over the limit): JSON decoding, the caller's
 *       claims, validation, routing, error mapping and JSON encoding;
 *   <li>the function's own SDK calls on its real clients, for a key outside {@code incoming/},
 *       answered with a canned response instead of the network ({@link
 *       dev.uploaddashboard.lambda.store.RequestPriming}): marshalling, endpoint rules, signing,
 *       response parsing. Presigned URLs are signed locally for that key;
 *   <li>(by {@link PrimedHandler}) a TLS handshake in memory, {@link
 *       dev.uploaddashboard.lambda.store.TlsPriming}: the first request after a restore opens new
 *       HTTPS connections.
 * </ol>
 *
 * <p>So priming reads and changes nothing in S3 or DynamoDB, and opens no connection. What the
 * snapshot must not carry, and why it does not: no connection (none is opened); no random seed of
 * ours (upload ids come from {@link java.util.UUID#randomUUID}, i.e. {@code SecureRandom}, whose
 * Linux default reads the kernel's generator on every call, and the kernel is reseeded when a
 * snapshot resumes); no clock reading (times are read per request). The role's temporary
 * credentials, which signing fetches from Lambda's container endpoint, are in the (encrypted)
 * snapshot until they expire; the SDK's container provider replaces them before expiry, also after
 * a restore. So {@code afterRestore} has nothing to restore.
 *
 * <p>Only the no-argument constructors (the ones Lambda calls) register the hook; local mode and
 * tests build handlers with other constructors and never snapshot.
 */
final class SnapStartPriming {
  /** The priming caller: a syntactically valid user id that owns no files. */
  static final String CALLER = "snapstart-priming";

  /** A key of another user than {@link #CALLER}: answered as not found, without AWS calls. */
  static final String FOREIGN_KEY = "incoming/snapstart-priming-other/0/priming.txt";

  /** What priming did: the synthetic request's status and the SDK calls it primed, in order. */
  record Report(int syntheticStatus, List<String> primedCalls) {
    /** A handler built around a given service has no clients of its own to prime. */
    static Report none() {
      return new Report(0, List.of());
    }
  }

  private SnapStartPriming() {}

  /**
   * Registers the handler's hooks with the runtime (must stay strongly referenced: it does), in the
   * init that Lambda snapshots only: {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@code snap-start}
   * there, and {@code on-demand} or {@code provisioned-concurrency} in inits that are never
   * snapshotted, where the hooks would never run and registering (a dynamic proxy per handler in
   * the runtime's CRaC adapter) would only lengthen the cold start.
   */
  static void register(Resource handler) {
    register(handler, System::getenv);
  }

  static boolean register(Resource handler, Function<String, String> env) {
    if (!SNAP_START.equals(env.apply(INITIALIZATION_TYPE))) {
      return false;
    }
    Core.getGlobalContext().register(handler);
    return true;
  }

  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
  static final String SNAP_START = "snap-start";

  /** An HTTP API (payload 2.0) event from the priming caller. */
  static Map<String, Object> httpEvent(
      String method, String path, Map<String, String> query, String body) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", method + " " + path);
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.put("headers", Map.of("content-type", "application/json"));
    if (!query.isEmpty()) {
      event.put("queryStringParameters", query);
    }
    event.put(
        "requestContext",
        Map.of(
            "requestId",
            "snapstart-priming",
            "routeKey",
            method + " " + path,
            "http",
            Map.of("method", method, "path", path),
            "authorizer",
            Map.of("jwt", Map.of("claims", Map.of("sub", CALLER, "cognito:groups", "[]")))));
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", false);
    return event;
  }

  /** Runs the event through the handler; returns the HTTP status it answered. */
  static int invoke(RequestStreamHandler handler, Map<String, Object> event) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), output, QUIET);
      Object status = Json.member(Json.read(output.toByteArray()), "statusCode");
      return status instanceof Number number ? number.intValue() : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Lambda context whose logger drops what priming logs (it is not a request). */
  static final Context QUIET = new InvocationContext(CALLER, CALLER, 0, 0, line -> {});
}
