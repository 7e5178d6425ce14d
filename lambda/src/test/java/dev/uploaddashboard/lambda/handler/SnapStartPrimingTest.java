package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.RecordingAws;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming runs each function's request path and its SDK calls, and sends nothing: every
 * client points at a server that records whatever reaches it, and priming must leave it empty.
 */
class SnapStartPrimingTest {
  private RecordingAws aws;
  private List<String> received;
  private Function<String, String> env;

  @BeforeEach
  void startRecordingServer() {
    aws = RecordingAws.start();
    received = aws.received();
    env =
        aws.env(
            Map.of(
                "TABLE_NAME", "upload_metadata",
                "UPLOAD_BUCKET", "upload-bucket",
                "UPLOAD_QUOTA_TABLE", "upload_quota"));
  }

  @AfterEach
  void stopServer() {
    aws.close();
  }

  @Test
  void deletePrimingAnswersAForeignKeyAsNotFoundAndStopsItsCallsBeforeSending() {
    SnapStartPriming.Report report = new DeleteFileHandler(env).prime();

    assertThat(report.syntheticStatus()).isEqualTo(404);
    assertThat(report.primedCalls())
        .containsExactly("DeleteObject", "DeleteItem", "DeleteObjects", "TransactWriteItems");
    assertThat(received).isEmpty();
  }

  @Test
  void listPrimingRejectsTheCursorAndStopsItsQueriesBeforeSending() {
    SnapStartPriming.Report report = new ListFilesHandler(env).prime();

    assertThat(report.syntheticStatus()).isEqualTo(400);
    assertThat(report.primedCalls()).containsExactly("Query", "Query");
    assertThat(received).isEmpty();
  }

  @Test
  void detailPrimingAnswersAForeignKeyAsNotFoundAndStopsTheReadBeforeSending() {
    SnapStartPriming.Report report = new FileDetailHandler(env).prime();

    assertThat(report.syntheticStatus()).isEqualTo(404);
    assertThat(report.primedCalls()).containsExactly("GetItem");
    assertThat(received).isEmpty();
  }

  @Test
  void uploadPrimingRefusesAnOversizedFileSignsLocallyAndStopsTheQuotaUpdate() {
    SnapStartPriming.Report report = new CreateUploadHandler(env).prime();

    assertThat(report.syntheticStatus()).isEqualTo(413);
    assertThat(report.primedCalls()).containsExactly("UpdateItem");
    assertThat(received).isEmpty();
  }

  @Test
  void syncPrimingStopsTheHeadAndBothConditionalWritesBeforeSending() {
    SnapStartPriming.Report report = new MetadataSyncHandler(env).prime();

    assertThat(report.primedCalls()).containsExactly("HeadObject", "PutItem", "PutItem");
    assertThat(received).isEmpty();
  }

  @Test
  void reconcilerPrimingStopsTheListingReadsAndHeadBeforeSending() {
    SnapStartPriming.Report report = new ReconcileHandler(env, System.out).prime();

    assertThat(report.primedCalls())
        .containsExactly("ListObjectsV2", "Query", "HeadObject", "GetItem");
    assertThat(received).isEmpty();
  }

  @Test
  void mfaGuardPrimingDecidesATokenRequestWithoutACallAndParsesACannedUser() {
    SnapStartPriming.Report report = new AdminMfaGuardHandler(env).prime();

    assertThat(report.primedCalls()).containsExactly("AdminGetUser");
    assertThat(received).isEmpty();
  }

  @Test
  void everyDeployedFunctionsHandlerPrimes() throws ClassNotFoundException {
    for (FunctionSpec function : Functions.ALL) {
      assertThat(Class.forName(function.handlerClass()))
          .as(function.id())
          .isAssignableTo(PrimedHandler.class);
    }
  }

  @Test
  void theCheckpointHookAsLambdaRunsItSendsNothing() {
    ListFilesHandler handler = new ListFilesHandler(env);

    handler.beforeCheckpoint(null);

    assertThat(received).isEmpty();
  }

  @Test
  void theCheckpointHookRunsTheDeletePathEveryRoundAndSendsNothing() {
    List<SnapStartPriming.Report> rounds = new ArrayList<>();
    DeleteFileHandler delete = new DeleteFileHandler(env);
    PrimedHandler handler =
        new PrimedHandler() {
          @Override
          SnapStartPriming.Report prime() {
            SnapStartPriming.Report report = delete.prime();
            rounds.add(report);
            return report;
          }

          @Override
          public void handleRequest(InputStream input, OutputStream output, Context context) {
            throw new AssertionError("the checkpoint hook must not handle a request");
          }
        };

    handler.beforeCheckpoint(null);

    assertThat(rounds)
        .as("rounds, so that C1 compiles the path before the snapshot")
        .hasSize(PrimedHandler.PRIMING_ROUNDS)
        .hasSizeGreaterThan(20)
        .allSatisfy(
            report -> {
              assertThat(report.syntheticStatus()).isEqualTo(404);
              assertThat(report.primedCalls())
                  .containsExactly(
                      "DeleteObject", "DeleteItem", "DeleteObjects", "TransactWriteItems");
            });
    assertThat(received).isEmpty();
  }

  @Test
  void hooksAreRegisteredOnlyInTheInitLambdaSnapshots() {
    ListFilesHandler handler = new ListFilesHandler(env);

    assertThat(SnapStartPriming.register(handler, Map.<String, String>of()::get)).isFalse();
    assertThat(
            SnapStartPriming.register(
                handler, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")::get))
        .isFalse();
    assertThat(
            SnapStartPriming.register(
                handler, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency")::get))
        .isFalse();
    assertThat(
            SnapStartPriming.register(
                handler, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")::get))
        .isTrue();
  }

  @Test
  void requestsAfterPrimingAreSentAsUsual() {
    DeleteFileHandler handler = new DeleteFileHandler(env);
    handler.prime();

    String key = "incoming/" + Events.USER_SUB + "/0b9a3f6e/report.pdf";
    HttpResult result =
        HttpResult.invoke(
            handler,
            Events.withBody(
                Events.load("http-api-delete-metadata"),
                Events.json(Map.of("bucket", "upload-bucket", "key", key))));

    assertThat(result.status()).isEqualTo(500);
    assertThat(received).isNotEmpty().allMatch(line -> line.startsWith("DELETE "));
  }

  @Test
  void aPrimingCallThatMakesNoRequestIsAnError() {
    AwsClientFactory clients = new AwsClientFactory(env);

    assertThatThrownBy(() -> clients.priming().run(() -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
