package dev.uploaddashboard.infra;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Everything that differs between deployments of the dashboard (dev, prod, ...).
 *
 * <p>Two profiles, chosen on purpose:
 *
 * <ul>
 *   <li><b>production</b> ({@code retainData = true}): the table and the upload bucket survive a
 *       stack deletion (RETAIN), the table has point-in-time recovery and deletion protection, logs
 *       are kept three months, the API allows more traffic.
 *   <li><b>development</b> ({@code retainData = false}): the table and the upload bucket (with its
 *       objects) are destroyed with the stack, logs are kept one week, the API is throttled harder.
 * </ul>
 *
 * <p>An environment that does not say {@code retainData} is treated as production: losing data by
 * default is the worse mistake.
 */
public record EnvironmentConfig(
    String name,
    boolean retainData,
    List<String> extraCorsOrigins,
    RetentionDays logRetention,
    ApiThrottle apiThrottle,
    Optional<String> account,
    Optional<String> region,
    Optional<String> authDomainPrefix,
    boolean requireMfa,
    Limits limits,
    Optional<String> alarmEmail,
    String reconcileSchedule,
    int listingIndexes) {

  /** Stack names are {@code UploadDashboard-<name>}; keep names short and DNS-like. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");

  /**
   * An https origin, or plain-http {@code localhost} for local development. No path, no slash.
   * These origins are also sign-in callback URLs, and Cognito accepts plain http only for {@code
   * localhost} (not {@code 127.0.0.1}).
   */
  private static final Pattern ORIGIN =
      Pattern.compile(
          "https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|http://localhost(:[0-9]{1,5})?");

  /**
   * A Cognito prefix domain: lower-case letters, digits and inner hyphens, at most 63 characters;
   * Cognito reserves the words below.
   */
  private static final Pattern DOMAIN_PREFIX =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final List<String> RESERVED_IN_DOMAIN_PREFIX = List.of("aws", "amazon", "cognito");

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]");

  /** How often the reconciler runs unless an environment says otherwise. */
  public static final String DEFAULT_RECONCILE_SCHEDULE = "rate(1 hour)";

  /** An EventBridge Scheduler rate or cron expression. */
  private static final Pattern SCHEDULE =
      Pattern.compile(
          "rate\\([1-9][0-9]{0,4} (minute|minutes|hour|hours|day|days)\\)|cron\\([^()]+\\)");

  /** One address, as SNS e-mail subscriptions take it (no display name, no list). */
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  private static final Set<String> CONTEXT_KEYS =
      Set.of(
          "retainData",
          "extraCorsOrigins",
          "logRetentionDays",
          "throttleRateLimit",
          "throttleBurstLimit",
          "account",
          "region",
          "authDomainPrefix",
          "requireMfa",
          "apiReservedConcurrency",
          "syncReservedConcurrency",
          "uploadsPerUserPerHour",
          "maxUploadBytes",
          "alarmEmail",
          "reconcileSchedule",
          "listingIndexes");

  /** The CloudWatch Logs retention values (never "infinite": every log group expires). */
  private static final Map<Integer, RetentionDays> RETENTION_BY_DAYS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry(1, RetentionDays.ONE_DAY),
              Map.entry(3, RetentionDays.THREE_DAYS),
              Map.entry(5, RetentionDays.FIVE_DAYS),
              Map.entry(7, RetentionDays.ONE_WEEK),
              Map.entry(14, RetentionDays.TWO_WEEKS),
              Map.entry(30, RetentionDays.ONE_MONTH),
              Map.entry(60, RetentionDays.TWO_MONTHS),
              Map.entry(90, RetentionDays.THREE_MONTHS),
              Map.entry(120, RetentionDays.FOUR_MONTHS),
              Map.entry(150, RetentionDays.FIVE_MONTHS),
              Map.entry(180, RetentionDays.SIX_MONTHS),
              Map.entry(365, RetentionDays.ONE_YEAR),
              Map.entry(400, RetentionDays.THIRTEEN_MONTHS),
              Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
              Map.entry(731, RetentionDays.TWO_YEARS),
              Map.entry(1827, RetentionDays.FIVE_YEARS),
              Map.entry(3653, RetentionDays.TEN_YEARS)));

  /** Steady-state requests per second and burst for the API's default stage. */
  public record ApiThrottle(double rateLimit, int burstLimit) {
    public ApiThrottle {
      if (!(rateLimit > 0) || burstLimit <= 0) {
        throw new IllegalArgumentException(
            "API throttle limits must be positive, got rate "
                + rateLimit
                + ", burst "
                + burstLimit);
      }
    }
  }

  /** The largest file a deployment accepts unless it says otherwise: 5 GiB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

  /** S3's own ceiling for a multipart upload here: 10,000 parts of at most 5 GiB. */
  public static final long MAX_UPLOAD_BYTES_CEILING = 10_000L * 5 * 1024 * 1024 * 1024;

  /**
   * Caps on what one caller or one event flood can cost: reserved concurrency of each API function
   * and of the sync function (AWS keeps 100 executions of the account unreserved, so the account's
   * quota must exceed the sum by that much), the upload tickets one user may get per hour, and the
   * largest file one upload may create (enforced by the upload function, also on multipart).
   */
  public record Limits(
      int apiReservedConcurrency,
      int syncReservedConcurrency,
      int uploadsPerUserPerHour,
      long maxUploadBytes) {
    public Limits(
        int apiReservedConcurrency, int syncReservedConcurrency, int uploadsPerUserPerHour) {
      this(
          apiReservedConcurrency,
          syncReservedConcurrency,
          uploadsPerUserPerHour,
          DEFAULT_MAX_UPLOAD_BYTES);
    }

    public Limits {
      if (maxUploadBytes < 1 || maxUploadBytes > MAX_UPLOAD_BYTES_CEILING) {
        throw new IllegalArgumentException(
            "maxUploadBytes must be 1 to "
                + MAX_UPLOAD_BYTES_CEILING
                + " (10,000 parts of 5 GiB), got "
                + maxUploadBytes);
      }
      if (apiReservedConcurrency < 1 || syncReservedConcurrency < 1 || uploadsPerUserPerHour < 1) {
        throw new IllegalArgumentException(
            "reserved concurrency and uploadsPerUserPerHour must be positive integers, got "
                + apiReservedConcurrency
                + ", "
                + syncReservedConcurrency
                + ", "
                + uploadsPerUserPerHour);
      }
    }
  }

  public EnvironmentConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(limits, "limits");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Environment name must match " + NAME.pattern() + ", got '" + name + "'");
    }
    extraCorsOrigins = List.copyOf(new LinkedHashSet<>(extraCorsOrigins));
    for (String origin : extraCorsOrigins) {
      if (!ORIGIN.matcher(origin).matches()) {
        throw new IllegalArgumentException(
            "Environment '"
                + name
                + "': extra CORS origin must be https://host[:port] or http://localhost[:port]"
                + " (no wildcard, path or trailing slash; Cognito allows plain http only for"
                + " localhost), got '"
                + origin
                + "'");
      }
    }
    Objects.requireNonNull(logRetention, "logRetention");
    Objects.requireNonNull(apiThrottle, "apiThrottle");
    account.ifPresent(
        a -> require(ACCOUNT.matcher(a).matches(), name, "account must be 12 digits, got " + a));
    region.ifPresent(r -> require(REGION.matcher(r).matches(), name, "region looks invalid: " + r));
    Objects.requireNonNull(reconcileSchedule, "reconcileSchedule");
    require(
        SCHEDULE.matcher(reconcileSchedule).matches(),
        name,
        "reconcileSchedule must be an EventBridge Scheduler rate(...) or cron(...) expression,"
            + " e.g. \"rate(1 hour)\", got '"
            + reconcileSchedule
            + "'");
    require(
        listingIndexes >= 2 && listingIndexes <= MetadataTable.LISTING_INDEXES.size(),
        name,
        "listingIndexes must be 2 to "
            + MetadataTable.LISTING_INDEXES.size()
            + " (how many of the table's listing indexes exist; CloudFormation adds one per"
            + " update), got "
            + listingIndexes);
    Objects.requireNonNull(alarmEmail, "alarmEmail");
    alarmEmail.ifPresent(
        e ->
            require(
                EMAIL.matcher(e).matches(),
                name,
                "alarmEmail must be one e-mail address (name@example.com), got '" + e + "'"));
    Objects.requireNonNull(authDomainPrefix, "authDomainPrefix");
    authDomainPrefix.ifPresent(
        p ->
            require(
                DOMAIN_PREFIX.matcher(p).matches() && !hasReservedWord(p),
                name,
                "authDomainPrefix must be 1-63 lower-case letters, digits or inner hyphens without "
                    + RESERVED_IN_DOMAIN_PREFIX
                    + ", got '"
                    + p
                    + "'"));
  }

  /** Production profile: data retained and protected, longer logs. */
  public static EnvironmentConfig production(String name, List<String> extraCorsOrigins) {
    return new EnvironmentConfig(
        name,
        true,
        extraCorsOrigins,
        RetentionDays.THREE_MONTHS,
        new ApiThrottle(50, 100),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        new Limits(20, 10, 200),
        Optional.empty(),
        DEFAULT_RECONCILE_SCHEDULE,
        MetadataTable.LISTING_INDEXES.size());
  }

  /** Development profile: disposable data, short logs, tight throttling. */
  public static EnvironmentConfig development(String name, List<String> extraCorsOrigins) {
    return new EnvironmentConfig(
        name,
        false,
        extraCorsOrigins,
        RetentionDays.ONE_WEEK,
        new ApiThrottle(10, 20),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        new Limits(5, 5, 200),
        Optional.empty(),
        DEFAULT_RECONCILE_SCHEDULE,
        MetadataTable.LISTING_INDEXES.size());
  }

  /**
   * Reads one entry of the {@code upload-dashboard:environments} context map. Keys: {@code
   * retainData} (default true), {@code extraCorsOrigins}, {@code logRetentionDays}, {@code
   * throttleRateLimit}, {@code throttleBurstLimit}, {@code account}, {@code region}, {@code
   * authDomainPrefix}, {@code requireMfa} (default false), {@code apiReservedConcurrency}, {@code
   * syncReservedConcurrency}, {@code uploadsPerUserPerHour}, {@code maxUploadBytes} (the largest
   * file, default 5 GiB), {@code alarmEmail} (who the alarms e-mail; none by default), {@code
   * reconcileSchedule} (default hourly), {@code listingIndexes} (default all 6; fewer only while
   * upgrading a table created with fewer); the profile chosen by {@code retainData} supplies the
   * defaults. Unknown keys are rejected so a typo cannot silently fall back to a default.
   */
  public static EnvironmentConfig fromContext(String name, Map<String, ?> entry) {
    for (String key : entry.keySet()) {
      require(
          CONTEXT_KEYS.contains(key),
          name,
          "unknown setting '" + key + "' (known: " + String.join(", ", sortedKeys()) + ")");
    }
    boolean retainData = bool(name, entry, "retainData", true);
    List<String> origins = strings(name, entry, "extraCorsOrigins");
    EnvironmentConfig base = retainData ? production(name, origins) : development(name, origins);
    RetentionDays retention =
        entry.containsKey("logRetentionDays")
            ? retentionDays(name, number(name, entry, "logRetentionDays").intValue())
            : base.logRetention();
    ApiThrottle throttle =
        new ApiThrottle(
            entry.containsKey("throttleRateLimit")
                ? number(name, entry, "throttleRateLimit").doubleValue()
                : base.apiThrottle().rateLimit(),
            entry.containsKey("throttleBurstLimit")
                ? number(name, entry, "throttleBurstLimit").intValue()
                : base.apiThrottle().burstLimit());
    return new EnvironmentConfig(
        name,
        retainData,
        origins,
        retention,
        throttle,
        optionalString(name, entry, "account"),
        optionalString(name, entry, "region"),
        optionalString(name, entry, "authDomainPrefix"),
        bool(name, entry, "requireMfa", false),
        new Limits(
            positiveInt(
                name, entry, "apiReservedConcurrency", base.limits().apiReservedConcurrency()),
            positiveInt(
                name, entry, "syncReservedConcurrency", base.limits().syncReservedConcurrency()),
            positiveInt(
                name, entry, "uploadsPerUserPerHour", base.limits().uploadsPerUserPerHour()),
            maxUploadBytes(name, entry, base.limits().maxUploadBytes())),
        optionalString(name, entry, "alarmEmail"),
        optionalString(name, entry, "reconcileSchedule").orElse(DEFAULT_RECONCILE_SCHEDULE),
        positiveInt(name, entry, "listingIndexes", base.listingIndexes()));
  }

  /**
   * Prefix of the Cognito hosted UI domain ({@code
   * https://<prefix>.auth.<region>.amazoncognito.com}). Prefixes are unique per region across all
   * AWS accounts, so the default, {@code upload-dashboard-<env>-<account id>}, is unique per
   * account and environment without any lookup (the account is the deploying account, resolved by
   * CloudFormation). Set {@code authDomainPrefix} to keep the account id out of the sign-in URL.
   *
   * @param account the stack's account (a token when the stack is environment-agnostic)
   */
  public String signInDomainPrefix(String account) {
    require(
        authDomainPrefix.isPresent() || !hasReservedWord(name),
        name,
        "the default sign-in domain prefix would contain a word Cognito reserves "
            + RESERVED_IN_DOMAIN_PREFIX
            + "; set authDomainPrefix");
    return authDomainPrefix.orElse("upload-dashboard-" + name + "-" + account);
  }

  /**
   * An environment that retains data must say where it is deployed: a deploy of it must not land in
   * whatever account and region the deploying shell's credentials point at. With {@code account}
   * and {@code region} pinned, the CDK CLI refuses credentials of any other account. Checked by the
   * app for every environment in cdk.json, so synth (offline, no credentials) fails too.
   */
  public void requireAccountAndRegionIfRetainingData() {
    require(
        !retainData || (account.isPresent() && region.isPresent()),
        name,
        "retainData is true, so \"account\" and \"region\" must be set (the AWS account id and"
            + " region it is deployed to), so that a deploy cannot land in another account;"
            + " missing: "
            + String.join(
                " and ",
                java.util.stream.Stream.of(
                        account.isPresent() ? null : "account",
                        region.isPresent() ? null : "region")
                    .filter(Objects::nonNull)
                    .toList()));
  }

  /** The CloudFormation stack name (and CDK stack id) of this environment. */
  public String stackName() {
    return "UploadDashboard-" + name;
  }

  /** {@link #logRetention} in days (S3 lifecycle rules count days, not retention classes). */
  public int logRetentionDays() {
    return RETENTION_BY_DAYS.entrySet().stream()
        .filter(e -> e.getValue() == logRetention)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("No day count for " + logRetention));
  }

  /** Removal policy of the stateful resources: the metadata table and the upload bucket. */
  public RemovalPolicy dataRemovalPolicy() {
    return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  /** Retention and removal of the environment's log groups. */
  public LogPolicy logs() {
    return new LogPolicy(logRetention, logRemovalPolicy());
  }

  /** Removal policy of log groups: kept with the data in production, removed in development. */
  public RemovalPolicy logRemovalPolicy() {
    return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  private static List<String> sortedKeys() {
    return CONTEXT_KEYS.stream().sorted().toList();
  }

  private static RetentionDays retentionDays(String env, int days) {
    RetentionDays retention = RETENTION_BY_DAYS.get(days);
    if (retention == null) {
      throw new IllegalArgumentException(
          "Environment '"
              + env
              + "': logRetentionDays must be one of "
              + RETENTION_BY_DAYS.keySet()
              + ", got "
              + days);
    }
    return retention;
  }

  private static boolean bool(String env, Map<String, ?> entry, String key, boolean fallback) {
    Object value = entry.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw new IllegalArgumentException(
        "Environment '" + env + "': " + key + " must be true or false, got " + value);
  }

  private static Number number(String env, Map<String, ?> entry, String key) {
    Object value = entry.get(key);
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof String s) {
      try {
        return Double.valueOf(s);
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "Environment '" + env + "': " + key + " must be a number, got " + value);
  }

  private static int positiveInt(String env, Map<String, ?> entry, String key, int fallback) {
    if (!entry.containsKey(key)) {
      return fallback;
    }
    Number value = number(env, entry, key);
    if (value.doubleValue() != Math.rint(value.doubleValue())
        || value.doubleValue() < 1
        || value.doubleValue() > 1_000_000) {
      throw new IllegalArgumentException(
          "Environment '" + env + "': " + key + " must be a positive integer, got " + value);
    }
    return value.intValue();
  }

  private static long maxUploadBytes(String env, Map<String, ?> entry, long fallback) {
    if (!entry.containsKey("maxUploadBytes")) {
      return fallback;
    }
    Number value = number(env, entry, "maxUploadBytes");
    double bytes = value.doubleValue();
    if (bytes != Math.rint(bytes) || bytes < 1 || bytes > MAX_UPLOAD_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "Environment '"
              + env
              + "': maxUploadBytes must be a whole number of bytes from 1 to "
              + MAX_UPLOAD_BYTES_CEILING
              + " (10,000 parts of 5 GiB), got "
              + value);
    }
    return value.longValue();
  }

  private static List<String> strings(String env, Map<String, ?> entry, String key) {
    Object value = entry.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new IllegalArgumentException(
        "Environment '" + env + "': " + key + " must be a list of strings, got " + value);
  }

  private static Optional<String> optionalString(String env, Map<String, ?> entry, String key) {
    Object value = entry.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s && !s.isBlank()) {
      return Optional.of(s);
    }
    throw new IllegalArgumentException(
        "Environment '" + env + "': " + key + " must be a non-empty string, got " + value);
  }

  private static boolean hasReservedWord(String value) {
    return RESERVED_IN_DOMAIN_PREFIX.stream().anyMatch(value::contains);
  }

  private static void require(boolean condition, String env, String message) {
    if (!condition) {
      throw new IllegalArgumentException("Environment '" + env + "': " + message);
    }
  }
}
