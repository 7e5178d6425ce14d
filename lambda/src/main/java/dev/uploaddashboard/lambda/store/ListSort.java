package dev.uploaddashboard.lambda.store;

import dev.uploaddashboard.contract.Tables;
import java.util.Locale;

/**
 * The orders a listing can have. Each has two sparse indexes (only live rows carry their sort
 * attribute): one per bucket, for admins, and one per owner.
 */
public enum ListSort {
  /** By upload time ({@code uploaded_at}, fixed-width UTC text). */
  UPLOADED(Tables.UPLOADED_AT, false, Tables.UPLOADED_AT_INDEX, Tables.OWNER_UPLOADED_AT_INDEX),
  /** By file name, ignoring case ({@code name_sort}: the name in lower case). */
  NAME(Tables.NAME_SORT, false, Tables.NAME_INDEX, Tables.OWNER_NAME_INDEX),
  /** By size in bytes ({@code size}, a number). */
  SIZE(Tables.SIZE, true, Tables.SIZE_INDEX, Tables.OWNER_SIZE_INDEX);

  private final String attribute;
  private final boolean numeric;
  private final String bucketIndex;
  private final String ownerIndex;

  ListSort(String attribute, boolean numeric, String bucketIndex, String ownerIndex) {
    this.attribute = attribute;
    this.numeric = numeric;
    this.bucketIndex = bucketIndex;
    this.ownerIndex = ownerIndex;
  }

  /** The sort attribute of the indexes. */
  public String attribute() {
    return attribute;
  }

  /** Whether the sort attribute is a number (else a string). */
  public boolean numeric() {
    return numeric;
  }

  /** The index for one owner's files, or for a whole bucket. */
  public String index(boolean byOwner) {
    return byOwner ? ownerIndex : bucketIndex;
  }

  /** The name used in the API ({@code sort=uploaded|name|size}). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The order an API name ({@code uploaded}, {@code name}, {@code size}) names, if any. */
  public static java.util.Optional<ListSort> fromApiName(String name) {
    for (ListSort sort : values()) {
      if (sort.apiName().equals(name)) {
        return java.util.Optional.of(sort);
      }
    }
    return java.util.Optional.empty();
  }

  /** The name-sort value of a file name: lower case, so that the order ignores case. */
  public static String nameSortValue(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.isEmpty() ? "\u0000" : lower;
  }
}
