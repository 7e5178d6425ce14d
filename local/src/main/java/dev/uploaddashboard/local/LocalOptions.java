package dev.uploaddashboard.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start {@link LocalProduct}.
 *
 * @param host address every server binds to; loopback by default, so nothing is reachable from the network
 * @param dashboardPort port of the static dashboard; {@code 0} picks a free port. The API, S3 and DynamoDB
 *     listen on the next three ports ({@code +1}, {@code +2}, {@code +3}) so that URLs stay the same across
 *     restarts, or on free ports when this is {@code 0}
 * @param dataDirectory where S3 objects, the DynamoDB database and the sync failure log live; empty means in
 *     memory (everything is lost on {@link LocalProduct#close()})
 * @param webRoot directory with the dashboard's static files
 * @param extraCorsOrigins origins allowed besides the dashboard's own (for example a dev server)
 */
public record LocalOptions(
    String host,
    int dashboardPort,
    Optional<Path> dataDirectory,
    Path webRoot,
    List<String> extraCorsOrigins) {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "127.0.0.1";

  public LocalOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(webRoot, "webRoot");
    extraCorsOrigins = List.copyOf(extraCorsOrigins);
    if (dashboardPort < 0 || dashboardPort > 65532) {
      throw new IllegalArgumentException("dashboard port must be 0..65532, was " + dashboardPort);
    }
  }

  /** Defaults: port 8080 on 127.0.0.1, data in {@code .local-data/} at the repository root. */
  public static Builder builder() {
    return new Builder();
  }

  public boolean inMemory() {
    return dataDirectory.isEmpty();
  }

  /** The port of the local API, S3 or DynamoDB: {@code offset} after the dashboard's, or 0 for a free one. */
  int portAfterDashboard(int offset) {
    return dashboardPort == 0 ? 0 : dashboardPort + offset;
  }

  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int dashboardPort = DEFAULT_PORT;
    private Path dataDirectory;
    private boolean inMemory;
    private Path webRoot;
    private List<String> extraCorsOrigins = List.of();

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder dashboardPort(int port) {
      this.dashboardPort = port;
      return this;
    }

    /** Picks free ports for every server: what tests want. */
    public Builder ephemeralPorts() {
      return dashboardPort(0);
    }

    public Builder dataDirectory(Path directory) {
      this.dataDirectory = directory;
      this.inMemory = false;
      return this;
    }

    public Builder inMemory() {
      this.inMemory = true;
      this.dataDirectory = null;
      return this;
    }

    public Builder webRoot(Path webRoot) {
      this.webRoot = webRoot;
      return this;
    }

    public Builder extraCorsOrigins(List<String> origins) {
      this.extraCorsOrigins = List.copyOf(origins);
      return this;
    }

    public LocalOptions build() {
      Optional<Path> data;
      if (inMemory) {
        data = Optional.empty();
      } else if (dataDirectory != null) {
        data = Optional.of(dataDirectory.toAbsolutePath().normalize());
      } else {
        data = Optional.of(RepositoryRoot.locate().resolve(".local-data"));
      }
      Path web = webRoot != null ? webRoot : RepositoryRoot.locate().resolve("web");
      return new LocalOptions(host, dashboardPort, data, web.toAbsolutePath().normalize(), extraCorsOrigins);
    }
  }
}
