package dev.uploaddashboard.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.CfnTable;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The file metadata table of the contract ({@code upload_metadata} in docs and local mode).
 *
 * <p>The deployed table has no physical name: CloudFormation generates one, the functions get it
 * through {@code TABLE_NAME} and the stack outputs it. A fixed name would stop two environments
 * from sharing an account and region, and would block any replacement of the table.
 */
public final class MetadataTable extends Construct {

  /** Logical ID pinned so that refactoring the construct tree never replaces the table. */
  public static final String LOGICAL_ID = "MetadataTable";

  public static final String PARTITION_KEY = "bucket";
  public static final String SORT_KEY = "object_key";
  public static final String UPLOADED_AT_INDEX = "uploaded_at_index";
  public static final String UPLOADED_AT = "uploaded_at";
  public static final String OWNER_UPLOADED_AT_INDEX = "owner_uploaded_at_index";
  public static final String OWNER = "owner";
  public static final String NAME_SORT = "name_sort";
  public static final String SIZE = "size";
  public static final String NAME_INDEX = "name_index";
  public static final String OWNER_NAME_INDEX = "owner_name_index";
  public static final String SIZE_INDEX = "size_index";
  public static final String OWNER_SIZE_INDEX = "owner_size_index";

  /** The listing indexes, in the order they are defined. */
  public static final List<String> LISTING_INDEXES =
      List.of(
          UPLOADED_AT_INDEX,
          OWNER_UPLOADED_AT_INDEX,
          NAME_INDEX,
          OWNER_NAME_INDEX,
          SIZE_INDEX,
          OWNER_SIZE_INDEX);

  public static final String TTL_ATTRIBUTE = "expires_at";

  /**
   * @param protectData deletion protection (production); point-in-time recovery is on everywhere
   *     (it costs a fraction of the table's storage, and a dev table holds test data worth
   *     restoring after a bad sync)
   * @param removalPolicy what a stack deletion does to the table
   */
  /**
   * @param listingIndexes how many of {@link #LISTING_INDEXES} the table has, in that order (all
   *     six normally; CloudFormation adds one index per update, so a table created before the name
   *     and size orders existed is upgraded with 3, 4, 5, then 6)
   */
  public record Props(boolean protectData, RemovalPolicy removalPolicy, int listingIndexes) {
    public Props {
      Objects.requireNonNull(removalPolicy, "removalPolicy");
      if (listingIndexes < 2 || listingIndexes > LISTING_INDEXES.size()) {
        throw new IllegalArgumentException("listingIndexes must be 2 to " + LISTING_INDEXES.size());
      }
    }

    public Props(boolean protectData, RemovalPolicy removalPolicy) {
      this(protectData, removalPolicy, LISTING_INDEXES.size());
    }
  }

  private final Table table;
  private final int listingIndexes;

  public MetadataTable(Construct scope, String id, Props props) {
    super(scope, id);
    table =
        Table.Builder.create(this, "Table")
            .partitionKey(
                Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .encryption(TableEncryption.DEFAULT)
            .timeToLiveAttribute(TTL_ATTRIBUTE)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .deletionProtection(props.protectData())
            .removalPolicy(props.removalPolicy())
            .build();
    // All sparse: only live rows carry `uploaded_at`, `name_sort` and `size`, and only live rows
    // of a known owner carry `owner`. One pair per order the dashboard offers (by bucket for
    // admins, by owner for everyone else); `name_sort` is the file name in lower case.
    listingIndexes = props.listingIndexes();
    List<Runnable> indexes =
        List.of(
            () -> addIndex(UPLOADED_AT_INDEX, PARTITION_KEY, UPLOADED_AT, AttributeType.STRING),
            () -> addIndex(OWNER_UPLOADED_AT_INDEX, OWNER, UPLOADED_AT, AttributeType.STRING),
            () -> addIndex(NAME_INDEX, PARTITION_KEY, NAME_SORT, AttributeType.STRING),
            () -> addIndex(OWNER_NAME_INDEX, OWNER, NAME_SORT, AttributeType.STRING),
            () -> addIndex(SIZE_INDEX, PARTITION_KEY, SIZE, AttributeType.NUMBER),
            () -> addIndex(OWNER_SIZE_INDEX, OWNER, SIZE, AttributeType.NUMBER));
    indexes.subList(0, listingIndexes).forEach(Runnable::run);
    ((CfnTable) table.getNode().getDefaultChild()).overrideLogicalId(LOGICAL_ID);
  }

  public Table table() {
    return table;
  }

  private void addIndex(String name, String partition, String sort, AttributeType sortType) {
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(name)
            .partitionKey(Attribute.builder().name(partition).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(sort).type(sortType).build())
            .projectionType(ProjectionType.ALL)
            .build());
  }

  /** ARNs of the listing indexes the table has ({@code <table arn>/index/<name>}), in order. */
  public List<String> listingIndexArns() {
    return LISTING_INDEXES.subList(0, listingIndexes).stream()
        .map(name -> table.getTableArn() + "/index/" + name)
        .toList();
  }

  /**
   * The list orders whose two indexes (by bucket, by owner) exist, as the list function's {@code
   * SORT_ORDERS} names them: {@code uploaded}, then {@code name}, then {@code size}.
   */
  public String sortOrders() {
    return String.join(",", List.of("uploaded", "name", "size").subList(0, listingIndexes / 2));
  }
}
