package dev.uploaddashboard.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The functions' deployment packages: one jar per function in one directory ({@code
 * lambda/target/functions/<name>.jar}, built with the handlers by {@code mvn -pl lambda package};
 * lambda/src/build/function-packages.properties says what each keeps).
 *
 * @param directory the directory holding {@code <name>.jar} for each of {@link #NAMES}
 */
public record FunctionPackages(Path directory) {
  public static final String DELETE = "delete";
  public static final String LIST = "list";
  public static final String DETAIL = "detail";
  public static final String UPLOAD = "upload";
  public static final String SYNC = "sync";
  public static final String MFA_GUARD = "mfa-guard";
  public static final String RECONCILE = "reconcile";
  public static final List<String> NAMES =
      List.of(DELETE, LIST, DETAIL, UPLOAD, SYNC, MFA_GUARD, RECONCILE);

  public FunctionPackages {
    Objects.requireNonNull(directory, "directory");
  }

  /** The packages of a directory, which must hold all of them. */
  public static FunctionPackages in(Path directory) {
    for (String name : NAMES) {
      Path jar = directory.resolve(name + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(
            "Function package "
                + jar.toAbsolutePath()
                + " not found (build it: mvn -pl lambda package)");
      }
    }
    return new FunctionPackages(directory);
  }

  /** The asset of one function's package. */
  public Code code(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("No function package named " + name);
    }
    return Code.fromAsset(directory.resolve(name + ".jar").toString());
  }
}
