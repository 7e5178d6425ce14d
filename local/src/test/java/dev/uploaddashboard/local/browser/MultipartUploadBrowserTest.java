package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Big files in real Chromium against local mode: in parts (four at a time, each signed with its
 * CRC32C), through a connection cut mid-part, cancelled, and resumed after a reload without sending
 * again the parts storage already has.
 */
class MultipartUploadBrowserTest extends DashboardTestBase {
  private static final int MIB = 1024 * 1024;
  private static final Pattern PART_NUMBER = Pattern.compile("[?&]partNumber=(\\d+)");

  private Path directory;
  private final List<Integer> partPuts = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void recordPartPuts() throws IOException {
    directory = Files.createTempDirectory("multipart-browser");
    page.onRequest(
        request -> {
          Matcher number = PART_NUMBER.matcher(request.url());
          if (request.method().equals("PUT") && number.find()) {
            partPuts.add(Integer.parseInt(number.group(1)));
          }
        });
  }

  @AfterEach
  void removeFiles() throws IOException {
    // A test that failed mid-upload must not leave its upload to the next one.
    var s3 = product.s3Client();
    for (var upload : s3.listMultipartUploads(r -> r.bucket(product.bucketName())).uploads()) {
      s3.abortMultipartUpload(
          r -> r.bucket(product.bucketName()).key(upload.key()).uploadId(upload.uploadId()));
    }
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  @Test
  void aFileOfHundredsOfMibGoesInPartsAndIsStoredWithItsChecksum() throws Exception {
    Path file = sparseFile("recording.mov", 300L * MIB);
    open();

    page.locator("#file-input").setInputFiles(file);

    Locator item = uploadItem("recording.mov");
    expect(item)
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(240_000));
    String crc = crc32c(file);
    expect(item.locator(".upload__status")).containsText("CRC32C " + crc);
    // 300 MiB in 8 MiB parts: 38 parts, each sent once.
    assertThat(partPuts).hasSize(38).doesNotHaveDuplicates();
    expect(fileButton("recording.mov")).isVisible();
    String key = onlyKey();
    var head =
        product
            .s3Client()
            .headObject(
                r -> r.bucket(product.bucketName()).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(head.contentLength()).isEqualTo(300L * MIB);
    assertThat(head.checksumCRC32C()).isEqualTo(crc);
    assertThat(storedUploads()).isEmpty();
    // Sync recorded the object's checksum; the details panel shows it.
    fileButton("recording.mov").click();
    expect(page.locator("#details")).containsText("Checksum (CRC32C)");
    expect(page.locator("#details .details__checksum")).hasText(crc);
  }

  @Test
  void aConnectionCutMidPartIsRetriedAndTheUploadCompletes() throws Exception {
    Path file = sparseFile("dataset.csv", 20L * MIB);
    open();
    AtomicBoolean cut = new AtomicBoolean();
    page.route(
        url -> PART_NUMBER.matcher(url).find() && url.contains("partNumber=2"),
        route -> {
          if (cut.compareAndSet(false, true)) {
            route.abort("connectionreset");
          } else {
            route.resume();
          }
        });

    page.locator("#file-input").setInputFiles(file);

    expect(uploadItem("dataset.csv"))
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
    assertThat(cut).isTrue();
    assertThat(partPuts.stream().filter(n -> n == 2)).hasSize(2);
    assertThat(partPuts.stream().filter(n -> n != 2)).containsExactlyInAnyOrder(1, 3);
    assertThat(storedBytes(onlyKey())).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void cancelAbortsTheUploadAndLeavesNothingBehind() throws Exception {
    Path file = sparseFile("backup.tar", 64L * MIB);
    open();
    throttleUploads(4 * MIB);

    page.locator("#file-input").setInputFiles(file);
    Locator item = uploadItem("backup.tar");
    expect(item).hasAttribute("data-state", "uploading");
    expect(item.locator(".upload__status")).containsText("left");
    screenshot("upload-multipart-progress");
    item.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Cancel upload: backup.tar"))
        .click();

    expect(item).hasAttribute("data-state", "cancelled");
    expect(page.locator("#announcer")).containsText("cancelled");
    assertThat(
            product.s3Client().listMultipartUploads(r -> r.bucket(product.bucketName())).uploads())
        .isEmpty();
    assertThat(product.s3Client().listObjectsV2(r -> r.bucket(product.bucketName())).contents())
        .isEmpty();
    assertThat(storedUploads()).isEmpty();
    assertThat(seriousViolations(page)).isEmpty();
  }

  @Test
  void pauseStopsSendingAndResumeFinishesTheSameUploadWithoutResendingStoredParts()
      throws Exception {
    // Eight parts, four at a time: pausing after the first is stored leaves parts never started.
    Path file = sparseFile("archive.zip", 64L * MIB);
    open();
    throttleUploads(6 * MIB);
    Locator item = pauseOnceAPartIsStored(file);

    expect(item).hasAttribute("data-state", "paused");
    expect(item.locator(".upload__status")).containsText("Paused at");
    List<String> storedAtPause = storedPartNumbers();
    String uploadId = (String) storedUploads().get(0).get("uploadId");
    int putsAtPause = partPuts.size();
    // Paused means paused: no part is started while it stays so.
    page.waitForTimeout(1_500);
    assertThat(partPuts).hasSize(putsAtPause);
    assertThat(storedPartNumbers()).isEqualTo(storedAtPause);
    partPuts.clear();

    press(item, "Resume: archive.zip");

    expect(item)
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
    assertThat(storedBytes(onlyKey())).isEqualTo(Files.readAllBytes(file));
    // The same upload continued: the parts stored before the pause were not sent again, and no
    // other upload was started (storage holds none left open).
    assertThat(storedAtPause).isNotEmpty();
    assertThat(partPuts)
        .doesNotHaveDuplicates()
        .noneMatch(n -> storedAtPause.contains(String.valueOf(n)))
        .hasSize(8 - storedAtPause.size());
    assertThat(uploadId).isNotBlank();
    assertThat(
            product.s3Client().listMultipartUploads(r -> r.bucket(product.bucketName())).uploads())
        .isEmpty();
  }

  @Test
  void resumeRightAfterPauseOnASlowDeviceFinishesTheUpload() throws Exception {
    // On a slow CPU, pausing while a part's checksum is being computed leaves that worker busy
    // for a while; a Resume clicked meanwhile must not be stopped when that worker stops.
    Path file = sparseFile("dataset.csv", 64L * MIB);
    open();
    throttleUploads(6 * MIB);
    context.newCDPSession(page).send("Emulation.setCPUThrottlingRate", cpuSlowdown(6));
    Locator item = pauseOnceAPartIsStored(file);
    press(item, "Resume: dataset.csv");

    expect(item)
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(90_000));
    assertThat(storedBytes(onlyKey())).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void afterAReloadChoosingTheSameFileResumesWithoutResendingStoredParts() throws Exception {
    Path file = sparseFile("video.mp4", 48L * MIB);
    open();
    throttleUploads(6 * MIB);
    page.locator("#file-input").setInputFiles(file);
    // Wait until storage holds at least two parts (the page keeps each one's checksum).
    page.waitForCondition(
        () -> storedUploads().size() == 1 && storedPartCount() >= 2,
        new Page.WaitForConditionOptions().setTimeout(60_000));

    page.reload();
    Locator item = uploadItem("video.mp4");
    expect(item).hasAttribute("data-state", "interrupted");
    expect(item).containsText("Choose the same file again to resume");
    assertThat(seriousViolations(page)).isEmpty();
    List<Integer> sentBefore = new ArrayList<>(partPuts);
    int storedBefore = storedPartCount();
    partPuts.clear();
    page.locator("#file-input").setInputFiles(file);

    expect(item)
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
    assertThat(sentBefore).isNotEmpty();
    // Six parts in all; only those storage did not hold were sent after the reload.
    assertThat(partPuts).hasSize(6 - storedBefore).doesNotHaveDuplicates();
    assertThat(storedBytes(onlyKey())).isEqualTo(Files.readAllBytes(file));
  }

  // --- helpers

  /** Chooses the file, waits until storage holds one of its parts, then presses Pause. */
  private Locator pauseOnceAPartIsStored(Path file) {
    page.locator("#file-input").setInputFiles(file);
    String name = file.getFileName().toString();
    Locator item = uploadItem(name);
    page.waitForCondition(
        () -> storedPartCount() >= 1, new Page.WaitForConditionOptions().setTimeout(60_000));
    press(item, "Pause: " + name);
    return item;
  }

  private static void press(Locator item, String label) {
    item.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(label)).click();
  }

  private Locator uploadItem(String name) {
    return page.locator(".upload-item", new Page.LocatorOptions().setHasText(name));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> storedUploads() {
    return (List<Map<String, Object>>)
        page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('upload-dashboard:multipart:'))"
                + ".map(k => JSON.parse(localStorage.getItem(k)))");
  }

