package dev.uploaddashboard.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An open-source DynamoDB for tests and local mode: moto's DynamoDB backend (Apache-2.0) in a
 * Python child process, serving the real DynamoDB JSON API over HTTP on 127.0.0.1 only.
 *
 * <p>The child ({@code moto_dynamodb.py} next to this class) refuses requests from web pages (any
 * {@code Origin} header) and answers no CORS headers, serves DynamoDB and nothing else of moto, and
 * handles one request at a time so conditional writes are atomic as on AWS. It dies with this JVM
 * however the JVM ends: {@link #close()} stops it (owners call it from their shutdown hook, after
 * their own last writes: a hook here would race them), and the child also exits by itself when its
 * standard input, a pipe from this JVM, closes, which the kernel does when the JVM is gone, even
 * after {@code kill -9}.
 *
 * <p>With a journal file the tables survive a restart: moto keeps data in memory only, so the child
 * appends every request that changed data to the file and replays it at the next start (rewriting
 * it as one {@code PutItem} per item).
 */
public final class DynamoDbEmulator implements AutoCloseable {

  /** The Python interpreter; must have moto with its server extras ({@code moto[server]}). */
  public static final String PYTHON_VARIABLE = "DYNAMODB_EMULATOR_PYTHON";

  static final String SCRIPT = "moto_dynamodb.py";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  private final Process process;
  private final URI endpoint;
  private final Path script;
  private boolean closed;

  private DynamoDbEmulator(Process process, URI endpoint, Path script) {
    this.process = process;
    this.endpoint = endpoint;
    this.script = script;
  }

  /** Starts an emulator that keeps nothing, on a free port. */
  public static DynamoDbEmulator startInMemory() throws IOException {
    return start(0, Optional.empty());
  }

  /**
   * Starts the emulator and returns once it accepts requests.
   *
   * @param port the port on 127.0.0.1; 0 for a free one (chosen by the child, so no race)
   * @param journal where the tables are kept across restarts; empty to keep nothing
   * @throws IOException with the reason and what to install when it cannot start
   */
  public static DynamoDbEmulator start(int port, Optional<Path> journal) throws IOException {
    Path script = extractScript();
    List<String> command =
        new ArrayList<>(List.of(python(), script.toString(), "--port", "" + port));
    if (journal.isPresent()) {
      Path file = journal.get().toAbsolutePath();
      Files.createDirectories(file.getParent());
      command.addAll(List.of("--journal", file.toString()));
    }
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      Files.deleteIfExists(script);
      throw new IOException(
          "The DynamoDB emulator needs Python 3 with moto (`"
              + python()
              + "` could not be run: "
              + e.getMessage()
              + "). Install it with `pip install 'moto[server]'`, or set "
              + PYTHON_VARIABLE
              + " to a Python that has it.",
          e);
    }
    Deque<String> errors = drain(process.getErrorStream());
    try {
      int boundPort = awaitListening(process, errors);
      return new DynamoDbEmulator(process, URI.create("http://127.0.0.1:" + boundPort), script);
    } catch (IOException | RuntimeException e) {
      stop(process);
      Files.deleteIfExists(script);
      throw e;
    }
  }

  private static String python() {
    String configured = System.getenv(PYTHON_VARIABLE);
    return configured == null || configured.isBlank() ? "python3" : configured;
  }

  private static Path extractScript() throws IOException {
    Path script = Files.createTempFile("moto_dynamodb", ".py");
    try (InputStream in = DynamoDbEmulator.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the classpath");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    script.toFile().deleteOnExit();
    return script;
  }

  /**
   * Passes the child's standard error on (prefixed; it is quiet unless something is wrong, such as
   * a journal line it could not replay) and keeps the last lines for the message when it fails to
   * start.
   */
  private static Deque<String> drain(InputStream stderr) {
    Deque<String> last = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  System.err.println("dynamodb-emulator: " + line);
                  synchronized (last) {
                    last.addLast(line);
                    if (last.size() > 40) {
                      last.removeFirst();
                    }
                  }
                }
              } catch (IOException e) {
                // the child is gone
              }
            },
            "dynamodb-emulator-stderr");
    reader.setDaemon(true);
    reader.start();
    return last;
  }

  private static int awaitListening(Process process, Deque<String> errors) throws IOException {
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stdout.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    String line;
    try {
      line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "The DynamoDB emulator did not start within " + START_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      throw new IOException("The DynamoDB emulator did not start", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while starting the DynamoDB emulator", e);
    }
    if (line == null || !line.startsWith("listening ")) {
      waitQuietly(process);
      String output;
      synchronized (errors) {
        output = String.join("\n", errors);
      }
      String hint =
          output.contains("ModuleNotFoundError")
              ? " Python 3 with moto is needed: `pip install 'moto[server]'` (or set "
                  + PYTHON_VARIABLE
                  + ")."
              : "";
      throw new IOException("The DynamoDB emulator did not start." + hint + "\n" + output);
    }
    return Integer.parseInt(line.substring("listening ".length()).trim());
  }

  private static void waitQuietly(Process process) {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The endpoint for SDK clients, e.g. {@code http://127.0.0.1:8083}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The child process (for tests that check it is gone). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /**
   * Stops the emulator: the request in progress finishes and the journal is complete on disk; then
   * the child exits. Safe to call more than once.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    stop(process);
    Files.deleteIfExists(script);
  }

  private static void stop(Process process) {
    try {
      // Closing its standard input is the child's signal to finish the request in progress and
      // exit.
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
