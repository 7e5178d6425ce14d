package dev.uploaddashboard.lambda.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** An SDK interceptor that records every call a client makes, by request type. */
public final class CallRecorder implements ExecutionInterceptor {
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    calls.add(context.request().getClass().getSimpleName());
  }

  public List<String> calls() {
    return List.copyOf(calls);
  }

  public void clear() {
    calls.clear();
  }
}
