package dev.pacific.host.podagent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrashBackOffTest {

  private final CrashBackOff backOff = PodAgentSettings.kubernetes().newBackOff();

  @Test
  void firstRestartIsImmediateThenTenSecondsDoublingToFiveMinutes() {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      delays.add(backOff.afterRunning(Duration.ofSeconds(1)).toSeconds());
    }
    assertEquals(List.of(0L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L), delays);
  }

  @Test
  void tenMinutesOfRunningStartsTheSequenceAfresh() {
    backOff.afterRunning(Duration.ZERO);
    backOff.afterRunning(Duration.ZERO);
    backOff.afterRunning(Duration.ZERO);
    assertEquals(Duration.ZERO, backOff.afterRunning(Duration.ofMinutes(10)));
    assertEquals(Duration.ofSeconds(10), backOff.afterRunning(Duration.ofSeconds(3)));
  }
}
