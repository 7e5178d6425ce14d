package dev.uploaddashboard.local.events;

/**
 * Receives object changes from the local S3; must not block (S3 calls it before answering the
 * client).
 */
@FunctionalInterface
public interface S3EventListener {
  void onEvent(S3ObjectEvent event);
}
