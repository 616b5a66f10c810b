package dev.pacific.controlplane.entities;

import dev.pacific.controlplane.entities.HostEntity.Change;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Natural batching of reservations, per host: a change sent while no {@link HostEntity.Adjust}
 * of that host is in flight goes at once, alone; the changes that arrive meanwhile wait and go
 * together, in arrival order, as the next one when it answers. One host entity writes once per
 * batch, so a burst of binds costs a few quorum writes instead of one each, and a lone change
 * waits for nothing.
 */
final class HostChanges {

  private final BiFunction<String, List<Change>, CompletionStage<HostEntity.Reply>> send;
  private final int maxBatch;
  private final Map<String, Queue> queues = new HashMap<>();

  /** {@code send}: one Adjust of the host with these changes; at most {@code maxBatch} changes per Adjust. */
  HostChanges(BiFunction<String, List<Change>, CompletionStage<HostEntity.Reply>> send, int maxBatch) {
    this.send = send;
    this.maxBatch = maxBatch;
  }

  private record Waiting(Change change, CompletableFuture<HostEntity.Reply> answer) {}

  private static final class Queue {
    final List<Waiting> waiting = new ArrayList<>();
    boolean inFlight;
  }

  /** The change's answer in a single command's words: Reserved, Refused, Released, or Failed for the whole batch. */
  CompletionStage<HostEntity.Reply> submit(String host, Change change) {
    Waiting w = new Waiting(change, new CompletableFuture<>());
    List<Waiting> batch;
    synchronized (queues) {
      Queue q = queues.computeIfAbsent(host, h -> new Queue());
      q.waiting.add(w);
      batch = take(host, q);
    }
    if (batch != null) {
      flush(host, batch);
    }
    return w.answer();
  }

  /** The next batch to send, or null when one is in flight or nothing waits (the caller holds the lock). */
  private List<Waiting> take(String host, Queue q) {
    if (q.inFlight || q.waiting.isEmpty()) {
      if (!q.inFlight) {
        queues.remove(host);
      }
      return null;
    }
    int n = Math.min(maxBatch, q.waiting.size());
    List<Waiting> batch = new ArrayList<>(q.waiting.subList(0, n));
    q.waiting.subList(0, n).clear();
    q.inFlight = true;
    return batch;
  }

  private void flush(String host, List<Waiting> batch) {
    List<Change> changes = batch.stream().map(Waiting::change).toList();
    CompletionStage<HostEntity.Reply> sent;
    try {
      sent = send.apply(host, changes);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((reply, error) -> {
      answer(host, batch, reply, error);
      List<Waiting> next;
      synchronized (queues) {
        Queue q = queues.get(host);
        q.inFlight = false;
        next = take(host, q);
      }
      if (next != null) {
        flush(host, next);
      }
    });
  }

  private static void answer(String host, List<Waiting> batch, HostEntity.Reply reply, Throwable error) {
    if (error != null) {
      batch.forEach(w -> w.answer().completeExceptionally(error));
    } else if (reply instanceof HostEntity.Adjusted adjusted && adjusted.outcomes().size() == batch.size()) {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).answer().complete(adjusted.outcomes().get(i).asReply(ObjectRef.cluster(ResourceKind.NODES, host)));
      }
    } else if (reply instanceof HostEntity.Failed failed) {
      batch.forEach(w -> w.answer().complete(failed));
    } else {
      IllegalStateException wrong = new IllegalStateException("unexpected answer from host " + host + ": " + reply);
      batch.forEach(w -> w.answer().completeExceptionally(wrong));
    }
  }
}
