package dev.uploaddashboard.local.soak;

import dev.uploaddashboard.local.events.S3ObjectEvent;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * S3 event delivery as it can go wrong (a fake only to inject faults, for {@code bin/soak}): while
 * enabled, each event is, with the given probability each, dropped (never delivered: what the
 * reconciler is for), duplicated (delivered twice, as S3's at-least-once delivery may), or delayed
 * by up to a second so that later events overtake it (S3 does not promise order).
 */
public final class FaultyEvents implements Consumer<S3ObjectEvent> {
  private final Consumer<S3ObjectEvent> downstream;
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "soak-delayed-events");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicInteger pending = new AtomicInteger();
  private volatile double probability;
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong duplicated = new AtomicLong();
  final AtomicLong delayed = new AtomicLong();

  public FaultyEvents(Consumer<S3ObjectEvent> downstream) {
    this.downstream = downstream;
  }

  void enable(double fraction) {
    probability = fraction;
  }

  void disable() {
    probability = 0;
  }

  /** Waits until every delayed event has been handed on. */
  void awaitDelayed() throws InterruptedException {
    while (pending.get() > 0) {
      Thread.sleep(20);
    }
  }

  @Override
  public void accept(S3ObjectEvent event) {
    double p = probability;
    double roll = ThreadLocalRandom.current().nextDouble();
    if (roll < p) {
      dropped.incrementAndGet();
      return;
    }
    if (roll < 2 * p) {
      duplicated.incrementAndGet();
      downstream.accept(event);
      downstream.accept(event);
      return;
    }
    if (roll < 3 * p) {
      delayed.incrementAndGet();
      pending.incrementAndGet();
      later.schedule(
          () -> {
            try {
              downstream.accept(event);
            } finally {
              pending.decrementAndGet();
            }
          },
          ThreadLocalRandom.current().nextLong(50, 1000),
          TimeUnit.MILLISECONDS);
      return;
    }
    downstream.accept(event);
  }
}
