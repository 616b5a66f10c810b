package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.Change;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fan-out runs inside the quorum member's apply: no watcher, however it ended, may make it throw. */
class WatchHubTest {

  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "watch-hub-test");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void aWatcherWhoseStreamEndedIsDroppedWithoutThrowingIntoTheApply() throws Exception {
    WatchHub hub = new WatchHub();
    // A consumer that went away: the queue's stream is cancelled before the member offers to it.
    BoundedSourceQueue<WatchHub.Revision> ended = Source.<WatchHub.Revision>queue(8).to(Sink.cancelled()).run(system);
    hub.subscribe(KeyRange.prefix(bytes("k")), ended, 8);
    awaitClosed(ended);

    assertDoesNotThrow(() -> hub.applied(List.of(put("k1", 5))));
    assertEquals(0, hub.size(), "the ended watcher is unsubscribed");
  }

  @Test
  void aRestoreCutsEveryWatcherEvenOneWhoseStreamEnded() throws Exception {
    WatchHub hub = new WatchHub();
    BoundedSourceQueue<WatchHub.Revision> ended = Source.<WatchHub.Revision>queue(8).to(Sink.cancelled()).run(system);
    hub.subscribe(KeyRange.prefix(bytes("k")), ended, 8);
    awaitClosed(ended); // failing it now would throw "The queue has already been completed"
    var live = Source.<WatchHub.Revision>queue(8).toMat(Sink.seq(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(system);
    hub.subscribe(KeyRange.prefix(bytes("k")), live.first(), 8);

    assertDoesNotThrow(() -> hub.restored(10));
    assertEquals(0, hub.size());
    Throwable cut = live.second().toCompletableFuture().handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
    assertTrue(cut instanceof QuorumWatch.Restored || cut.getCause() instanceof QuorumWatch.Restored,
        "the live watcher learns why: " + cut);
  }

  @Test
  void aWatcherAskingForProgressHearsTheLastRevisionOfEachBatchOthersDoNot() throws Exception {
    WatchHub hub = new WatchHub();
    var progress = Source.<WatchHub.Revision>queue(8).toMat(Sink.seq(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(system);
    var plain = Source.<WatchHub.Revision>queue(8).toMat(Sink.seq(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(system);
    hub.subscribe(KeyRange.prefix(bytes("k")), progress.first(), 8, true);
    hub.subscribe(KeyRange.prefix(bytes("k")), plain.first(), 8);

    hub.applied(List.of(put("k1", 5), put("other", 6))); // the batch ends with a revision outside the range
    hub.applied(List.of(put("k2", 7)));                   // ends inside it: no mark needed
    progress.first().complete();
    plain.first().complete();

    List<String> seen = progress.second().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .map(r -> r.revision() + ":" + r.events().size()).toList();
    assertEquals(List.of("5:1", "6:0", "7:1"), seen, "a mark at 6, none after 7");
    assertEquals(List.of(5L, 7L), plain.second().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .map(WatchHub.Revision::revision).toList(), "no marks for a plain watcher");
  }

  private static void awaitClosed(BoundedSourceQueue<WatchHub.Revision> queue) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // offer(null) would throw; a probe revision outside every range tells whether the stream still takes offers
    while (queue.offer(new WatchHub.Revision(0, List.of())).isEnqueued() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static Change put(String key, long revision) {
    return new Change(Change.Type.PUT, new KeyValue(bytes(key), bytes("v"), revision, revision, 1));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
