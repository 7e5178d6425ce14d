package dev.uploaddashboard.lambda.model;

/**
 * A live file as the dashboard shows it; serialises to the contract's item JSON. {@code
 * checksumCrc32c} is the object's full-object CRC32C (base64) as S3 reported it to sync, or null
 * for files stored without one.
 */
public record FileItem(
    String bucket,
    String objectKey,
    String fileName,
    long size,
    String contentType,
    String uploadedAt,
    String checksumCrc32c) {

  public FileItem(
      String bucket,
      String objectKey,
      String fileName,
      long size,
      String contentType,
      String uploadedAt) {
    this(bucket, objectKey, fileName, size, contentType, uploadedAt, null);
  }
}
