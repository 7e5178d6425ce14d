package dev.uploaddashboard.local.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real Chromium the browser tests and the benchmark drive: Debian's {@code /usr/bin/chromium},
 * or the binary named by {@code CHROMIUM_PATH}. Playwright never downloads a browser here.
 */
final class Chromium {

  static final String DEFAULT_PATH = "/usr/bin/chromium";

  private static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private Chromium() {}

  /**
   * The browser binary. A missing browser is an error, not a reason to skip: the test command
   * installs it.
   */
  static Path executable() {
    String configured = System.getenv("CHROMIUM_PATH");
    Path path = Path.of(configured == null || configured.isBlank() ? DEFAULT_PATH : configured);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          "Chromium is not installed: no executable at "
              + path
              + ". Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary."
              + " bin/test does this for you.");
    }
    return path;
  }

  static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser launch(Playwright playwright) {
    return launch(playwright, List.of());
  }

  static Browser launch(Playwright playwright, List<String> extraArgs) {
    List<String> args = new java.util.ArrayList<>(ARGS);
    args.addAll(extraArgs);
    return playwright
        .chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(executable())
                .setHeadless(true)
                .setArgs(args));
  }
}
