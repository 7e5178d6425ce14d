package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.constructs.Construct;

/**
 * The reconciler: a function that compares the bucket's {@code incoming/} with the metadata table
 * and repairs drift with sync's conditional writes (README, "Operations"), run by EventBridge
 * Scheduler at the environment's {@code reconcileSchedule} (hourly by default) and on demand.
 */
public final class Reconciler extends Construct {

  /** One run walks up to this many keys within its timeout, then resumes later. */
  public static final int MAX_KEYS_PER_RUN = 100_000;

  /**
   * @param packages the functions' deployment packages
   * @param uploads the upload bucket
   * @param metadata the metadata table
   * @param logs retention and removal of the log group
   * @param schedule EventBridge Scheduler expression, e.g. {@code rate(1 hour)}
   */
  public record Props(
      FunctionPackages packages,
      UploadBucket uploads,
      MetadataTable metadata,
      LogPolicy logs,
      String schedule) {
    public Props {
      Objects.requireNonNull(packages, "packages");
      Objects.requireNonNull(uploads, "uploads");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(logs, "logs");
      Objects.requireNonNull(schedule, "schedule");
    }
  }

  private final JavaFunction reconcile;
  private final Schedule schedule;

  public Reconciler(Construct scope, String id, Props props) {
    super(scope, id);
    reconcile =
        new JavaFunction(
            this,
            Functions.RECONCILE.id(),
            new JavaFunction.Props(
                Functions.RECONCILE,
                props.packages().code(Functions.RECONCILE),
                Map.of(
                    Env.TABLE_NAME, props.metadata().table().getTableName(),
                    Env.UPLOAD_BUCKET, props.uploads().bucket().getBucketName(),
                    Env.RECONCILE_MAX_KEYS, Integer.toString(MAX_KEYS_PER_RUN),
                    Env.ABANDONED_UPLOAD_HOURS,
                        Integer.toString(UploadBucket.ABORT_INCOMPLETE_UPLOADS_DAYS * 24)),
                props.logs()));
    Function function = reconcile.function();
    // One run at a time: a second would walk the same keys from the same checkpoint.
    JavaFunction.reserveConcurrency(function, 1);

    String bucketArn = props.uploads().bucket().getBucketArn();
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(bucketArn))
            .conditions(
                Map.of("StringLike", Map.of("s3:prefix", UploadBucket.INCOMING_PREFIX + "*")))
            .build());
    FileFunctions.allow(function, "s3:ListBucketMultipartUploads", bucketArn);
    FileFunctions.allowOnIncoming(function, "s3:GetObject", props.uploads());
    FileFunctions.allowOnIncoming(function, "s3:AbortMultipartUpload", props.uploads());
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"))
            .resources(List.of(props.metadata().table().getTableArn()))
            .build());

    schedule =
        Schedule.Builder.create(this, "Schedule")
            .description("Runs the upload dashboard's reconciler")
            .schedule(ScheduleExpression.expression(props.schedule()))
            .target(
                new LambdaInvoke(
                    reconcile.alias(),
                    ScheduleTargetBaseProps.builder()
                        .input(ScheduleTargetInput.fromObject(Map.of()))
                        // A missed run is made up by the next one (it resumes from its checkpoint).
                        .retryAttempts(0)
                        .build()))
            .build();
  }

  public JavaFunction function() {
    return reconcile;
  }

  public Schedule schedule() {
    return schedule;
  }
}
