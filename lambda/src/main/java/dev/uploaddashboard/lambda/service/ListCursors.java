package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.store.FileListings.Listing;
import dev.uploaddashboard.lambda.store.ListSort;
import dev.uploaddashboard.lambda.store.PagePosition;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opaque list cursors: base64url (no padding) of the index key where the previous page ended, the
 * index, the order and the search it belongs to. Decoding checks every part against the listing
 * being asked for (index, order, search, bucket and, on an owner index, the caller as owner), so a
 * malformed, edited, or borrowed cursor, or one from another search or order, is a 400, never a
 * DynamoDB error and never a page of someone else's partition.
 */
final class ListCursors {
  private static final String INDEX = "index";
  private static final String ORDER = "order";
  private static final String QUERY = "q";
  private static final String OWNER = "owner";
  private static final String BUCKET = "bucket";
  private static final String OBJECT_KEY = "object_key";
  private static final String AFTER = "after";
  private static final Set<String> OPTIONAL = Set.of(OWNER, QUERY);
  private static final int MAX_NAME_SORT_CHARS = 2048;

  private ListCursors() {}

  static String encode(PagePosition position, Listing listing, Optional<String> query) {
    Map<String, String> node = new LinkedHashMap<>();
    node.put(INDEX, listing.sort().index(position.owner().isPresent()));
    node.put(ORDER, order(listing));
    query.ifPresent(q -> node.put(QUERY, q));
    position.owner().ifPresent(owner -> node.put(OWNER, owner));
    node.put(BUCKET, position.bucket());
    node.put(OBJECT_KEY, position.objectKey());
    node.put(AFTER, position.sortValue());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(node));
  }

  /** The position a cursor names, if it was issued for exactly this listing and search. */
  static PagePosition decode(String cursor, Listing listing, Optional<String> query) {
    try {
      if (cursor.isEmpty() || cursor.length() > 8192) {
        throw invalid();
      }
      byte[] json = Base64.getUrlDecoder().decode(cursor);
      if (!(Json.read(json) instanceof Map<?, ?> node)) {
        throw invalid();
      }
      for (Map.Entry<?, ?> field : node.entrySet()) {
        if (!(field.getValue() instanceof String)
            || !(Set.of(INDEX, ORDER, BUCKET, OBJECT_KEY, AFTER).contains(field.getKey())
                || OPTIONAL.contains(field.getKey()))) {
          throw invalid();
        }
      }
      Optional<String> owner = Optional.ofNullable((String) node.get(OWNER));
      String bucket = (String) node.get(BUCKET);
      String key = (String) node.get(OBJECT_KEY);
      String after = (String) node.get(AFTER);
      if (!listing.index().equals(node.get(INDEX))
          || !order(listing).equals(node.get(ORDER))
          || !query.equals(Optional.ofNullable((String) node.get(QUERY)))
          || !listing.owner().equals(owner)
          || !listing.bucket().equals(bucket)
          || !ObjectKeys.isValid(key)
          || after == null
          || !validSortValue(listing.sort(), after)) {
        throw invalid();
      }
      // Rows on an owner index are the owner's by key; a cursor naming another key is forged.
      if (owner.isPresent() && !ObjectKeys.owner(key).equals(owner)) {
        throw invalid();
      }
      return new PagePosition(bucket, key, after, owner);
    } catch (RequestRejectedException e) {
      throw e;
    } catch (Exception e) {
      throw invalid();
    }
  }

  private static String order(Listing listing) {
    return listing.ascending() ? "asc" : "desc";
  }

  private static boolean validSortValue(ListSort sort, String value) {
    return switch (sort) {
      case UPLOADED -> Timestamps.isFixedWidth(value);
      case NAME -> !value.isEmpty() && value.length() <= MAX_NAME_SORT_CHARS;
      case SIZE -> value.matches("(0|[1-9][0-9]{0,18})");
    };
  }

  private static RequestRejectedException invalid() {
    return RequestRejectedException.invalid("invalid_cursor", "Invalid cursor");
  }
}
