package dev.uploaddashboard.lambda.testing;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's refusal of a completion whose part checksums are not the stored parts' ({@link
 * AwsMultipartRules}), where s3proxy cannot see them: it drops the checksums a completion names.
 * Registered for every SDK client of the test JVM ({@code
 * software/amazon/awssdk/global/handlers/execution.interceptors}); it acts only on completions of
 * uploads stored by {@link AwsMultipartRules}, and throws what the SDK throws when S3 answers 400
 * InvalidPart.
 */
public final class PartChecksumsAtCompletion implements ExecutionInterceptor {
  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    if (!(request instanceof CompleteMultipartUploadRequest complete)
        || complete.multipartUpload() == null) {
      return;
    }
    for (CompletedPart part : complete.multipartUpload().parts()) {
      String stored = AwsMultipartRules.storedPartChecksum(complete.uploadId(), part.partNumber());
      if (stored != null
          && part.checksumCRC32C() != null
          && !stored.equals(part.checksumCRC32C())) {
        throw (S3Exception)
            S3Exception.builder()
                .statusCode(400)
                .message("One or more of the specified parts could not be found.")
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("InvalidPart")
                        .errorMessage("One or more of the specified parts could not be found.")
                        .serviceName("S3")
                        .build())
                .build();
      }
    }
  }
}
