package dev.pacific.deploy.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, drawn from a seed so that a run can be repeated: a shuffled deck of every
 * kind, dealt again and again, so every kind comes up within the first {@link Kind#values()}
 * faults (a bounded run of ten or more holds a leader kill and a host kill). Each fault says how
 * long it holds (a member stays dead or paused) and the quiet gap after it heals.
 */
final class FaultSchedule {

  /** What a fault does. Targets are chosen when it is injected (who leads is known only then). */
  enum Kind {
    KILL_LEADER, KILL_FOLLOWER, KILL_HOST, KILL_LB, PAUSE_LEADER, PAUSE_FOLLOWER, PAUSE_HOST, RETRY_BURST
  }

  /** One planned fault: {@code pick} chooses among the candidate members. */
  record Planned(Kind kind, long holdMillis, long gapMillis, int pick) {}

  private final Random random;
  private final long longestPauseMillis;
  private final List<Kind> kinds;
  private final List<Kind> deck = new ArrayList<>();

  /**
   * {@code longestPauseMillis}: a pause lasts from about a second up to this (past a lease TTL);
   * {@code only}: the kinds to deal (names of {@link Kind}), empty for all.
   */
  FaultSchedule(long seed, long longestPauseMillis, List<String> only) {
    this.random = new Random(seed);
    this.longestPauseMillis = longestPauseMillis;
    this.kinds = only.isEmpty() ? List.of(Kind.values()) : only.stream().map(Kind::valueOf).toList();
  }

  Planned next() {
    if (deck.isEmpty()) {
      deck.addAll(kinds);
      Collections.shuffle(deck, random);
    }
    Kind kind = deck.remove(0);
    long hold = switch (kind) {
      case KILL_LEADER, KILL_FOLLOWER, KILL_HOST, KILL_LB -> 1000 + random.nextInt(5000);
      case PAUSE_LEADER, PAUSE_FOLLOWER, PAUSE_HOST -> 1000 + (long) (random.nextDouble() * (longestPauseMillis - 1000));
      case RETRY_BURST -> 3000 + random.nextInt(5000);
    };
    return new Planned(kind, hold, 1000 + random.nextInt(4000), random.nextInt(1 << 20));
  }
}
