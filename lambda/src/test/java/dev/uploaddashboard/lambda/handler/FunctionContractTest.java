package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lambda side of the contract: each function's handler class is a {@code RequestStreamHandler}
 * with the {@code (Function<String,String> env)} constructor local mode uses, and it reads exactly
 * the environment the contract gives the function (infra sets those names and no others, so a name
 * read but not listed would be missing when deployed). Reads happen at initialization: a handler
 * fails its cold start, not a request, on a missing setting.
 */
class FunctionContractTest {

  /** A plausible value for each name: the handlers parse numbers and order lists at start-up. */
  private static final Map<String, String> VALUES =
      Map.ofEntries(
          Map.entry(Env.TABLE_NAME, "upload_metadata"),
          Map.entry(Env.UPLOAD_BUCKET, "contract-test-bucket"),
          Map.entry(Env.SORT_ORDERS, "uploaded,name,size"),
          Map.entry(Env.DOWNLOAD_URL_TTL_SECONDS, "300"),
          Map.entry(Env.UPLOAD_URL_TTL_SECONDS, "60"),
          Map.entry(Env.MAX_UPLOAD_BYTES, "104857600"),
          Map.entry(Env.UPLOAD_QUOTA_TABLE, "upload_quota"),
          Map.entry(Env.UPLOADS_PER_USER_PER_HOUR, "200"),
          Map.entry(Env.RECONCILE_MAX_KEYS, "1000"),
          Map.entry(Env.ABANDONED_UPLOAD_HOURS, "168"),
          Map.entry(Env.MAX_MULTIPART_UPLOAD_BYTES, "5368709120"),
          Map.entry(Env.PART_URL_TTL_SECONDS, "900"));

  static Stream<FunctionSpec> functions() {
    return Functions.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("functions")
  void eachHandlerReadsExactlyTheEnvironmentTheContractGivesIt(FunctionSpec function)
      throws Exception {
    Set<String> read = new ConcurrentSkipListSet<>();
    Function<String, String> env =
        name -> {
          read.add(name);
          if (name.equals("AWS_REGION")) {
            return "us-east-1";
          }
          if (name.equals("AWS_ENDPOINT_URL")) {
            return "http://127.0.0.1:9"; // never called: construction makes no AWS call
          }
          if (name.equals("AWS_ACCESS_KEY_ID") || name.equals("AWS_SECRET_ACCESS_KEY")) {
            return "contract-test";
          }
          return function.environment().contains(name) ? VALUES.get(name) : null;
        };

    Class<? extends RequestStreamHandler> type =
        Class.forName(function.handlerClass()).asSubclass(RequestStreamHandler.class);
    type.getConstructor(Function.class).newInstance(env);

    Set<String> ownNames = new TreeSet<>(read);
    ownNames.removeIf(name -> name.startsWith("AWS_"));
    assertThat(ownNames)
        .as("environment names %s reads besides the runtime's AWS_*", function.handlerClass())
        .containsExactlyInAnyOrderElementsOf(function.environment());
  }

  @org.junit.jupiter.api.Test
  void theUploadHandlerServesExactlyTheContractsRoutes() {
    assertThat(CreateUploadHandler.ROUTES)
        .containsExactlyInAnyOrderElementsOf(Functions.CREATE_UPLOAD.routes());
  }
}
