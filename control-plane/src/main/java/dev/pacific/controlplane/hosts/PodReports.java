package dev.pacific.controlplane.hosts;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.wire.HostGatewayProtocol.PodGone;
import dev.pacific.wire.HostGatewayProtocol.PodKey;
import dev.pacific.wire.HostGatewayProtocol.StatusRecorded;
import dev.pacific.wire.HostGatewayProtocol.StatusReply;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a host says about its pods, written to the Pod entities only while the pod (same uid) is
 * still bound to that host: a report from a host the pod has left must never overwrite the status
 * its new host reports. The check and the write are tied by the pod's resourceVersion, so a move
 * between them is a conflict, and the report is judged again.
 */
public final class PodReports {

  private static final int ATTEMPTS = 3;
  private final RegistryReader reader;
  private final PodCache cache;
  private final PodMutations pods;

  public PodReports(RegistryReader reader, PodCache cache, PodMutations pods) {
    this.reader = reader;
    this.cache = cache;
    this.pods = pods;
  }

  /** Writes the status; {@link PodGone} when the pod is not this host's. Fails (no answer) when the quorum is away. */
  public CompletionStage<StatusReply> report(String host, PodKey key, PodStatus status) {
    return report(host, key, status, ATTEMPTS);
  }

  private CompletionStage<StatusReply> report(String host, PodKey key, PodStatus status, int left) {
    return boundHere(host, key).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(gone(host, key));
      }
      Pod pod = found.get();
      return pods.updateStatus(pod.withStatus(keepRunning(pod.status(), status))).thenCompose(outcome -> {
        if (outcome instanceof Outcome.Done d) {
          return done(recorded(key, (Pod) d.object()));
        }
        var s = ((Outcome.Failed) outcome).status();
        if (s.code() == 409 && left > 1) {
          return report(host, key, status, left - 1); // written meanwhile: judge again on the new state
        } else if (s.code() == 404) {
          return done(gone(host, key));
        } else if (s.code() == 422) {
          // The registry has the pod finished (phases never go back): the host must not keep it running.
          return done(new PodGone(key.uid(), "the status was refused: " + s.message()));
        }
        return CompletableFuture.failedFuture(new IllegalStateException(s.message()));
      });
    });
  }

  /**
   * Ends a terminating pod's graceful deletion; a pod still bound here that is not terminating (it
   * finished by itself) gets the final status recorded instead.
   */
  public CompletionStage<StatusReply> confirmStopped(String host, PodKey key, PodStatus finalStatus) {
    return boundHere(host, key).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(gone(host, key));
      }
      boolean evicted = host.equals(found.get().metadata().annotations()
          .get(dev.pacific.wire.HostGatewayProtocol.EVICTING_ANNOTATION));
      if (!found.get().metadata().isTerminating() && !evicted) {
        return finalStatus == null ? done(recorded(key, found.get())) : report(host, key, finalStatus);
      }
      // Deleted: removed now. Evicted (maintenance): handed to the scheduler now that it no longer runs here.
      return pods.confirmStopped(ref(key), key.uid()).thenApply(outcome -> outcome instanceof Outcome.Done d
          ? recorded(key, (Pod) d.object())
          : gone(host, key)); // 404 or a uid precondition: it is already gone
    });
  }

  /**
   * Phases never go back (Kubernetes): a host reporting Pending for a pod the registry has Running is
   * starting its containers again (it fenced itself after a late lease renewal and adopted the pod
   * anew). The pod stays Running, with its containers' states as reported, and its first start time.
   */
  static PodStatus keepRunning(PodStatus stored, PodStatus reported) {
    if (stored == null || !"Running".equals(stored.phase()) || !"Pending".equals(reported.phase())) {
      return reported;
    }
    return new PodStatus("Running", reported.conditions(), reported.message(), reported.reason(), reported.hostIP(),
        reported.podIP(), stored.startTime() != null ? stored.startTime() : reported.startTime(),
        reported.containerStatuses());
  }

  /** Whether any pod that has not finished is bound to {@code host}: then a lost lease owes a recovery. */
  public CompletionStage<Boolean> anyBoundTo(String host) {
    return cache.onNode(host).thenApply(bound -> bound.stream().anyMatch(p -> !finished(p)));
  }

  /** The pod as stored, with its resourceVersion, if it has this uid and is bound to {@code host}. */
  private CompletionStage<Optional<Pod>> boundHere(String host, PodKey key) {
    return reader.get(ref(key)).thenApply(record -> record
        .filter(r -> r.state().object() instanceof Pod)
        .map(r -> {
          Pod p = (Pod) r.state().object();
          return p.withMetadata(p.metadata().withResourceVersion(Long.toString(r.modRevision())));
        })
        .filter(p -> key.uid().equals(p.metadata().uid()) && host.equals(p.spec().nodeName())));
  }

  private static boolean finished(Pod p) {
    String phase = p.status() == null ? null : p.status().phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static StatusReply recorded(PodKey key, Pod pod) {
    String rv = pod.metadata().resourceVersion();
    return new StatusRecorded(key.uid(), rv == null ? 0 : Long.parseLong(rv));
  }

  private static StatusReply gone(String host, PodKey key) {
    return new PodGone(key.uid(), "pod " + key.namespace() + "/" + key.name() + " with uid " + key.uid()
        + " is not bound to " + host + " (deleted, recreated, or moved)");
  }

  private static ObjectRef ref(PodKey key) {
    return new ObjectRef(ResourceKind.PODS, key.namespace(), key.name());
  }

  private static CompletionStage<StatusReply> done(StatusReply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
