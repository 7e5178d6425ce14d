package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.service.MultipartUploadService;
import dev.uploaddashboard.lambda.service.UploadQuota;
import dev.uploaddashboard.lambda.service.UploadService;
import dev.uploaddashboard.lambda.store.MultipartUploads;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.UploadQuotaTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user quota on {@code POST /uploads}: every ticket can create an object, an S3 event and a
 * sync invocation outside the API's throttle, so each user gets a bounded number per hour.
 */
class UploadQuotaTest {
  private static final String TICKET_BODY =
      "{\"file_name\":\"a.txt\",\"content_type\":\"text/plain\",\"size\":1}";

  private TestBucket bucket;
  private CreateUploadHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    Map<String, String> env = new HashMap<>(bucket.env());
    env.put("UPLOADS_PER_USER_PER_HOUR", "3");
    handler = new CreateUploadHandler(env::get);
  }

  @Test
  void afterTheLimitTheCallerGetsA429AndNoTicketWhileOthersStillUpload() {
    String alice = TestBucket.newUserId("alice");
    String bob = TestBucket.newUserId("bob");
    TestBucket.State before = bucket.state();

    for (int i = 0; i < 3; i++) {
      assertThat(ticket(handler, alice, TICKET_BODY).status()).isEqualTo(201);
    }
    HttpResult refused = ticket(handler, alice, TICKET_BODY);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("rate_limited");
    assertThat(refused.body().path("error").asText())
        .startsWith("Upload limit reached: at most 3 uploads per hour. Try again after ")
        .endsWith(":00:00.000Z.");
    assertThat(refused.body().has("upload_url")).isFalse();
    assertThat(bucket.state()).isEqualTo(before);
    assertThat(ticket(handler, bob, TICKET_BODY).status()).isEqualTo(201);
  }

  @Test
  void rejectedRequestsDoNotCount() {
    String carol = TestBucket.newUserId("carol");
    for (int i = 0; i < 5; i++) {
      HttpResult bad =
          ticket(handler, carol, "{\"file_name\":\"a.txt\",\"content_type\":\"text\",\"size\":1}");
      assertThat(bad.status()).isEqualTo(400);
    }

    for (int i = 0; i < 3; i++) {
      assertThat(ticket(handler, carol, TICKET_BODY).status()).isEqualTo(201);
    }
    assertThat(ticket(handler, carol, TICKET_BODY).status()).isEqualTo(429);
  }

  @Test
  void theQuotaRenewsWithEachHour() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:59:59Z"));
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    ObjectUrlSigner signer =
        new ObjectUrlSigner(bucket.emulators().sharedPresigner(), bucket.name());
    UploadService uploads =
        new UploadService(
            signer,
            new UploadQuota(
                new UploadQuotaStore(bucket.emulators().dynamoDbClient(), UploadQuotaTable.NAME),
                2,
                clock),
            Duration.ofSeconds(Functions.UPLOAD_URL_TTL_SECONDS),
            Functions.DEFAULT_MAX_UPLOAD_BYTES);
    CreateUploadHandler clocked =
        new CreateUploadHandler(
            uploads,
            new MultipartUploadService(
                uploads,
                new MultipartUploads(bucket.emulators().s3Client(), bucket.name()),
                signer,
                Duration.ofSeconds(Functions.PART_URL_TTL_SECONDS),
                Functions.DEFAULT_MAX_MULTIPART_UPLOAD_BYTES));
    String dave = TestBucket.newUserId("dave");

    assertThat(ticket(clocked, dave, TICKET_BODY).status()).isEqualTo(201);
    assertThat(ticket(clocked, dave, TICKET_BODY).status()).isEqualTo(201);
    HttpResult refused = ticket(clocked, dave, TICKET_BODY);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().path("error").asText()).contains("after 2026-11-21T11:00:00.000Z");

    now.set(Instant.parse("2026-11-21T11:00:00Z"));
    assertThat(ticket(clocked, dave, TICKET_BODY).status()).isEqualTo(201);
  }

  private static HttpResult ticket(CreateUploadHandler target, String sub, String body) {
    ObjectNode event = Events.asUser(Events.load("http-api-create-upload"), sub);
    return HttpResult.invoke(target, Events.withBody(event, body));
  }
}
