package dev.pacific.controlplane.entities;

import com.typesafe.config.Config;
import dev.pacific.api.Namespace;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumDurableStateStore;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StaleWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
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
import org.apache.pekko.persistence.typed.state.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.state.javadsl.SignalHandler;

/**
 * A namespace: its lifecycle, and the authority for its resource quotas.
 *
 * <p>Lifecycle, as Kubernetes' namespace controller: created Active; a delete marks it Terminating
 * (phase and deletionTimestamp) and new content is refused with 403; the entity asks every pod in
 * it to delete, reads the registry again every {@code termination-check-interval}, and once no pod
 * is left removes its key ({@link EntityRemoval}) and stops. The drain resumes whenever the entity
 * starts again (recovery), so a crash mid-drain only delays it.
 *
 * <p>Quota: the {@link QuotaLedger} in the state holds one reservation per admitted pod uid;
 * {@link Reserve} and {@link Release} are idempotent by uid. A reconcile (on recovery, right after a
 * first quota arrives, and every {@code reconcile-interval}) recomputes the reservations from the
 * pods the registry holds, so a crash between a reservation and the pod's write, or between a pod's
 * removal and its release, leaks nothing. The entity does not passivate: a namespace is small and
 * its timers must keep running.
 */
public final class NamespaceEntity
    extends DurableStateBehaviorWithEnforcedReplies<NamespaceEntity.Command, NamespaceEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, ResourceKind.NAMESPACES.resource());

  /** {@code pacific.entities.namespace}; {@code initial}: the namespaces every member makes sure exist. */
  public record Settings(Duration reconcileInterval, Duration reservationGrace, Duration terminationCheckInterval,
                         List<String> initial) {
    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("pacific.entities.namespace");
      return new Settings(c.getDuration("reconcile-interval"), c.getDuration("reservation-grace"),
          c.getDuration("termination-check-interval"), c.getStringList("initial"));
    }
  }

  /** The durable state: the Namespace ({@code null} before creation) and its quota ledger. */
  public record State(Namespace namespace, QuotaLedger ledger) implements EntityState {
    public State {
      ledger = ledger == null ? QuotaLedger.empty() : ledger;
    }

    @Override
    public Object object() {
      return namespace;
    }

    @Override
    public Map<String, ResourceQuota> quotas() {
      return ledger.quotas();
    }

    boolean terminating() {
      return namespace != null && namespace.metadata().isTerminating();
    }
  }

  public sealed interface Command extends EntityMessage permits Request, Wake, Tick, PodsListed, ListFailed, Removed {}

  public sealed interface Request extends Command
      permits Create, Update, Delete, CreateQuota, UpdateQuota, DeleteQuota, Reserve, Release {
    ActorRef<Reply> replyTo();
  }

  public record Create(Namespace namespace, ActorRef<Reply> replyTo) implements Request {}

  /** Replaces labels and annotations; a set resourceVersion that is not current is a 409. */
  public record Update(Namespace namespace, ActorRef<Reply> replyTo) implements Request {}

  public record Delete(DeleteOptions options, ActorRef<Reply> replyTo) implements Request {}

  public record CreateQuota(ResourceQuota quota, ActorRef<Reply> replyTo) implements Request {}

  /**
   * Replaces a quota's spec, labels and annotations, or (with {@code status}: the subresource)
   * nothing: either way its status is what this entity counts, never what a caller sent.
   */
  public record UpdateQuota(ResourceQuota quota, boolean status, ActorRef<Reply> replyTo) implements Request {}

  public record DeleteQuota(String name, DeleteOptions options, ActorRef<Reply> replyTo) implements Request {}

  /** Admission of a pod: its {@link PodUsage#quotaUsage} against every quota, idempotent by pod uid. */
  public record Reserve(String podUid, String podName, ResourceList usage,
                        SortedMap<String, SortedSet<String>> unstated, ActorRef<Reply> replyTo) implements Request {
    public static Reserve of(Pod pod, ActorRef<Reply> replyTo) {
      return new Reserve(pod.metadata().uid(), pod.metadata().name(), PodUsage.quotaUsage(pod),
          PodUsage.unstated(pod.spec()), replyTo);
    }
  }

  /** The pod is gone (or will never be written): free what it holds. Idempotent. */
  public record Release(String podUid, ActorRef<Reply> replyTo) implements Request {}

  /**
   * Starts the entity if it is not running, and does nothing else: its recovery reconciles and, for a
   * terminating namespace, resumes the drain ({@link RegistryWakeup} sends it after a member was lost).
   */
  public record Wake() implements Command {}

  /** Read the registry's pods: reconcile the quota ledger, and drain if terminating. */
  record Tick() implements Command {}

  record PodsListed(List<Pod> pods) implements Command {}

  record ListFailed(String message) implements Command {}

  record Removed(Throwable failure) implements Command {}

  public sealed interface Reply extends EntityMessage permits NamespaceDone, QuotaDone, Admitted, Released, Failed {}

  public record NamespaceDone(Namespace namespace) implements Reply {}

  public record QuotaDone(ResourceQuota quota) implements Reply {}

  public record Admitted() implements Reply {}

  public record Released() implements Reply {}

  public record Failed(Status status) implements Reply {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ObjectRef ref;
  private final String name;
  private final Settings settings;
  private final PodDirectory pods;
  private final Clock clock;
  /** Check intervals between two delete requests to one terminating pod past its grace ({@link #drain}). */
  private static final int NUDGE_EVERY = 10;
  /** Terminating pods past their grace, by name, and when the drain last asked each to delete. */
  private Map<String, Instant> nudged = Map.of();
  private final EntityRevision revision;
  private final EntityRemoval<Command> removal;
  private final ReconcileRead<Command> read;

  /** @param shard the entity's shard under sharding; empty when spawned directly (tests) */
  public static Behavior<Command> create(String name, EntitySettings common, Settings settings, PodDirectory pods,
                                         Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new NamespaceEntity(ctx, timers, name, common, settings, pods, shard, clock)));
  }

  private NamespaceEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, EntitySettings common,
                          Settings settings, PodDirectory pods, Optional<ActorRef<ClusterSharding.ShardCommand>> shard,
                          Clock clock) {
    super(PersistenceId.ofUniqueId(RegistryKeys.persistenceId(ObjectRef.cluster(ResourceKind.NAMESPACES, name))),
        // A failed write (a stale copy lost, the quorum was away) is expected now and then: a warning, an error
        // once it keeps failing (as the pod entity).
        SupervisorStrategy.restartWithBackoff(common.restartBackoffMin(), common.restartBackoffMax(), 0.2)
            .withLogLevel(org.slf4j.event.Level.WARN).withCriticalLogLevel(org.slf4j.event.Level.ERROR, 5));
    this.ctx = ctx;
    this.timers = timers;
    this.ref = ObjectRef.cluster(ResourceKind.NAMESPACES, name);
    this.name = name;
    this.settings = settings;
    this.pods = pods;
    this.clock = clock;
    this.revision = new EntityRevision(ctx.getSystem(), ref);
    this.removal = new EntityRemoval<>(ctx, RegistryKeys.persistenceId(ref), TYPE_KEY, name, shard);
    this.read = new ReconcileRead<>(ctx);
  }

  @Override
  public String durableStateStorePluginId() {
    return QuorumDurableStateStore.PLUGIN_ID;
  }

  @Override
  public State emptyState() {
    return new State(null, QuotaLedger.empty());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.namespace() != null) {
            startReconciling();
            ctx.getSelf().tell(new Tick());
          }
        })
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
    if (command instanceof Create c) {
      return state.namespace() == null ? create(state, c) : fail(c, Refusals.alreadyExists(ref, state.terminating()));
    } else if (command instanceof Request r && state.namespace() == null) {
      return r instanceof Release ? Effect().reply(r.replyTo(), new Released()) : fail(r, Refusals.notFound(ref));
    } else if (command instanceof Update c) {
      return revision.check(c.namespace().metadata().resourceVersion()).map(s -> fail(c, s))
          .orElseGet(() -> update(state, c));
    } else if (command instanceof Delete c) {
      return delete(state, c);
    } else if (command instanceof CreateQuota c) {
      return quota(state, c, QuotaObjects.create(state.ledger(), name, state.terminating(), c.quota(),
          UUID.randomUUID().toString(), now()));
    } else if (command instanceof UpdateQuota c) {
      return quota(state, c, QuotaObjects.update(state.ledger(), name, c.quota(), c.status(), revision.resourceVersion()));
    } else if (command instanceof DeleteQuota c) {
      return quota(state, c, QuotaObjects.delete(state.ledger(), name, c.name(), c.options(), revision.resourceVersion()));
    } else if (command instanceof Reserve c) {
      return reserve(state, c);
    } else if (command instanceof Release c) {
      return release(state, c);
    } else if (command instanceof Tick) {
      return tick(state);
    } else if (command instanceof PodsListed l) {
      return podsListed(state, l.pods(), read.finish());
    } else if (command instanceof ListFailed f) {
      read.finish();
      ctx.getLog().warn("namespace {}: reading its pods failed ({}); trying again later", name, f.message());
      if (state.terminating()) {
        timers.startSingleTimer("drain", new Tick(), settings.terminationCheckInterval());
      }
    }
    return Effect().noReply();
  }

  private ReplyEffect<State> create(State state, Create c) {
    ObjectMeta given = c.namespace().metadata();
    ObjectMeta m = given.withName(name).withNamespace(null).withResourceVersion(null).withDeletion(null, null)
        .withUid(given.uid() != null ? given.uid() : UUID.randomUUID().toString()).withCreationTimestamp(now())
        .withLabels(withNameLabel(given.labels()));
    // Kubernetes gives every namespace the "kubernetes" finalizer: its content goes before it does.
    Namespace created = new Namespace(m, new Namespace.Spec(List.of("kubernetes")), new Namespace.Status("Active"));
    return persist(new State(created, state.ledger()), c.replyTo()).thenRun(s -> startReconciling())
        .thenReply(c.replyTo(), this::namespaceDone);
  }

  private ReplyEffect<State> update(State state, Update c) {
    ObjectMeta m = state.namespace().metadata().withLabels(withNameLabel(c.namespace().metadata().labels()))
        .withAnnotations(c.namespace().metadata().annotations());
    Namespace updated = new Namespace(m, state.namespace().spec(), state.namespace().status());
    return persist(new State(updated, state.ledger()), c.replyTo()).thenReply(c.replyTo(), this::namespaceDone);
  }

  private ReplyEffect<State> delete(State state, Delete c) {
    ObjectMeta meta = state.namespace().metadata();
    Optional<Status> failed = c.options() == null ? Optional.empty()
        : Refusals.precondition(ref, "UID", c.options().uid(), meta.uid()).or(() -> Refusals.precondition(ref,
            "ResourceVersion", c.options().resourceVersion(), revision.resourceVersion()));
    if (failed.isPresent()) {
      return fail(c, failed.get());
    }
    if (state.terminating()) {
      return fail(c, Refusals.conflict(ref, "The system is ensuring all content is removed from this namespace.  "
          + "Upon completion, this namespace will automatically be purged by the system."));
    }
    Namespace ns = state.namespace();
    Namespace terminating = new Namespace(meta.withDeletion(now(), 0L), ns.spec(), new Namespace.Status("Terminating"));
    return persist(new State(terminating, state.ledger()), c.replyTo()).thenRun(s -> ctx.getSelf().tell(new Tick()))
        .thenReply(c.replyTo(), this::namespaceDone);
  }

  /** Carries out a quota decision ({@link QuotaObjects}); a first quota is counted at once, not at the next interval. */
  private ReplyEffect<State> quota(State state, Request c, QuotaObjects.Decision d) {
    if (d instanceof QuotaObjects.Decision.Refuse r) {
      return fail(c, r.status());
    } else if (d instanceof QuotaObjects.Decision.Answer a && !(c instanceof DeleteQuota)) {
      return Effect().reply(c.replyTo(), quotaDone(a.quota()));
    } else if (d instanceof QuotaObjects.Decision.Answer a) {
      QuotaLedger next = state.ledger().withoutQuota(a.quota().metadata().name());
      return persist(new State(state.namespace(), next), c.replyTo()).thenReply(c.replyTo(), s -> quotaDone(a.quota()));
    }
    QuotaObjects.Decision.Write w = (QuotaObjects.Decision.Write) d;
    return persist(new State(state.namespace(), w.next()), c.replyTo()).thenRun(s -> {
      if (c instanceof CreateQuota) {
        ctx.getSelf().tell(new Tick());
      }
    }).thenReply(c.replyTo(), s -> quotaDone(s.quotas().get(w.quota())));
  }

  private ReplyEffect<State> reserve(State state, Reserve c) {
    if (state.terminating()) {
      return fail(c, AdmissionRefusals.terminating(ResourceKind.PODS.resource(), c.podName(), name));
    }
    QuotaLedger.Admission admission = state.ledger().admit(c.podUid(), c.usage(), c.unstated(), clock.millis());
    if (admission instanceof QuotaLedger.Admission.Refused refused) {
      return fail(c, AdmissionRefusals.forbidden(ResourceKind.PODS.resource(), c.podName(), refused.reason()));
    }
    if (admission instanceof QuotaLedger.Admission.Admitted admitted && admitted.ledger() != state.ledger()) {
      return persist(new State(state.namespace(), admitted.ledger()), c.replyTo())
          .thenReply(c.replyTo(), s -> new Admitted());
    }
    return Effect().reply(c.replyTo(), new Admitted());
  }

  private ReplyEffect<State> release(State state, Release c) {
    read.released(c.podUid());
    if (!state.ledger().holds(c.podUid())) {
      return Effect().reply(c.replyTo(), new Released());
    }
    return persist(new State(state.namespace(), state.ledger().release(c.podUid())), c.replyTo())
        .thenReply(c.replyTo(), s -> new Released());
  }

  /** Reads the registry's pods, unless a read is in flight or there is nothing to count or drain. */
  private ReplyEffect<State> tick(State state) {
    if (state.namespace() != null && (!state.quotas().isEmpty() || state.terminating())) {
      read.start(pods.inNamespace(name), PodsListed::new, error -> new ListFailed(String.valueOf(error)));
    }
    return Effect().noReply();
  }

  private ReplyEffect<State> podsListed(State state, List<Pod> listed, Set<String> releasedSinceRead) {
    if (state.namespace() == null) {
      return Effect().noReply();
    }
    if (state.terminating() && listed.isEmpty()) {
      ctx.getLog().info("namespace {}: no pods left, removing it", name);
      removal.start(lastSequenceNumber(ctx), Removed::new);
      return Effect().noReply();
    }
    if (state.terminating()) {
      drain(listed);
    }
    QuotaLedger.Reconciliation r = state.ledger().reconciled(PodUsage.quotaUsageByUid(listed), releasedSinceRead,
        clock.millis(), settings.reservationGrace().toMillis());
    boolean changed = r.changes() != null && (r.changes().changed() || !state.ledger().counting());
    if (!changed) {
      return Effect().noReply();
    }
    if (r.changes().changed()) {
      ctx.getLog().info("namespace {}: quota usage reconciled from the registry: dropped {}, added {}, corrected {}",
          name, r.changes().dropped(), r.changes().added(), r.changes().corrected());
    }
    return Effect().persist(new State(state.namespace(), r.ledger())).thenNoReply();
  }

  /**
   * Asks every pod not yet terminating to delete, and looks again after the check interval. A terminating pod
   * past its deletionTimestamp is asked again too: its entity removes it when its grace timer fires, but an
   * entity that stopped meanwhile (its member lost, its removal beaten by another copy) has no timer, and nothing
   * else starts it; the repeated delete changes nothing (a delete never extends a grace) and starts it, and its
   * recovery finds the grace over. (A bench's namespace of a thousand pods once stayed Terminating for ten
   * minutes; the cause was not pinned down, and this is one way it can happen.) An overdue pod is asked at most
   * once per {@link #NUDGE_EVERY} check intervals: one whose host is still stopping it must not draw a delete per
   * pod per second.
   */
  private void drain(List<Pod> remaining) {
    Instant now = clock.instant();
    Instant nudgeBefore = now.minus(settings.terminationCheckInterval().multipliedBy(NUDGE_EVERY));
    Map<String, Instant> stillOverdue = new HashMap<>();
    remaining.stream().filter(p -> {
      if (!p.metadata().isTerminating()) {
        return true;
      }
      if (!Instant.parse(p.metadata().deletionTimestamp()).isBefore(now)) {
        return false;
      }
      Instant last = nudged.get(p.metadata().name());
      boolean nudge = last == null || !last.isAfter(nudgeBefore);
      stillOverdue.put(p.metadata().name(), nudge ? now : last);
      return nudge;
    }).forEach(p ->
        pods.delete(new ObjectRef(ResourceKind.PODS, name, p.metadata().name())).whenComplete((ok, error) -> {
          if (error != null) {
            ctx.getSystem().log().warn("namespace {}: asking pod {} to delete failed: {}", name, p.metadata().name(),
                error.toString());
          }
        }));
    nudged = stillOverdue;
    timers.startSingleTimer("drain", new Tick(), settings.terminationCheckInterval());
  }

  /** While the key is being deleted, commands wait; after, they go to the next incarnation. */
  private ReplyEffect<State> whileRemoving(Command command) {
    if (removal.deleting()) {
      return command instanceof Removed r ? removed(r.failure()) : Effect().stash();
    } else if (command instanceof Request r && !removal.forward(r)) {
      return fail(r, Refusals.unavailable(ref + " was just removed; try again"));
    }
    return Effect().noReply();
  }

  private ReplyEffect<State> removed(Throwable failure) {
    if (failure == null || failure instanceof StaleWrite) {
      // Gone, or another copy changed it: either way the next incarnation reads the key afresh.
      timers.cancelAll();
      return removal.end() ? Effect().noReply().thenUnstashAll() : Effect().stop().thenNoReply();
    }
    ctx.getLog().warn("namespace {}: removing it failed ({}); trying again", name, failure.toString());
    removal.abandon();
    timers.startSingleTimer("drain", new Tick(), settings.terminationCheckInterval());
    return Effect().noReply().thenUnstashAll();
  }

  private void startReconciling() {
    timers.startTimerWithFixedDelay("reconcile", new Tick(), settings.reconcileInterval());
  }

  /**
   * Persists {@code next}; should the write fail (a stale copy of this entity, no quorum), the
   * caller hears why at once, and Pekko restarts the entity, which reads the current state again.
   */
  private EffectBuilder<State> persist(State next, ActorRef<Reply> replyTo) {
    revision.onWriteFailure(status -> replyTo.tell(new Failed(status)));
    return Effect().persist(next);
  }

  private ReplyEffect<State> fail(Request request, Status status) {
    return Effect().reply(request.replyTo(), new Failed(status));
  }

  private QuotaDone quotaDone(ResourceQuota q) {
    return new QuotaDone(new ResourceQuota(q.apiVersion(), q.kind(),
        q.metadata().withResourceVersion(revision.resourceVersion()), q.spec(), q.status()));
  }

  private NamespaceDone namespaceDone(State s) {
    return new NamespaceDone(new Namespace(s.namespace().metadata().withResourceVersion(revision.resourceVersion()),
        s.namespace().spec(), s.namespace().status()));
  }

  /** Kubernetes labels every namespace with its own name ({@code kubernetes.io/metadata.name}). */
  private Map<String, String> withNameLabel(Map<String, String> labels) {
    Map<String, String> l = new TreeMap<>(labels);
    l.put("kubernetes.io/metadata.name", name);
    return l;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
