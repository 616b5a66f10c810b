package dev.pacific.controlplane.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.MonotonicClock;
import dev.pacific.controlplane.quorum.OneMemberQuorum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * Three candidates for one election on a real (one-member) quorum, on real time: one leads at a
 * time; when the leader's member dies its lease expires and another takes over; a restarted
 * member that finds its own previous term's key takes over at once instead of waiting out the TTL.
 */
class LeaseElectionTest {

  private static final ElectionSettings SETTINGS = new ElectionSettings(Duration.ofMillis(1500),
      Duration.ofMillis(300), Duration.ofSeconds(2));

  /** Who runs the leading behaviour right now. */
  private final Set<String> leaders = ConcurrentHashMap.newKeySet();
  private volatile int mostAtOnce;

  private Behavior<Void> leading(String member) {
    return Behaviors.setup(ctx -> {
      leaders.add(member);
      mostAtOnce = Math.max(mostAtOnce, leaders.size());
      return Behaviors.<Void>receive(Void.class)
          .onSignal(PostStop.class, s -> {
            leaders.remove(member);
            return Behaviors.same();
          })
          .build();
    });
  }

  @Test
  void oneLeadsAtATimeAndAnotherTakesOverWhenItDies() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(MonotonicClock.SYSTEM, "")) {
      List<ActorRef<LeaseElection.Command>> candidates = new ArrayList<>();
      for (String m : List.of("cp-1", "cp-2", "cp-3")) {
        candidates.add(q.kit.spawn(LeaseElection.create("scheduler", m, q.kv, SETTINGS, leading(m)), "election-" + m));
      }
      assertTrue(OneMemberQuorum.eventually(Duration.ofSeconds(10), () -> leaders.size() == 1), "someone leads");
      String first = leaders.iterator().next();
      Thread.sleep(2000);
      assertEquals(Set.of(first), leaders, "the leader keeps its lease alive");

      long killed = System.nanoTime();
      q.kit.stop(candidates.get(Integer.parseInt(first.substring(3)) - 1));
      assertTrue(OneMemberQuorum.eventually(Duration.ofSeconds(10),
          () -> leaders.size() == 1 && !leaders.contains(first)), "another member takes over");
      System.out.printf("LeaseElectionTest: %s took over %d ms after %s died (TTL %d ms)%n",
          leaders.iterator().next(), (System.nanoTime() - killed) / 1_000_000, first, SETTINGS.ttl().toMillis());
      assertEquals(1, mostAtOnce, "never two leaders at once");
    }
  }

  @Test
  void aRestartedHolderRevokesItsOldLeaseAndLeadsAgainAtOnce() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(MonotonicClock.SYSTEM, "")) {
      var first = q.kit.spawn(LeaseElection.create("controller", "cp-1", q.kv, SETTINGS, leading("cp-1")), "e1");
      assertTrue(OneMemberQuorum.eventually(Duration.ofSeconds(10), () -> leaders.contains("cp-1")));
      q.kit.stop(first);
      assertTrue(OneMemberQuorum.eventually(Duration.ofSeconds(5), leaders::isEmpty));
      long restarted = System.nanoTime();
      q.kit.spawn(LeaseElection.create("controller", "cp-1", q.kv, SETTINGS, leading("cp-1")), "e2");
      assertTrue(OneMemberQuorum.eventually(Duration.ofSeconds(10), () -> leaders.contains("cp-1")));
      System.out.printf("LeaseElectionTest: the restarted holder led again after %d ms (TTL %d ms)%n",
          (System.nanoTime() - restarted) / 1_000_000, SETTINGS.ttl().toMillis());
    }
  }
}
