package dev.pacific.controlplane.entities;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Status;
import dev.pacific.api.validation.FieldError;
import dev.pacific.api.validation.FieldPath;
import dev.pacific.api.validation.Invalid;
import dev.pacific.api.validation.PodValidation;
import dev.pacific.api.validation.Validation;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.controlplane.persistence.QuorumDurableStateStore;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StaleWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.RecoveryCompleted;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.state.javadsl.SignalHandler;

/**
 * One pod's whole lifecycle; its durable state is the Pod, stored in the quorum under its registry
 * key (without {@code resourceVersion}: every reply carries the key's mod revision instead).
 *
 * <ul>
 *   <li>Created Pending, with a uid and creation time; a taken name is 409 AlreadyExists.
 *   <li>Updated only as Kubernetes allows ({@link Validation#update}), its status kept; a set
 *       resourceVersion that is not current is 409 Conflict.
 *   <li>Status replaced only along legal phase changes: Pending → Running/Succeeded/Failed/Unknown,
 *       Running → Succeeded/Failed/Unknown, Unknown → Running/Succeeded/Failed; Succeeded and Failed
 *       are final. Anything else is 422 Invalid on {@code status.phase}.
 *   <li>Bound once (spec.nodeName, condition PodScheduled=True); moved later only by the host
 *       lifecycle controller's {@link Rebind}, which records the old host in {@link #NODE_HISTORY}
 *       and starts the pod over as Pending on the new host.
 *   <li>Deleted gracefully: a pod that never ran on a host, or has finished, goes at once; otherwise
 *       it is marked terminating (deletionTimestamp = now + grace, Kubernetes' meaning) and goes
 *       when its host confirms it stopped ({@link ConfirmStopped}) or, failing that, when the grace
 *       ends: the timer stands in for Kubernetes' pod garbage collector, so that a pod whose host
 *       died cannot stay terminating forever. Removal deletes the key and stops the entity, so a
 *       pod created again under the same name starts from revision 0.
 * </ul>
 *
 * <p>A write that fails (a stale copy, the quorum unavailable) is answered through
 * {@link EntityRevision#onWriteFailure} (409 or 503), then Pekko restarts the entity with back-off
 * and it reads the fresh state. Commands that were waiting behind that write are lost with the
 * restart and time out (504) — rare, since it takes a second copy of the entity.
 */
