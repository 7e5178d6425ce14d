package dev.uploaddashboard.local;

import dev.uploaddashboard.lambda.handler.ReconcileHandler;
import dev.uploaddashboard.lambda.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code bin/reconcile}: runs the deployed reconciler's handler once, from the first key, against a
 * running local mode ({@code bin/run}, same {@code --port} and {@code --data-dir}), and prints what
 * it checked and repaired. The S3 and DynamoDB endpoints are the ports {@code bin/run} gives them
 * (the dashboard port + 2 and + 3); the S3 secret is the data directory's.
 */
public final class LocalReconcile {
  private LocalReconcile() {}

  public static void main(String[] args) {
    LocalOptions options = null;
    try {
      options = LocalMain.parse(args);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage() + " (try --help)");
    }
    if (options == null) {
      System.out.println(
          "usage: bin/reconcile [--port N] [--data-dir DIR]   (as given to bin/run)");
      return;
    }
    int port = options.dashboardPort();
    if (port == 0) {
      fail("--port needs the port given to bin/run (1.." + LocalOptions.MAX_PORT + "), was 0");
    }
    String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
    if (secret == null || secret.isBlank()) {
      Path secretFile =
          options
              .dataDirectory()
              .orElse(Path.of(".local-data"))
              .resolve(LocalCredentials.FILE_NAME);
      if (options.inMemory() || !Files.isRegularFile(secretFile)) {
        fail(
            "no S3 secret in "
                + secretFile
                + ": start local mode with bin/run (same --data-dir), or for --in-memory pass the"
                + " secret its banner prints as AWS_SECRET_ACCESS_KEY");
      }
      try {
        secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        fail("cannot read " + secretFile + ": " + e.getMessage());
      }
    }
    URI s3 = URI.create("http://" + LocalOptions.DEFAULT_HOST + ":" + (port + 2));
    URI dynamoDb = URI.create("http://" + LocalOptions.DEFAULT_HOST + ":" + (port + 3));
    try {
      Map<String, Object> report = run(s3, dynamoDb, secret, System.out);
      System.out.println(describe(report));
    } catch (RuntimeException e) {
      fail(
          "the reconciler could not reach local mode at "
              + s3
              + " and "
              + dynamoDb
              + " (is bin/run --port "
              + port
              + " running?): "
              + e.getMessage());
    }
  }

  /** Runs the reconciler once from the first key, logging to {@code log}; returns its answer. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> run(URI s3, URI dynamoDb, String secret, PrintStream log) {
    Map<String, String> env = LocalStartup.environment(secret, s3, dynamoDb);
    // Metrics (embedded metric format) are for CloudWatch; locally they are dropped.
    PrintStream noMetrics = new PrintStream(OutputStream.nullOutputStream());
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      System.setOut(log); // the handler logs to standard output outside Lambda
      new ReconcileHandler(env::get, noMetrics)
          .handleRequest(
              new ByteArrayInputStream("{\"from_start\": true}".getBytes(StandardCharsets.UTF_8)),
              answer,
              null);
      return (Map<String, Object>) Json.read(answer.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      System.setOut(stdout);
    }
  }

  /** One line for people: what was checked and repaired. */
  @SuppressWarnings("unchecked")
  static String describe(Map<String, Object> report) {
    StringBuilder line =
        new StringBuilder("reconciled: checked ")
            .append(report.get("checked"))
            .append(" keys, repaired ")
            .append(report.get("repaired"));
    Map<String, Object> byKind =
        (Map<String, Object>) Objects.requireNonNullElse(report.get("repaired_by_kind"), Map.of());
    String kinds =
        byKind.entrySet().stream()
            .filter(kind -> ((Number) kind.getValue()).longValue() > 0)
            .map(kind -> kind.getKey() + " " + kind.getValue())
            .collect(Collectors.joining(", "));
    if (!kinds.isEmpty()) {
      line.append(" (").append(kinds).append(')');
    }
    line.append(", failed ").append(report.get("failed"));
    if (!Boolean.TRUE.equals(report.get("complete"))) {
      line.append("; stopped at its budget, run again to continue");
    }
    return line.toString();
  }

  private static void fail(String message) {
    System.err.println("bin/reconcile: " + message);
    System.exit(2);
  }
}
