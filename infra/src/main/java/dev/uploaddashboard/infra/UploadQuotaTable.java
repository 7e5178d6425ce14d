package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.Tables;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * Per-user upload counters for the quota on {@code POST /uploads} (docs/CONTRACT.md): one row per
 * user and hour, counted up by a conditional UpdateItem and expired by TTL. The rows are disposable
 * (losing them only resets this hour's counts), so the table is destroyed with the stack in every
 * environment; point-in-time recovery stays on like on every table of the product.
 */
public final class UploadQuotaTable extends Construct {
  private final Table table;

  public UploadQuotaTable(Construct scope, String id) {
    super(scope, id);
    table =
        Table.Builder.create(this, "Table")
            .partitionKey(MetadataTable.attribute(Tables.UPLOAD_QUOTA.partitionKey()))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .encryption(TableEncryption.DEFAULT)
            .timeToLiveAttribute(Tables.UPLOAD_QUOTA.ttlAttribute())
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
  }

  public Table table() {
    return table;
  }
}
