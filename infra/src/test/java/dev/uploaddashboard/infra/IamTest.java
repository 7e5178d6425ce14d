package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Exact IAM: every role, every statement, every resource policy and every invoke permission of the
 * template, in both environments. Any widening (an extra action, a wildcard, a broader resource, a
 * new role) fails here.
 */
class IamTest {

  private static final String INCOMING = "UploadBucket.Arn/incoming/*";
  private static final String TABLE = "MetadataTable.Arn";
  private static final String INDEX = "MetadataTable.Arn/index/uploaded_at_index";
  private static final String OWNER_INDEX = "MetadataTable.Arn/index/owner_uploaded_at_index";
  private static final String NAME_INDEX = "MetadataTable.Arn/index/name_index";
  private static final String OWNER_NAME_INDEX = "MetadataTable.Arn/index/owner_name_index";
  private static final String SIZE_INDEX = "MetadataTable.Arn/index/size_index";
  private static final String OWNER_SIZE_INDEX = "MetadataTable.Arn/index/owner_size_index";
  private static final String QUEUE = "SyncFailedEvents.Arn";
  private static final String BUCKET = "UploadBucket.Arn";
  private static final String QUOTA_TABLE = "UploadQuotaTable.Arn";
  private static final String USER_POOL = "UsersUserPool.Arn";
  private static final String LIST_INCOMING_ONLY = "{StringLike={s3:prefix=incoming/*}}";

  /**
   * What the contract allows each function, statement by statement (docs/CONTRACT.md, "IAM"),
   * besides writing to the function's own log group ({@link #logWriting}).
   */
  static final Map<String, List<String>> CONTRACT =
      Map.of(
          Functions.ADMIN_MFA_GUARD.handlerClass(),
              List.of("Allow [cognito-idp:AdminGetUser] on [" + USER_POOL + "]"),
          Functions.DELETE_FILE.handlerClass(),
              List.of(
                  "Allow [dynamodb:DeleteItem] on [" + TABLE + "]",
                  "Allow [s3:DeleteObject] on [" + INCOMING + "]"),
          Functions.LIST_FILES.handlerClass(),
              // the six listing indexes (three orders, by bucket and by owner), never the table
              List.of(
                  "Allow [dynamodb:Query] on ["
                      + String.join(
                          ", ",
                          NAME_INDEX,
                          OWNER_NAME_INDEX,
                          OWNER_SIZE_INDEX,
                          OWNER_INDEX,
                          SIZE_INDEX,
                          INDEX)
                      + "]"),
          Functions.FILE_DETAIL.handlerClass(),
              List.of(
                  "Allow [dynamodb:GetItem] on [" + TABLE + "]",
                  "Allow [s3:GetObject] on [" + INCOMING + "]"),
          Functions.CREATE_UPLOAD.handlerClass(),
              List.of(
                  "Allow [dynamodb:UpdateItem] on [" + QUOTA_TABLE + "]",
                  // PutObject also covers CreateMultipartUpload, UploadPart and
                  // CompleteMultipartUpload; abort and ListParts (resume) are their own actions
                  "Allow [s3:AbortMultipartUpload, s3:ListMultipartUploadParts, s3:PutObject] on ["
                      + INCOMING
                      + "]"),
          Functions.RECONCILE.handlerClass(),
              List.of(
                  "Allow [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query] on [" + TABLE + "]",
                  // HeadObject, and aborting multipart uploads older than the lifecycle window
                  "Allow [s3:AbortMultipartUpload, s3:GetObject] on [" + INCOMING + "]",
                  // ListMultipartUploads has no s3:prefix condition key; it lists upload ids only
                  "Allow [s3:ListBucketMultipartUploads] on [" + BUCKET + "]",
                  "Allow [s3:ListBucket] on [" + BUCKET + "] if " + LIST_INCOMING_ONLY),
          Functions.METADATA_SYNC.handlerClass(),
              List.of(
                  "Allow [dynamodb:PutItem] on [" + TABLE + "]",
                  "Allow [s3:GetObject] on [" + INCOMING + "]",
                  // so that HeadObject of a missing key answers 404, not 403
                  "Allow [s3:ListBucket] on [" + BUCKET + "] if " + LIST_INCOMING_ONLY,
                  // SendMessage: its on-failure destination; the others: replaying that queue
                  // into the function (a disabled event source mapping)
                  "Allow [sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage,"
                      + " sqs:SendMessage] on ["
                      + QUEUE
                      + "]"));

  private static final String TRUST_LAMBDA =
      "trust Allow principal {Service=lambda.amazonaws.com} [sts:AssumeRole]";

  /** Only CDK's own deployment-time functions still use the managed policy. */
  private static final String BASIC_EXECUTION =
      "managed arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

