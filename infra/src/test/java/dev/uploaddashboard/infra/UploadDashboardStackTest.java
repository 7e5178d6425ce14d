package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static dev.uploaddashboard.infra.Policies.render;
import static dev.uploaddashboard.infra.Resources.byLogicalId;
import static dev.uploaddashboard.infra.Resources.function;
import static dev.uploaddashboard.infra.Resources.functionId;
import static dev.uploaddashboard.infra.Resources.only;
import static dev.uploaddashboard.infra.Resources.properties;
import static dev.uploaddashboard.infra.Resources.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Resources of one environment's stack (dev); what differs per environment is tested elsewhere. */
class UploadDashboardStackTest {

  private static final String DASHBOARD_ORIGIN =
      "https://DashboardDistribution.DomainName"; // as rendered by Policies.render

  private static Template template;

  @BeforeAll
  static void synth() {
    template = TestApps.template("dev");
  }

  // ---- upload bucket -------------------------------------------------------------------------

  @Test
  void uploadBucketHasAPinnedLogicalIdAndVersioningNeverEnabled() {
    Map<String, Object> bucket = byLogicalId(template, UploadBucket.LOGICAL_ID);
    assertThat(bucket).containsEntry("Type", "AWS::S3::Bucket");
    // Absent, not "Suspended": a suspended bucket still writes delete markers on DeleteObject.
    assertThat(properties(bucket)).doesNotContainKey("VersioningConfiguration");
    assertThat(
            template.findResources(
                "AWS::S3::Bucket",
                Map.of("Properties", Map.of("VersioningConfiguration", Match.anyValue()))))
        .isEmpty();
  }

