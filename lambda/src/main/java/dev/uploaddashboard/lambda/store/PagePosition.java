package dev.uploaddashboard.lambda.store;

/** Where a newest-first listing stopped: the index key of the last item returned. */
public record PagePosition(String bucket, String objectKey, String uploadedAt) {}
