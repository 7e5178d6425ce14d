package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.SignedUrl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** One live file with a short-lived download link. */
public final class FileDetailService {
  private final FileMetadataStore metadata;
  private final ObjectUrlSigner signer;
  private final Duration downloadTtl;

  public FileDetailService(
      FileMetadataStore metadata, ObjectUrlSigner signer, Duration downloadTtl) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.downloadTtl = Objects.requireNonNull(downloadTtl, "downloadTtl");
  }

  public record Detail(FileItem item, String downloadUrl, String downloadUrlExpiresAt) {}

  /**
   * Empty when there is no live row for the key (missing, or removed and tombstoned), and, without
   * looking, when the key is not the caller's to open.
   */
  public Optional<Detail> find(Caller caller, String key) {
    ObjectKeys.requireValid(key);
    if (!caller.mayAccess(key)) {
      return Optional.empty();
    }
    return metadata
        .findLive(signer.bucket(), key)
        .map(
            item -> {
              SignedUrl url =
                  signer.download(key, ContentDisposition.attachment(item.fileName()), downloadTtl);
              return new Detail(item, url.url(), Timestamps.format(url.expiresAt()));
            });
  }
}