  private int storedPartCount() {
    return ((Number)
            page.evaluate(
                "() => Object.keys(localStorage).filter(k => k.startsWith('upload-dashboard:multipart:'))"
                    + ".map(k => Object.keys(JSON.parse(localStorage.getItem(k)).checksums).length)"
                    + ".reduce((a, b) => a + b, 0)"))
        .intValue();
  }

  @SuppressWarnings("unchecked")
  private List<String> storedPartNumbers() {
    return (List<String>)
        page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('upload-dashboard:multipart:'))"
                + ".flatMap(k => Object.keys(JSON.parse(localStorage.getItem(k)).checksums)).sort()");
  }

  private static String onlyKey() {
    var objects = product.s3Client().listObjectsV2(r -> r.bucket(product.bucketName())).contents();
    assertThat(objects).hasSize(1);
    return objects.get(0).key();
  }

  private static byte[] storedBytes(String key) {
    return product
        .s3Client()
        .getObjectAsBytes(r -> r.bucket(product.bucketName()).key(key))
        .asByteArray();
  }

  /**
   * A file of this size, made quickly: sparse (zeros) with a marker every MiB, so every part has
   * content of its own and a misplaced part would change the checksum.
   */
  private Path sparseFile(String name, long size) throws IOException {
    Path path = directory.resolve(name);
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(size);
      for (long offset = 0; offset < size; offset += MIB) {
        file.seek(offset);
        file.write(("offset " + offset + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return path;
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[MIB];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, read);
      }
    }
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static JsonObject cpuSlowdown(int rate) {
    JsonObject throttling = new JsonObject();
    throttling.addProperty("rate", rate);
    return throttling;
  }

  private void throttleUploads(int bytesPerSecond) {
    CDPSession cdp = context.newCDPSession(page);
    cdp.send("Network.enable");
    JsonObject conditions = new JsonObject();
    conditions.addProperty("offline", false);
    conditions.addProperty("latency", 0);
    conditions.addProperty("downloadThroughput", -1);
    conditions.addProperty("uploadThroughput", bytesPerSecond);
    cdp.send("Network.emulateNetworkConditions", conditions);
  }
}
