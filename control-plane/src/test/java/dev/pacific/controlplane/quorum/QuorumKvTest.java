package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.controlplane.quorum.store.KvCodec;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvResult;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.PersistedState;
import dev.pacific.controlplane.quorum.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key-value operations the admin API uses, on a one-member quorum over the real LevelDB
 * storage: plain and conditional writes, deletes, and what survives a restart.
 */
class QuorumKvTest {

  private Path dir;
  private ActorTestKit kit;
  private QuorumStorage storage;
  private ActorRef<QuorumMember.Command> member;
  private QuorumKv kv;

  private static Config config(boolean requireData) {
    return ConfigFactory.parseString("""
        pacific.control-plane.peers = ["cp-1=127.0.0.1:1"]
        pacific.quorum.tick = 20ms
        pacific.quorum.require-existing-data = %s
        pekko.loglevel = WARNING
        """.formatted(requireData ? "on" : "off")).withFallback(ConfigFactory.load());
  }

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("quorum-kv-");
    open(false);
  }

  private void open(boolean requireData) {
    Config config = config(requireData);
    storage = QuorumStorage.open(dir, "cp-1", config);
    kit = ActorTestKit.create("pacific", config);
    member = kit.spawn(QuorumMember.create(QuorumSettings.fromConfig(config, "cp-1"), storage.log(),
        storage.stateMachine()), "quorum");
    kv = new QuorumKv(new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(config)));
  }

  private void close() {
    kit.shutdownTestKit();
    storage.close();
  }

  @AfterEach
  void stop() throws Exception {
    close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private QuorumStatus status() throws Exception {
    return await(AskPattern.ask(member, QuorumMember.GetStatus::new, Duration.ofSeconds(5), kit.system().scheduler()));
  }

  @Test
  void writesAreReadBackWithTheirRevisions() throws Exception {
    var first = (QuorumKv.Outcome.Written) await(kv.put(b("a/1"), b("one"), OptionalLong.empty()));
    var second = (QuorumKv.Outcome.Written) await(kv.put(b("a/1"), b("uno"), OptionalLong.empty()));
    assertTrue(second.revision() > first.revision());
    KeyValue read = await(kv.get(b("a/1"))).orElseThrow();
    assertEquals("uno", new String(read.value(), StandardCharsets.UTF_8));
    assertEquals(first.revision(), read.createRevision());
    assertEquals(second.revision(), read.modRevision());
    assertEquals(2, read.version());
    assertEquals(Optional.empty(), await(kv.get(b("a/2"))));
  }

  @Test
  void compareAndSwapSucceedsOnlyOnTheCurrentModRevision() throws Exception {
    var created = (QuorumKv.Outcome.Written) await(kv.put(b("k"), b("v1"), OptionalLong.of(0)));
    var again = await(kv.put(b("k"), b("v2"), OptionalLong.of(0)));
    assertEquals(new QuorumKv.Outcome.Conflict(created.revision()), again, "prevRevision=0 means must not exist");
    var swapped = await(kv.put(b("k"), b("v2"), OptionalLong.of(created.revision())));
    assertInstanceOf(QuorumKv.Outcome.Written.class, swapped);
    var stale = await(kv.put(b("k"), b("v3"), OptionalLong.of(created.revision())));
    assertEquals(new QuorumKv.Outcome.Conflict(((QuorumKv.Outcome.Written) swapped).revision()), stale);
    assertEquals("v2", new String(await(kv.get(b("k"))).orElseThrow().value(), StandardCharsets.UTF_8));
  }

  @Test
  void aRangeAtAPastRevisionSeesTheKeysAsTheyWereThenUntilCompacted() throws Exception {
    await(kv.put(b("r/a"), b("a1"), OptionalLong.empty()));
    var before = (QuorumKv.Outcome.Written) await(kv.put(b("r/b"), b("b1"), OptionalLong.empty()));
    await(kv.put(b("r/a"), b("a2"), OptionalLong.empty()));
    await(kv.delete(b("r/b"), OptionalLong.empty()));
    await(kv.put(b("r/c"), b("c1"), OptionalLong.empty()));
    KeyRange range = KeyRange.prefix(b("r/"));

    var then = await(kv.range(range, before.revision(), 0));
    assertEquals(before.revision(), then.revision(), "the result names the revision read at");
    assertEquals(List.of("r/a=a1", "r/b=b1"), then.kvs().stream().map(QuorumKvTest::entry).toList());
    var firstOfThen = await(kv.range(range, before.revision(), 1));
    assertEquals(List.of("r/a=a1"), firstOfThen.kvs().stream().map(QuorumKvTest::entry).toList());
    assertTrue(firstOfThen.more());
    var now = await(kv.range(range, KvCommand.LATEST, 0));
    assertEquals(List.of("r/a=a2", "r/c=c1"), now.kvs().stream().map(QuorumKvTest::entry).toList());

    var future = assertThrows(ExecutionException.class, () -> await(kv.range(range, now.revision() + 10, 0)));
    assertEquals(KvResult.Reason.FUTURE_REVISION, ((QuorumKv.Refused) future.getCause()).reason());
    await(kv.compact(now.revision()));
    var gone = assertThrows(ExecutionException.class, () -> await(kv.range(range, before.revision(), 0)));
    assertEquals(KvResult.Reason.COMPACTED, ((QuorumKv.Refused) gone.getCause()).reason());
    assertEquals(2, await(kv.range(range, now.revision(), 0)).kvs().size(), "the compaction revision itself stays");
  }

  @Test
  void aReadAtAPastRevisionIsRefusedInsideAWrite() throws Exception {
    var w = (QuorumKv.Outcome.Written) await(kv.put(b("t/a"), b("1"), OptionalLong.empty()));
    KvCommand.Txn txn = new KvCommand.Txn(List.of(), List.of(new KvCommand.Put(b("t/b"), b("2")),
        new KvCommand.Get(KeyRange.key(b("t/a")), 0, w.revision())), List.of());
    var client = new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(kit.system().settings().config()));
    KvResult result = KvCodec.decodeResult(await(client.propose(KvStateMachine.command(txn))).value());
    assertEquals(KvResult.Reason.MALFORMED, ((KvResult.Rejected) result).reason());
    assertEquals(Optional.empty(), await(kv.get(b("t/b"))), "nothing of the refused transaction applied");
  }

  private static String entry(KeyValue kv) {
    return new String(kv.key(), StandardCharsets.UTF_8) + "=" + new String(kv.value(), StandardCharsets.UTF_8);
  }

  @Test
  void deletesReportWhatTheyFound() throws Exception {
    assertEquals(new QuorumKv.Outcome.Missing(), await(kv.delete(b("gone"), OptionalLong.empty())));
    var w = (QuorumKv.Outcome.Written) await(kv.put(b("d"), b("x"), OptionalLong.empty()));
    assertEquals(new QuorumKv.Outcome.Conflict(w.revision()), await(kv.delete(b("d"), OptionalLong.of(w.revision() + 5))));
    assertInstanceOf(QuorumKv.Outcome.Written.class, await(kv.delete(b("d"), OptionalLong.of(w.revision()))));
    assertEquals(Optional.empty(), await(kv.get(b("d"))));
  }

  @Test
  void everythingAcknowledgedSurvivesARestart() throws Exception {
    for (int i = 0; i < 20; i++) {
      await(kv.put(b("r/" + i), b("v" + i), OptionalLong.empty()));
    }
    QuorumStatus before = status();
    close();
    open(true);
    for (int i = 0; i < 20; i++) {
      assertEquals("v" + i, new String(await(kv.get(b("r/" + i))).orElseThrow().value(), StandardCharsets.UTF_8));
    }
    QuorumStatus after = status();
    assertEquals(before.stateHash(), after.stateHash(), "the restarted member has the same state");
    assertTrue(after.appliedIndex() >= before.appliedIndex());
  }

  /**
   * The log saves a commit index that moved alone without fsync, and the state machine is another
   * store: after a power loss the state machine can have applied beyond the saved commit index. What
   * it applied was committed, so the member starts from there instead of refusing.
   */
  @Test
  void aStateMachineAheadOfTheSavedCommitIndexStillStarts() throws Exception {
    await(kv.put(b("a"), b("1"), OptionalLong.empty()));
    close();
    try (QuorumStorage s = QuorumStorage.open(dir, "cp-1", config(false))) {
      PersistedState saved = s.log().load();
      long next = saved.snapshot().index() + saved.entries().size() + 1;
      Entry put = new Entry(saved.hardState().term(), next, KvStateMachine.command(
          new KvCommand.Put(b("b"), b("2"), KvCommand.NO_LEASE)));
      s.log().save(null, List.of(put), saved.hardState()); // the entry is durable, its commit was not
      s.stateMachine().applyBatch(List.of(put));
      assertTrue(s.stateMachine().appliedIndex() > saved.hardState().commit());
    }
    open(false);
    assertEquals("2", new String(await(kv.get(b("b"))).orElseThrow().value(), StandardCharsets.UTF_8));
    await(kv.put(b("c"), b("3"), OptionalLong.empty()));
    assertEquals("3", new String(await(kv.get(b("c"))).orElseThrow().value(), StandardCharsets.UTF_8));
  }

  @Test
  void aMemberThatHasRunRefusesToStartWithoutItsData() throws Exception {
    close();
    Path empty = Files.createTempDirectory("quorum-kv-lost-");
    try {
      StoreException refused = assertThrows(StoreException.class,
          () -> QuorumStorage.open(empty, "cp-1", config(true)));
      assertTrue(refused.getMessage().contains("cp-1 has run before"), refused.getMessage());
    } finally {
      try (Stream<Path> paths = Files.walk(empty)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      open(false); // so that stop() has something to close
    }
  }
}
