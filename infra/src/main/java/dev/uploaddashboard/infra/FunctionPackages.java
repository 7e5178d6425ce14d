package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
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
  /** The package of each of the contract's functions. */
  public static final List<String> NAMES =
      Functions.ALL.stream().map(FunctionSpec::packageName).toList();

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
  public Code code(FunctionSpec function) {
    return Code.fromAsset(directory.resolve(function.packageName() + ".jar").toString());
  }
}
