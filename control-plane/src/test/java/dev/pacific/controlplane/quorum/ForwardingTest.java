package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pacific.controlplane.quorum.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Followers forward their clients' proposals to the leader in batches and answer them when they
 * apply: under concurrent writers on every member, every write is answered with its own result.
 */
class ForwardingTest {

  private static final Duration LONG = Duration.ofSeconds(20);

  @Test
  void concurrentWritersOnEveryMemberAreEachAnsweredWithTheirOwnRevision() throws Exception {
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, "").startAll()) {
      assertNotNull(q.awaitLeader(LONG));
      int writersPerMember = 6;
      int writesEach = 60;
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      AtomicInteger done = new AtomicInteger();
      for (String via : TestQuorum.NAMES) {
        QuorumKv kv = q.kv(via);
        for (int w = 0; w < writersPerMember; w++) {
          String prefix = via + "/" + w + "/";
          writers.add(writeInTurn(kv, prefix, 0, writesEach, done).toCompletableFuture());
        }
      }
      CompletableFuture.allOf(writers.toArray(new CompletableFuture[0])).get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(3 * writersPerMember * writesEach, done.get());
      q.awaitSameState(LONG);
      for (String via : TestQuorum.NAMES) {
        KeyValue last = TestQuorum.await(q.kv(via).get(b(via + "/0/" + (writesEach - 1)))).orElseThrow();
        assertEquals("v" + (writesEach - 1), new String(last.value(), StandardCharsets.UTF_8));
      }
    }
  }

  /** One closed-loop writer: each write waits for the previous; its answer must be the revision of its own key. */
  private static CompletionStage<Void> writeInTurn(QuorumKv kv, String prefix, int i, int n, AtomicInteger done) {
    if (i == n) {
      return CompletableFuture.completedFuture(null);
    }
    byte[] key = b(prefix + i);
    return kv.put(key, b("v" + i), OptionalLong.empty())
        .thenCompose(o -> kv.get(key).thenAccept(read -> {
          long revision = ((QuorumKv.Outcome.Written) o).revision();
          assertEquals(revision, read.orElseThrow().modRevision(), "the answer is the revision of this very write");
          done.incrementAndGet();
        }))
        .thenCompose(x -> writeInTurn(kv, prefix, i + 1, n, done));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
