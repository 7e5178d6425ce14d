package dev.uploaddashboard.lambda.service;

/** {@code attachment} dispositions with an ASCII fallback name and the RFC 5987 UTF-8 name. */
final class ContentDisposition {
  private ContentDisposition() {}

  static String attachment(String fileName) {
    String name = fileName == null || fileName.isBlank() ? "file" : fileName;
    StringBuilder ascii = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            c -> ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
    return "attachment; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + PercentEncoding.encode(name);
  }
}
