package dev.uploaddashboard.lambda.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class AwsTrustRootsTest {

  /**
   * The SHA-256 hashes of the roots' subject public keys as amazontrust.com/repository lists them:
   * Amazon Root CA 1 to 4, Starfield Services Root Certificate Authority - G2.
   */
  private static final String[] AMAZON_TRUST_SERVICES_SPKI_SHA256 = {
    "fbe3018031f9586bcbf41727e417b7d1c45c2f47f93be372a17b96b50757d5a2",
    "7f4296fc5b6a4e3b35d3c369623e364ab1af381d8fa7121533c9d6c633ea2461",
    "36abc32656acfc645c61b71613c4bf21c787f5cabbee48348d58597803d7abc9",
    "f7ecded5c66047d28ed6466b543c40e0743abe81d109254dcf845d4c2c7853c5",
    "2b071c59a0a0ae76b0eadb2bad23bad4580b69c3601b630c2eaf0613afa83f92",
  };

  @Test
  void theBundledRootsAreExactlyAmazonTrustServicesFive() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");

    assertThat(AwsTrustRoots.certificates())
        .extracting(c -> HexFormat.of().formatHex(sha256.digest(c.getPublicKey().getEncoded())))
        .containsExactly(AMAZON_TRUST_SERVICES_SPKI_SHA256);
  }

  @Test
  void theRootsApplyInTheCommercialPartitionUnlessTheJvmNamesATrustStore() {
    for (String region :
        new String[] {"us-east-1", "eu-west-1", "ap-southeast-2", "il-central-1"}) {
      assertThat(AwsTrustRoots.apply(region, null)).as(region).isTrue();
    }
    for (String region :
        new String[] {"cn-north-1", "us-gov-west-1", "us-iso-east-1", "eusc-de-east-1", "local"}) {
      assertThat(AwsTrustRoots.apply(region, null)).as(region).isFalse();
    }
    assertThat(AwsTrustRoots.apply(null, null)).isFalse();
    assertThat(AwsTrustRoots.apply("eu-west-1", "/etc/pki/proxy-ca.p12")).isFalse();
  }

  @Test
  void theTrustManagersTrustTheseRootsAndNothingElse() throws Exception {
    X509TrustManager trust = (X509TrustManager) AwsTrustRoots.trustManagers()[0];
    X509Certificate other = (X509Certificate) TlsPriming.selfSigned(rsaKeys(), "example.com");

    assertThat(Arrays.<Certificate>asList(trust.getAcceptedIssuers()))
        .containsExactlyInAnyOrderElementsOf(AwsTrustRoots.certificates());
    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {other}, "RSA"))
        .isInstanceOf(CertificateException.class);
  }

  /**
   * The same HTTPS server, with a certificate of its own CA: a client the factory builds for a
   * commercial region refuses it; with the JVM told to trust that certificate, the same client gets
   * through.
   */
  @Test
  void factoryClientsRefuseOtherCasUnlessTheJvmNamesATrustStore(@TempDir Path dir)
      throws Exception {
    KeyPair keys = rsaKeys();
    Certificate certificate = TlsPriming.selfSigned(keys, "localhost");
    char[] password = "test-password".toCharArray();
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {certificate});
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(identity, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    Map<String, String> env =
        Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDTRUSTTEST",
            "AWS_SECRET_ACCESS_KEY", "trust-test-secret",
            "AWS_ENDPOINT_URL", "https://localhost:" + server.getAddress().getPort());
    try {
      try (DynamoDbClient awsRootsOnly = new AwsClientFactory(env::get).dynamoDb()) {
        assertThatThrownBy(() -> awsRootsOnly.getItem(r -> r.tableName("t").key(Map.of())))
            .isInstanceOf(SdkClientException.class)
            .hasRootCauseInstanceOf(CertPathBuilderException.class);
      }

      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", certificate);
      Path store = dir.resolve("trust.p12");
      try (OutputStream out = Files.newOutputStream(store)) {
        trusted.store(out, password);
      }
      System.setProperty("javax.net.ssl.trustStore", store.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", new String(password));
      try (DynamoDbClient jvmTrust = new AwsClientFactory(env::get).dynamoDb()) {
        assertThat(jvmTrust.getItem(r -> r.tableName("t").key(Map.of())).hasItem()).isFalse();
      }
    } finally {
      System.clearProperty("javax.net.ssl.trustStore");
      System.clearProperty("javax.net.ssl.trustStorePassword");
      server.stop(0);
    }
  }

  private static KeyPair rsaKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }
}
