package dev.uploaddashboard.lambda.testing;

import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * Makes the S3 emulator answer a missing object the way AWS does. On AWS, HeadObject and GetObject
 * of a key that does not exist answer <b>404</b> only when the caller also holds {@code
 * s3:ListBucket} on the bucket, and <b>403</b> otherwise (S3 API reference, HeadObject,
 * "Permissions"); s3proxy (and moto) always answer 404 because they enforce no IAM. This
 * interceptor rewrites the emulator's 404 to 403 unless the modelled role may list the key: a
 * {@code s3:ListBucket} grant with an {@code s3:prefix} condition is evaluated with the object key
 * as the prefix.
 */
public final class AwsMissingObjectAnswers implements ExecutionInterceptor {
  private final Optional<String> listablePrefix;

  private AwsMissingObjectAnswers(Optional<String> listablePrefix) {
    this.listablePrefix = listablePrefix;
  }

  /** A role with {@code s3:GetObject} but no {@code s3:ListBucket}: missing objects are 403. */
  public static AwsMissingObjectAnswers withoutListBucket() {
    return new AwsMissingObjectAnswers(Optional.empty());
  }

  /**
   * A role with {@code s3:ListBucket} on the bucket under the condition {@code StringLike s3:prefix
   * <prefix>*}, as the sync function is granted in infra: missing objects under the prefix are 404.
   */
  public static AwsMissingObjectAnswers withListBucketOn(String prefix) {
    return new AwsMissingObjectAnswers(Optional.of(prefix));
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    SdkHttpResponse response = context.httpResponse();
    if (response.statusCode() != 404) {
      return response;
    }
    String key;
    if (context.request() instanceof HeadObjectRequest head) {
      key = head.key();
    } else if (context.request() instanceof GetObjectRequest get) {
      key = get.key();
    } else {
      return response;
    }
    if (listablePrefix.isPresent() && key.startsWith(listablePrefix.get())) {
      return response;
    }
    return response.toBuilder().statusCode(403).statusText("Forbidden").build();
  }
}
