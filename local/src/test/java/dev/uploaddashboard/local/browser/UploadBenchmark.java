package dev.uploaddashboard.local.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.uploaddashboard.local.LocalOptions;
import dev.uploaddashboard.local.LocalProduct;
import dev.uploaddashboard.local.auth.DevUser;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Upload throughput of a big file through the dashboard in real Chromium against local mode, the
 * way {@code bin/run} keeps data (on disk, s3proxy's filesystem store): the file goes in 8 MiB
 * parts, four at a time, each with its CRC32C computed in the page and checked by s3proxy; timed
 * from choosing the file to the upload's completion, and the sync listing it. Also reports the
 * JVM's peak heap use while the upload runs (local mode, s3proxy and the functions share it).
 *
 * <p>Exits 2 when the throughput is under its budget, 1 when the benchmark fails. Run by {@code
 * bin/bench} ({@code --upload-mib N}, default 1024).
 */
public final class UploadBenchmark {
  private static final int MIB = 1024 * 1024;
  private static final double BUDGET_MB_PER_S = 20;

  private UploadBenchmark() {}

  public static void main(String[] args) {
    try {
      int exit = run(args);
      System.exit(exit);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static int run(String[] args) throws Exception {
    long mib = 1024;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--upload-mib")) {
        mib = Long.parseLong(args[i + 1]);
      }
    }
    Chromium.executable();
    Path work = Files.createTempDirectory("upload-bench");
    try {
      Path file = work.resolve("big-" + mib + "MiB.bin");
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(mib * MIB);
        for (long offset = 0; offset < mib * MIB; offset += MIB) {
          raf.seek(offset);
          raf.write(("offset " + offset + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      System.out.printf(
          "Starting local mode (data on disk) and uploading a %,d MiB file...%n", mib);
      try (LocalProduct product =
              LocalProduct.start(
                  LocalOptions.builder()
                      .dataDirectory(work.resolve("data"))
                      .ephemeralPorts()
                      .webRoot(RepositoryFiles.root().resolve("web"))
                      .build());
          Playwright playwright = Chromium.playwright();
          Browser browser = Chromium.launch(playwright);
          BrowserContext context = browser.newContext()) {
        Page page = context.newPage();
        page.setDefaultTimeout(30 * 60_000);
        DevUser alice = product.user("alice");
        page.navigate(product.dashboardUrl() + "/");
        page.locator("#sign-in-button").click();
        page.getByLabel("Username").fill(alice.name());
        page.getByLabel("Password").fill(alice.password());
        page.locator("button[type=submit]").click();
        page.locator("#account-name:not(:empty)").waitFor();

        AtomicLong peakHeap = new AtomicLong();
        Thread sampler =
            new Thread(
                () -> {
                  var memory = ManagementFactory.getMemoryMXBean();
                  while (!Thread.currentThread().isInterrupted()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        sampler.start();
        long start = System.nanoTime();
        page.locator("#file-input").setInputFiles(file);
        page.locator(".upload-item[data-state=processing], .upload-item[data-state=done]")
            .first()
            .waitFor(
                new com.microsoft.playwright.Locator.WaitForOptions()
                    .setState(WaitForSelectorState.ATTACHED));
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        page.locator(".upload-item[data-state=done]").waitFor();
        double listedSeconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();

        double mbPerS = mib * MIB / 1e6 / uploadSeconds;
        String line = "-".repeat(86);
        System.out.printf(
            "Upload benchmark: local mode (filesystem store), Chromium %s, one file of %,d MiB%n",
            browser.version(), mib);
        System.out.println(line);
        System.out.printf(
            "%-46s %10.1f MB/s  budget >= %.0f MB/s%s%n",
            "upload in parts: choose file -> completed",
            mbPerS,
            BUDGET_MB_PER_S,
            mbPerS < BUDGET_MB_PER_S ? " (UNDER)" : " (ok)");
        System.out.printf("%-46s %10.1f s%n", "  time to completed", uploadSeconds);
        System.out.printf("%-46s %10.1f s%n", "  time to listed (sync)", listedSeconds);
        System.out.printf(
            "%-46s %10d MiB (before: %d MiB)%n",
            "  JVM heap in use, peak during the upload", peakHeap.get() / MIB, heapBefore / MIB);
        System.out.println(line);
        return mbPerS < BUDGET_MB_PER_S ? DashboardBenchmark.OVER_BUDGET : 0;
      }
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
