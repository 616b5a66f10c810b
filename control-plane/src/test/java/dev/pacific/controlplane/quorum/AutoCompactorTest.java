package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When the leader compacts: by count past 110% of the limit, by age to the revision of max-age ago. */
class AutoCompactorTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void byCountOnceTenPercentMorePiledUpDownToTheLimit() {
    AutoCompactor c = new AutoCompactor(new Housekeeping(true, 1_000, Duration.ofDays(1), Duration.ofSeconds(1)), clock);
    assertEquals(OptionalLong.empty(), c.due(1_100, 0));
    assertEquals(OptionalLong.of(101), c.due(1_101, 0));
    assertEquals(OptionalLong.empty(), c.due(1_102, 0), "not again while the first is on its way");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(OptionalLong.of(102), c.due(1_102, 0), "again once the retry time passed unapplied");
    assertEquals(OptionalLong.empty(), c.due(1_150, 102));
  }

  @Test
  void byAgeToTheRevisionThatWasCurrentMaxAgeAgo() {
    AutoCompactor c = new AutoCompactor(new Housekeeping(true, 1_000_000, Duration.ofMinutes(5), Duration.ofSeconds(1)),
        clock);
    long revision = 0;
    for (int i = 0; i < 10; i++) { // a sample every 30 s, 5 minutes long
      assertEquals(OptionalLong.empty(), c.due(revision, 0));
      clock.advance(Duration.ofSeconds(30));
      revision += 100;
    }
    assertEquals(OptionalLong.empty(), c.due(revision, 0), "5 minutes ago the revision was 0: nothing to compact");
    clock.advance(Duration.ofSeconds(30));
    assertEquals(OptionalLong.of(100), c.due(revision + 100, 0), "the revision sampled 5 minutes ago");
  }

  @Test
  void aNewLeaderStartsSamplingAfresh() {
    AutoCompactor c = new AutoCompactor(new Housekeeping(true, 1_000_000, Duration.ofMinutes(5), Duration.ofSeconds(1)),
        clock);
    c.due(50, 0);
    clock.advance(Duration.ofMinutes(6));
    c.reset();
    assertEquals(OptionalLong.empty(), c.due(70, 0), "no sample of its own is 5 minutes old yet");
  }
}
