package dev.uploaddashboard.lambda.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the functions' HTTPS connections to AWS trust: the five root certificates of Amazon Trust
 * Services, which AWS's service endpoints chain to (amazontrust.com/repository lists them and
 * recommends all five for a custom trust store), instead of the JDK's 140-odd public roots. Loading
 * five certificates instead of the JDK's whole {@code cacerts} file took about 30 ms off an
 * on-demand cold start (README, "Cold starts"), and a server certificate from any other CA is
 * refused.
 *
 * <p>The JDK's own trust store is used instead (see {@link #apply}) when the JVM is told to use one
 * ({@code javax.net.ssl.trustStore}, say behind a TLS-inspecting proxy, or for the cold-start
 * benchmark's emulators), and outside AWS's commercial partition (China, GovCloud, the ISO regions,
 * the European Sovereign Cloud), whose endpoints may chain to other roots.
 */
final class AwsTrustRoots {
  static final String RESOURCE = "aws-trust-services-roots.pem";

  /** The region names of the commercial partition ({@code aws}), as the SDK's partitions.json. */
  private static final Pattern COMMERCIAL_REGION =
      Pattern.compile("(us|eu|ap|sa|ca|me|af|il|mx)-\\w+-\\d+");

  private AwsTrustRoots() {}

  /** Whether clients for {@code region} trust these roots only; else the JDK's trust store. */
  static boolean apply(String region, String jvmTrustStore) {
    return jvmTrustStore == null && region != null && COMMERCIAL_REGION.matcher(region).matches();
  }

  /** The five roots, in the order of the resource. */
  static List<Certificate> certificates() {
    try (InputStream pem = AwsTrustRoots.class.getResourceAsStream(RESOURCE)) {
      if (pem == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the package");
      }
      return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(pem));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unreadable " + RESOURCE, e);
    }
  }

  /**
   * Trust managers (PKIX, the JDK's default algorithm) that trust exactly these roots: built once
   * per JVM, for all of a function's clients.
   */
  static TrustManager[] trustManagers() {
    return Built.MANAGERS.clone();
  }

  /** Holds the trust managers, built when first asked for (the holder idiom: thread-safe). */
  private static final class Built {
    static final TrustManager[] MANAGERS = build();
  }

  private static TrustManager[] build() {
    try {
      KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
      roots.load(null, null);
      List<Certificate> certificates = certificates();
      for (int i = 0; i < certificates.size(); i++) {
        roots.setCertificateEntry("aws-root-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(roots);
      return factory.getTrustManagers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the AWS trust managers", e);
    }
  }
}
