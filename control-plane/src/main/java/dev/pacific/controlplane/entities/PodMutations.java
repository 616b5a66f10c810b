package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Writes to pods, each sent to its {@link PodEntity} through Cluster Sharding (entities run on
 * {@code control-plane} members only). A create is admitted by the pod's namespace first: the
 * quota is reserved under the pod's new uid, and released again if the entity refuses the pod.
 * Beyond {@link Mutations}, the scheduler, the host lifecycle controller and the hosts' gateway
 * use {@link #bind}, {@link #rebind} and {@link #confirmStopped}.
 */
public final class PodMutations implements Mutations {

  /** The role whose members run the registry's entities. */
  public static final String ROLE = "control-plane";

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Admission admission;

  private PodMutations(ClusterSharding sharding, Duration askTimeout, Admission admission) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.admission = admission;
  }

  /** Starts pod sharding on this member (idempotent per actor system, as {@code ClusterSharding.init} is). */
  public static PodMutations start(ActorSystem<?> system, EntitySettings settings, Admission admission) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(PodEntity.TYPE_KEY, ctx -> PodEntity.create(
            ObjectRef.ofEntityId(ResourceKind.PODS, ctx.getEntityId()), settings, admission,
            Optional.of(ctx.getShard()), Clock.systemUTC()))
        .withRole(ROLE)
        // The entity passivates itself when idle: a terminating pod must outlive its grace timer.
        .withSettings(ClusterShardingSettings.create(system).withRole(ROLE).withNoPassivationStrategy()));
    return new PodMutations(sharding, settings.askTimeout(), admission);
  }

  @Override
  public CompletionStage<Outcome> create(Object object) {
    Pod pod = (Pod) object;
    String uid = UUID.randomUUID().toString();
    Pod withUid = pod.withMetadata(pod.metadata().withUid(uid));
    ObjectRef ref = refOf(pod);
    return admission.reserve(withUid).thenCompose(refused -> refused.isPresent()
        ? CompletableFuture.completedFuture(new Outcome.Failed(refused.get()))
        // A refused pod gives its reservation back; one whose answer timed out may exist, so it keeps it (the
        // namespace's reconciler recounts usage from the registry either way).
        : ask(ref, r -> new PodEntity.Create(withUid, uid, r)).thenCompose(outcome -> outcome instanceof Outcome.Failed
            ? admission.release(ref.namespace(), uid).thenApply(released -> outcome)
            : CompletableFuture.completedFuture(outcome)));
  }

  @Override
  public CompletionStage<Outcome> update(Object object) {
    return ask(refOf((Pod) object), r -> new PodEntity.Update((Pod) object, r));
  }

  @Override
  public CompletionStage<Outcome> updateStatus(Object object) {
    return ask(refOf((Pod) object), r -> new PodEntity.UpdateStatus((Pod) object, r));
  }

  @Override
  public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
    return ask(ref, r -> new PodEntity.Delete(options.gracePeriodSeconds(), options.uid(), options.resourceVersion(), r));
  }

  /** The scheduler's binding; a pod bound elsewhere is 409. */
  public CompletionStage<Outcome> bind(ObjectRef ref, String nodeName) {
    return ask(ref, r -> new PodEntity.Bind(nodeName, r));
  }

  /** The host lifecycle controller moves a pod off its host. */
  public CompletionStage<Outcome> rebind(ObjectRef ref, String nodeName) {
    return ask(ref, r -> new PodEntity.Rebind(nodeName, r));
  }

  /** The host lifecycle controller hands a pod on {@code from} back to the scheduler (see {@link PodEntity.Unbind}). */
  public CompletionStage<Outcome> unbind(ObjectRef ref, String from) {
    return ask(ref, r -> new PodEntity.Unbind(from, r));
  }

  /** Maintenance: the host is to stop the pod and confirm; the confirmation unbinds it (see {@link PodEntity.Evict}). */
  public CompletionStage<Outcome> evict(ObjectRef ref, String from) {
    return ask(ref, r -> new PodEntity.Evict(from, r));
  }

  /** A host stopped the pod with this uid; a terminating pod is then removed, an evicted one unbound. */
  public CompletionStage<Outcome> confirmStopped(ObjectRef ref, String uid) {
    return ask(ref, r -> new PodEntity.ConfirmStopped(uid, r));
  }

  private CompletionStage<Outcome> ask(ObjectRef ref, Function<ActorRef<PodEntity.Reply>, PodEntity.Command> command) {
    return sharding.entityRefFor(PodEntity.TYPE_KEY, ref.entityId()).ask(command::apply, askTimeout)
        .thenApply(reply -> reply instanceof PodEntity.Accepted a
            ? new Outcome.Done(a.pod()) : new Outcome.Failed(((PodEntity.Rejected) reply).status()));
  }

  private static ObjectRef refOf(Pod pod) {
    return new ObjectRef(ResourceKind.PODS, pod.metadata().namespace(), pod.metadata().name());
  }
}
