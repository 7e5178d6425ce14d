package dev.uploaddashboard.lambda.handler;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** An SDK interceptor that fails every call of one request type before it is sent. */
final class FaultInjection implements ExecutionInterceptor {
  static final String SECRET_DETAIL = "simulated outage at internal-host-10.0.0.7";

  private final Class<? extends SdkRequest> failing;

  private FaultInjection(Class<? extends SdkRequest> failing) {
    this.failing = failing;
  }

  static FaultInjection failing(Class<? extends SdkRequest> requestType) {
    return new FaultInjection(requestType);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (failing.isInstance(context.request())) {
      throw SdkClientException.create(SECRET_DETAIL);
    }
  }
}
