package dev.uploaddashboard.infra;

import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * How an environment keeps its log groups: for how long, and whether a stack deletion keeps them.
 *
 * @param retention how long log events are kept
 * @param removalPolicy what a stack deletion does to the log group
 */
public record LogPolicy(RetentionDays retention, RemovalPolicy removalPolicy) {
  public LogPolicy {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(removalPolicy, "removalPolicy");
  }

  /** A log group under {@code scope} that follows this policy. */
  public LogGroup logGroup(Construct scope, String id) {
    return LogGroup.Builder.create(scope, id)
        .retention(retention)
        .removalPolicy(removalPolicy)
        .build();
  }
}