  @Test
  void uploadBucketIsPrivateOwnerEnforcedAndEncrypted() {
    Map<String, Object> props = properties(byLogicalId(template, UploadBucket.LOGICAL_ID));
    assertThat(props.get("PublicAccessBlockConfiguration"))
        .isEqualTo(
            Map.of(
                "BlockPublicAcls", true,
                "BlockPublicPolicy", true,
                "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
    assertThat(props.get("OwnershipControls"))
        .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
    assertThat(render(props.get("BucketEncryption"))).contains("SSEAlgorithm=AES256");
  }

  @Test
  void uploadBucketDeniesPlainHttp() {
    template.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Match.objectLike(
            Map.of(
                "Bucket", Map.of("Ref", UploadBucket.LOGICAL_ID),
                "PolicyDocument",
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "Effect", "Deny",
                                        "Action", "s3:*",
                                        "Condition",
                                            Map.of(
                                                "Bool",
                                                Map.of("aws:SecureTransport", "false"))))))))));
  }

  @Test
  void uploadBucketCorsAllowsTheDashboardToPutAndPreview() {
    Map<String, Object> props = properties(byLogicalId(template, UploadBucket.LOGICAL_ID));
    List<Object> rules = list(map(props.get("CorsConfiguration")).get("CorsRules"));
    assertThat(rules).hasSize(1);
    Map<String, Object> rule = map(rules.get(0));
    assertThat(list(rule.get("AllowedOrigins")).stream().map(Policies::render))
        .containsExactly(DASHBOARD_ORIGIN, TestApps.DEV_EXTRA_ORIGIN)
        .doesNotContain("*");
    assertThat(rule.get("AllowedMethods")).isEqualTo(List.of("PUT", "GET", "HEAD"));
    // If-None-Match: the presigned PUT is signed with "If-None-Match: *" (create only);
    // x-amz-checksum-crc32c: every part URL binds its part's CRC32C.
    assertThat(rule.get("AllowedHeaders"))
        .isEqualTo(
            List.of(
                "Content-Type",
                "x-amz-meta-file-name",
                "If-None-Match",
                "x-amz-checksum-crc32c",
                "Range"));
    assertThat(rule.get("ExposedHeaders")).isEqualTo(List.of("ETag"));
  }

  @Test
  void uploadBucketAbortsIncompleteMultipartUploadsAfterOneDay() {
    Map<String, Object> props = properties(byLogicalId(template, UploadBucket.LOGICAL_ID));
    assertThat(list(map(props.get("LifecycleConfiguration")).get("Rules")))
        .containsExactly(
            Map.of(
                "Id", "AbortIncompleteMultipartUploads",
                "Status", "Enabled",
                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1)));
  }

  @Test
  void abandonedMultipartUploadsLeaveNoPartsForMoreThanAWeek() {
    Map<String, Object> props = properties(byLogicalId(template, UploadBucket.LOGICAL_ID));
    List<Object> aborting =
        list(map(props.get("LifecycleConfiguration")).get("Rules")).stream()
            .map(r -> map(r).get("AbortIncompleteMultipartUpload"))
            .filter(java.util.Objects::nonNull)
            .toList();
    assertThat(aborting).hasSize(1);
    assertThat(((Number) map(aborting.get(0)).get("DaysAfterInitiation")).intValue())
        .isBetween(1, 7);
    // The rule covers the whole bucket (no prefix or tag filter), so every upload is covered.
    assertThat(
            list(map(props.get("LifecycleConfiguration")).get("Rules")).stream()
                .filter(r -> map(r).containsKey("AbortIncompleteMultipartUpload"))
                .map(r -> map(r).keySet()))
        .allSatisfy(keys -> assertThat(keys).doesNotContain("Prefix", "TagFilters", "Filter"));
  }

  // ---- metadata table ------------------------------------------------------------------------

  @Test
  void tableHasThePinnedLogicalIdTheContractKeysAndNoPhysicalName() {
    Map<String, Object> table = byLogicalId(template, MetadataTable.LOGICAL_ID);
    assertThat(table).containsEntry("Type", "AWS::DynamoDB::Table");
    Map<String, Object> props = properties(table);
    assertThat(props).doesNotContainKey("TableName");
    assertThat(props.get("KeySchema"))
        .isEqualTo(
            List.of(
                Map.of("AttributeName", "bucket", "KeyType", "HASH"),
                Map.of("AttributeName", "object_key", "KeyType", "RANGE")));
    assertThat(props.get("AttributeDefinitions"))
        .isEqualTo(
            List.of(
                Map.of("AttributeName", "bucket", "AttributeType", "S"),
                Map.of("AttributeName", "object_key", "AttributeType", "S"),
                Map.of("AttributeName", "uploaded_at", "AttributeType", "S"),
                Map.of("AttributeName", "owner", "AttributeType", "S"),
                Map.of("AttributeName", "name_sort", "AttributeType", "S"),
                Map.of("AttributeName", "size", "AttributeType", "N")));
    assertThat(props.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
    assertThat(props.get("TimeToLiveSpecification"))
        .isEqualTo(Map.of("AttributeName", "expires_at", "Enabled", true));
  }

  @Test
  void tableHasABucketWideAndAPerOwnerIndexForEachOrder() {
    Map<String, Object> props = properties(byLogicalId(template, MetadataTable.LOGICAL_ID));
    assertThat(props.get("GlobalSecondaryIndexes"))
        .isEqualTo(
            List.of(
                index("uploaded_at_index", "bucket", "uploaded_at"),
                index("owner_uploaded_at_index", "owner", "uploaded_at"),
                index("name_index", "bucket", "name_sort"),
                index("owner_name_index", "owner", "name_sort"),
                index("size_index", "bucket", "size"),
                index("owner_size_index", "owner", "size")));
  }

  private static Map<String, Object> index(String name, String partition, String sort) {
    return Map.of(
        "IndexName", name,
        "KeySchema",
            List.of(
                Map.of("AttributeName", partition, "KeyType", "HASH"),
                Map.of("AttributeName", sort, "KeyType", "RANGE")),
        "Projection", Map.of("ProjectionType", "ALL"));
  }

  // ---- functions -----------------------------------------------------------------------------

  @Test
  void everyProductFunctionRunsOnJava25Arm64WithLevelledJsonLogsInItsOwnLogGroup() {
    for (String handler : HandlerClassesTest.HANDLERS) {
      Map<String, Object> fn = function(template, handler);
      assertThat(fn.get("Runtime")).as(handler).isEqualTo("java25");
      assertThat(fn.get("Architectures")).as(handler).isEqualTo(List.of("arm64"));
      assertThat(fn.get("MemorySize")).as(handler).isEqualTo(1024);
      Map<String, Object> logging = map(fn.get("LoggingConfig"));
      assertThat(logging.get("LogFormat")).as(handler).isEqualTo("JSON");
      // The handlers log with levels (JsonLog), so these levels filter them.
      assertThat(logging.get("ApplicationLogLevel")).as(handler).isEqualTo("INFO");
      // INFO keeps Lambda's REPORT lines (Init Duration, Restore Duration).
      assertThat(logging.get("SystemLogLevel")).as(handler).isEqualTo("INFO");
      Map<String, Object> logGroup = byLogicalId(template, target(logging.get("LogGroup")));
      assertThat(logGroup.get("Type")).isEqualTo("AWS::Logs::LogGroup");
      assertThat(properties(logGroup).get("RetentionInDays")).as(handler).isEqualTo(7);
    }
    // Every function of the template has an explicit log group: no LogRetention custom resource.
    assertThat(template.findResources("Custom::LogRetention")).isEmpty();
  }

  @Test
  void eachProductFunctionHasItsOwnRole() {
    List<String> roles =
        HandlerClassesTest.HANDLERS.stream()
            .map(h -> Policies.roleOfFunction(template, h))
            .distinct()
            .toList();
    assertThat(roles).hasSize(HandlerClassesTest.HANDLERS.size());
  }

  @Test
  void timeoutsFitTheirTriggers() {
    for (String handler :
        List.of(
            Functions.DELETE_FILE.handlerClass(),
            Functions.LIST_FILES.handlerClass(),
            Functions.FILE_DETAIL.handlerClass())) {
      assertThat(function(template, handler).get("Timeout")).as(handler).isEqualTo(15);
    }
    // Completing a big multipart upload may take longer; the HTTP API waits 30 s at most.
    assertThat(function(template, Functions.CREATE_UPLOAD.handlerClass()).get("Timeout"))
        .isEqualTo(29);
    assertThat(function(template, Functions.METADATA_SYNC.handlerClass()).get("Timeout"))
        .isEqualTo(30);
  }

  @Test
  void environmentVariablesAreExactlyTheContractsNames() {
    assertThat(environment(Functions.DELETE_FILE.handlerClass()))
        .isEqualTo(Map.of("TABLE_NAME", "MetadataTable", "UPLOAD_BUCKET", "UploadBucket"));
    assertThat(environment(Functions.LIST_FILES.handlerClass()))
        .isEqualTo(
            Map.of(
                "TABLE_NAME", "MetadataTable",
                "UPLOAD_BUCKET", "UploadBucket",
                "SORT_ORDERS", "uploaded,name,size"));
    assertThat(environment(Functions.FILE_DETAIL.handlerClass()))
        .isEqualTo(
            Map.of(
                "TABLE_NAME", "MetadataTable",
                "UPLOAD_BUCKET", "UploadBucket",
                "DOWNLOAD_URL_TTL_SECONDS", "300"));
    assertThat(environment(Functions.CREATE_UPLOAD.handlerClass()))
        .isEqualTo(
            Map.of(
                "UPLOAD_BUCKET", "UploadBucket",
                "UPLOAD_URL_TTL_SECONDS", "60",
                "PART_URL_TTL_SECONDS", "900",
                "MAX_UPLOAD_BYTES", "104857600",
                "MAX_MULTIPART_UPLOAD_BYTES", "5368709120",
                "UPLOAD_QUOTA_TABLE", "UploadQuotaTable",
                "UPLOADS_PER_USER_PER_HOUR", "200"));
    assertThat(environment(Functions.METADATA_SYNC.handlerClass()))
        .isEqualTo(Map.of("TABLE_NAME", "MetadataTable", "UPLOAD_BUCKET", "UploadBucket"));
  }

  @Test
  void theUploadQuotaTableKeepsOneExpiringCounterPerUserAndHour() {
    Map<String, Map<String, Object>> tables = template.findResources("AWS::DynamoDB::Table");
    Map<String, Object> quota =
        tables.entrySet().stream()
            .filter(e -> e.getKey().startsWith("UploadQuotaTable"))
            .map(e -> map(e.getValue().get("Properties")))
            .findFirst()
            .orElseThrow();
    assertThat(quota.get("KeySchema"))
        .isEqualTo(List.of(Map.of("AttributeName", "quota_key", "KeyType", "HASH")));
    assertThat(quota.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
    assertThat(quota.get("TimeToLiveSpecification"))
        .isEqualTo(Map.of("AttributeName", "expires_at", "Enabled", true));
    assertThat(tables).hasSize(2);
  }

  /** A function's environment without JAVA_TOOL_OPTIONS, which every function has (below). */
  private static Map<String, String> environment(String handler) {
    Map<String, Object> vars =
        map(map(function(template, handler).get("Environment")).get("Variables"));
    return vars.entrySet().stream()
        .filter(e -> !e.getKey().equals("JAVA_TOOL_OPTIONS"))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> render(e.getValue())));
  }

  @Test
  void everyFunctionRunsC1OnlyAlsoUnderSnapStart() throws IOException {
    String options =
        "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1";
    for (FunctionSpec spec : Functions.ALL) {
      Map<String, Object> vars =
          map(map(function(template, spec.handlerClass()).get("Environment")).get("Variables"));
      assertThat(vars.get("JAVA_TOOL_OPTIONS")).as(spec.id()).isEqualTo(options);
    }
    // The cold-start benchmark runs the functions with what is deployed.
    assertThat(Files.readString(Path.of("../bench/coldstart/coldstart.py")))
        .contains("DEPLOYED_JAVA_TOOL_OPTIONS = \"" + options + "\"");
  }

  @Test
  void everyFunctionIsDeployedAsTheContractDefinesIt() {
    for (FunctionSpec spec : Functions.ALL) {
      Map<String, Object> function = function(template, spec.handlerClass());
      assertThat(function.get("MemorySize")).as(spec.id()).isEqualTo(spec.memoryMb());
      assertThat(function.get("Timeout")).as(spec.id()).isEqualTo(spec.timeoutSeconds());
      assertThat(environment(spec.handlerClass()).keySet())
          .as("environment of %s", spec.id())
          .containsExactlyInAnyOrderElementsOf(spec.environment());
    }
  }

  // ---- HTTP API ------------------------------------------------------------------------------

  @Test
  void apiHasExactlyTheContractRoutesEachOnItsHandler() {
    Map<String, String> handlerByRoute =
        template.findResources("AWS::ApiGatewayV2::Route").values().stream()
            .map(Resources::properties)
            .collect(
                Collectors.toMap(
                    p -> (String) p.get("RouteKey"), p -> handlerOfRouteTarget(p.get("Target"))));
    assertThat(handlerByRoute)
        .isEqualTo(
            Map.of(
                "GET /metadata", Functions.LIST_FILES.handlerClass(),
                "GET /metadata/file", Functions.FILE_DETAIL.handlerClass(),
                "DELETE /metadata", Functions.DELETE_FILE.handlerClass(),
                "POST /uploads", Functions.CREATE_UPLOAD.handlerClass(),
                "POST /uploads/multipart", Functions.CREATE_UPLOAD.handlerClass(),
                "POST /uploads/multipart/parts", Functions.CREATE_UPLOAD.handlerClass(),
                "GET /uploads/multipart/parts", Functions.CREATE_UPLOAD.handlerClass(),
                "POST /uploads/multipart/complete", Functions.CREATE_UPLOAD.handlerClass(),
                "DELETE /uploads/multipart", Functions.CREATE_UPLOAD.handlerClass()));
  }

  private static String handlerOfRouteTarget(Object target) {
    // {"Fn::Join": ["", ["integrations/", {"Ref": integration}]]} -> integration -> function
    List<Object> parts = list(list(map(target).get("Fn::Join")).get(1));
    assertThat(parts.get(0)).isEqualTo("integrations/");
    String integrationId = target(parts.get(1));
    Map<String, Object> integration = properties(byLogicalId(template, integrationId));
    assertThat(integration.get("IntegrationType")).isEqualTo("AWS_PROXY");
    assertThat(integration.get("PayloadFormatVersion")).isEqualTo("2.0");
    String functionId =
        Resources.functionBehind(template, target(integration.get("IntegrationUri")));
    return (String) properties(byLogicalId(template, functionId)).get("Handler");
  }

  @Test
  void apiCorsAllowsTheDashboardAndExtrasOnlyWithExplicitMethodsAndHeaders() {
    Map<String, Object> cors =
        map(
            properties(only(template, "AWS::ApiGatewayV2::Api").getValue())
                .get("CorsConfiguration"));
    assertThat(list(cors.get("AllowOrigins")).stream().map(Policies::render))
        .containsExactly(DASHBOARD_ORIGIN, TestApps.DEV_EXTRA_ORIGIN)
        .doesNotContain("*");
    assertThat(cors.get("AllowMethods")).isEqualTo(List.of("GET", "POST", "DELETE"));
    assertThat(cors.get("AllowHeaders")).isEqualTo(List.of("Content-Type", "Authorization"));
    assertThat(cors.get("MaxAge")).isEqualTo(3600);
    assertThat(cors).doesNotContainKey("AllowCredentials");
  }

  @Test
  void defaultStageIsThrottledAndWritesJsonAccessLogs() {
    Map<String, Object> stage = properties(only(template, "AWS::ApiGatewayV2::Stage").getValue());
    assertThat(stage.get("StageName")).isEqualTo("$default");
    assertThat(stage.get("AutoDeploy")).isEqualTo(true);
    assertThat(stage.get("DefaultRouteSettings"))
        .isEqualTo(Map.of("ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20));
    Map<String, Object> logs = map(stage.get("AccessLogSettings"));
    assertThat(logs.get("Format")).isEqualTo(FileApi.ACCESS_LOG_FORMAT);
    assertThat((String) logs.get("Format"))
        .startsWith("{\"requestId\":\"$context.requestId\"")
        .endsWith("\"}")
        .contains("\"routeKey\":\"$context.routeKey\"", "\"status\":\"$context.status\"");
    // Who made each request: the verified access token's subject, the user id.
    assertThat((String) logs.get("Format")).contains("\"sub\":\"$context.authorizer.claims.sub\"");
    Map<String, Object> logGroup = byLogicalId(template, target(logs.get("DestinationArn")));
    assertThat(properties(logGroup).get("RetentionInDays")).isEqualTo(7);
  }

  // ---- metadata sync -------------------------------------------------------------------------

  @Test
  void syncFunctionGetsCreatedAndRemovedEventsUnderIncoming() {
    String syncAlias = Resources.aliasId(template, Functions.METADATA_SYNC.handlerClass());
    Map<String, Object> config =
        map(
            properties(only(template, "Custom::S3BucketNotifications").getValue())
                .get("NotificationConfiguration"));
    assertThat(config).containsOnlyKeys("LambdaFunctionConfigurations");
    Map<String, Object> prefixFilter =
        Map.of(
            "Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "incoming/"))));
    Map<String, Object> target = Map.of("Ref", syncAlias);
    assertThat(list(config.get("LambdaFunctionConfigurations")))
        .containsExactly(
            Map.of(
                "Events",
                List.of("s3:ObjectCreated:*"),
                "Filter",
                prefixFilter,
                "LambdaFunctionArn",
                target),
            Map.of(
                "Events",
                List.of("s3:ObjectRemoved:*"),
                "Filter",
                prefixFilter,
                "LambdaFunctionArn",
                target));
    assertThat(
            properties(only(template, "Custom::S3BucketNotifications").getValue())
                .get("BucketName"))
        .isEqualTo(Map.of("Ref", UploadBucket.LOGICAL_ID));
  }

  @Test
  void syncFailuresAreRetriedThenParkedInAnEncryptedQueue() {
    Map.Entry<String, Map<String, Object>> queue = only(template, "AWS::SQS::Queue");
    Map<String, Object> invoke =
        properties(only(template, "AWS::Lambda::EventInvokeConfig").getValue());
    assertThat(invoke.get("FunctionName"))
        .isEqualTo(Map.of("Ref", functionId(template, Functions.METADATA_SYNC.handlerClass())));
    assertThat(invoke.get("MaximumRetryAttempts")).isEqualTo(2);
    assertThat(invoke.get("MaximumEventAgeInSeconds")).isEqualTo(6 * 3600);
    assertThat(invoke.get("DestinationConfig"))
        .isEqualTo(
            Map.of(
                "OnFailure",
                Map.of("Destination", Map.of("Fn::GetAtt", List.of(queue.getKey(), "Arn")))));
    assertThat(properties(queue.getValue()))
        .containsEntry("SqsManagedSseEnabled", true)
        .containsEntry("MessageRetentionPeriod", 14 * 24 * 3600);
    template.hasResourceProperties(
        "AWS::SQS::QueuePolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Effect",
                                    "Deny",
                                    "Condition",
                                    Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
  }

  // ---- dashboard hosting ---------------------------------------------------------------------

  @Test
  void webBucketIsPrivateAndReadOnlyThroughOriginAccessControl() {
    Map.Entry<String, Map<String, Object>> oac =
        only(template, "AWS::CloudFront::OriginAccessControl");
    assertThat(render(properties(oac.getValue()).get("OriginAccessControlConfig")))
        .contains(
            "OriginAccessControlOriginType=s3", "SigningBehavior=always", "SigningProtocol=sigv4");
    Map<String, Object> distribution =
        map(
            properties(only(template, "AWS::CloudFront::Distribution").getValue())
                .get("DistributionConfig"));
    Map<String, Object> origin = map(list(distribution.get("Origins")).get(0));
    assertThat(list(distribution.get("Origins"))).hasSize(1);
    assertThat(origin.get("OriginAccessControlId"))
        .isEqualTo(Map.of("Fn::GetAtt", List.of(oac.getKey(), "Id")));
    String webBucket = target(origin.get("DomainName"));
    assertThat(webBucket).isNotEqualTo(UploadBucket.LOGICAL_ID);
    assertThat(properties(byLogicalId(template, webBucket)).get("PublicAccessBlockConfiguration"))
        .isEqualTo(
            Map.of(
                "BlockPublicAcls", true,
                "BlockPublicPolicy", true,
                "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
  }

  @Test
  void distributionRedirectsToHttpsServesIndexAndAddsSecurityHeaders() {
    Map<String, Object> distribution =
        map(
            properties(only(template, "AWS::CloudFront::Distribution").getValue())
                .get("DistributionConfig"));
    assertThat(distribution.get("DefaultRootObject")).isEqualTo("index.html");
    Map<String, Object> behavior = map(distribution.get("DefaultCacheBehavior"));
    assertThat(behavior.get("ViewerProtocolPolicy")).isEqualTo("redirect-to-https");
    assertThat(behavior.get("AllowedMethods")).isEqualTo(List.of("GET", "HEAD"));
    String policyId = target(behavior.get("ResponseHeadersPolicyId"));
    Map<String, Object> headers =
        map(
            map(properties(byLogicalId(template, policyId)).get("ResponseHeadersPolicyConfig"))
                .get("SecurityHeadersConfig"));
    assertThat(headers.get("StrictTransportSecurity"))
        .isEqualTo(
            Map.of(
                "AccessControlMaxAgeSec", 63072000, "IncludeSubdomains", true, "Override", true));
    assertThat(headers.get("ContentTypeOptions")).isEqualTo(Map.of("Override", true));
    assertThat(headers.get("FrameOptions"))
        .isEqualTo(Map.of("FrameOption", "DENY", "Override", true));
    assertThat(headers.get("ReferrerPolicy"))
        .isEqualTo(Map.of("ReferrerPolicy", "strict-origin-when-cross-origin", "Override", true));
    Map<String, Object> custom =
        map(
            map(properties(byLogicalId(template, policyId)).get("ResponseHeadersPolicyConfig"))
                .get("CustomHeadersConfig"));
    assertThat(list(custom.get("Items")))
        .containsExactlyInAnyOrder(
            Map.of(
                "Header", "Cross-Origin-Opener-Policy", "Value", "same-origin", "Override", true),
            Map.of(
                "Header",
                "Permissions-Policy",
                "Value",
                "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(),"
                    + " geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(),"
                    + " payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(),"
                    + " usb=(), xr-spatial-tracking=()",
                "Override",
                true));
  }

  @Test
  void everyBucketDeniesTlsOlderThan12() {
    Map<String, Map<String, Object>> policies = template.findResources("AWS::S3::BucketPolicy");
    assertThat(policies).hasSize(3);
    policies.forEach(
        (id, policy) ->
            assertThat(list(map(properties(policy).get("PolicyDocument")).get("Statement")))
                .as(id)
                .anySatisfy(
                    statement -> {
                      Map<String, Object> s = map(statement);
                      assertThat(s.get("Effect")).isEqualTo("Deny");
                      assertThat(s.get("Action")).isEqualTo("s3:*");
                      assertThat(s.get("Principal")).isEqualTo(Map.of("AWS", "*"));
                      assertThat(s.get("Condition"))
                          .isEqualTo(Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)));
                      assertThat(list(s.get("Resource"))).hasSize(2);
                    }));
  }

  @Test
  void contentSecurityPolicyAllowsSelfTheApiTheUploadBucketAndTheHostedUiOnly() {
    Map<String, Object> csp =
        map(
            map(map(properties(only(template, "AWS::CloudFront::ResponseHeadersPolicy").getValue())
                        .get("ResponseHeadersPolicyConfig"))
                    .get("SecurityHeadersConfig"))
                .get("ContentSecurityPolicy"));
    assertThat(csp.get("Override")).isEqualTo(true);
    String api = "https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}";
    String s3 = "https://*.s3.${AWS::Region}.${AWS::URLSuffix} https://*.s3.${AWS::URLSuffix}";
    String hostedUi = SignInTest.HOSTED_UI;
    assertThat(List.of(render(csp.get("ContentSecurityPolicy")).split("; ")))
        .containsExactly(
            "default-src 'self'",
            "connect-src 'self' " + api + " " + s3 + " " + hostedUi,
            "img-src 'self' " + s3,
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self' " + hostedUi,
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");
    // No inline scripts or styles, no eval, no data: or blob: sources anywhere.
    assertThat(render(csp.get("ContentSecurityPolicy")))
        .doesNotContain("unsafe-", "data:", "blob:", " * ", " *;", "http:");
  }

  @Test
  void siteDeploymentPublishesWebAndConfigJsonAndInvalidatesTheDistribution() {
    Map<String, Object> deployment =
        properties(only(template, "Custom::CDKBucketDeployment").getValue());
    String distributionId = only(template, "AWS::CloudFront::Distribution").getKey();
    assertThat(deployment.get("DistributionId")).isEqualTo(Map.of("Ref", distributionId));
    assertThat(deployment.get("DistributionPaths")).isEqualTo(List.of("/*"));
    // web/ without index.html, the generated index.html (DashboardPageTest) and config.json
    assertThat(list(deployment.get("SourceObjectKeys"))).hasSize(3);
    // config.json's apiUrl is filled in at deploy time with the API endpoint.
    assertThat(render(deployment.get("SourceMarkers"))).contains("\"ApiHttpApi.ApiEndpoint\"");
    assertThat(deployment.get("SystemMetadata")).isEqualTo(Map.of("cache-control", "no-cache"));
  }

  // ---- outputs -------------------------------------------------------------------------------

  @Test
  void outputsNameTheDashboardApiBucketAndTable() {
    Map<String, Object> outputs = map(template.toJSON().get("Outputs"));
    assertThat(render(map(outputs.get("DashboardUrl")).get("Value"))).isEqualTo(DASHBOARD_ORIGIN);
    assertThat(render(map(outputs.get("ApiUrl")).get("Value"))).isEqualTo("ApiHttpApi.ApiEndpoint");
    assertThat(map(outputs.get("UploadBucketName")).get("Value"))
        .isEqualTo(Map.of("Ref", UploadBucket.LOGICAL_ID));
    assertThat(map(outputs.get("MetadataTableName")).get("Value"))
        .isEqualTo(Map.of("Ref", MetadataTable.LOGICAL_ID));
    assertThat(outputs).containsKey("FailedSyncEventsQueueUrl");
  }
}
