package dev.pacific.controlplane.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.ResourceList;
import dev.pacific.controlplane.entities.HostEntity.Change;
import dev.pacific.controlplane.entities.HostEntity.ChangeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Natural batching of a host's reservation changes, against a fake host that answers when told. */
class HostChangesTest {

  private static final ResourceList CPU = ResourceList.parse(Map.of("cpu", "1"));

  /** Every Adjust sent, with the future the test completes to answer it. */
  private record Sent(String host, List<Change> changes, CompletableFuture<HostEntity.Reply> answer) {}

  private final List<Sent> sent = new ArrayList<>();

  private HostChanges batching(int max) {
    return new HostChanges((host, changes) -> {
      CompletableFuture<HostEntity.Reply> answer = new CompletableFuture<>();
      synchronized (sent) {
        sent.add(new Sent(host, changes, answer));
      }
      return answer;
    }, max);
  }

  /** Every change reserved, or released, as the host would say. */
  private static HostEntity.Adjusted allDone(List<Change> changes) {
    return new HostEntity.Adjusted(changes.stream().map(c -> new ChangeOutcome(c.podUid(),
        c.requests() == null ? ChangeOutcome.Kind.RELEASED : ChangeOutcome.Kind.RESERVED, List.of())).toList());
  }

  private static HostEntity.Reply get(CompletionStage<HostEntity.Reply> f) throws Exception {
    return f.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLoneChangeGoesAtOnceAndWhatArrivesMeanwhileGoesTogetherInOrder() throws Exception {
    HostChanges changes = batching(100);
    var first = changes.submit("h", new Change("a", CPU));
    assertEquals(1, sent.size(), "nothing in flight: sent at once, alone");
    var second = changes.submit("h", new Change("b", CPU));
    var third = changes.submit("h", Change.release("c"));
    var otherHost = changes.submit("g", new Change("x", CPU));
    assertEquals(2, sent.size(), "b and c wait for a's answer; host g has its own queue");
    assertEquals("g", sent.get(1).host());

    sent.get(0).answer().complete(allDone(sent.get(0).changes()));
    assertInstanceOf(HostEntity.Reserved.class, get(first));
    assertEquals(3, sent.size(), "a's answer sends what waited, as one batch");
    assertEquals(List.of("b", "c"), sent.get(2).changes().stream().map(Change::podUid).toList());
    assertFalse(second.toCompletableFuture().isDone());

    sent.get(2).answer().complete(new HostEntity.Adjusted(List.of(
        new ChangeOutcome("b", ChangeOutcome.Kind.REFUSED, List.of(HostCapacity.INSUFFICIENT_CPU)),
        new ChangeOutcome("c", ChangeOutcome.Kind.RELEASED, List.of()))));
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), assertInstanceOf(HostEntity.Refused.class, get(second))
        .reasons());
    assertInstanceOf(HostEntity.Released.class, get(third));
    assertFalse(otherHost.toCompletableFuture().isDone(), "g is answered on its own");
    assertEquals(3, sent.size(), "nothing left to send for h");
  }

  @Test
  void batchesAreCappedAndTheRestFollows() throws Exception {
    HostChanges changes = batching(3);
    List<CompletionStage<HostEntity.Reply>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      answers.add(changes.submit("h", new Change("p" + i, CPU)));
    }
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Sent s = sent.get(i);
      sizes.add(s.changes().size());
      s.answer().complete(allDone(s.changes()));
    }
    assertEquals(List.of(1, 3, 3, 1), sizes, "one alone, then at most three at a time");
    for (var a : answers) {
      assertInstanceOf(HostEntity.Reserved.class, get(a));
    }
  }

  @Test
  void aFailedBatchFailsEveryChangeInItAndTheQueueGoesOn() throws Exception {
    HostChanges changes = batching(100);
    var a = changes.submit("h", new Change("a", CPU));
    var b = changes.submit("h", new Change("b", CPU));
    sent.get(0).answer().completeExceptionally(new java.util.concurrent.TimeoutException("ask timed out"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(a));
    assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
    assertEquals(2, sent.size(), "b still goes");
    HostEntity.Failed unavailable = new HostEntity.Failed(Refusals.unavailable("no quorum"));
    sent.get(1).answer().complete(unavailable);
    assertSame(unavailable, get(b), "a whole-batch failure is each change's answer");
    var c = changes.submit("h", new Change("c", CPU));
    assertEquals(3, sent.size(), "the queue is free again");
    sent.get(2).answer().complete(allDone(sent.get(2).changes()));
    assertTrue(get(c) instanceof HostEntity.Reserved);
  }
}
