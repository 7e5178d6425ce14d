package dev.uploaddashboard.local;

import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.local.auth.DevUser;
import dev.uploaddashboard.local.auth.IdentityProviderSettings;
import dev.uploaddashboard.local.events.S3ObjectEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * How to start {@link LocalProduct}.
 *
 * @param host address every server binds to; loopback by default, so nothing is reachable from the
 *     network
 * @param dashboardPort port of the static dashboard; {@code 0} picks a free port. The API, S3,
 *     DynamoDB and the development identity provider listen on the next four ports ({@code +1} to
 *     {@code +4}) so that URLs stay the same across restarts, or on free ports when this is {@code
 *     0}
 * @param dataDirectory where S3 objects, the DynamoDB database and the sync failure log live; empty
 *     means in memory (everything is lost on {@link LocalProduct#close()})
 * @param webRoot directory with the dashboard's static files
 * @param extraCorsOrigins origins allowed besides the dashboard's own (for example a dev server);
 *     each is also a registered sign-in callback and sign-out URL ({@code origin + "/"})
 * @param accessTokenLifetime lifetime of the identity provider's access and ID tokens (1 hour, as
 *     deployed)
 * @param refreshTokenLifetime lifetime of its refresh tokens (12 hours, as deployed)
 * @param passwords development users' passwords by user name ({@code alice}, {@code bob}, {@code
 *     admin}); a user not named here has the password {@code <name>-local-password}
 * @param uploadsPerUserPerHour upload tickets per user and hour (200, as deployed by default)
 * @param eventTap wraps the bucket's event delivery to the sync function (identity; {@code
 *     bin/soak} drops, duplicates and delays events through it); S3 calls it before answering the
 *     client, so it must not block
 * @param sortOrders the list orders the list function offers, its {@code SORT_ORDERS} setting
 *     ({@code uploaded,name,size}; fewer as in a deployment still adding an order's indexes)
 */
public record LocalOptions(
    String host,
    int dashboardPort,
    Optional<Path> dataDirectory,
    Path webRoot,
    List<String> extraCorsOrigins,
    Duration accessTokenLifetime,
    Duration refreshTokenLifetime,
    Map<String, String> passwords,
    long uploadsPerUserPerHour,
    UnaryOperator<Consumer<S3ObjectEvent>> eventTap,
    String sortOrders) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int MAX_PORT = 65531;
  public static final String ALL_SORT_ORDERS = String.join(",", Tables.SORT_ORDERS);

  public LocalOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(webRoot, "webRoot");
    extraCorsOrigins = List.copyOf(extraCorsOrigins);
    passwords = Map.copyOf(passwords);
    Objects.requireNonNull(eventTap, "eventTap");
    Objects.requireNonNull(sortOrders, "sortOrders");
    if (uploadsPerUserPerHour < 1) {
      throw new IllegalArgumentException("uploadsPerUserPerHour must be positive");
    }
    if (dashboardPort < 0 || dashboardPort > MAX_PORT) {
      throw new IllegalArgumentException(
          "dashboard port must be 0.." + MAX_PORT + ", was " + dashboardPort);
    }
    IdentityProviderSettings.checkLifetimes(accessTokenLifetime, refreshTokenLifetime);
    DevUser.developmentUsers(passwords); // refuses an unknown user
    if (passwords.containsValue("")) {
      throw new IllegalArgumentException("a development user's password is empty");
    }
  }

  /** The development users with their passwords (alice, bob, admin). */
  public List<DevUser> users() {
    return DevUser.developmentUsers(passwords);
  }

  /** Defaults: port 8080 on 127.0.0.1, data in {@code .local-data/} at the repository root. */
  public static Builder builder() {
    return new Builder();
  }

  public boolean inMemory() {
    return dataDirectory.isEmpty();
  }

  /** The port of the API, S3, DynamoDB or sign-in: {@code offset} after the dashboard's, or 0. */
  int portAfterDashboard(int offset) {
    return dashboardPort == 0 ? 0 : dashboardPort + offset;
  }

  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int dashboardPort = 8080;
    private Optional<Path> dataDirectory; // null: .local-data/ in the repository
    private Path webRoot;
    private List<String> extraCorsOrigins = List.of();
    private Duration accessTokenLifetime = Duration.ofHours(1);
    private Duration refreshTokenLifetime = Duration.ofHours(12);
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private long uploadsPerUserPerHour = Functions.DEFAULT_UPLOADS_PER_USER_PER_HOUR;
    private UnaryOperator<Consumer<S3ObjectEvent>> eventTap = UnaryOperator.identity();
    private String sortOrders = ALL_SORT_ORDERS;

    private Builder() {}

    public Builder uploadsPerUserPerHour(long uploads) {
      this.uploadsPerUserPerHour = uploads;
      return this;
    }

    public Builder sortOrders(String orders) {
      this.sortOrders = orders;
      return this;
    }

    public Builder eventTap(UnaryOperator<Consumer<S3ObjectEvent>> tap) {
      this.eventTap = tap;
      return this;
    }

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
      this.dataDirectory = Optional.of(directory.toAbsolutePath().normalize());
      return this;
    }

    public Builder inMemory() {
      this.dataDirectory = Optional.empty();
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

    public Builder accessTokenLifetime(Duration lifetime) {
      this.accessTokenLifetime = lifetime;
      return this;
    }

    public Builder refreshTokenLifetime(Duration lifetime) {
      this.refreshTokenLifetime = lifetime;
      return this;
    }

    /** Sets a development user's password instead of {@code <name>-local-password}. */
    public Builder password(String userName, String password) {
      this.passwords.put(userName, password);
      return this;
    }

    public LocalOptions build() {
      Optional<Path> data =
          dataDirectory != null
              ? dataDirectory
              : Optional.of(RepositoryRoot.locate().resolve(".local-data"));
      Path web = webRoot != null ? webRoot : RepositoryRoot.locate().resolve("web");
      return new LocalOptions(
          host,
          dashboardPort,
          data,
          web.toAbsolutePath().normalize(),
          extraCorsOrigins,
          accessTokenLifetime,
          refreshTokenLifetime,
          passwords,
          uploadsPerUserPerHour,
          eventTap,
          sortOrders);
    }
  }
}
