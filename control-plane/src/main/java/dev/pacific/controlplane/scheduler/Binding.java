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
 * pod is bound. A bind the pod refused gives the reservation back, so nothing leaks. A bind whose
 * answer never came (the ask timed out) may have bound the pod: its reservation stays, for the pod
 * may be running on it, and the host's reconciler frees it after its grace if the pod is not bound
 * there after all.
 */
final class Binding {

  /** How an attempt ended. */
  sealed interface Result {
    record Bound() implements Result {}

    /** The host refused: the pod does not fit there after all (these reasons). */
    record Refused(List<String> reasons) implements Result {}

    /** Anything else (the pod went, the entity was away); worth a later try. */
    record Failed(String message) implements Result {}

    /** The bind was asked but not answered: the pod may be bound; its reservation stays. */
    record Unknown(String message) implements Result {}
  }

  /** The pod's side of a binding: {@link PodMutations#bind}, or a stand-in in tests. */
  @FunctionalInterface
  interface PodBinder {
    CompletionStage<Outcome> bind(ObjectRef ref, String host);
  }

  private final HostMutations hosts;
  private final PodBinder pods;
  /** Time spent waiting for reservations and for binds, summed over attempts: where a slow batch's time went. */
  private final LongAdder reserveNanos = new LongAdder();
  private final LongAdder bindNanos = new LongAdder();
  private final LongAdder binds = new LongAdder();

  Binding(HostMutations hosts, PodBinder pods) {
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
      } else if (error != null) {
        return done(new Result.Unknown("binding to " + host + " went unanswered: " + error));
      }
      String why = ((Outcome.Failed) outcome).status().message();
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
