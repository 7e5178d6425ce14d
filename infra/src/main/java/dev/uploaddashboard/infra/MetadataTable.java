package dev.uploaddashboard.infra;

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
  public static final String TTL_ATTRIBUTE = "expires_at";

  /**
   * @param protectData deletion protection (production); point-in-time recovery is on everywhere
   *     (it costs a fraction of the table's storage, and a dev table holds test data worth
   *     restoring after a bad sync)
   * @param removalPolicy what a stack deletion does to the table
   */
  public record Props(boolean protectData, RemovalPolicy removalPolicy) {
    public Props {
      Objects.requireNonNull(removalPolicy, "removalPolicy");
    }
  }

  private final Table table;

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
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(UPLOADED_AT_INDEX)
            .partitionKey(
                Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(UPLOADED_AT).type(AttributeType.STRING).build())
            .projectionType(ProjectionType.ALL)
            .build());
    // Sparse like the index above: only live rows of a known owner carry `owner` and `uploaded_at`.
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(OWNER_UPLOADED_AT_INDEX)
            .partitionKey(Attribute.builder().name(OWNER).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(UPLOADED_AT).type(AttributeType.STRING).build())
            .projectionType(ProjectionType.ALL)
            .build());
    ((CfnTable) table.getNode().getDefaultChild()).overrideLogicalId(LOGICAL_ID);
  }

  public Table table() {
    return table;
  }

  /** ARN of the {@value #UPLOADED_AT_INDEX} index: {@code <table arn>/index/uploaded_at_index}. */
  public String uploadedAtIndexArn() {
    return table.getTableArn() + "/index/" + UPLOADED_AT_INDEX;
  }

  /** ARN of the {@value #OWNER_UPLOADED_AT_INDEX} index (a user's own files, newest first). */
  public String ownerUploadedAtIndexArn() {
    return table.getTableArn() + "/index/" + OWNER_UPLOADED_AT_INDEX;
  }
}
