package dev.pacific.controlplane.entities;

import dev.pacific.api.Namespace;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Writes to namespaces and their resource quotas, each sent to its {@link NamespaceEntity}
 * through Cluster Sharding; and pods' quota {@link Admission}, which the namespace decides.
 */
public final class NamespaceMutations implements Mutations, Admission {

  /** Kubernetes refuses to delete these (its NamespaceLifecycle admission's immortal namespaces). */
  public static final java.util.Set<String> IMMORTAL = java.util.Set.of("default", "kube-system", "kube-public");

  private static final int ENSURE_ATTEMPTS = 30;

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private NamespaceMutations(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  /** Starts namespace sharding on this member; namespace entities never passivate (see {@link NamespaceEntity}). */
  public static NamespaceMutations start(ActorSystem<?> system, EntitySettings common, NamespaceEntity.Settings settings,
                                         PodDirectory pods) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(NamespaceEntity.TYPE_KEY, ctx -> NamespaceEntity.create(ctx.getEntityId(), common,
            settings, pods, Optional.of(ctx.getShard()), Clock.systemUTC()))
        .withRole(PodMutations.ROLE)
        .withSettings(ClusterShardingSettings.create(system).withRole(PodMutations.ROLE).withNoPassivationStrategy()));
    return new NamespaceMutations(sharding, common.askTimeout());
  }

  @Override
  public CompletionStage<Outcome> create(Object object) {
    if (object instanceof ResourceQuota q) {
      return ask(q.metadata().namespace(), r -> new NamespaceEntity.CreateQuota(q, r));
    }
    Namespace ns = (Namespace) object;
    return ask(ns.metadata().name(), r -> new NamespaceEntity.Create(ns, r));
  }

  @Override
  public CompletionStage<Outcome> update(Object object) {
    if (object instanceof ResourceQuota q) {
      return ask(q.metadata().namespace(), r -> new NamespaceEntity.UpdateQuota(q, false, r));
    }
    Namespace ns = (Namespace) object;
    return ask(ns.metadata().name(), r -> new NamespaceEntity.Update(ns, r));
  }

  /** A quota's status is counted, never written (the answer is the quota as it is); a namespace's follows its lifecycle. */
  @Override
  public CompletionStage<Outcome> updateStatus(Object object) {
    if (object instanceof ResourceQuota q) {
      return ask(q.metadata().namespace(), r -> new NamespaceEntity.UpdateQuota(q, true, r));
    }
    return CompletableFuture.completedFuture(new Outcome.Failed(Status.failure(405, "MethodNotAllowed",
        "the status of a namespace follows its lifecycle: delete the namespace to make it Terminating")));
  }

  @Override
  public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
    if (ref.kind() == ResourceKind.RESOURCEQUOTAS) {
      return ask(ref.namespace(), r -> new NamespaceEntity.DeleteQuota(ref.name(), options, r));
    }
    if (IMMORTAL.contains(ref.name())) {
      return CompletableFuture.completedFuture(new Outcome.Failed(AdmissionRefusals.forbidden(
          ResourceKind.NAMESPACES.resource(), ref.name(), "this namespace may not be deleted")));
    }
    return ask(ref.name(), r -> new NamespaceEntity.Delete(options, r));
  }

  /**
   * Creates {@code name} unless it exists, retrying while the registry is not ready (a member starting
   * before the quorum has a leader); every member does it, and all but one get AlreadyExists.
   */
  public void ensure(ActorSystem<?> system, String name) {
    ensure(system, name, 1);
  }

  private void ensure(ActorSystem<?> system, String name, int attempt) {
    create(Namespace.named(name)).whenComplete((outcome, failure) -> {
      boolean settled = failure == null && (outcome instanceof Outcome.Done
          || outcome instanceof Outcome.Failed f && f.status().code() == 409);
      boolean stopping = CoordinatedShutdown.get(system).getShutdownReason().isPresent();
      if (!settled && attempt < ENSURE_ATTEMPTS && !stopping) {
        system.scheduler().scheduleOnce(Duration.ofSeconds(2), () -> ensure(system, name, attempt + 1),
            system.executionContext());
      } else if (!settled && !stopping) {
        system.log().warn("could not make sure namespace {} exists: {}", name, failure != null ? failure : outcome);
      }
    });
  }

  @Override
  public CompletionStage<Optional<Status>> reserve(Pod pod) {
    return entity(pod.metadata().namespace()).<NamespaceEntity.Reply>ask(r -> NamespaceEntity.Reserve.of(pod, r), askTimeout)
        .thenApply(reply -> reply instanceof NamespaceEntity.Failed f ? Optional.of(f.status()) : Optional.empty());
  }

  @Override
  public CompletionStage<Void> release(String namespace, String podUid) {
    return entity(namespace).<NamespaceEntity.Reply>ask(r -> new NamespaceEntity.Release(podUid, r), askTimeout)
        .thenApply(reply -> null);
  }

  private CompletionStage<Outcome> ask(String namespace,
                                       Function<ActorRef<NamespaceEntity.Reply>, NamespaceEntity.Command> command) {
    return entity(namespace).ask(command::apply, askTimeout).thenApply(NamespaceMutations::outcome);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NamespaceEntity.Command> entity(String namespace) {
    return sharding.entityRefFor(NamespaceEntity.TYPE_KEY, namespace);
  }

  private static Outcome outcome(NamespaceEntity.Reply reply) {
    if (reply instanceof NamespaceEntity.NamespaceDone d) {
      return new Outcome.Done(d.namespace());
    } else if (reply instanceof NamespaceEntity.QuotaDone d) {
      return new Outcome.Done(d.quota());
    } else if (reply instanceof NamespaceEntity.Failed f) {
      return new Outcome.Failed(f.status());
    }
    throw new IllegalStateException("unexpected answer to a namespace write: " + reply);
  }
}
