package dev.uploaddashboard.lambda.store;

import dev.uploaddashboard.lambda.model.FileItem;
import java.util.List;
import java.util.Optional;

/** One page of live files, and where the next page starts if there is one. */
public record FilePage(List<FileItem> items, Optional<PagePosition> next) {
  public FilePage {
    items = List.copyOf(items);
  }
}