  private static final String ASSETS =
      "arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}";

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void eachProductFunctionHasExactlyTheContractStatements(String env) {
    Template template = TestApps.template(env);
    for (String handler : TestApps.deployedHandlers(env, CONTRACT.keySet())) {
      assertThat(Policies.statementsOfFunction(template, handler))
          .as(handler)
          .containsExactlyInAnyOrderElementsOf(
              plus(CONTRACT.get(handler), logWriting(template, handler)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void productFunctionsWriteLogsOnlyToTheirOwnLogGroupWithoutAManagedPolicy(String env) {
    Template template = TestApps.template(env);
    for (String handler : TestApps.deployedHandlers(env, CONTRACT.keySet())) {
      String own = ownLogGroup(template, handler);
      List<String> logStatements =
          Policies.statementsOfFunction(template, handler).stream()
              .filter(s -> s.contains("logs:"))
              .toList();
      assertThat(logStatements)
          .as(handler)
          .containsExactly("Allow [logs:CreateLogStream, logs:PutLogEvents] on [" + own + ".Arn]");
      assertThat(
              Policies.roles(template)
                  .get(Policies.strip(Policies.roleOfFunction(template, handler))))
          .as(handler)
          .noneMatch(line -> line.startsWith("managed "));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void productFunctionsHaveNoWildcardActionsOrResources(String env) {
    Template template = TestApps.template(env);
    Pattern line = Pattern.compile("Allow \\[(.+?)] on \\[(.+?)](?: if (.+))?");
    for (String handler : TestApps.deployedHandlers(env, CONTRACT.keySet())) {
      for (String statement : Policies.statementsOfFunction(template, handler)) {
        Matcher m = line.matcher(statement);
        assertThat(m.matches()).as("%s: %s", handler, statement).isTrue();
        assertThat(m.group(1).split(", "))
            .as(handler)
            .allSatisfy(a -> assertThat(a).doesNotContain("*"));
        // The only wildcard allowed in a resource is the object wildcard under incoming/.
        String logGroup = ownLogGroup(template, handler) + ".Arn";
        assertThat(m.group(2).split(", "))
            .as(handler)
            .allSatisfy(
                r ->
                    assertThat(r)
                        .isIn(
                            INCOMING,
                            TABLE,
                            INDEX,
                            OWNER_INDEX,
                            NAME_INDEX,
                            OWNER_NAME_INDEX,
                            SIZE_INDEX,
                            OWNER_SIZE_INDEX,
                            QUEUE,
                            BUCKET,
                            QUOTA_TABLE,
                            USER_POOL,
                            logGroup));
        // The bucket itself only with the listing limited to incoming/ (and, for the reconciler,
        // the list of incomplete multipart uploads, which S3 cannot limit by prefix in IAM).
        if (m.group(3) != null || m.group(2).equals(BUCKET)) {
          assertThat(statement)
              .as(handler)
              .isIn(
                  "Allow [s3:ListBucket] on [" + BUCKET + "] if " + LIST_INCOMING_ONLY,
                  handler.equals(Functions.RECONCILE.handlerClass())
                      ? "Allow [s3:ListBucketMultipartUploads] on [" + BUCKET + "]"
                      : "(only the reconciler lists multipart uploads)");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyRoleInTheTemplateIsExactlyAsReviewed(String env) {
    Template template = TestApps.template(env);
    Map<String, List<String>> expected = new TreeMap<>();
    // Ours: writing to the function's own log group plus the contract's statements.
    expected.put("FunctionsDeleteFileRole", ours(template, Functions.DELETE_FILE.handlerClass()));
    expected.put("FunctionsListFilesRole", ours(template, Functions.LIST_FILES.handlerClass()));
    expected.put("FunctionsFileDetailRole", ours(template, Functions.FILE_DETAIL.handlerClass()));
    expected.put(
        "FunctionsCreateUploadRole", ours(template, Functions.CREATE_UPLOAD.handlerClass()));
    expected.put("SyncRole", ours(template, Functions.METADATA_SYNC.handlerClass()));
    if (TestApps.hasMfaGuard(env)) {
      expected.put(
          "AdminMfaGuardTriggerRole", ours(template, Functions.ADMIN_MFA_GUARD.handlerClass()));
    }
    expected.put("ReconcilerReconcileRole", ours(template, Functions.RECONCILE.handlerClass()));
    // CDK's, for the reconciler's schedule: EventBridge Scheduler may invoke its alias, and only
    // for schedules of this account's default group.
    expected.put(
        "SchedulerRoleForTarget9a7a2d",
        List.of(
            "Allow [lambda:InvokeFunction] on [ReconcilerReconcileAlias]",
            TestApps.pinned(
                env,
                "trust Allow principal {Service=scheduler.amazonaws.com} [sts:AssumeRole] if"
                    + " {StringEquals={aws:SourceAccount=${AWS::AccountId},"
                    + " aws:SourceArn=arn:${AWS::Partition}:scheduler:${AWS::Region}"
                    + ":${AWS::AccountId}:schedule-group/default}}")));
    // CDK's: S3 notifications custom resource (scoped to the upload bucket in this CDK version).
    expected.put(
        "BucketNotificationsHandler050a0587b7544547bf325f094a3db834Role",
        role(List.of("Allow [s3:PutBucketNotification] on [UploadBucket.Arn]")));
    // CDK's: BucketDeployment reads the asset bucket, writes the web bucket, invalidates the
    // distribution (CloudFront invalidation permissions on * are a CDK limitation).
    expected.put(
        "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756CServiceRole",
        role(
            List.of(
                "Allow [cloudfront:CreateInvalidation, cloudfront:GetInvalidation] on [*]",
                "Allow [s3:Abort*, s3:DeleteObject*, s3:GetBucket*, s3:GetObject*, s3:List*,"
                    + " s3:PutObject, s3:PutObjectLegalHold, s3:PutObjectRetention,"
                    + " s3:PutObjectTagging, s3:PutObjectVersionTagging]"
                    + " on [DashboardWebBucket.Arn, DashboardWebBucket.Arn/*]",
                TestApps.pinned(
                    env,
                    "Allow [s3:GetBucket*, s3:GetObject*, s3:List*] on ["
                        + ASSETS
                        + ", "
                        + ASSETS
                        + "/*]"))));
    // CDK's: auto-delete-objects provider; its S3 permissions live in the bucket policies.
    expected.put("CustomS3AutoDeleteObjectsCustomResourceProviderRole", role(List.of()));

    assertThat(Policies.roles(template)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void bucketAndQueuePoliciesAreExactlyAsReviewed(String env) {
    Template template = TestApps.template(env);
    String denyHttp =
        "Deny principal {AWS=*} [s3:*] on [%s.Arn, %s.Arn/*] if {Bool={aws:SecureTransport=false}}";
    String denyOldTls =
        "Deny principal {AWS=*} [s3:*] on [%s.Arn, %s.Arn/*] if {NumericLessThan={s3:TlsVersion=1.2}}";
    String autoDelete =
        "Allow principal {AWS=CustomS3AutoDeleteObjectsCustomResourceProviderRole.Arn}"
            + " [s3:DeleteObject*, s3:GetBucket*, s3:List*, s3:PutBucketPolicy] on [%s.Arn, %s.Arn/*]";
    // The OAC condition keeps the pseudo parameters even in a pinned stack (CDK writes them).
    String cloudFrontRead =
        "Allow principal {Service=cloudfront.amazonaws.com} [s3:GetObject] on [DashboardWebBucket.Arn/*]"
            + " if {StringEquals={AWS:SourceArn=arn:${AWS::Partition}:cloudfront::${AWS::AccountId}"
            + ":distribution/DashboardDistribution}}";

    Map<String, List<String>> expected = new TreeMap<>();
    expected.put(
        "DashboardWebBucket",
        sorted(
            denyHttp.formatted("DashboardWebBucket", "DashboardWebBucket"),
            denyOldTls.formatted("DashboardWebBucket", "DashboardWebBucket"),
            autoDelete.formatted("DashboardWebBucket", "DashboardWebBucket"),
            cloudFrontRead));
    // Only a disposable (dev) upload bucket is emptied by CDK on stack deletion.
    expected.put(
        "UploadBucket",
        env.equals("dev")
            ? sorted(
                denyHttp.formatted("UploadBucket", "UploadBucket"),
                denyOldTls.formatted("UploadBucket", "UploadBucket"),
                autoDelete.formatted("UploadBucket", "UploadBucket"))
            : sorted(
                denyHttp.formatted("UploadBucket", "UploadBucket"),
                denyOldTls.formatted("UploadBucket", "UploadBucket")));
    // S3 log delivery may write the upload bucket's access logs, and nothing else, to the log
    // bucket.
    String logDelivery =
        TestApps.pinned(
            env,
            "Allow principal {Service=logging.s3.amazonaws.com} [s3:PutObject]"
                + " on [UploadsAccessLogs.Arn/upload-bucket/*]"
                + " if {ArnLike={aws:SourceArn=UploadBucket.Arn}, StringEquals={aws:SourceAccount=${AWS::AccountId}}}");
    expected.put(
        "UploadsAccessLogs",
        env.equals("dev")
            ? sorted(
                denyHttp.formatted("UploadsAccessLogs", "UploadsAccessLogs"),
                denyOldTls.formatted("UploadsAccessLogs", "UploadsAccessLogs"),
                autoDelete.formatted("UploadsAccessLogs", "UploadsAccessLogs"),
                logDelivery)
            : sorted(
                denyHttp.formatted("UploadsAccessLogs", "UploadsAccessLogs"),
                denyOldTls.formatted("UploadsAccessLogs", "UploadsAccessLogs"),
                logDelivery));
    assertThat(Policies.resourcePolicies(template, "AWS::S3::BucketPolicy", "Bucket"))
        .isEqualTo(expected);

    assertThat(Policies.resourcePolicies(template, "AWS::SQS::QueuePolicy", "Queues"))
        .isEqualTo(
            Map.of(
                "SyncFailedEvents",
                List.of(
                    "Deny principal {AWS=*} [sqs:*] on [SyncFailedEvents.Arn]"
                        + " if {Bool={aws:SecureTransport=false}}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void onlyTheApiRoutesAndTheUploadBucketMayInvokeFunctions(String env) {
    Template template = TestApps.template(env);
    Map<String, String> handlerByFunctionId = new TreeMap<>();
    template
        .findResources("AWS::Lambda::Function")
        .forEach(
            (id, fn) ->
                handlerByFunctionId.put(
                    id, String.valueOf(Resources.properties(fn).get("Handler"))));
    List<String> permissions =
        template.findResources("AWS::Lambda::Permission").values().stream()
            .map(Resources::properties)
            .map(
                p ->
                    handlerByFunctionId.get(
                            Resources.functionBehind(
                                template, Resources.target(p.get("FunctionName"))))
                        + " <- "
                        + p.get("Principal")
                        + " "
                        + p.get("Action")
                        + " from "
                        + Policies.render(p.get("SourceArn"))
                        + (p.containsKey("SourceAccount")
                            ? " account " + Policies.render(p.get("SourceAccount"))
                            : ""))
            .sorted()
            .toList();
    String api =
        TestApps.pinned(
            env,
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:ApiHttpApi/*/*");
    List<String> expected =
        new java.util.ArrayList<>(
            List.of(
                Functions.DELETE_FILE.handlerClass()
                    + " <- apigateway.amazonaws.com lambda:InvokeFunction from "
                    + api
                    + "/metadata",
                Functions.LIST_FILES.handlerClass()
                    + " <- apigateway.amazonaws.com lambda:InvokeFunction from "
                    + api
                    + "/metadata",
                Functions.FILE_DETAIL.handlerClass()
                    + " <- apigateway.amazonaws.com lambda:InvokeFunction from "
                    + api
                    + "/metadata/file",
                Functions.METADATA_SYNC.handlerClass()
                    + " <- s3.amazonaws.com lambda:InvokeFunction from UploadBucket.Arn"
                    + TestApps.pinned(env, " account ${AWS::AccountId}"),
                Functions.ADMIN_MFA_GUARD.handlerClass()
                    + " <- cognito-idp.amazonaws.com lambda:InvokeFunction from UsersUserPool.Arn"));
    // The upload function: one permission per route, each scoped to that route's path.
    for (String path :
        List.of(
            "/uploads",
            "/uploads/multipart",
            "/uploads/multipart",
            "/uploads/multipart/complete",
            "/uploads/multipart/parts",
            "/uploads/multipart/parts")) {
      expected.add(
          Functions.CREATE_UPLOAD.handlerClass()
              + " <- apigateway.amazonaws.com lambda:InvokeFunction from "
              + api
              + path);
    }
    if (!TestApps.hasMfaGuard(env)) {
      expected.removeIf(p -> p.startsWith(Functions.ADMIN_MFA_GUARD.handlerClass()));
    }
    assertThat(permissions).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** The logical ID (hash dropped) of the log group the function with this handler logs to. */
  private static String ownLogGroup(Template template, String handler) {
    Object logGroup =
        Policies.map(Resources.function(template, handler).get("LoggingConfig")).get("LogGroup");
    return Policies.strip(Resources.target(logGroup));
  }

  private static String logWriting(Template template, String handler) {
    return "Allow [logs:CreateLogStream, logs:PutLogEvents] on ["
        + ownLogGroup(template, handler)
        + ".Arn]";
  }

  private static List<String> ours(Template template, String handler) {
    return sorted(
        plus(plus(CONTRACT.get(handler), logWriting(template, handler)), TRUST_LAMBDA)
            .toArray(String[]::new));
  }

  private static List<String> plus(List<String> list, String element) {
    List<String> result = new java.util.ArrayList<>(list);
    result.add(element);
    return result;
  }

  private static List<String> role(List<String> statements) {
    return sorted(
        java.util.stream.Stream.concat(
                statements.stream(), java.util.stream.Stream.of(TRUST_LAMBDA, BASIC_EXECUTION))
            .toArray(String[]::new));
  }

  private static List<String> sorted(String... lines) {
    return java.util.Arrays.stream(lines).sorted().toList();
  }
}
