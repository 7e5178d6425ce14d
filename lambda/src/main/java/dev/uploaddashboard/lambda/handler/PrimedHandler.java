package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.store.TlsPriming;
import org.crac.Resource;

/**
 * A handler with SnapStart priming: the CRaC {@code beforeCheckpoint} hook runs {@link #prime()}
 * (its request path, without touching data) and a TLS handshake in memory ({@link TlsPriming})
 * before Lambda snapshots the function, and {@code afterRestore} has nothing to do, because nothing
 * in these functions is unique per environment (see {@link SnapStartPriming}). Only the no-argument
 * constructors, the ones Lambda calls, register the hook.
 */
abstract class PrimedHandler implements RequestStreamHandler, Resource {

  /** Runs the request path without touching data; what ran, for tests. */
  abstract SnapStartPriming.Report prime();

  @Override
  public final void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    prime();
    TlsPriming.handshake();
  }

  @Override
  public final void afterRestore(org.crac.Context<? extends Resource> context) {}
}
