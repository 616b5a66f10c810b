package dev.pacific.host.spherelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {

  private static final long MS = 1_000_000;

  @Test
  void podsMayRunForTheTtlLessTheMarginCountedFromWhenTheRenewalWasSent() {
    // TTL 4 s, margin 20 %: 3.2 s from sending; answered 300 ms later leaves 2.9 s.
    assertEquals(Duration.ofMillis(2900), LeaseFence.validFor(Duration.ofSeconds(4), 0.2, 1000 * MS, 1300 * MS));
  }

  @Test
  void anAnswerLaterThanTheFenceTimeGivesNoTime() {
    assertTrue(LeaseFence.validFor(Duration.ofSeconds(4), 0.2, 0, 3300 * MS).isNegative());
  }

  @Test
  void renewalsAreDueAFractionOfTheTtlAfterTheLastWasSent() {
    assertEquals(Duration.ofMillis(700), LeaseFence.renewAfter(Duration.ofSeconds(4), 0.25, 0, 300 * MS));
    assertEquals(Duration.ZERO, LeaseFence.renewAfter(Duration.ofSeconds(4), 0.25, 0, 2000 * MS), "overdue: now");
  }
}
