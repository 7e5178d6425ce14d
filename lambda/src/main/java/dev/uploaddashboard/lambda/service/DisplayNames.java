package dev.uploaddashboard.lambda.service;

import java.util.regex.Pattern;

/**
 * Names shown to people. Unicode format characters ({@code \p{Cf}}: bidirectional overrides and
 * isolates, zero-width spaces and joiners, the byte order mark, tag characters) are invisible but
 * can reorder or hide text: "invoice", U+202E, "fdp.exe" shows as "invoiceexe.pdf". No name the
 * product stores or shows contains one.
 */
public final class DisplayNames {
  private static final Pattern FORMAT_CHARACTER = Pattern.compile("\\p{Cf}");

  /** Shown where a format character was: a tampered name looks tampered. */
  static final String REPLACEMENT = "\uFFFD";

  private DisplayNames() {}

  public static boolean hasFormatCharacters(String name) {
    return FORMAT_CHARACTER.matcher(name).find();
  }

  /** {@code name} with each format character replaced by U+FFFD. */
  public static String withFormatCharactersReplaced(String name) {
    return FORMAT_CHARACTER.matcher(name).replaceAll(REPLACEMENT);
  }
}
