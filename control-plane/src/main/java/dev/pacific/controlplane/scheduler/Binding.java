package dev.pacific.controlplane.scheduler;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.HostEntity;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * One decision carried out across two entities: the host reserves the pod's requests (it is the
 * authority over its capacity, so two schedulers or a stale view can never overcommit it), then the
 * pod is bound. A bind that fails after the reservation gives the reservation back, so nothing
 * leaks (the host's reconciler would free it after its grace anyway).
 */
final class Binding {

  /** How an attempt ended. */
  sealed interface Result {
    record Bound() implements Result {}

    /** The host refused: the pod does not fit there after all (these reasons). */
    record Refused(List<String> reasons) implements Result {}

    /** Anything else (the pod went, the entity was away); worth a later try. */
    record Failed(String message) implements Result {}
  }

  private final HostMutations hosts;
  private final PodMutations pods;
  /** Time spent waiting for reservations and for binds, summed over attempts: where a slow batch's time went. */
  private final LongAdder reserveNanos = new LongAdder();
  private final LongAdder bindNanos = new LongAdder();
  private final LongAdder binds = new LongAdder();

  Binding(HostMutations hosts, PodMutations pods) {
    this.hosts = hosts;
    this.pods = pods;
  }

  CompletionStage<Result> attempt(ObjectRef ref, Pod pod, String host) {
    long started = System.nanoTime();
    return hosts.reserve(host, pod).thenCompose(reply -> {
      long reserved = System.nanoTime();
      reserveNanos.add(reserved - started);
      if (reply instanceof HostEntity.Reserved) {
        return bind(ref, pod, host).whenComplete((r, e) -> {
          bindNanos.add(System.nanoTime() - reserved);
          binds.increment();
        });
      } else if (reply instanceof HostEntity.Refused r) {
        return done(new Result.Refused(r.reasons()));
      } else if (reply instanceof HostEntity.Failed f) {
        return done(new Result.Failed("reserving on " + host + ": " + f.status().message()));
      }
      return done(new Result.Failed("unexpected answer from host " + host + ": " + reply));
    });
  }

  private CompletionStage<Result> bind(ObjectRef ref, Pod pod, String host) {
    return pods.bind(ref, host).handle((outcome, error) -> {
      if (error == null && outcome instanceof Outcome.Done) {
        return done(new Result.Bound());
      }
      String why = error != null ? String.valueOf(error) : ((Outcome.Failed) outcome).status().message();
      return hosts.release(host, pod.metadata().uid()).handle((r, e) -> (Result) new Result.Failed("binding: " + why));
    }).thenCompose(stage -> stage);
  }

  /** Mean reservation and bind times since the last call, e.g. "reserve 12 ms, bind 40 ms (512 binds)"; resets. */
  String meanTimes() {
    long n = binds.sumThenReset();
    long reserve = reserveNanos.sumThenReset();
    long bind = bindNanos.sumThenReset();
    return n == 0 ? "no binds" : String.format("reserve %.1f ms, bind %.1f ms (%d binds)", reserve / 1e6 / n,
        bind / 1e6 / n, n);
  }

  private static CompletionStage<Result> done(Result r) {
    return CompletableFuture.completedFuture(r);
  }
}
