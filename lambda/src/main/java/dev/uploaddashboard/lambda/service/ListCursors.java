package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.PagePosition;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opaque list cursors: base64url (no padding) of the index key where the previous page ended, plus
 * the index it belongs to. Decoding checks every part against the listing being asked for (index,
 * bucket and, on the owner index, the caller as owner), so a malformed, edited, or borrowed cursor
 * is a 400, never a DynamoDB error and never a page of someone else's partition.
 */
final class ListCursors {
  private static final String INDEX = "index";
  private static final String OWNER = "owner";
  private static final String BUCKET = "bucket";
  private static final String OBJECT_KEY = "object_key";
  private static final String UPLOADED_AT = "uploaded_at";

  private ListCursors() {}

  static String encode(PagePosition position) {
    Map<String, String> node = new LinkedHashMap<>();
    node.put(INDEX, index(position.owner()));
    position.owner().ifPresent(owner -> node.put(OWNER, owner));
    node.put(BUCKET, position.bucket());
    node.put(OBJECT_KEY, position.objectKey());
    node.put(UPLOADED_AT, position.uploadedAt());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(node));
  }

  /**
   * @param expectedOwner the caller's id when listing their own files, empty for the whole bucket
   */
  static PagePosition decode(String cursor, String expectedBucket, Optional<String> expectedOwner) {
    try {
      if (cursor.isEmpty() || cursor.length() > 4096) {
        throw invalid();
      }
      byte[] json = Base64.getUrlDecoder().decode(cursor);
      int fields = expectedOwner.isPresent() ? 5 : 4;
      if (!(Json.read(json) instanceof Map<?, ?> node) || node.size() != fields) {
        throw invalid();
      }
      for (Object value : node.values()) {
        if (!(value instanceof String)) {
          throw invalid();
        }
      }
      String index = (String) node.get(INDEX);
      Optional<String> owner = Optional.ofNullable((String) node.get(OWNER));
      String bucket = (String) node.get(BUCKET);
      String key = (String) node.get(OBJECT_KEY);
      String uploadedAt = (String) node.get(UPLOADED_AT);
      if (!index(expectedOwner).equals(index)
          || !expectedOwner.equals(owner)
          || !expectedBucket.equals(bucket)
          || !ObjectKeys.isValid(key)
          || !Timestamps.isFixedWidth(uploadedAt)) {
        throw invalid();
      }
      // Rows on the owner index are the owner's by key; a cursor naming another key is forged.
      if (owner.isPresent() && !ObjectKeys.owner(key).equals(owner)) {
        throw invalid();
      }
      return new PagePosition(bucket, key, uploadedAt, owner);
    } catch (RequestRejectedException e) {
      throw e;
    } catch (Exception e) {
      throw invalid();
    }
  }

  private static String index(Optional<String> owner) {
    return owner.isPresent()
        ? FileMetadataStore.OWNER_UPLOADED_AT_INDEX
        : FileMetadataStore.UPLOADED_AT_INDEX;
  }

  private static RequestRejectedException invalid() {
    return RequestRejectedException.invalid("invalid_cursor", "Invalid cursor");
  }
}
