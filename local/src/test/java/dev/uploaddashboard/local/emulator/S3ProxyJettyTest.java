package dev.uploaddashboard.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.jar.JarFile;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.Test;

/**
 * s3proxy serves with its own Jetty, shaded into its jar, which no Maven pin or enforcer rule sees:
 * its version is checked here, against the HTTP/2 denial-of-service fixes of Jetty 12.0.25.
 */
class S3ProxyJettyTest {

  @Test
  void s3proxysShadedJettyIsPastTheHttp2DenialOfServiceFixes() throws Exception {
    Path jar = Path.of(S3Proxy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String version;
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in =
            file.getInputStream(
                file.getEntry("META-INF/maven/org.eclipse.jetty/jetty-server/pom.properties"))) {
      Properties properties = new Properties();
      properties.load(in);
      version = properties.getProperty("version");
    }
    // The server s3proxy runs is that shaded copy, not a Jetty on the class path.
    assertThat(
            Class.forName("org.gaul.shaded.org.eclipse.jetty.server.Server")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI())
        .isEqualTo(jar.toUri());
    assertThat(compare(version, "12.0.25"))
        .as("shaded Jetty %s", version)
        .isGreaterThanOrEqualTo(0);
  }

  private static int compare(String version, String minimum) throws IOException {
    int[] have = numbers(version);
    int[] want = numbers(minimum);
    return Arrays.compare(have, want);
  }

  private static int[] numbers(String version) throws IOException {
    String[] parts = version.split("[.-]");
    if (parts.length < 3) {
      throw new IOException("not a Jetty version: " + version);
    }
    return Arrays.stream(parts, 0, 3).mapToInt(Integer::parseInt).toArray();
  }
}
