package dev.uploaddashboard.lambda.service;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** The last key segment made from a user's file name: never a path, never a dot segment. */
public final class SafeFileNames {
  public static final int MAX_CODE_POINTS = 100;
  private static final Pattern UNSAFE_RUN = Pattern.compile("[^\\p{L}\\p{N}._-]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
  private static final Pattern ONLY_DOTS = Pattern.compile("\\.*");

  private SafeFileNames() {}

  public static String of(String fileName) {
    String normalized = Normalizer.normalize(fileName == null ? "" : fileName, Normalizer.Form.NFC);
    String safe = UNSAFE_RUN.matcher(normalized).replaceAll("-");
    safe = EDGE_DASHES.matcher(safe).replaceAll("");
    if (safe.codePointCount(0, safe.length()) > MAX_CODE_POINTS) {
      safe = safe.substring(0, safe.offsetByCodePoints(0, MAX_CODE_POINTS));
    }
    return ONLY_DOTS.matcher(safe).matches() ? "file" : safe;
  }
}
