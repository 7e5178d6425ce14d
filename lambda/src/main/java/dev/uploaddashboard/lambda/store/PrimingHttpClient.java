package dev.uploaddashboard.lambda.store;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The HTTP client of every SDK client {@link AwsClientFactory} builds: the real one, except for a
 * request that {@link RequestPriming} marked while priming, which gets a canned answer and never
 * reaches the network. A request without the mark (every request outside priming) goes to the real
 * client unchanged.
 */
final class PrimingHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;

  private PrimingHttpClient(SdkHttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    Optional<HttpExecuteResponse> canned = RequestPriming.cannedAnswer(request.httpRequest());
    if (canned.isEmpty()) {
      return delegate.prepareRequest(request);
    }
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return canned.get();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Builds the real client as the SDK would (with the service's defaults), then wraps it. */
  record Builder(SdkHttpClient.Builder<?> delegate) implements SdkHttpClient.Builder<Builder> {
    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      return new PrimingHttpClient(delegate.buildWithDefaults(serviceDefaults));
    }
  }
}
