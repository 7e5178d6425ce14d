package dev.uploaddashboard.local;

import dev.uploaddashboard.local.auth.DevUser;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code bin/run}: starts {@link LocalProduct} and keeps it running until Ctrl-C. */
public final class LocalMain {

  private static final String USAGE =
      """
      Usage: bin/run [--port N] [--data-dir DIR | --in-memory] [--cors-origin ORIGIN]...

      Runs the whole upload dashboard on this machine: dashboard, API, S3 and DynamoDB emulators and a
      development sign-in service (users alice, bob and admin; each password is <name>-local-password).

        --port N              dashboard port (default 8080); the API, S3, DynamoDB and sign-in use N+1, N+2,
                              N+3, N+4; 0 picks free ports
        --data-dir DIR        keep uploads and metadata in DIR (default: .local-data/ in the repository)
        --in-memory           keep nothing; everything is gone when the process stops
        --cors-origin ORIGIN  also allow this browser origin (repeatable), e.g. http://127.0.0.1:5173;
                              ORIGIN/ also becomes a sign-in callback and sign-out URL
        --help                show this help
      """;

  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    LocalOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bin/run: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(USAGE);
      return;
    }

    long started = System.nanoTime();
    LocalProduct product;
    try {
      product = LocalProduct.start(options);
    } catch (Exception e) {
      if (!causedByBindFailure(e)) {
        throw e;
      }
      System.err.println(
          "bin/run: port "
              + options.dashboardPort()
              + " or one of the four after it is already"
              + " in use (another bin/run?); stop it or pick other ports with --port N");
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping...");
                  product.close();
                  System.out.println(
                      "Stopped"
                          + options
                              .dataDirectory()
                              .map(dir -> "; data kept in " + dir)
                              .orElse("."));
                  stopped.countDown();
                },
                "local-shutdown"));
    printBanner(System.out, product, Duration.ofNanos(System.nanoTime() - started));
    stopped.await();
  }

  private static boolean causedByBindFailure(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  /** The options for {@code args}, or null when help was asked for. */
  static LocalOptions parse(String[] args) {
    LocalOptions.Builder builder = LocalOptions.builder();
    java.util.List<String> origins = new java.util.ArrayList<>();
    boolean dataDir = false;
    boolean inMemory = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--port" -> builder.dashboardPort(parsePort(value(args, ++i, arg)));
        case "--data-dir" -> {
          builder.dataDirectory(Path.of(value(args, ++i, arg)));
          dataDir = true;
        }
        case "--in-memory" -> {
          builder.inMemory();
          inMemory = true;
        }
        case "--cors-origin" -> origins.add(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (dataDir && inMemory) {
      throw new IllegalArgumentException("--data-dir and --in-memory exclude each other");
    }
    return builder.extraCorsOrigins(origins).build();
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int parsePort(String text) {
    try {
      return Integer.parseInt(text); // LocalOptions checks the range
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number, was " + text);
    }
  }

  static void printBanner(PrintStream out, LocalProduct product, Duration startup) {
    Optional<Path> data = product.options().dataDirectory();
    String s3 = product.s3Endpoint().toString();
    String aws =
        "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_REGION=%s aws --endpoint-url %s s3"
            .formatted(product.accessKeyId(), product.secretAccessKey(), product.region(), s3);
    StringBuilder users = new StringBuilder();
    for (DevUser user : product.users()) {
      users.append(
          "  %-6s password %-22s user id %s%s%n"
              .formatted(
                  user.name(),
                  user.password(),
                  user.sub(),
                  user.admin()
                      ? "   (group " + DevUser.ADMIN_GROUP + ": sees and deletes every file)"
                      : ""));
    }
    out.print(
        """

        Upload dashboard, local mode
          Dashboard   %s/
          API         %s   (Authorization: Bearer <access token>)
          Sign-in     %s   client id %s
          S3          %s   bucket %s (path-style)
          DynamoDB    %s   table %s
          Credentials access key %s, secret %s, region %s
                      %s
          Data        %s

        Development users (sign in on the dashboard):
        %s%s

        Changes made straight to S3 show up in the dashboard, as in AWS. For example:
          %s ls s3://%s/incoming/ --recursive
          %s rm s3://%s/incoming/<user id>/<upload id>/<file name>

        Ready in %.1f s. Press Ctrl-C to stop.
        """
            .formatted(
                product.dashboardUrl(),
                product.apiUrl(),
                product.identityProviderUrl(),
                product.clientId(),
                s3,
                product.bucketName(),
                product.dynamoDbEndpoint(),
                product.tableName(),
                product.accessKeyId(),
                product.secretAccessKey(),
                product.region(),
                data.map(
                        dir ->
                            "the secret is this data directory's own, kept in "
                                + dir.resolve(LocalCredentials.FILE_NAME)
                                + " (owner-only)")
                    .orElse("the secret is new on every start"),
                data.map(Path::toString).orElse("in memory (lost on exit)"),
                users,
                data.map(
                        dir ->
                            "The signing key is kept in "
                                + dir.resolve("identity-provider")
                                + ": access tokens stay valid across restarts on the same ports;"
                                + " sign-in sessions and refresh tokens do not.")
                    .orElse("The signing key is new on every start: a restart signs everyone out."),
                aws,
                product.bucketName(),
                aws,
                product.bucketName(),
                startup.toMillis() / 1000.0));
  }
}
