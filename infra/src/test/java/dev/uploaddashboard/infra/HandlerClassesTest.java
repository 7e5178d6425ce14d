package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The handler strings in the template name real classes of the lambda module (on infra's test
 * classpath through the {@code provided} dependency).
 */
class HandlerClassesTest {

  /** The five handlers of docs/CONTRACT.md. */
  static final List<String> HANDLERS =
      List.of(
          FileFunctions.DELETE_HANDLER,
          FileFunctions.LIST_HANDLER,
          FileFunctions.DETAIL_HANDLER,
          FileFunctions.UPLOAD_HANDLER,
          MetadataSync.SYNC_HANDLER);

  @Test
  void templateUsesExactlyTheContractHandlers() {
    Template template = TestApps.template("dev");
    Set<Object> javaHandlers =
        template.findResources("AWS::Lambda::Function").values().stream()
            .map(Resources::properties)
            .filter(p -> "java25".equals(p.get("Runtime")))
            .map(p -> p.get("Handler"))
            .collect(Collectors.toSet());
    assertThat(javaHandlers).containsExactlyInAnyOrderElementsOf(HANDLERS);
  }

  @Test
  void everyHandlerIsARequestStreamHandlerOfTheLambdaModule() throws ClassNotFoundException {
    ClassLoader loader = getClass().getClassLoader();
    // Without -am, Maven resolves the lambda module from ~/.m2; until it has been installed there
    // with its classes this test cannot say anything, so it is skipped rather than failed.
    Assumptions.assumeTrue(
        loader.getResource("dev/uploaddashboard/lambda/") != null,
        "lambda classes are not on the classpath: run `mvn -pl lambda install` or build with -am");
    for (String handler : HANDLERS) {
      Class<?> type = Class.forName(handler, false, loader);
      assertThat(RequestStreamHandler.class.isAssignableFrom(type))
          .as("%s implements RequestStreamHandler", handler)
          .isTrue();
    }
  }
}
