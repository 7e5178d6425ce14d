package dev.uploaddashboard.local.emulator;

import dev.uploaddashboard.local.events.S3ObjectEvent;
import dev.uploaddashboard.local.net.HostAllowList;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.shaded.org.eclipse.jetty.http.HttpHeader;
import org.gaul.shaded.org.eclipse.jetty.io.Content;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * The local S3: s3proxy with SigV4 checks, CORS for the dashboard's browser uploads, a storage that
 * emits event notifications, and the local servers' {@link HostAllowList} in front.
 */
public final class S3Server implements AutoCloseable {

  private final S3Proxy proxy;
  private final EventEmittingBlobStore blobStore;
  private final URI endpoint;

  private S3Server(S3Proxy proxy, EventEmittingBlobStore blobStore, URI endpoint) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.endpoint = endpoint;
  }

  /**
   * Starts s3proxy and creates {@code bucket} if it is missing.
   *
   * @param storageDirectory filesystem storage root; empty keeps objects in memory
   * @param corsOrigins exact origins allowed to PUT/GET/HEAD from a browser
   */
  public static S3Server start(
      String host,
      int port,
      Optional<Path> storageDirectory,
      String accessKeyId,
      String secretAccessKey,
      List<String> corsOrigins,
      String bucket,
      Consumer<S3ObjectEvent> listener)
      throws Exception {
    BlobStore storage;
    if (storageDirectory.isPresent()) {
      Files.createDirectories(storageDirectory.get());
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", storageDirectory.get().toString());
      storage = BlobStores.create("filesystem", properties);
    } else {
      storage = BlobStores.create("transient", new Properties());
    }
    if (!storage.containerExists(bucket)) {
      storage.createContainer(bucket);
    }
    EventEmittingBlobStore emitting = new EventEmittingBlobStore(storage, listener);
    CrossOriginResourceSharing cors =
        new CrossOriginResourceSharing(
            corsOrigins.stream().map(Pattern::quote).toList(),
            List.of("GET", "HEAD", "PUT"),
            // Same rule as the deployed bucket: Range lets the text preview read only the start;
            // the presigned PUT is signed with If-None-Match: * (create only), which s3proxy's
            // filesystem and transient stores enforce natively (412 once the key exists); part
            // URLs bind x-amz-checksum-crc32c, which s3proxy checks against the body (400
            // BadDigest).
            List.of(
                "content-type",
                "x-amz-meta-file-name",
                "if-none-match",
                "x-amz-checksum-crc32c",
                "range"),
            List.of("ETag"),
            "false");
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(emitting)
            .endpoint(URI.create("http://" + host + ":" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
            .corsRules(cors)
            // Writes are already refused when it stops (refuseWrites): waiting for idle
            // keep-alive connections would only delay shutdown.
            .stopTimeout(100)
            .build();
    // s3proxy builds its (shaded) Jetty server privately: the Host check goes in front of its
    // handler through that field. The port, and so the allow-list, is known once it has started.
    Field field = S3Proxy.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    server.setHandler(
        new Handler.Wrapper(server.getHandler()) {
          /** Built by the first request, once the port is known (the same for every thread). */
          private volatile HostAllowList allowList;

          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            HostAllowList allowed = allowList;
            if (allowed == null) {
              allowed = HostAllowList.forServer(host, proxy.getPort());
              allowList = allowed;
            }
            if (allowed.allows(request.getHeaders().get(HttpHeader.HOST))) {
              return super.handle(request, response, callback);
            }
            response.setStatus(HostAllowList.MISDIRECTED_REQUEST);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, allowed.refusalBody(), callback);
            return true;
          }
        });
    proxy.start(); // returns once its Jetty server has started
    return new S3Server(proxy, emitting, URI.create("http://" + host + ":" + proxy.getPort()));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The storage, for fault injection and for refusing writes while local mode stops. */
  public EventEmittingBlobStore storage() {
    return blobStore;
  }

  /** Stops taking requests, then closes the storage (the filesystem store has every object). */
  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } catch (TimeoutException e) {
      // Idle keep-alive connections outlived the graceful period; Jetty has stopped anyway.
    } finally {
      blobStore.close();
    }
  }
}
