package dev.uploaddashboard.lambda.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeFileNamesTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "report.pdf | report.pdf",
        "résumé final (v2).pdf | résumé-final-v2-.pdf",
        "報告書 2026.xlsx | 報告書-2026.xlsx",
        "../../etc/passwd | ..-..-etc-passwd",
        "a//b\\\\c | a-b-c",
        "\"  \" | file",
        ".. | file",
        "... | file",
        "-.- | file",
        "my_file-1.tar.gz | my_file-1.tar.gz",
        "e\u0301te\u0301.txt | été.txt",
        "emoji 🎉 party.png | emoji-party.png"
      })
  void keepsLettersDigitsDotsUnderscoresAndDashes(String input, String expected) {
    assertThat(SafeFileNames.of(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"120", "100", "101"})
  void capsTheLengthAtWholeCharacters(int length) {
    String name = "𝒜".repeat(length);

    String safe = SafeFileNames.of(name);

    assertThat(safe.codePointCount(0, safe.length()))
        .isEqualTo(Math.min(length, SafeFileNames.MAX_CODE_POINTS));
    assertThat(safe).isEqualTo("𝒜".repeat(Math.min(length, SafeFileNames.MAX_CODE_POINTS)));
  }
}
