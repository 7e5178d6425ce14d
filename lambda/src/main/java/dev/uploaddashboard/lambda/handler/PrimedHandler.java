package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.store.TlsPriming;
import org.crac.Resource;

/**
 * A handler with SnapStart priming: the CRaC {@code beforeCheckpoint} hook runs {@link #prime()}
 * (its request path, without touching data) {@value #PRIMING_ROUNDS} times and a TLS handshake in
 * memory ({@link TlsPriming}) before Lambda snapshots the function, and {@code afterRestore} has
 * nothing to do, because nothing in these functions is unique per environment (see {@link
 * SnapStartPriming}). Only the no-argument constructors, the ones Lambda calls, register the hook.
 */
abstract class PrimedHandler implements RequestStreamHandler, Resource {

  /**
   * How many times the hook runs {@link #prime()}: often enough that C1 (with the deployed {@code
   * -XX:CompileThresholdScaling=0.1}, about 20 invocations) has compiled the request path before
   * the snapshot, so that requests after a restore run compiled code from the first one on. Each
   * round is the same path with canned answers, a few milliseconds once warm; measured with
   * bin/bench-coldstart (docs/COLD-STARTS.md, "Priming rounds").
   */
  static final int PRIMING_ROUNDS = 100;

  /** Runs the request path without touching data; what ran, for tests. */
  abstract SnapStartPriming.Report prime();

  @Override
  public final void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    for (int round = 0; round < PRIMING_ROUNDS; round++) {
      prime();
    }
    TlsPriming.handshake();
  }

  @Override
  public final void afterRestore(org.crac.Context<? extends Resource> context) {}
}
