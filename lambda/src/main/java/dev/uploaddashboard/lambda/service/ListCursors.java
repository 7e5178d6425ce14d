package dev.uploaddashboard.lambda.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.store.PagePosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;

/**
 * Opaque list cursors: base64url (no padding) of the index key where the previous page ended.
 * Decoding checks every part, so a malformed or edited cursor is a 400, never a DynamoDB error.
 */
final class ListCursors {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "bucket";
  private static final String OBJECT_KEY = "object_key";
  private static final String UPLOADED_AT = "uploaded_at";

  private ListCursors() {}

  static String encode(PagePosition position) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(BUCKET, position.bucket());
    node.put(OBJECT_KEY, position.objectKey());
    node.put(UPLOADED_AT, position.uploadedAt());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  static PagePosition decode(String cursor, String expectedBucket) {
    try {
      if (cursor.isEmpty() || cursor.length() > 4096) {
        throw invalid();
      }
      byte[] json = Base64.getUrlDecoder().decode(cursor);
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject() || node.size() != 3) {
        throw invalid();
      }
      for (Iterator<JsonNode> values = node.elements(); values.hasNext(); ) {
        if (!values.next().isTextual()) {
          throw invalid();
        }
      }
      String bucket = node.path(BUCKET).asText(null);
      String key = node.path(OBJECT_KEY).asText(null);
      String uploadedAt = node.path(UPLOADED_AT).asText(null);
      if (!expectedBucket.equals(bucket)
          || !ObjectKeys.isValid(key)
          || !Timestamps.isFixedWidth(uploadedAt)) {
        throw invalid();
      }
      return new PagePosition(bucket, key, uploadedAt);
    } catch (RequestRejectedException e) {
      throw e;
    } catch (Exception e) {
      throw invalid();
    }
  }

  private static RequestRejectedException invalid() {
    return RequestRejectedException.invalid("invalid_cursor", "Invalid cursor");
  }
}
