package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.TableSchema;
import dev.uploaddashboard.contract.Tables;
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

  /** The listing indexes (the contract's), in the order they are added. */
  public static final List<String> LISTING_INDEXES =
      Tables.METADATA.indexes().stream().map(TableSchema.Index::name).toList();

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
            .partitionKey(attribute(Tables.METADATA.partitionKey()))
            .sortKey(attribute(Tables.METADATA.sortKey().orElseThrow()))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .encryption(TableEncryption.DEFAULT)
            .timeToLiveAttribute(Tables.METADATA.ttlAttribute())
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .deletionProtection(props.protectData())
            .removalPolicy(props.removalPolicy())
            .build();
    // All sparse: only live rows carry `uploaded_at`, `name_sort` and `size`, and only live rows
    // of a known owner carry `owner`. One pair per order the dashboard offers (by bucket for
    // admins, by owner for everyone else); `name_sort` is the file name in lower case.
    listingIndexes = props.listingIndexes();
    for (TableSchema.Index index : Tables.METADATA.indexes().subList(0, listingIndexes)) {
      table.addGlobalSecondaryIndex(
          GlobalSecondaryIndexProps.builder()
              .indexName(index.name())
              .partitionKey(attribute(index.partitionKey()))
              .sortKey(attribute(index.sortKey()))
              .projectionType(ProjectionType.ALL)
              .build());
    }
    ((CfnTable) table.getNode().getDefaultChild()).overrideLogicalId(LOGICAL_ID);
  }

  public Table table() {
    return table;
  }

  /** A key attribute of the contract's schema as CDK's. */
  static Attribute attribute(TableSchema.Key key) {
    return Attribute.builder()
        .name(key.name())
        .type(key.type() == TableSchema.Type.NUMBER ? AttributeType.NUMBER : AttributeType.STRING)
        .build();
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
    return String.join(",", Tables.sortOrders(listingIndexes));
  }
}
