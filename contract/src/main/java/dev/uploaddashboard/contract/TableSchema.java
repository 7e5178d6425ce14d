package dev.uploaddashboard.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One DynamoDB table as the product defines it, independent of who creates it (CDK deploys it, the
 * emulators create it for local mode and tests): on-demand, its keys, its global secondary indexes
 * (all projecting every attribute) and its TTL attribute.
 *
 * @param name the table's name in docs and local mode (deployed tables get a generated name)
 * @param partitionKey the partition key
 * @param sortKey the sort key, if the table has one
 * @param indexes the global secondary indexes, in the order they are added
 * @param ttlAttribute the attribute holding each item's expiry (epoch seconds)
 */
public record TableSchema(
    String name,
    Key partitionKey,
    Optional<Key> sortKey,
    List<Index> indexes,
    String ttlAttribute) {

  public TableSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(partitionKey, "partitionKey");
    Objects.requireNonNull(sortKey, "sortKey");
    indexes = List.copyOf(indexes);
    Objects.requireNonNull(ttlAttribute, "ttlAttribute");
  }

  /** A key attribute's type, as DynamoDB's scalar attribute types name them. */
  public enum Type {
    /** {@code S} */
    STRING,
    /** {@code N} */
    NUMBER
  }

  /** A key attribute: its name and type. */
  public record Key(String name, Type type) {
    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /** A global secondary index with a partition and a sort key, projecting all attributes. */
  public record Index(String name, Key partitionKey, Key sortKey) {
    public Index {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(partitionKey, "partitionKey");
      Objects.requireNonNull(sortKey, "sortKey");
    }
  }

  /**
   * Every key attribute of the table and of the first {@code indexCount} indexes, each once, in
   * order of first use: what a CreateTable or UpdateTable request must define.
   */
  public Map<String, Type> keyAttributes(int indexCount) {
    Map<String, Type> types = new LinkedHashMap<>();
    types.put(partitionKey.name(), partitionKey.type());
    sortKey.ifPresent(key -> types.put(key.name(), key.type()));
    for (Index index : indexes.subList(0, indexCount)) {
      types.put(index.partitionKey().name(), index.partitionKey().type());
      types.put(index.sortKey().name(), index.sortKey().type());
    }
    return types;
  }

  /** The index called {@code indexName}. */
  public Index index(String indexName) {
    return indexes.stream()
        .filter(index -> index.name().equals(indexName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no index " + indexName + " on " + name));
  }
}
