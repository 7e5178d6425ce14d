package dev.uploaddashboard.lambda.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * A Cognito user pool API for tests: moto's server mode ({@code python3 -m moto.server}), started
 * once per test JVM on a free loopback port. Real HTTP and the real SDK; moto accepts any TOTP code
 * unless told to check them, which these tests do not need (they enrol a factor, they do not sign
 * in with it).
 */
public final class MotoCognito {
  private static MotoCognito instance;

  private final URI endpoint;

  private MotoCognito(URI endpoint) {
    this.endpoint = endpoint;
  }

  public static synchronized MotoCognito get() {
    if (instance == null) {
      try {
        instance = start();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("moto did not start", e);
      }
    }
    return instance;
  }

  private static MotoCognito start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto-cognito", ".log");
    Process process =
        new ProcessBuilder(
                "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException("moto did not start: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
    return new MotoCognito(URI.create("http://127.0.0.1:" + port));
  }

  public URI endpoint() {
    return endpoint;
  }

  public CognitoIdentityProviderClient client() {
    return CognitoIdentityProviderClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(Emulators.REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(Emulators.ACCESS_KEY, Emulators.SECRET_KEY)))
        .endpointOverride(endpoint)
        .build();
  }
}
