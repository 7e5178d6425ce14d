package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.FunctionSpec;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * One Java handler: the newest Java runtime, arm64, JSON logs into its own log group with a
 * retention (no LogRetention custom resource), and its own role with log writing only. Callers add
 * the narrow statements the function needs.
 *
 * <p>SnapStart is on (published versions): every deployment that changes the function publishes a
 * version, Lambda initializes it once (the handler primes its request path in a CRaC {@code
 * beforeCheckpoint} hook) and snapshots it, and new execution environments resume from that
 * snapshot instead of starting a JVM. Only versions have snapshots, so whatever invokes the
 * function (API integrations, S3 notifications, triggers) must invoke {@link #alias()}, which
 * points at the current version, never the function itself ($LATEST).
 *
 * <p>The role is declared here rather than left to {@code Function}, which would attach the managed
 * {@code AWSLambdaBasicExecutionRole} ({@code logs:CreateLogGroup}, {@code CreateLogStream} and
 * {@code PutLogEvents} on every log group of the account). The function writes only to its own,
 * pre-created log group, so the role may create streams and put events there and nowhere else.
 */
public final class JavaFunction extends Construct {

  public static final Runtime RUNTIME = Runtime.JAVA_25;

  /** Lines the functions log below this level are dropped by Lambda. */
  public static final ApplicationLogLevel APPLICATION_LOG_LEVEL = ApplicationLogLevel.INFO;

  /** Lambda's own log lines below this level are dropped (INFO keeps START, END and REPORT). */
  public static final SystemLogLevel SYSTEM_LOG_LEVEL = SystemLogLevel.INFO;

  /**
   * JVM options of every function. C1 only: Lambda's java25 runtime already stops at C1 for
   * on-demand functions, but gives SnapStart versions the JVM's default tiered compilation (C2
   * too). Measured with {@code bin/bench-coldstart --snapstart --tls}, C1 only halves the CPU time
   * of the first request after a restore (95 against 200 ms) and answers it sooner (96 against 139
   * ms): the primed code is already compiled by C1, where the default would run it with profiling
   * and start C2 compilations during the request. And C1 compiles a method after a tenth of the
   * usual invocations ({@code CompileThresholdScaling=0.1}): a warm delete then spends 4.6 ms of
   * CPU instead of 6.7 ms and answers in 7.2 ms instead of 10.4 ms (SnapStart, {@code
   * bin/bench-coldstart --snapstart --warm 200 --baseline-java-tool-options}), for about as long a
   * first request after a restore; the cost is compilation CPU earlier, mostly in an on-demand
   * init.
   */
  public static final String JAVA_TOOL_OPTIONS =
      "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1";

  /** The alias every invoker uses; it follows the version published by each deployment. */
  public static final String ALIAS = "live";

  /**
   * @param spec the function in the contract: handler class, description, timeout, memory and the
   *     names of its environment
   * @param code the Lambda jar asset
   * @param environment a value for each of the contract's environment names, and nothing else
   * @param logs retention and removal of the log groups
   */
  public record Props(
      FunctionSpec spec, Code code, Map<String, String> environment, LogPolicy logs) {
    public Props {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(code, "code");
      environment = Map.copyOf(environment);
      Objects.requireNonNull(logs, "logs");
      if (!environment.keySet().equals(Set.copyOf(spec.environment()))) {
        throw new IllegalArgumentException(
            spec.id()
                + " must get exactly the environment the contract names, "
                + spec.environment()
                + "; got "
                + new TreeMap<>(environment).keySet());
      }
    }
  }

  private final FunctionSpec spec;
  private final Function function;
  private final Alias alias;
  private final LogGroup logGroup;
  private final Role role;

  public JavaFunction(Construct scope, String id, Props props) {
    super(scope, id);
    spec = props.spec();
    logGroup = props.logs().logGroup(this, "LogGroup");
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description(props.spec().description())
            .build();
    logGroup.grantWrite(role);
    function =
        Function.Builder.create(this, "Function")
            .description(props.spec().description())
            .runtime(RUNTIME)
            .architecture(Architecture.ARM_64)
            .code(props.code())
            .handler(props.spec().handlerClass())
            .memorySize(props.spec().memoryMb())
            .timeout(Duration.seconds(props.spec().timeoutSeconds()))
            .environment(environment(props.environment()))
            .loggingFormat(LoggingFormat.JSON)
            // The handlers log each line with its level (JsonLog); Lambda drops the lines below
            // the application level. The system level keeps Lambda's INFO lines: its REPORT line
            // carries Duration, Init Duration and, with SnapStart, Restore Duration.
            .applicationLogLevelV2(APPLICATION_LOG_LEVEL)
            .systemLogLevelV2(SYSTEM_LOG_LEVEL)
            .logGroup(logGroup)
            .role(role)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .build();
    alias =
        Alias.Builder.create(this, "Alias")
            .aliasName(ALIAS)
            .version(function.getCurrentVersion())
            .build();
  }

  private static Map<String, String> environment(Map<String, String> contract) {
    Map<String, String> environment = new TreeMap<>(contract);
    environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    return environment;
  }

  public Function function() {
    return function;
  }

  /** The function in the contract. */
  public FunctionSpec spec() {
    return spec;
  }

  /** What invokers must call: the current published version (with its SnapStart snapshot). */
  public Alias alias() {
    return alias;
  }

  public Role role() {
    return role;
  }

  public LogGroup logGroup() {
    return logGroup;
  }

  /**
   * Reserves {@code executions} concurrent executions for the function, which also caps it there: a
   * flood of requests or S3 events is throttled at the function instead of taking the account's
   * whole concurrency. (AWS keeps at least 100 executions of an account unreserved.)
   */
  public static void reserveConcurrency(Function function, int executions) {
    ((CfnFunction) function.getNode().getDefaultChild())
        .setReservedConcurrentExecutions(executions);
  }
}
