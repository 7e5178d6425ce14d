package dev.uploaddashboard.lambda.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.FileMetadataStore.RowRemoval;
import dev.uploaddashboard.lambda.testing.RecordingAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Priming calls run the real clients' whole request path, response parsing included, on canned
 * answers: every client points at a server that records whatever reaches it (and answers 500).
 */
class RequestPrimingTest {
  private RecordingAws aws;
  private List<String> received;
  private AwsClientFactory clients;
  private FileMetadataStore metadata;
  private ObjectStore objects;

  @BeforeEach
  void startRecordingServer() {
    aws = RecordingAws.start();
    received = aws.received();
    clients = new AwsClientFactory(aws.env(Map.of()));
    metadata = new FileMetadataStore(clients.dynamoDb(), "upload_metadata");
    objects = new ObjectStore(clients.s3(), "upload-bucket");
  }

  @AfterEach
  void stopServer() {
    aws.close();
  }

  @Test
  void primingCallsParseTheirOperationsCannedAnswersAndSendNothing() {
    List<Object> results = new ArrayList<>();

    List<String> primed =
        clients
            .priming()
            .run(
                () -> results.add(metadata.findLive("upload-bucket", RequestPriming.KEY)),
                () -> results.add(metadata.deleteLive("upload-bucket", RequestPriming.KEY)),
                () -> results.add(objects.deleteAll(List.of(RequestPriming.KEY))),
                () -> results.add(objects.head(RequestPriming.KEY)));

    assertThat(primed).containsExactly("GetItem", "DeleteItem", "DeleteObjects", "HeadObject");
    assertThat(results.get(0))
        .asInstanceOf(InstanceOfAssertFactories.optional(FileItem.class))
        .hasValueSatisfying(item -> assertThat(item.objectKey()).isEqualTo(RequestPriming.KEY));
    assertThat(results.get(1)).isInstanceOf(RowRemoval.Removed.class);
    assertThat(results.get(2)).isEqualTo(Map.of());
    assertThat(results.get(3))
        .isInstanceOfSatisfying(Optional.class, o -> assertThat(o).isPresent());
    assertThat(received).isEmpty();
  }

  @Test
  void anOperationWithoutACannedAnswerIsStoppedBeforeSending() {
    assertThat(clients.priming().run(() -> clients.s3().listBuckets()))
        .containsExactly("ListBuckets");
    assertThat(received).isEmpty();
  }

  @Test
  void callsOutsidePrimingAndOnOtherThreadsReachTheNetwork() throws InterruptedException {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    clients
        .priming()
        .run(
            () -> {
              Thread other =
                  new Thread(
                      () -> {
                        try {
                          metadata.findLive("upload-bucket", "incoming/u/1/a.txt");
                        } catch (SdkException e) {
                          failures.add(e);
                        }
                      });
              other.start();
              join(other);
              metadata.findLive("upload-bucket", RequestPriming.KEY);
            });

    assertThat(failures).hasSize(1);
    assertThat(received).isNotEmpty().allMatch(line -> line.startsWith("POST "));
    int sentWhilePriming = received.size();

    assertThatThrownBy(() -> metadata.findLive("upload-bucket", RequestPriming.KEY))
        .isInstanceOf(SdkException.class);
    assertThat(received).hasSizeGreaterThan(sentWhilePriming);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
