package dev.pacific.controlplane.persistence;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The durable-state plugin on a real one-member quorum, through Pekko's registry exactly as
 * {@code DurableStateBehavior} finds it: revisions are key versions, stale writers fail and
 * never overwrite, mod revisions reach {@link RegistryRevisions}.
 */
class QuorumDurableStateStoreTest {

  private static final ObjectRef REF = new ObjectRef(ResourceKind.PODS, "team-a", "web-0");
  private static final String PID = RegistryKeys.persistenceId(REF);

  private QuorumFixture quorum;

  @AfterEach
  void stop() {
    if (quorum != null) {
      quorum.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static DurableStateUpdateStore<Object> store(QuorumFixture f) {
    return DurableStateStoreRegistry.get(f.system())
        .getDurableStateStoreFor(DurableStateUpdateStore.class, "pacific.persistence.durable-state");
  }

  private KeyValue stored() {
    return await(quorum.kv.get(RegistryKeys.key(REF))).orElseThrow();
  }

  @Test
  void upsertGetDeleteRoundTripWithRevisionEqualToTheKeyVersion() {
    quorum = QuorumFixture.oneMember("");
    DurableStateUpdateStore<Object> store = store(quorum);
    RegistryRevisions revisions = RegistryRevisions.get(quorum.system());

    GetObjectResult<Object> absent = await(store.getObject(PID));
    assertEquals(Optional.empty(), absent.value());
    assertEquals(0, absent.revision());

    StoredPod first = new StoredPod(SamplePods.minimal("team-a", "web-0"), "a");
    await(store.upsertObject(PID, 1, first, ""));
    KeyValue kv1 = stored();
    assertEquals(1, kv1.version());
    assertEquals(kv1.modRevision(), revisions.modRevision(PID).getAsLong(), "the write's mod revision is recorded");

    StoredPod second = new StoredPod(SamplePods.full("team-a", "web-0"), "a");
    await(store.upsertObject(PID, 2, second, ""));
    KeyValue kv2 = stored();
    GetObjectResult<Object> read = await(store.getObject(PID));
    assertEquals(Optional.of(second), read.value());
    assertEquals(2, read.revision());
    assertEquals(kv2.version(), read.revision(), "Pekko's revision is the key's version");
    assertEquals(kv2.modRevision(), revisions.modRevision(PID).getAsLong());

    await(store.deleteObject(PID, 3));
    assertEquals(Optional.empty(), await(quorum.kv.get(RegistryKeys.key(REF))));
    GetObjectResult<Object> gone = await(store.getObject(PID));
    assertEquals(Optional.empty(), gone.value());
    assertEquals(0, gone.revision(), "a deleted key starts again from revision 0");

    await(store.upsertObject(PID, 1, first, ""));
    assertEquals(1, stored().version());
  }

  @Test
  void theStaleOfTwoWritersFailsAndNeverOverwrites() {
    quorum = QuorumFixture.oneMember("");
    DurableStateUpdateStore<Object> store = store(quorum);
    StoredPod a1 = new StoredPod(SamplePods.minimal("team-a", "web-0"), "copy A, revision 1");
    await(store.upsertObject(PID, 1, a1, ""));
    // Both copies read revision 1; A writes revision 2 first, then B (still at 1) tries revision 2.
    StoredPod a2 = new StoredPod(SamplePods.full("team-a", "web-0"), "copy A, revision 2");
    await(store.upsertObject(PID, 2, a2, ""));
    long winnerModRevision = stored().modRevision();

    AtomicReference<Throwable> heard = new AtomicReference<>();
    RegistryRevisions.get(quorum.system()).expectWrite(PID, heard::set);
    StoredPod b2 = new StoredPod(SamplePods.minimal("team-a", "web-0"), "copy B, revision 2");
    StaleWrite stale = assertInstanceOf(StaleWrite.class, failure(store.upsertObject(PID, 2, b2, "")));
    assertEquals(winnerModRevision, stale.currentModRevision());
    assertEquals(1, stale.expectedVersion());
    assertInstanceOf(StaleWrite.class, heard.get(), "the entity's listener hears of the failure first");

    assertEquals(Optional.of(a2), await(store.getObject(PID)).value(), "the winner's state is stored");
    assertEquals(winnerModRevision, stored().modRevision(), "the stale write changed nothing");

    // A stale delete fails the same way and leaves the key.
    assertInstanceOf(StaleWrite.class, failure(store.deleteObject(PID, 2)));
    assertEquals(2, stored().version());
  }

  @Test
  void ofConcurrentWritersOfOneRevisionExactlyOneWinsAndItsStateIsStored() {
    quorum = QuorumFixture.oneMember("");
    DurableStateUpdateStore<Object> store = store(quorum);
    long start = System.nanoTime();
    for (int round = 1; round <= 20; round++) {
      List<StoredPod> states = List.of(
          new StoredPod(SamplePods.minimal("team-a", "web-0"), "A" + round),
          new StoredPod(SamplePods.minimal("team-a", "web-0"), "B" + round),
          new StoredPod(SamplePods.minimal("team-a", "web-0"), "C" + round));
      long revision = round;
      List<CompletableFuture<Object>> writes = states.stream()
          .map(s -> store.upsertObject(PID, revision, s, "").toCompletableFuture()
              .<Object>thenApply(d -> s).exceptionally(e -> e instanceof CompletionException c ? c.getCause() : e))
          .toList();
      List<Object> outcomes = writes.stream().map(CompletableFuture::join).toList();
      List<Object> winners = outcomes.stream().filter(o -> o instanceof StoredPod).toList();
      assertEquals(1, winners.size(), "round " + round + ": " + outcomes);
      for (Object o : outcomes) {
        if (!(o instanceof StoredPod)) {
          assertInstanceOf(StaleWrite.class, o, "round " + round);
        }
      }
      assertEquals(Optional.of(winners.get(0)), await(store.getObject(PID)).value(), "round " + round);
      assertEquals(round, stored().version());
    }
    System.out.printf("20 rounds of 3 racing writers in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void aWriteWhileTheQuorumHasNoLeaderFailsInsteadOfHanging() {
    quorum = QuorumFixture.withoutMajority("");
    DurableStateUpdateStore<Object> store = store(quorum);
    AtomicReference<Throwable> heard = new AtomicReference<>();
    RegistryRevisions.get(quorum.system()).expectWrite(PID, heard::set);
    long start = System.nanoTime();
    Throwable write = failure(store.upsertObject(PID, 1, new StoredPod(SamplePods.minimal("team-a", "web-0"), "x"), ""));
    System.out.printf("write without a leader failed after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000,
        write.getMessage());
    assertInstanceOf(QuorumUnavailable.class, write);
    assertInstanceOf(QuorumUnavailable.class, heard.get());
    assertInstanceOf(QuorumUnavailable.class, failure(store.getObject(PID)));
  }

  @Test
  void podsRoundTripThroughPekkosJacksonSerializer() {
    quorum = QuorumFixture.oneMember("");
    var serialization = SerializationExtension.get(quorum.system());
    for (Pod pod : List.of(SamplePods.minimal("a", "b"), SamplePods.full("team-a", "web-0"))) {
      StoredPod state = new StoredPod(pod, "w");
      byte[] bytes = StoredState.of(serialization, state).encode();
      assertEquals(state, StoredState.decode(bytes).toObject(serialization));
      assertTrue(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).contains("\"cpu\":\"250m\"")
          || pod.spec().containers().get(0).resources() == null, "stored as readable JSON");
    }
  }

  private static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
