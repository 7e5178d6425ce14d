package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.uploaddashboard.contract.Functions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real packages the build cut for each function (lambda/target/functions) hold what their
 * handler needs: loaded alone, with nothing else on the class path, each handler builds its SDK
 * clients and runs its SnapStart priming (its request path and its SDK calls up to the network).
 * The packages exist in a reactor build (bin/test); a lone {@code -pl infra} build must fail here
 * rather than pass without checking anything.
 */
class FunctionPackagesTest {
  private static final Path PACKAGES = Path.of("../lambda/target/functions");

  /** Every function of the contract. */
  static Stream<Arguments> packages() {
    return Functions.ALL.stream()
        .map(function -> Arguments.of(function.packageName(), function.handlerClass()));
  }

  @ParameterizedTest
  @MethodSource("packages")
  void eachPackageRunsItsHandlerAlone(String name, String handler) throws Exception {
    Path jar = PACKAGES.resolve(name + ".jar");
    assertThat(jar)
        .as("function packages built (mvn -pl lambda package, or a reactor build)")
        .isRegularFile();
    assertThat(Files.size(jar)).isPositive();

    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    aws.createContext(
        "/",
        exchange -> {
          received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    aws.start();
    Map<String, String> env =
        Map.of(
            "TABLE_NAME", "upload_metadata",
            "UPLOAD_BUCKET", "upload-bucket",
            "UPLOAD_QUOTA_TABLE", "upload_quota",
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDPACKAGETEST",
            "AWS_SECRET_ACCESS_KEY", "package-test-secret",
            "AWS_ENDPOINT_URL", "http://127.0.0.1:" + aws.getAddress().getPort());
    try (URLClassLoader alone =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> type = Class.forName(handler, true, alone);
      Function<String, String> lookup = env::get;
      Object instance = type.getConstructor(Function.class).newInstance(lookup);
      Method prime = type.getDeclaredMethod("prime");
      prime.setAccessible(true);
      Object report = prime.invoke(instance);
      assertThat(report).as("priming report of %s", name).isNotNull();
    } finally {
      aws.stop(0);
    }
    assertThat(received).as("priming sends nothing").isEmpty();
  }

  /**
   * The build compiles lambdas into classes of each package
   * (lambda/src/build/LambdaDesugarer.java); every one of them passes the JVM's verifier and
   * initializes, whether priming reaches it or not.
   */
  @ParameterizedTest
  @MethodSource("allPackages")
  void everyCompiledLambdaClassOfAPackageVerifies(String name) throws Exception {
    Path jar = PACKAGES.resolve(name + ".jar");
    List<String> compiled;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      compiled =
          zip.stream()
              .map(ZipEntry::getName)
              .filter(entry -> entry.matches(".*\\$\\$Lambda\\$[0-9]+\\.class"))
              .map(
                  entry -> entry.substring(0, entry.length() - ".class".length()).replace('/', '.'))
              .toList();
    }
    assertThat(compiled).as("lambda classes in %s", name).hasSizeGreaterThan(500);
    try (URLClassLoader alone =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String className : compiled) {
        assertThat(Class.forName(className, true, alone).isSynthetic()).as(className).isTrue();
      }
    }
  }

  /**
   * A package carries one jackson-core, the SDK's (lambda/pom.xml relocates jackson-jr onto it):
   * none under com.fasterxml, and the packaged JSON codec reads, refuses a duplicate key and writes
   * on that copy.
   */
  @ParameterizedTest
  @MethodSource("allPackages")
  void aPackageReadsAndWritesJsonOnTheSdksJacksonCore(String name) throws Exception {
    Path jar = PACKAGES.resolve(name + ".jar");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.stream().map(ZipEntry::getName))
          .as("entries of %s", name)
          .noneMatch(entry -> entry.startsWith("com/fasterxml/jackson/core/"))
          .anyMatch(entry -> entry.startsWith("software/amazon/awssdk/thirdparty/jackson/core/"));
    }
    try (URLClassLoader alone =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> json = Class.forName("dev.uploaddashboard.lambda.http.Json", true, alone);
      Method read = json.getMethod("read", String.class);
      Method write = json.getMethod("write", Object.class);
      Object value =
          read.invoke(null, "{\"key\":\"incoming/a b.txt\",\"size\":3,\"tags\":[true,null]}");
      assertThat(value)
          .isEqualTo(
              Map.of("key", "incoming/a b.txt", "size", 3, "tags", Arrays.asList(true, null)));
      assertThat(write.invoke(null, value)).asString().contains("\"key\":\"incoming/a b.txt\"");
      assertThatThrownBy(() -> read.invoke(null, "{\"size\":3,\"size\":4}"))
          .as("a duplicate key")
          .cause()
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Duplicate field 'size'");
    }
  }

  static Stream<String> allPackages() {
    return Functions.ALL.stream().map(function -> function.packageName());
  }

  @Test
  void theMfaGuardPackageCarriesNoS3() throws Exception {
    Path jar = PACKAGES.resolve(Functions.ADMIN_MFA_GUARD.packageName() + ".jar");
    assertThat(jar).isRegularFile();
    try (URLClassLoader alone =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      assertThat(Class.forName(Functions.ADMIN_MFA_GUARD.handlerClass(), false, alone)).isNotNull();
      assertThatThrownBy(
              () -> Class.forName("software.amazon.awssdk.services.s3.S3Client", false, alone))
          .as("the guard calls no S3")
          .isInstanceOf(ClassNotFoundException.class);
    }
  }
}
