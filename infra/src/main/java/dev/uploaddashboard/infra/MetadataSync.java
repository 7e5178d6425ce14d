package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.DestinationConfig;
import software.amazon.awscdk.services.lambda.DestinationOptions;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IDestination;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Keeps the metadata table in step with the bucket: S3 invokes the sync function (asynchronously)
 * for every object created or removed under {@code incoming/}. Failed events are retried and then
 * parked in an encrypted SQS queue for 14 days, so nothing is lost silently.
 */
public final class MetadataSync extends Construct {

  public static final int RETRY_ATTEMPTS = 2;

  /** S3 events may arrive late or out of order; the handler orders them by sequencer. */
  public static final Duration MAX_EVENT_AGE = Duration.hours(6);

  public static final Duration FAILED_EVENT_RETENTION = Duration.days(14);

  /** Failed events replayed per invocation when the replay mapping is on. */
  public static final int REPLAY_BATCH_SIZE = 10;

  /**
   * Construct id of aws-cdk-lib's per-stack S3 notifications handler (BucketNotificationsHandler).
   */
  static final String BUCKET_NOTIFICATIONS_HANDLER =
      "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";

  /**
   * @param packages the functions' deployment packages
   * @param uploads the bucket whose events are synced
   * @param metadata the table written to
   * @param logs retention and removal of the log groups
   * @param reservedConcurrency concurrent executions reserved for (and capping) the function: a
   *     flood of S3 events waits in Lambda's async queue instead of taking the account's
   *     concurrency
   */
  public record Props(
      FunctionPackages packages,
      UploadBucket uploads,
      MetadataTable metadata,
      LogPolicy logs,
      int reservedConcurrency) {
    public Props {
      Objects.requireNonNull(packages, "packages");
      Objects.requireNonNull(uploads, "uploads");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(logs, "logs");
      if (reservedConcurrency < 1) {
        throw new IllegalArgumentException("reservedConcurrency must be positive");
      }
    }
  }

  private final JavaFunction sync;
  private final Queue failedEvents;
  private final EventSourceMapping replay;

  public MetadataSync(Construct scope, String id, Props props) {
    super(scope, id);
    failedEvents =
        Queue.Builder.create(this, "FailedEvents")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(FAILED_EVENT_RETENTION)
            // Replaying (below) hides a message this long while the function works on it: six
            // times the function's timeout, as Lambda advises for SQS event sources.
            .visibilityTimeout(Duration.seconds(Functions.METADATA_SYNC.timeoutSeconds() * 6))
            .build();

    sync =
        new JavaFunction(
            this,
            Functions.METADATA_SYNC.id(),
            new JavaFunction.Props(
                Functions.METADATA_SYNC,
                props.packages().code(Functions.METADATA_SYNC),
                Map.of(
                    Env.TABLE_NAME, props.metadata().table().getTableName(),
                    Env.UPLOAD_BUCKET, props.uploads().bucket().getBucketName()),
                props.logs()));
    Function function = sync.function();
    JavaFunction.reserveConcurrency(function, props.reservedConcurrency());
    // S3 invokes the alias (the published version, with SnapStart), so retries and the on-failure
    // destination are configured on the alias: asynchronous invoke settings are per qualifier.
    sync.alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(RETRY_ATTEMPTS)
                .maxEventAge(MAX_EVENT_AGE)
                .onFailure(new QueueOnFailure(failedEvents))
                .build());

    FileFunctions.allowOnIncoming(function, "s3:GetObject", props.uploads());
    // S3 answers HeadObject of a missing key with 404 only if the caller may list the bucket, and
    // with 403 otherwise, which sync would have to treat as a failure (S3 API reference,
    // HeadObject, "Permissions"). Listing is limited to keys under incoming/ by the s3:prefix
    // condition (for that check, S3 evaluates the condition with the object key as the prefix).
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(props.uploads().bucket().getBucketArn()))
            .conditions(
                Map.of("StringLike", Map.of("s3:prefix", UploadBucket.INCOMING_PREFIX + "*")))
            .build());
    FileFunctions.allow(function, "dynamodb:PutItem", props.metadata().table().getTableArn());
    FileFunctions.allow(function, "sqs:SendMessage", failedEvents.getQueueArn());

    // Replay: the same function reads its on-failure queue, but only when an operator turns the
    // mapping on (README, "Operations"); it reports the messages that fail again, which stay.
    replay =
        EventSourceMapping.Builder.create(this, "ReplayFailedEvents")
            .target(sync.alias())
            .eventSourceArn(failedEvents.getQueueArn())
            .batchSize(REPLAY_BATCH_SIZE)
            .reportBatchItemFailures(true)
            .enabled(false)
            .build();
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"))
            .resources(List.of(failedEvents.getQueueArn()))
            .build());

    NotificationKeyFilter incoming =
        NotificationKeyFilter.builder().prefix(UploadBucket.INCOMING_PREFIX).build();
    LambdaDestination target = new LambdaDestination(sync.alias());
    props.uploads().bucket().addEventNotification(EventType.OBJECT_CREATED, target, incoming);
    props.uploads().bucket().addEventNotification(EventType.OBJECT_REMOVED, target, incoming);

    ReviewedFindings.accept(
        failedEvents,
        "AwsSolutions-SQS3",
        "This queue is the dead-letter destination itself: the sync function's on-failure"
            + " destination for events that failed after retries. Nothing consumes it"
            + " automatically, so it needs no dead-letter queue of its own.");
    // CDK's singleton that applies the bucket's notification configuration at deploy time.
    IConstruct notificationsHandler =
        Stack.of(this).getNode().findChild(BUCKET_NOTIFICATIONS_HANDLER);
    ReviewedFindings.accept(
        notificationsHandler.getNode().findChild("Role"),
        "AwsSolutions-IAM4",
        "CDK's bucket notifications handler (runs only during deployments) uses the managed basic"
            + " execution policy for its own logs; its only other permission is"
            + " s3:PutBucketNotification on the upload bucket (IamTest).",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
  }

  public JavaFunction function() {
    return sync;
  }

  public Queue failedEvents() {
    return failedEvents;
  }

  /** The (normally disabled) mapping that replays the on-failure queue into the function. */
  public EventSourceMapping replay() {
    return replay;
  }

  /**
   * On-failure destination that only names the queue. The stock {@code SqsDestination} grants
   * {@code sqs:SendMessage}, {@code sqs:GetQueueAttributes} and {@code sqs:GetQueueUrl}; Lambda
   * needs only {@code sqs:SendMessage}, which the construct above grants explicitly (contract IAM).
   */
  private static final class QueueOnFailure implements IDestination {
    private final Queue queue;

    QueueOnFailure(Queue queue) {
      this.queue = queue;
    }

    @Override
    public DestinationConfig bind(Construct scope, IFunction fn, DestinationOptions options) {
      return DestinationConfig.builder().destination(queue.getQueueArn()).build();
    }

    @Override
    public DestinationConfig bind(Construct scope, IFunction fn) {
      return bind(scope, fn, null);
    }
  }
}
