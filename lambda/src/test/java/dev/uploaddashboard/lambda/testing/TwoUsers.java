package dev.uploaddashboard.lambda.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh bucket holding files of two users, Alice and Bob, and one file without an owner, plus the
 * bucket's whole state once arranged: a request that must change nothing is checked against every
 * object and every row, not only the ones it named.
 */
public final class TwoUsers {
  public static final String UPLOADED_AT = "2026-11-20T10:00:00.000Z";
  private static final Pattern SIZED = Pattern.compile("\\{A(\\d+)\\}");

  public final TestBucket bucket = new TestBucket();
  public final String alice = TestBucket.newUserId("alice");
  public final String bob = TestBucket.newUserId("bob");

  /** Alice's canary file. */
  public final String aliceFile = aliceKey("canary/alice.txt");

  /** Bob's canary file. */
  public final String bobFile = bobKey("canary/bob.txt");

  /** A file whose key names no owner: listed for admins only. */
  public final String ownerlessFile = "incoming/legacy-report.txt";

  private TestBucket.State arranged;

  /**
   * @param moreFiles key templates ({@link #key}) of further files to arrange with the canaries
   */
  public TwoUsers(String... moreFiles) {
    bucket.putFile(aliceFile, "alice.txt", UPLOADED_AT);
    bucket.putFile(bobFile, "bob.txt", "2026-11-20T11:00:00.000Z");
    bucket.putFile(ownerlessFile, "legacy-report.txt", "2026-11-20T12:00:00.000Z");
    for (String template : moreFiles) {
      String key = key(template);
      bucket.putFile(key, key.substring(key.lastIndexOf('/') + 1), UPLOADED_AT);
    }
    arranged = bucket.state();
  }

  public String aliceKey(String rest) {
    return "incoming/" + alice + "/" + rest;
  }

  public String bobKey(String rest) {
    return "incoming/" + bob + "/" + rest;
  }

  /** Adds one file uploaded at the given time and takes it into the arranged state. */
  public TwoUsers withFile(String key, String uploadedAt) {
    bucket.putFile(key, key.substring(key.lastIndexOf('/') + 1), uploadedAt);
    arranged = bucket.state();
    return this;
  }

  /**
   * A key from a template: {A} and {B} stand for Alice's and Bob's ids, {A_UPPER} for Alice's in
   * upper case, and a whole template {A<n>} for a key of Alice's that is exactly n UTF-8 bytes.
   */
  public String key(String template) {
    Matcher sized = SIZED.matcher(template);
    if (sized.matches()) {
      String prefix = aliceKey("");
      int bytes = Integer.parseInt(sized.group(1));
      return prefix + "é".repeat(400) + "x".repeat(bytes - prefix.length() - 800);
    }
    return template
        .replace("{A_UPPER}", alice.toUpperCase(Locale.ROOT))
        .replace("{A}", alice)
        .replace("{B}", bob);
  }

  public void assertNothingChanged() {
    assertThat(arranged.objects()).containsKeys(aliceFile, bobFile, ownerlessFile);
    assertThat(arranged.rows()).containsKeys(aliceFile, bobFile, ownerlessFile);
    assertThat(bucket.state()).as("bucket state").isEqualTo(arranged);
  }

  /** Exactly these files (object and row) are gone; everything else is as arranged. */
  public void assertOnlyDeleted(String... keys) {
    assertThat(arranged.objects()).as("arranged objects").containsKeys(keys);
    assertThat(arranged.rows()).as("arranged rows").containsKeys(keys);
    Map<String, String> objects = new HashMap<>(arranged.objects());
    var rows = new HashMap<>(arranged.rows());
    Arrays.stream(keys).forEach(objects::remove);
    Arrays.stream(keys).forEach(rows::remove);
    TestBucket.State now = bucket.state();
    assertThat(now.objects()).as("objects").isEqualTo(objects);
    assertThat(now.rows()).as("rows").isEqualTo(rows);
  }
}
