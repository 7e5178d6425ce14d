package dev.uploaddashboard.lambda.model;

/** A live file as the dashboard shows it; serialises to the contract's item JSON. */
public record FileItem(
    String bucket,
    String objectKey,
    String fileName,
    long size,
    String contentType,
    String uploadedAt) {}
