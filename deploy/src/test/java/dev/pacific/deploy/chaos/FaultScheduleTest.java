package dev.pacific.deploy.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  @Test
  void everyKindComesUpWithinTheFirstDeckSoABoundedRunHoldsALeaderKillAndAHostKill() {
    for (long seed = 0; seed < 200; seed++) {
      FaultSchedule s = new FaultSchedule(seed, 9000, List.of());
      EnumSet<FaultSchedule.Kind> seen = EnumSet.noneOf(FaultSchedule.Kind.class);
      for (int i = 0; i < FaultSchedule.Kind.values().length; i++) {
        seen.add(s.next().kind());
      }
      assertEquals(EnumSet.allOf(FaultSchedule.Kind.class), seen, "seed " + seed);
    }
  }

  @Test
  void aSeedRepeatsItsSchedule() {
    assertEquals(plan(42, List.of()), plan(42, List.of()));
    assertTrue(!plan(42, List.of()).equals(plan(43, List.of())));
  }

  @Test
  void pausesLastFromASecondToPastTheLeaseTtlAndOnlyTheKindsAskedForAreDealt() {
    for (FaultSchedule.Planned p : plan(7, List.of("PAUSE_HOST"))) {
      assertEquals(FaultSchedule.Kind.PAUSE_HOST, p.kind());
      assertTrue(p.holdMillis() >= 1000 && p.holdMillis() <= 9000, "hold " + p.holdMillis());
    }
  }

  private static List<FaultSchedule.Planned> plan(long seed, List<String> only) {
    FaultSchedule s = new FaultSchedule(seed, 9000, only);
    List<FaultSchedule.Planned> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      out.add(s.next());
    }
    return out;
  }
}
