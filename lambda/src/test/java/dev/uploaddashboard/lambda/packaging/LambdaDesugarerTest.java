package dev.uploaddashboard.lambda.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The build's lambda compiler (src/build/LambdaDesugarer.java, run as the build runs it) on a
 * fixture with every kind of lambda and method reference, compiled for Java 8 (as the AWS SDK is)
 * and for Java 17 (as our code is): the rewritten classes answer exactly as the originals, their
 * lambdas are classes from the package instead of hidden classes spun at run time, and what must
 * stay a run-time lambda stays one.
 */
class LambdaDesugarerTest {
  private static final Path FIXTURE = Path.of("src/test/resources/lambda-desugarer");
  private static final Path PROGRAM = Path.of("src/build/LambdaDesugarer.java");
  private static final Path ASM = Path.of("target/build-tools/asm.jar");

  @TempDir Path work;

  @ParameterizedTest(name = "class files for Java {0}")
  @ValueSource(strings = {"8", "17"})
  void compiledLambdasAnswerAsTheOriginalsDo(String release) throws Exception {
    Path original = fixtureJar(release);
    Path packages = Files.createDirectories(work.resolve("packages"));
    Path desugared = Files.copy(original, packages.resolve("fixture.jar"));

    String output = runDesugarer(packages);

    assertThat(output).contains("fixture.jar").contains("lambda sites compiled into");
    Map<String, String> expected = call(original, "results");
    Map<String, String> actual = call(desugared, "results");
    assertThat(actual).isEqualTo(expected);
    assertThat(actual)
        .containsEntry("nonCapturingShared", "true")
        .containsEntry("capturesLongAndInt", String.valueOf((1L << 40) + 3))
        .containsEntry("capturesDouble", "1.5")
        .containsEntry("unboxAndBox", "7")
        .containsEntry("intWidenedToLong", "4")
        .containsEntry("unboxThenWiden", "7.0")
        .containsEntry("boxToObject", "java.lang.Integer 9")
        .containsEntry("privateConstructor", ">")
        .containsEntry("privateInstance", ">x")
        .containsEntry("privateStatic", "QUIET")
        .containsEntry("capturesThis", ">!")
        .containsEntry("longResultDropped", "2")
        .containsEntry("bridge", "abab")
        .containsEntry("marker", "true 12")
        .containsEntry("onlyItsInterface", "false")
        .containsEntry("charBoxed", "b")
        .containsEntry("comparator", "[a, bb, ccc]")
        .containsEntry("serializable", "13");
  }

  @ParameterizedTest(name = "class files for Java {0}")
  @ValueSource(strings = {"8", "17"})
  void lambdasBecomeClassesOfThePackageExceptWhatMustStay(String release) throws Exception {
    Path packages = Files.createDirectories(work.resolve("packages"));
    Path jar = Files.copy(fixtureJar(release), packages.resolve("fixture.jar"));
    Map<String, Object> before = call(jar, "lambdas");
    runDesugarer(packages);

    Map<String, Object> after = call(jar, "lambdas");

    assertThat(before.values())
        .allSatisfy(lambda -> assertThat(lambda.getClass().isHidden()).isTrue());
    for (String name :
        List.of(
            "nonCapturing",
            "capturing",
            "privateInstance",
            "privateConstructor",
            "capturesThis",
            "jdkStatic",
            "marker",
            "bridge")) {
      Class<?> type = after.get(name).getClass();
      assertThat(type.isHidden()).as(name).isFalse();
      assertThat(type.getName()).as(name).startsWith("fixture.Fixture$$Lambda$");
    }
    // Serializable lambdas keep LambdaMetafactory's serialization; an interface cannot hold the
    // bridge to its private lambda body.
    assertThat(after.get("serializable").getClass().isHidden()).isTrue();
    assertThat(after.get("inInterface").getClass().isHidden()).isTrue();
    assertThat(after.get("marker")).isInstanceOf(Runnable.class);
    assertThat(after.get("marker").getClass().getInterfaces())
        .extracting(Class::getSimpleName)
        .containsExactly("Runnable", "Marker");
  }

  @ParameterizedTest(name = "class files for Java {0}")
  @ValueSource(strings = {"8", "17"})
  void theOutputIsTheSameOnEveryBuild(String release) throws Exception {
    Path fixture = fixtureJar(release);
    Path first = Files.createDirectories(work.resolve("first"));
    Path second = Files.createDirectories(work.resolve("second"));
    Files.copy(fixture, first.resolve("fixture.jar"));
    Files.copy(fixture, second.resolve("fixture.jar"));

    runDesugarer(first);
    runDesugarer(second);

    assertThat(Files.readAllBytes(first.resolve("fixture.jar")))
        .isEqualTo(Files.readAllBytes(second.resolve("fixture.jar")))
        .isNotEqualTo(Files.readAllBytes(fixture));
  }

  /** The fixture compiled for a Java release, in a jar as the build's packages are. */
  private Path fixtureJar(String release) throws IOException {
    Path classes = Files.createDirectories(work.resolve("classes-" + release));
    List<String> sources;
    try (Stream<Path> files = Files.walk(FIXTURE)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    }
    List<String> args =
        new ArrayList<>(List.of("--release", release, "-nowarn", "-d", classes.toString()));
    args.addAll(sources);
    int status =
        ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
    assertThat(status).as("javac --release %s", release).isZero();
    Path jar = work.resolve("fixture-" + release + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry(classes.relativize(path).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(path));
        zip.closeEntry();
      }
    }
    return jar;
  }

  /** Runs the build's program on a directory of packages, as lambda/pom.xml does. */
  private static String runDesugarer(Path packages) throws Exception {
    assertThat(ASM)
        .as("ASM copied by the build (mvn -pl lambda generate-resources)")
        .isRegularFile();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ASM.toString(),
                PROGRAM.toString(),
                packages.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    try (ZipFile zip = new ZipFile(packages.resolve("fixture.jar").toFile())) {
      assertThat(zip.stream().map(ZipEntry::getName)).anyMatch(n -> n.contains("$$Lambda$"));
    }
    return output;
  }

  @SuppressWarnings("unchecked")
  private static <T> Map<String, T> call(Path jar, String method) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Method m = Class.forName("fixture.Fixture", true, loader).getMethod(method);
      return (Map<String, T>) m.invoke(null);
    }
  }
}
