package dev.uploaddashboard.local.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@code bin/soak} that the CI suite runs: 16 workers, a few hundred
 * operations, faults at 5 %; the long one is a command (README, "Operations").
 */
class SoakTest {

  @Test
  void underLoadAndFaultsNothingIsLostResurrectedOrShownToTheWrongUserOnceReconciled()
      throws Exception {
    Soak.Report report = Soak.run(new Soak.Config(16, 25, 0.05, 0.05, Duration.ofMinutes(3), 7));
    System.out.println(report.describe());

    assertThat(report.violations()).isEmpty();
    assertThat(report.driftAfter().total()).isZero();
    assertThat(report.repaired()).isEqualTo(report.driftBefore().total());
    // The run really was under fault.
    assertThat(report.awsFaults()).isPositive();
    assertThat(report.eventsDropped() + report.eventsDuplicated() + report.eventsDelayed())
        .isPositive();
    assertThat(report.operations()).isEqualTo(16 * 25);
  }
}
