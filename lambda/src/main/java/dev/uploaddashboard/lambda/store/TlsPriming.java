package dev.uploaddashboard.lambda.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * SnapStart priming of the JDK's TLS: one TLS handshake, and one record each way, between two
 * {@link SSLEngine}s in memory. After a restore, a function's first request to S3 and DynamoDB
 * opens new HTTPS connections (the snapshot carries none); without this, their handshakes (key
 * exchange, certificate parsing and path validation, host name check, record encryption) run as
 * cold code on the first request. No socket is opened and nothing leaves the process.
 *
 * <p>The server side needs a certificate: a throwaway self-signed RSA 2048 one (as AWS's endpoints'
 * keys are) for {@value #HOST}, made here, trusted by the priming client only and dropped with it.
 * The JDK has no public API to make a certificate, so {@link #selfSigned} writes the few DER
 * structures of an X.509 v1 certificate itself.
 */
public final class TlsPriming {
  /** The host name of the priming certificate: reserved, never resolvable (RFC 2606). */
  static final String HOST = "tls-priming.invalid";

  private static final char[] PASSWORD = "priming".toCharArray();

  private TlsPriming() {}

  /**
   * Runs the handshake and an exchange of application data.
   *
   * @return the client's session (its protocol and cipher suite say what was primed)
   */
  public static SSLSession handshake() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      Certificate certificate = selfSigned(keys, HOST);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
      store.setCertificateEntry("trusted", certificate);

      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, PASSWORD);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(store);

      SSLContext serverContext = SSLContext.getInstance("TLS");
      serverContext.init(keyManagers.getKeyManagers(), null, null);
      SSLContext clientContext = SSLContext.getInstance("TLS");
      clientContext.init(null, trustManagers.getTrustManagers(), null);

      SSLEngine server = serverContext.createSSLEngine();
      server.setUseClientMode(false);
      SSLEngine client = clientContext.createSSLEngine(HOST, 443);
      client.setUseClientMode(true);
      SSLParameters parameters = client.getSSLParameters();
      // What HttpsURLConnection asks for: the server's certificate must name the host.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      client.setSSLParameters(parameters);

      exchange(client, server);
      return client.getSession();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("TLS priming failed", e);
    }
  }

  /** Handshakes, then sends one record each way, until both sides have what the other sent. */
  private static void exchange(SSLEngine client, SSLEngine server) throws IOException {
    int packet = Math.max(client.getSession().getPacketBufferSize(), 64 * 1024);
    int application = client.getSession().getApplicationBufferSize();
    ByteBuffer toServer = ByteBuffer.allocate(packet);
    ByteBuffer toClient = ByteBuffer.allocate(packet);
    ByteBuffer clientIn = ByteBuffer.allocate(application);
    ByteBuffer serverIn = ByteBuffer.allocate(application);
    ByteBuffer request =
        ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer response =
        ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100; round++) {
      client.wrap(request, toServer);
      server.wrap(response, toClient);
      runTasks(client);
      runTasks(server);
      toServer.flip();
      server.unwrap(toServer, serverIn);
      toServer.compact();
      toClient.flip();
      client.unwrap(toClient, clientIn);
      toClient.compact();
      runTasks(client);
      runTasks(server);
      boolean done =
          !request.hasRemaining()
              && !response.hasRemaining()
              && serverIn.position() > 0
              && clientIn.position() > 0;
      if (done) {
        return;
      }
    }
    throw new IllegalStateException("TLS priming: no handshake after 100 rounds");
  }

  private static void runTasks(SSLEngine engine) {
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
      for (Runnable task = engine.getDelegatedTask(); task != null; ) {
        task.run();
        task = engine.getDelegatedTask();
      }
    }
  }

  /** A self-signed X.509 v1 certificate for {@code host}, valid for a day around now. */
  static Certificate selfSigned(KeyPair keys, String host) throws GeneralSecurityException {
    byte[] sha256WithRsa =
        der(0x30, oid(1, 2, 840, 113549, 1, 1, 11), new byte[] {0x05, 0x00}); // with NULL params
    byte[] name = der(0x30, der(0x31, der(0x30, oid(2, 5, 4, 3), der(0x0c, utf8(host)))));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    DateTimeFormatter utcTime = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    byte[] validity =
        der(
            0x30,
            der(0x17, utf8(utcTime.format(now.minusDays(1)))),
            der(0x17, utf8(utcTime.format(now.plusDays(1)))));
    byte[] tbs =
        der(
            0x30,
            der(0x02, new byte[] {0x01}), // serial number
            sha256WithRsa,
            name, // issuer
            validity,
            name, // subject
            keys.getPublic().getEncoded()); // SubjectPublicKeyInfo, already DER
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] bits = new byte[signature.length + 1]; // a BIT STRING: no unused bits, then the bytes
    System.arraycopy(signature, 0, bits, 1, signature.length);
    byte[] certificate = der(0x30, tbs, sha256WithRsa, der(0x03, bits));
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate));
  }

  /** One DER element: tag, definite length, then the contents. */
  private static byte[] der(int tag, byte[]... contents) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] part : contents) {
      body.writeBytes(part);
    }
    int length = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
        out.write(length >>> shift);
      }
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** An OBJECT IDENTIFIER element. */
  private static byte[] oid(int first, int second, int... rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first * 40 + second);
    for (int arc : rest) {
      int groups = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(arc) + 6) / 7);
      for (int group = groups - 1; group >= 0; group--) {
        out.write(((arc >>> (7 * group)) & 0x7f) | (group > 0 ? 0x80 : 0));
      }
    }
    return der(0x06, out.toByteArray());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