public final class PodEntity extends DurableStateBehaviorWithEnforcedReplies<PodEntity.Command, PodEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, ResourceKind.PODS.resource());

  /** The hosts a pod ran on before its current one, oldest first, comma-separated. */
  public static final String NODE_HISTORY = "pacific.dev/node-history";

  public sealed interface Command extends EntityMessage permits Request, GraceEnded, Removed, Idle {}

  /** A command with a caller waiting for its {@link Reply}. */
  public sealed interface Request extends Command
      permits Create, Update, UpdateStatus, Bind, Rebind, Unbind, Evict, Delete, ConfirmStopped {
    ActorRef<Reply> replyTo();
  }

  /** Creates the pod (its validated, defaulted manifest) with the uid its admission reserved quota under. */
  public record Create(Pod pod, String uid, ActorRef<Reply> replyTo) implements Request {}

  /** A client's replacement of metadata and spec (PUT). */
  public record Update(Pod pod, ActorRef<Reply> replyTo) implements Request {}

  /** A replacement of status ({@code /status}), by the pod's host. */
  public record UpdateStatus(Pod pod, ActorRef<Reply> replyTo) implements Request {}

  /** The scheduler's binding to a host. */
  public record Bind(String nodeName, ActorRef<Reply> replyTo) implements Request {}

  /** The host lifecycle controller moves a bound pod off a failed or drained host. */
  public record Rebind(String nodeName, ActorRef<Reply> replyTo) implements Request {}

  /**
   * The host lifecycle controller hands a pod bound to {@code from} (a lost or drained host) back to
   * the scheduler: unbound, {@code from} appended to {@link #NODE_HISTORY}, Pending again. A pod no
   * longer on {@code from} (a retry after the scheduler placed it anew) is left as it is.
   */
  public record Unbind(String from, ActorRef<Reply> replyTo) implements Request {}

  /**
   * Maintenance moves a pod off a live host in two steps: this one marks it
   * {@link HostGatewayProtocol#EVICTING_ANNOTATION} (the host stops it as if deleted), and the
   * host's {@link ConfirmStopped} unbinds it, so the scheduler never places it while it still runs.
   * A pod not on {@code from}, being deleted or finished is left as it is.
   */
  public record Evict(String from, ActorRef<Reply> replyTo) implements Request {}

  /** Kubernetes' DeleteOptions: grace (null = the pod's own) and preconditions (null = none). */
  public record Delete(Long gracePeriodSeconds, String uid, String resourceVersion, ActorRef<Reply> replyTo)
      implements Request {}

  /** The pod's host stopped every container of the pod with this uid. */
  public record ConfirmStopped(String uid, ActorRef<Reply> replyTo) implements Request {}

  private record GraceEnded(String uid) implements Command {}

  private record Removed(Throwable failure) implements Command {}

  /** The pod whose key is being deleted, and the callers waiting for it. */
  private record Removing(Pod pod, List<ActorRef<Reply>> waiting) {}

  private enum Idle implements Command { INSTANCE }

  public sealed interface Reply extends EntityMessage permits Accepted, Rejected {}

  /** The pod as stored, {@code metadata.resourceVersion} set; after a removal, the last state at the delete's revision. */
  public record Accepted(Pod pod) implements Reply {}

  public record Rejected(Status status) implements Reply {}

  /** The durable state: the pod, or null before it is created. */
  public record State(Pod pod) implements EntityState {
    @Override
    public Object object() {
      return pod;
    }
  }

  private final ObjectRef ref;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final EntitySettings settings;
  private final Admission admission;
  private final EntityRevision revision;
  private final Clock clock;
  private final EntityRemoval<Command> removal;
  private Removing removing; // while removal.deleting()

  /** @param shard the entity's shard under sharding (it passivates through it); empty when spawned directly */
  public static Behavior<Command> create(ObjectRef ref, EntitySettings settings, Admission admission,
                                         Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.setReceiveTimeout(settings.passivateAfter(), Idle.INSTANCE);
      return new PodEntity(ref, ctx, timers, settings, admission, shard, clock);
    }));
  }

  private PodEntity(ObjectRef ref, ActorContext<Command> ctx, TimerScheduler<Command> timers, EntitySettings settings,
                    Admission admission, Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Clock clock) {
    // A failed write (a stale copy lost, the quorum was away) is expected now and then: a warning, an error once
    // it keeps failing.
    super(PersistenceId.ofUniqueId(RegistryKeys.persistenceId(ref)), SupervisorStrategy.restartWithBackoff(
        settings.restartBackoffMin(), settings.restartBackoffMax(), 0.2)
        .withLogLevel(org.slf4j.event.Level.WARN).withCriticalLogLevel(org.slf4j.event.Level.ERROR, 5));
    this.ref = ref;
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.admission = admission;
    this.removal = new EntityRemoval<>(ctx, RegistryKeys.persistenceId(ref), TYPE_KEY, ref.entityId(), shard);
    this.revision = new EntityRevision(ctx.getSystem(), ref);
    this.clock = clock;
  }

  @Override
  public String durableStateStorePluginId() {
    return QuorumDurableStateStore.PLUGIN_ID;
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::armGraceTimer)
        .onSignal(PostStop.instance(), state -> revision.forget())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::onCommand);
  }

  private ReplyEffect<State> onCommand(State state, Command command) {
    if (removal.deleting() || removal.over()) {
      return whileRemoving(command);
    }
    Pod pod = state.pod();
    if (command instanceof Create c) {
      return pod == null ? create(c) : reject(c, Refusals.alreadyExists(ref, pod.metadata().isTerminating()));
    } else if (command instanceof Request r && pod == null) {
      return reject(r, Refusals.notFound(ref));
    } else if (command instanceof Update c) {
      return revision.check(c.pod().metadata().resourceVersion()).map(s -> reject(c, s))
          .orElseGet(() -> update(pod, c));
    } else if (command instanceof UpdateStatus c) {
      return revision.check(c.pod().metadata().resourceVersion()).map(s -> reject(c, s))
          .orElseGet(() -> updateStatus(pod, c));
    } else if (command instanceof Bind c) {
      return bind(pod, c);
    } else if (command instanceof Rebind c) {
      return rebind(pod, c);
    } else if (command instanceof Unbind c) {
      return unbind(pod, c);
    } else if (command instanceof Evict c) {
      return evict(pod, c);
    } else if (command instanceof Delete c) {
      return delete(pod, c);
    } else if (command instanceof ConfirmStopped c) {
      return confirmStopped(pod, c);
    } else if (command instanceof GraceEnded g) {
      boolean due = pod != null && pod.metadata().isTerminating() && g.uid().equals(pod.metadata().uid());
      return due ? remove(pod, List.of()) : Effect().noReply();
    } else if (command instanceof Idle) {
      // A terminating pod stays up for its grace timer; every other idle entity passivates.
      if (pod != null && pod.metadata().isTerminating()) {
        return Effect().noReply();
      }
      return removal.passivate() ? Effect().noReply() : Effect().stop().thenNoReply();
    }
    return Effect().noReply(); // Removed outside a removal: a stale completion
  }

  private ReplyEffect<State> create(Create c) {
    String now = timestamp(clock.instant());
    ObjectMeta meta = c.pod().metadata().withName(ref.name()).withNamespace(ref.namespace()).withUid(c.uid())
        .withResourceVersion(null).withGeneration(1L).withCreationTimestamp(now).withDeletion(null, null);
    PodStatus status = PodStatus.phase(PodPhases.PENDING);
    // A pod created with spec.nodeName is bound by its author, as Kubernetes allows.
    return persist(new Pod(meta, c.pod().spec(), c.pod().spec().nodeName() == null ? status : scheduled(status, now)),
        c.replyTo());
  }

  private ReplyEffect<State> update(Pod old, Update c) {
    Pod asSent = c.pod().withStatus(old.status()); // PUT never changes status (Kubernetes' PrepareForUpdate)
    List<FieldError> errors = Validation.update(asSent, old, PodValidation.Updater.CLIENT);
    if (!errors.isEmpty()) {
      return reject(c, Invalid.status("Pod", ref.name(), errors));
    }
    ObjectMeta sent = asSent.metadata();
    ObjectMeta meta = old.metadata().withLabels(sent.labels()).withAnnotations(sent.annotations())
        .withFinalizers(sent.finalizers());
    if (!Objects.equals(asSent.spec(), old.spec())) {
      meta = meta.withGeneration(Optional.ofNullable(old.metadata().generation()).orElse(1L) + 1);
    }
    return persistIfChanged(old, new Pod(meta, asSent.spec(), old.status()), c.replyTo());
  }

  private ReplyEffect<State> updateStatus(Pod old, UpdateStatus c) {
    PodStatus next = c.pod().status();
    if (next == null) {
      return reject(c, Invalid.status("Pod", ref.name(), List.of(FieldError.required(FieldPath.of("status"), ""))));
    }
    String from = old.status().phase();
    String to = next.phase() == null ? from : next.phase();
    next = new PodStatus(to, next.conditions(), next.message(), next.reason(), next.hostIP(), next.podIP(),
        next.startTime(), next.containerStatuses());
    List<FieldError> errors = new ArrayList<>(PodValidation.status(next));
    if (errors.isEmpty()) {
      PodPhases.refusal(from, to).ifPresent(errors::add);
    }
    if (!errors.isEmpty()) {
      return reject(c, Invalid.status("Pod", ref.name(), errors));
    }
    return persistIfChanged(old, old.withStatus(next), c.replyTo());
  }

  private ReplyEffect<State> bind(Pod old, Bind c) {
    String bound = old.spec().nodeName();
    if (c.nodeName().equals(bound)) {
      return Effect().reply(c.replyTo(), accepted(old)); // the scheduler's retry
    } else if (bound != null) {
      return reject(c, Refusals.conflict(ref, "pod " + ref.name() + " is already assigned to node \"" + bound + "\""));
    }
    return unplaceable(old).map(s -> reject(c, s)).orElseGet(() -> persist(old.withSpec(
        old.spec().withNodeName(c.nodeName())).withStatus(scheduled(old.status(), timestamp(clock.instant()))),
        c.replyTo()));
  }

  private ReplyEffect<State> rebind(Pod old, Rebind c) {
    String bound = old.spec().nodeName();
    if (c.nodeName().equals(bound)) {
      return Effect().reply(c.replyTo(), accepted(old));
    } else if (bound == null) {
      return reject(c, Refusals.conflict(ref, "pod " + ref.name() + " is not assigned to a node; bind it instead"));
    }
    Optional<Status> refusal = unplaceable(old);
    if (refusal.isPresent()) {
      return reject(c, refusal.get());
    }
    Map<String, String> annotations = new TreeMap<>(old.metadata().annotations());
    annotations.remove(HostGatewayProtocol.EVICTING_ANNOTATION);
    annotations.merge(NODE_HISTORY, bound, (history, node) -> history + "," + node);
    // Its containers start over on the new host: a fresh Pending status, scheduled there.
    PodStatus fresh = scheduled(PodStatus.phase(PodPhases.PENDING), timestamp(clock.instant()));
    return persist(new Pod(old.metadata().withAnnotations(annotations), old.spec().withNodeName(c.nodeName()), fresh),
        c.replyTo());
  }

  private ReplyEffect<State> unbind(Pod old, Unbind c) {
    if (!c.from().equals(old.spec().nodeName())) {
      return Effect().reply(c.replyTo(), accepted(old));
    }
    Optional<Status> refusal = unplaceable(old);
    if (refusal.isPresent()) {
      return reject(c, refusal.get());
    }
    return persist(unbound(old, c.from()), c.replyTo());
  }

  private ReplyEffect<State> evict(Pod old, Evict c) {
    Map<String, String> annotations = new TreeMap<>(old.metadata().annotations());
    if (!c.from().equals(old.spec().nodeName()) || unplaceable(old).isPresent()
        || c.from().equals(annotations.get(HostGatewayProtocol.EVICTING_ANNOTATION))) {
      return Effect().reply(c.replyTo(), accepted(old));
    }
    annotations.put(HostGatewayProtocol.EVICTING_ANNOTATION, c.from());
    return persist(old.withMetadata(old.metadata().withAnnotations(annotations)), c.replyTo());
  }

  /** Off {@code from}, {@code from} appended to the node history, Pending for the scheduler, no longer evicting. */
  private Pod unbound(Pod old, String from) {
    Map<String, String> annotations = new TreeMap<>(old.metadata().annotations());
    annotations.remove(HostGatewayProtocol.EVICTING_ANNOTATION);
    annotations.merge(NODE_HISTORY, from, (history, node) -> history + "," + node);
    PodStatus.PodCondition waiting = new PodStatus.PodCondition("PodScheduled", "False", null,
        timestamp(clock.instant()), "Rescheduling", "moved off node " + from + "; waiting for the scheduler");
    PodStatus fresh = new PodStatus(PodPhases.PENDING, List.of(waiting), null, null, null, null, null, List.of());
    return new Pod(old.metadata().withAnnotations(annotations), old.spec().withNodeName(null), fresh);
  }

  private Optional<Status> unplaceable(Pod pod) {
    if (pod.metadata().isTerminating()) {
      return Optional.of(Refusals.conflict(ref, "pod " + ref.name() + " is being deleted, cannot be assigned to a host"));
    } else if (PodPhases.isFinished(pod)) {
      return Optional.of(Refusals.conflict(ref, "pod " + ref.name() + " has finished, cannot be assigned to a host"));
    }
    return Optional.empty();
  }

  private ReplyEffect<State> delete(Pod old, Delete c) {
    Optional<Status> failed = Refusals.precondition(ref, "UID", c.uid(), old.metadata().uid())
        .or(() -> Refusals.precondition(ref, "ResourceVersion", c.resourceVersion(), revision.resourceVersion()));
    if (failed.isPresent()) {
      return reject(c, failed.get());
    }
    long grace = Optional.ofNullable(c.gracePeriodSeconds()).filter(g -> g >= 0)
        .or(() -> Optional.ofNullable(old.spec().terminationGracePeriodSeconds()))
        .orElse(settings.podDefaultGrace().toSeconds());
    if (old.spec().nodeName() == null || PodPhases.isFinished(old) || grace == 0) {
      return remove(old, List.of(c.replyTo())); // nothing runs that needs stopping
    }
    // deletionTimestamp has whole seconds: round the end up, so the grace is never cut short.
    Instant end = clock.instant().plusSeconds(grace).plusNanos(999_999_999).truncatedTo(ChronoUnit.SECONDS);
    if (old.metadata().isTerminating() && !end.isBefore(Instant.parse(old.metadata().deletionTimestamp()))) {
      return Effect().reply(c.replyTo(), accepted(old)); // a second delete may shorten the grace, never extend it
    }
    return persist(old.withMetadata(old.metadata().withDeletion(timestamp(end), grace)), c.replyTo());
  }

  private ReplyEffect<State> confirmStopped(Pod old, ConfirmStopped c) {
    // A uid that is not this pod's: the host stopped an older pod of the same name.
    return Refusals.precondition(ref, "UID", c.uid(), old.metadata().uid()).map(s -> reject(c, s))
        .orElseGet(() -> {
          if (old.metadata().isTerminating()) {
            return remove(old, List.of(c.replyTo()));
          }
          String evictedFrom = old.metadata().annotations().get(HostGatewayProtocol.EVICTING_ANNOTATION);
          if (evictedFrom != null && evictedFrom.equals(old.spec().nodeName())) {
            return persist(unbound(old, evictedFrom), c.replyTo()); // stopped on the old host: free to move
          }
          return Effect().reply(c.replyTo(), accepted(old));
        });
  }

  /** Deletes the key (see {@link EntityRemoval}), then answers and stops. */
  private ReplyEffect<State> remove(Pod pod, List<ActorRef<Reply>> waiting) {
    removing = new Removing(pod, waiting);
    removal.start(lastSequenceNumber(ctx), Removed::new);
    return Effect().noReply();
  }

  private ReplyEffect<State> whileRemoving(Command command) {
    if (removal.deleting()) {
      return command instanceof Removed r ? removed(r.failure()) : Effect().stash();
    } else if (command instanceof Request r && !removal.forward(r)) {
      return reject(r, Refusals.unavailable(ref + " was just removed; try again"));
    }
    return Effect().noReply();
  }

  private ReplyEffect<State> removed(Throwable failure) {
    List<ActorRef<Reply>> waiting = removing.waiting();
    Pod pod = removing.pod();
    removing = null;
    if (failure == null || failure instanceof StaleWrite) {
      if (failure == null) {
        Reply last = accepted(pod); // at the delete's revision
        waiting.forEach(w -> w.tell(last));
        admission.release(ref.namespace(), pod.metadata().uid());
      } else {
        waiting.forEach(w -> w.tell(new Rejected(Refusals.ofFailure(ref, failure))));
      }
      // Gone, or another copy changed it: either way the next incarnation reads the key afresh.
      return removal.end() ? Effect().noReply().thenUnstashAll() : Effect().stop().thenNoReply();
    }
    // The quorum was unavailable: still terminating; the removal is tried again after a back-off.
    removal.abandon();
    waiting.forEach(w -> w.tell(new Rejected(Refusals.ofFailure(ref, failure))));
    timers.startSingleTimer(GraceEnded.class, new GraceEnded(pod.metadata().uid()), settings.restartBackoffMax());
    return Effect().noReply().thenUnstashAll();
  }

  private void armGraceTimer(State state) {
    Pod pod = state.pod();
    if (pod != null && pod.metadata().isTerminating()) {
      Duration left = Duration.between(clock.instant(), Instant.parse(pod.metadata().deletionTimestamp()));
      timers.startSingleTimer(GraceEnded.class, new GraceEnded(pod.metadata().uid()),
          left.isNegative() ? Duration.ZERO : left);
    }
  }

  private ReplyEffect<State> persistIfChanged(Pod old, Pod next, ActorRef<Reply> replyTo) {
    return next.equals(old) ? Effect().reply(replyTo, accepted(old)) : persist(next, replyTo);
  }

  private ReplyEffect<State> persist(Pod next, ActorRef<Reply> replyTo) {
    revision.onWriteFailure(status -> replyTo.tell(new Rejected(status)));
    return Effect().persist(new State(next)).thenRun(this::armGraceTimer)
        .thenReply(replyTo, s -> accepted(s.pod()));
  }

  private ReplyEffect<State> reject(Request request, Status status) {
    return Effect().reply(request.replyTo(), new Rejected(status));
  }

  private Reply accepted(Pod pod) {
    return new Accepted(pod.withMetadata(pod.metadata().withResourceVersion(revision.resourceVersion())));
  }

  private static PodStatus scheduled(PodStatus status, String now) {
    List<PodStatus.PodCondition> conditions = new ArrayList<>(status.conditions());
    conditions.removeIf(c -> "PodScheduled".equals(c.type()));
    conditions.add(new PodStatus.PodCondition("PodScheduled", "True", null, now, null, null));
    return new PodStatus(status.phase(), conditions, status.message(), status.reason(), status.hostIP(),
        status.podIP(), status.startTime(), status.containerStatuses());
  }

  private static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
