package dev.uploaddashboard.lambda.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class TlsPrimingTest {

  @Test
  void aFullHandshakeRunsInMemoryWithTheHostNameChecked() throws Exception {
    SSLSession session = TlsPriming.handshake();

    // A TLS 1.3 session with an AEAD suite: key exchange, certificate and record encryption ran.
    assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(session.getCipherSuite()).startsWith("TLS_AES_");
    X509Certificate server = (X509Certificate) session.getPeerCertificates()[0];
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=" + TlsPriming.HOST);
    assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void theCertificateIsSelfSignedForTheHostAndValidNow() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    KeyPair other = generator.generateKeyPair();

    X509Certificate certificate = (X509Certificate) TlsPriming.selfSigned(keys, "example.invalid");

    certificate.checkValidity(new Date());
    certificate.verify(keys.getPublic());
    assertThatThrownBy(() -> certificate.verify(other.getPublic()))
        .isInstanceOf(SignatureException.class);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(certificate.getIssuerX500Principal())
        .isEqualTo(certificate.getSubjectX500Principal());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=example.invalid");
  }
}
