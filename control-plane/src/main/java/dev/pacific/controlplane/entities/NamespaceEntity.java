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
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryRevisions;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.RecoveryCompleted;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.state.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.state.javadsl.SignalHandler;

/**
 * A namespace: its lifecycle and the authority for its resource quotas.
 *
 * <p>Lifecycle (Kubernetes' namespace controller): created Active; a delete marks it Terminating
 * (phase and deletionTimestamp) and refuses new content with 403; the entity then asks every pod in
 * it to delete, re-reading the registry every {@code termination-check-interval} until none is left,
 * and only then removes itself. The drain resumes whenever the entity starts again (recovery), so a
 * crash mid-drain only delays it until the entity is next started.
 *
 * <p>Quota: the {@link QuotaLedger} in the state holds one reservation per admitted pod uid;
 * {@link Reserve} is idempotent by uid, {@link Release} too. A reconcile (on recovery, right after a
 * first quota arrives, and every {@code reconcile-interval} while the entity lives) recomputes the
 * reservations from the pods the registry holds, so a crash between a reservation and the pod's own
 * write, or between a pod's removal and its release, leaks nothing.
 */
public final class NamespaceEntity
    extends DurableStateBehaviorWithEnforcedReplies<NamespaceEntity.Command, NamespaceEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, ResourceKind.NAMESPACES.resource());

  private static final String NAMESPACES = ResourceKind.NAMESPACES.resource();
  private static final String QUOTAS = ResourceKind.RESOURCEQUOTAS.resource();
  private static final String PODS = ResourceKind.PODS.resource();

  /** {@code pacific.entities.namespace}. */
  public record Settings(Duration reconcileInterval, Duration reservationGrace, Duration terminationCheckInterval) {
    public static Settings fromConfig(Config c) {
      return new Settings(c.getDuration("reconcile-interval"), c.getDuration("reservation-grace"),
          c.getDuration("termination-check-interval"));
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

  public sealed interface Command extends EntityMessage {}

  public record Create(Namespace namespace, ActorRef<Reply> replyTo) implements Command {}

  /** Replaces labels and annotations; a set resourceVersion that is not current is a 409. */
  public record Update(Namespace namespace, ActorRef<Reply> replyTo) implements Command {}

  public record Delete(DeleteOptions options, ActorRef<Reply> replyTo) implements Command {}

  public record CreateQuota(ResourceQuota quota, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Replaces a quota's spec, labels and annotations, or (with {@code status}, the subresource) its
   * status; either way {@code status} is what this entity counts, never what the caller sent.
   */
  public record UpdateQuota(ResourceQuota quota, boolean status, ActorRef<Reply> replyTo) implements Command {}

  public record DeleteQuota(String name, DeleteOptions options, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Admission of a pod: reserve its {@link PodResources#quotaUsage} ({@code unstated}:
   * {@link PodResources#unstated}) against every quota. Idempotent by pod uid.
   */
  public record Reserve(String podUid, String podName, ResourceList usage,
                        SortedMap<String, SortedSet<String>> unstated, ActorRef<Reply> replyTo) implements Command {
    public static Reserve of(Pod pod, ActorRef<Reply> replyTo) {
      return new Reserve(pod.metadata().uid(), pod.metadata().name(), PodResources.quotaUsage(pod),
          PodResources.unstated(pod.spec()), replyTo);
    }
  }

  /** The pod is gone (or will never be written): free what it holds. Idempotent. */
  public record Release(String podUid, ActorRef<Reply> replyTo) implements Command {}

  /** Sharding's stop message, so a write in flight completes before the entity stops. */
  public record Passivate() implements Command {}

  /** Read the registry's pods: reconcile the quota ledger, and drain if terminating. */
  record Tick() implements Command {}

  record PodsListed(List<Pod> pods) implements Command {}

  record ListFailed(String message) implements Command {}

  public sealed interface Reply extends EntityMessage {}

  public record NamespaceDone(Namespace namespace) implements Reply {}

  public record QuotaDone(ResourceQuota quota) implements Reply {}

  public record Admitted() implements Reply {}

  public record Released() implements Reply {}

  public record Failed(Status status) implements Reply {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String name;
  private final RegistryKey key;
  private final Settings settings;
  private final PodDirectory pods;
  private final Clock clock;
  /** Pods released since the registry read in flight began: its view of them is stale. */
  private final Set<String> releasedSinceRead = new HashSet<>();
  private boolean reading;

  public static Behavior<Command> create(String name, Settings settings, PodDirectory pods, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new NamespaceEntity(ctx, timers, name, settings, pods, clock)));
  }

  private NamespaceEntity(ActorContext<Command> context, TimerScheduler<Command> timers, String name,
                          Settings settings, PodDirectory pods, Clock clock) {
    super(PersistenceId.ofUniqueId(RegistryKeys.persistenceId(ObjectRef.cluster(ResourceKind.NAMESPACES, name))),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.timers = timers;
    this.name = name;
    this.key = new RegistryKey(RegistryRevisions.get(context.getSystem()), persistenceId().id());
    this.settings = settings;
    this.pods = pods;
    this.clock = clock;
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
            context.getSelf().tell(new Tick());
          }
        })
        .onSignal(PostStop.instance(), state -> key.forget())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(CreateQuota.class, this::onCreateQuota)
        .onCommand(UpdateQuota.class, this::onUpdateQuota)
        .onCommand(DeleteQuota.class, this::onDeleteQuota)
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(Release.class, this::onRelease)
        .onCommand(Tick.class, (state, tick) -> onTick(state))
        .onCommand(PodsListed.class, this::onPodsListed)
        .onCommand(ListFailed.class, (state, failed) -> {
          reading = false;
          context.getLog().warn("namespace {}: reading its pods failed ({}); trying again later", name,
              failed.message());
          return Effect().noReply();
        })
        .onCommand(Passivate.class, () -> Effect().stop().thenNoReply())
        .build();
  }

  private ReplyEffect<State> onCreate(State state, Create c) {
    if (state.namespace() != null) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.alreadyExists(NAMESPACES, name)));
    }
    ObjectMeta m = c.namespace().metadata().withName(name).withNamespace(null)
        .withUid(c.namespace().metadata().uid() != null ? c.namespace().metadata().uid() : UUID.randomUUID().toString())
        .withCreationTimestamp(now()).withResourceVersion(null).withDeletion(null, null)
        .withLabels(withNameLabel(c.namespace().metadata().labels()));
    // Kubernetes gives every namespace the "kubernetes" finalizer: content is removed before it goes.
    Namespace created = new Namespace(m, new Namespace.Spec(List.of("kubernetes")), new Namespace.Status("Active"));
    return persist(new State(created, state.ledger()), c.replyTo(), NAMESPACES, name)
        .thenRun(s -> startReconciling()).thenReply(c.replyTo(), this::namespaceDone);
  }

  private ReplyEffect<State> onUpdate(State state, Update c) {
    Failed refused = missingOrStale(state, c.namespace().metadata(), NAMESPACES, name);
    if (refused != null) {
      return Effect().reply(c.replyTo(), refused);
    }
    ObjectMeta m = state.namespace().metadata().withLabels(withNameLabel(c.namespace().metadata().labels()))
        .withAnnotations(c.namespace().metadata().annotations());
    Namespace updated = new Namespace(m, state.namespace().spec(), state.namespace().status());
    return persist(new State(updated, state.ledger()), c.replyTo(), NAMESPACES, name)
        .thenReply(c.replyTo(), this::namespaceDone);
  }

  private ReplyEffect<State> onDelete(State state, Delete c) {
    if (state.namespace() == null) {
      return Effect().reply(c.replyTo(), new Failed(Status.notFound(NAMESPACES, name)));
    }
    Status failed = AdmissionRefusals.preconditions(state.namespace().metadata(), key.resourceVersion(), c.options(),
        NAMESPACES, name);
    if (failed != null) {
      return Effect().reply(c.replyTo(), new Failed(failed));
    }
    if (state.terminating()) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.conflict(NAMESPACES, name, "The system is ensuring all "
          + "content is removed from this namespace.  Upon completion, this namespace will automatically be purged "
          + "by the system.")));
    }
    Namespace ns = state.namespace();
    Namespace terminating = new Namespace(ns.metadata().withDeletion(now(), 0L), ns.spec(),
        new Namespace.Status("Terminating"));
    return persist(new State(terminating, state.ledger()), c.replyTo(), NAMESPACES, name)
        .thenRun(s -> context.getSelf().tell(new Tick())).thenReply(c.replyTo(), this::namespaceDone);
  }

  private ReplyEffect<State> onCreateQuota(State state, CreateQuota c) {
    String quota = c.quota().metadata().name();
    if (state.namespace() == null) {
      return Effect().reply(c.replyTo(), new Failed(Status.notFound(NAMESPACES, name)));
    }
    if (state.terminating()) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.terminating(QUOTAS, quota, name)));
    }
    if (state.quotas().containsKey(quota)) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.alreadyExists(QUOTAS, quota)));
    }
    ObjectMeta given = c.quota().metadata();
    ObjectMeta m = given.withNamespace(name).withUid(given.uid() != null ? given.uid() : UUID.randomUUID().toString())
        .withCreationTimestamp(now()).withResourceVersion(null);
    QuotaLedger next = state.ledger().withQuota(new ResourceQuota(m, c.quota().spec(), null));
    return persist(new State(state.namespace(), next), c.replyTo(), QUOTAS, quota)
        // A first quota starts with usage unknown: count the pods now rather than at the next interval.
        .thenRun(s -> context.getSelf().tell(new Tick())).thenReply(c.replyTo(), s -> quotaDone(s, quota));
  }

  private ReplyEffect<State> onUpdateQuota(State state, UpdateQuota c) {
    String quota = c.quota().metadata().name();
    ResourceQuota old = state.quotas().get(quota);
    if (old == null) {
      return Effect().reply(c.replyTo(), new Failed(Status.notFound(QUOTAS, quota)));
    }
    Failed refused = missingOrStale(state, c.quota().metadata(), QUOTAS, quota);
    if (refused != null) {
      return Effect().reply(c.replyTo(), refused);
    }
    if (c.status()) {
      return Effect().reply(c.replyTo(), quotaDone(state, quota));
    }
    ObjectMeta m = old.metadata().withLabels(c.quota().metadata().labels())
        .withAnnotations(c.quota().metadata().annotations());
    QuotaLedger next = state.ledger().withQuota(new ResourceQuota(m, c.quota().spec(), null));
    return persist(new State(state.namespace(), next), c.replyTo(), QUOTAS, quota)
        .thenReply(c.replyTo(), s -> quotaDone(s, quota));
  }

  private ReplyEffect<State> onDeleteQuota(State state, DeleteQuota c) {
    ResourceQuota old = state.quotas().get(c.name());
    if (old == null) {
      return Effect().reply(c.replyTo(), new Failed(Status.notFound(QUOTAS, c.name())));
    }
    Status failed = AdmissionRefusals.preconditions(old.metadata(), key.resourceVersion(), c.options(), QUOTAS, c.name());
    if (failed != null) {
      return Effect().reply(c.replyTo(), new Failed(failed));
    }
    ResourceQuota gone = stamped(old);
    return persist(new State(state.namespace(), state.ledger().withoutQuota(c.name())), c.replyTo(), QUOTAS, c.name())
        .thenReply(c.replyTo(), s -> new QuotaDone(gone));
  }

  private ReplyEffect<State> onReserve(State state, Reserve c) {
    if (state.namespace() == null) {
      return Effect().reply(c.replyTo(), new Failed(Status.notFound(NAMESPACES, name)));
    }
    if (state.terminating()) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.terminating(PODS, c.podName(), name)));
    }
    QuotaLedger.Admission admission = state.ledger().admit(c.podUid(), c.usage(), c.unstated(), clock.millis());
    if (admission instanceof QuotaLedger.Admission.Refused refused) {
      return Effect().reply(c.replyTo(), new Failed(AdmissionRefusals.forbidden(PODS, c.podName(), refused.reason())));
    }
    if (admission instanceof QuotaLedger.Admission.Admitted admitted && admitted.ledger() != state.ledger()) {
      return persist(new State(state.namespace(), admitted.ledger()), c.replyTo(), PODS, c.podName())
          .thenReply(c.replyTo(), s -> new Admitted());
    }
    return Effect().reply(c.replyTo(), new Admitted());
  }

  private ReplyEffect<State> onRelease(State state, Release c) {
    releasedSinceRead.add(c.podUid());
    if (!state.ledger().holds(c.podUid())) {
      return Effect().reply(c.replyTo(), new Released());
    }
    return persist(new State(state.namespace(), state.ledger().release(c.podUid())), c.replyTo(), PODS, c.podUid())
        .thenReply(c.replyTo(), s -> new Released());
  }

  /** Reads the registry's pods, unless a read is already in flight or there is nothing to do. */
  private ReplyEffect<State> onTick(State state) {
    boolean counts = !state.quotas().isEmpty();
    if (state.namespace() == null || reading || (!counts && !state.terminating())) {
      return Effect().noReply();
    }
    reading = true;
    releasedSinceRead.clear();
    context.pipeToSelf(pods.inNamespace(name), (list, error) ->
        error != null ? new ListFailed(String.valueOf(error)) : new PodsListed(list));
    return Effect().noReply();
  }

  private ReplyEffect<State> onPodsListed(State state, PodsListed listed) {
    reading = false;
    if (state.namespace() == null) {
      return Effect().noReply();
    }
    if (state.terminating() && listed.pods().isEmpty()) {
      context.getLog().info("namespace {}: no pods left, removing it", name);
      timers.cancelAll();
      // Stopped once gone, so the next incarnation (a namespace created again) starts from the empty key.
      return RegistryKey.<State>delete().thenStop().thenNoReply();
    }
    if (state.terminating()) {
      drain(listed.pods());
    }
    Map<String, ResourceList> live = new TreeMap<>();
    for (Pod p : listed.pods()) {
      if (!PodResources.isTerminal(p)) {
        live.put(p.metadata().uid(), PodResources.quotaUsage(p));
      }
    }
    QuotaLedger.Reconciliation r = state.ledger().reconciled(live, Set.copyOf(releasedSinceRead), clock.millis(),
        settings.reservationGrace().toMillis());
    if (r.changes() == null || (!r.changes().changed() && r.ledger().counting() == state.ledger().counting())) {
      return Effect().noReply();
    }
    if (r.changes().changed()) {
      context.getLog().info("namespace {}: reconciled quota usage from the registry: dropped {}, added {}, "
          + "corrected {}", name, r.changes().dropped(), r.changes().added(), r.changes().corrected());
    }
    return Effect().persist(new State(state.namespace(), r.ledger())).thenNoReply();
  }

  /** Asks every pod not yet terminating to delete, and looks again after the check interval. */
  private void drain(List<Pod> remaining) {
    for (Pod p : remaining) {
      if (!p.metadata().isTerminating()) {
        pods.delete(new ObjectRef(ResourceKind.PODS, name, p.metadata().name())).whenComplete((ok, error) -> {
          if (error != null) {
            context.getSystem().log().warn("namespace {}: asking pod {} to delete failed: {}", name,
                p.metadata().name(), error.toString());
          }
        });
      }
    }
    timers.startSingleTimer("drain", new Tick(), settings.terminationCheckInterval());
  }

  private void startReconciling() {
    timers.startTimerWithFixedDelay("reconcile", new Tick(), settings.reconcileInterval());
  }

  /**
   * Persists {@code next}; should the write fail (a stale copy of this entity, no quorum), the
   * caller hears why at once, and Pekko restarts the entity, which reads the current state again.
   */
  private EffectBuilder<State> persist(State next, ActorRef<Reply> replyTo, String resource, String object) {
    key.expectWrite(replyTo, Failed::new, resource, object);
    return Effect().persist(next);
  }

  /** Null when {@code given} may update this namespace's record: it exists and the resourceVersion is current. */
  private Failed missingOrStale(State state, ObjectMeta given, String resource, String object) {
    if (state.namespace() == null) {
      return new Failed(Status.notFound(NAMESPACES, name));
    }
    Status stale = AdmissionRefusals.stale(given.resourceVersion(), key.resourceVersion(), resource, object);
    return stale == null ? null : new Failed(stale);
  }

  private NamespaceDone namespaceDone(State s) {
    return new NamespaceDone(new Namespace(s.namespace().metadata().withResourceVersion(key.resourceVersion()),
        s.namespace().spec(), s.namespace().status()));
  }

  private Reply quotaDone(State s, String quota) {
    return new QuotaDone(stamped(s.quotas().get(quota)));
  }

  private ResourceQuota stamped(ResourceQuota q) {
    return new ResourceQuota(q.apiVersion(), q.kind(), q.metadata().withResourceVersion(key.resourceVersion()), q.spec(),
        q.status());
  }

  /** Kubernetes labels every namespace with its own name ({@code kubernetes.io/metadata.name}). */
  private Map<String, String> withNameLabel(Map<String, String> labels) {
    Map<String, String> l = new TreeMap<>(labels);
    l.put("kubernetes.io/metadata.name", name);
    return l;
  }

  private String now() {
    return RegistryKey.now(clock);
  }
}
