package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The handler strings in the template name real classes of the lambda module (on infra's test
 * classpath through the {@code provided} dependency).
 */
class HandlerClassesTest {

  /** The six handlers of docs/CONTRACT.md (the MFA guard where MFA is optional). */
  static final List<String> HANDLERS =
      List.of(
          Functions.DELETE_FILE.handlerClass(),
          Functions.LIST_FILES.handlerClass(),
          Functions.FILE_DETAIL.handlerClass(),
          Functions.CREATE_UPLOAD.handlerClass(),
          Functions.METADATA_SYNC.handlerClass(),
          Functions.ADMIN_MFA_GUARD.handlerClass(),
          Functions.RECONCILE.handlerClass());

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
    // The reactor build (bin/test) always has the lambda classes; a lone `-pl infra` build needs
    // them installed first, and must fail rather than pass without checking anything.
    assertThat(loader.getResource("dev/uploaddashboard/lambda/"))
        .as("lambda classes on the classpath (build with -am, or `mvn -pl lambda install` first)")
        .isNotNull();
    for (String handler : HANDLERS) {
      Class<?> type = Class.forName(handler, false, loader);
      assertThat(RequestStreamHandler.class.isAssignableFrom(type))
          .as("%s implements RequestStreamHandler", handler)
          .isTrue();
    }
  }
}
