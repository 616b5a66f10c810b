package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.OneMemberQuorum.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvCodec;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvSettings;
import dev.pacific.controlplane.quorum.store.KvStore;
import dev.pacific.controlplane.quorum.store.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/**
 * A member that installs a leader's snapshot (Raft §7) never published the changes the snapshot
 * jumped over; its watchers replay them from the restored store, with no gap or duplicate.
 */
class WatchAcrossSnapshotTest {

  private static List<Entry> puts(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(i -> new Entry(1, i, KvCodec.encode(new Request(
        Request.NO_SESSION, 0, 1_000, new KvCommand.Put(("w/" + i % 4).getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) i}))))).toList();
  }

  @Test
  void aSnapshotInstalledUnderAWatchIsReplayedFromTheRestoredStore() throws Exception {
    Path root = Files.createTempDirectory("pacific-watch-snapshot-");
    ActorTestKit kit = ActorTestKit.create();
    try (KvStore watched = KvStore.open(root.resolve("watched"), KvSettings.DEFAULT);
         KvStore leader = KvStore.open(root.resolve("leader"), KvSettings.DEFAULT)) {
      WatchHub hub = new WatchHub();
      watched.setListener(hub);
      QuorumWatch watch = new QuorumWatch(watched, hub, 1_000);
      watched.applyBatch(puts(1, 10));
      leader.applyBatch(puts(1, 30));
      List<Long> seen = new CopyOnWriteArrayList<>();
      watch.watch(KeyRange.prefix("w/".getBytes(StandardCharsets.UTF_8)), 0)
          .runWith(Sink.foreach(e -> seen.add(e.revision())), kit.system());
      assertTrue(eventually(Duration.ofSeconds(10), () -> seen.size() == 10));

      watched.restore(leader.snapshot()); // entries 11..30 arrive as a snapshot, never applied one by one
      watched.applyBatch(puts(31, 32));
      assertTrue(eventually(Duration.ofSeconds(10), () -> seen.size() >= 32), seen.toString());
      Thread.sleep(100);
      assertEquals(LongStream.rangeClosed(1, 32).boxed().toList(), seen);
      assertEquals(1, hub.size(), "the watch subscribed again after the restore");
    } finally {
      kit.shutdownTestKit();
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
