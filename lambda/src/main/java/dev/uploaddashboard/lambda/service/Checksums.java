package dev.uploaddashboard.lambda.service;

import java.util.regex.Pattern;

/** The checksum values the API accepts: S3's flexible checksums, base64 as S3 writes them. */
public final class Checksums {
  /** The header S3 reads a CRC32C from (PUT, UploadPart) and answers it in. */
  public static final String CRC32C_HEADER = "x-amz-checksum-crc32c";

  /** Four bytes in base64: six significant characters and the padding. */
  private static final Pattern CRC32C = Pattern.compile("[A-Za-z0-9+/]{5}[AQgw]==");

  private Checksums() {}

  /** The value if it is a base64 CRC32C, else 400 {@code invalid_field} naming the field. */
  public static String requireCrc32c(String field, String value) {
    if (value == null || !CRC32C.matcher(value).matches()) {
      throw RequestRejectedException.invalid(
          "invalid_field",
          "Field '" + field + "' must be a CRC32C checksum: 4 bytes in base64, e.g. 'AAAAAA=='");
    }
    return value;
  }
}
