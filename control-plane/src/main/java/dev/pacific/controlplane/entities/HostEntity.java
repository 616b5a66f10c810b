package dev.pacific.controlplane.entities;

import com.typesafe.config.Config;
import dev.pacific.api.Node;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumDurableStateStore;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * A host as a Kubernetes Node: what it offers (capacity, allocatable), its labels and addresses,
 * its conditions (Ready), whether it takes pods (cordoned, or in maintenance: CONTRACT.md's
 * {@code spec.unschedulable} plus annotation {@code pacific.dev/maintenance: "true"}), and the
 * authority over its capacity: {@link Reserve} holds a pod's requests, idempotently by pod uid, and
 * refuses with the scheduler's reasons, so concurrent binds never overcommit allocatable.
 *
 * <p>A reconcile (on recovery and every {@code reconcile-interval}) recomputes the reservations from
 * the pods the registry binds here ({@code spec.nodeName}): one whose bind never happened is freed
 * after {@code reservation-grace}, a bound pod without a reservation is counted.
 */
public final class HostEntity extends DurableStateBehaviorWithEnforcedReplies<HostEntity.Command, HostEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, ResourceKind.NODES.resource());

  /** {@code pacific.entities.host}. */
  public record Settings(Duration reconcileInterval, Duration reservationGrace, long defaultMaxPods) {
    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("pacific.entities.host");
      return new Settings(c.getDuration("reconcile-interval"), c.getDuration("reservation-grace"),
          c.getLong("default-max-pods"));
    }
  }

  /** The durable state: the Node ({@code null} before the host registers) and what pods hold on it. */
  public record State(Node node, Reservations reservations) implements EntityState {
    public State {
      reservations = reservations == null ? Reservations.empty() : reservations;
    }

    @Override
    public Object object() {
      return node;
    }
  }

  public sealed interface Command extends EntityMessage permits Request, Wake, Tick, PodsListed, ListFailed {}

  public sealed interface Request extends Command
      permits Register, Create, Update, UpdateStatus, SetMaintenance, Reserve, Release, Adjust {
    ActorRef<Reply> replyTo();
  }

  /** The host announces itself: created if new, else its capacity, addresses, labels and conditions refreshed. */
  public record Register(Node node, ActorRef<Reply> replyTo) implements Request {}

  /** The API's create: 409 AlreadyExists when the Node exists. */
  public record Create(Node node, ActorRef<Reply> replyTo) implements Request {}

  /** The API's update: labels, annotations and spec; a set resourceVersion that is not current is a 409. */
  public record Update(Node node, ActorRef<Reply> replyTo) implements Request {}

  /** The {@code /status} subresource: replaces the status (conditions, capacity, …). */
  public record UpdateStatus(Node node, ActorRef<Reply> replyTo) implements Request {}

  /** Enters or leaves maintenance: no new pods while in it. */
  public record SetMaintenance(boolean enabled, ActorRef<Reply> replyTo) implements Request {}

  /** Holds {@code requests} (the pod's effective requests) for the pod; idempotent by uid. */
  public record Reserve(String podUid, ResourceList requests, ActorRef<Reply> replyTo) implements Request {
    public static Reserve of(Pod pod, ActorRef<Reply> replyTo) {
      return new Reserve(pod.metadata().uid(), PodUsage.requests(pod.spec()), replyTo);
    }
  }

  /** The pod left (deleted, terminal, moved): free what it holds. Idempotent. */
  public record Release(String podUid, ActorRef<Reply> replyTo) implements Request {}

  /**
   * Several {@link Reserve}s and {@link Release}s in one write, applied in order, each decided as it
   * would be alone (so none overcommits the host), answered by {@link Adjusted}. {@link HostMutations}
   * gathers the changes that arrive while the host's previous write is in flight: a host takes a
   * burst of binds at the cost of one quorum write, not one each.
   */
  public record Adjust(List<Change> changes, ActorRef<Reply> replyTo) implements Request {}

  /** One pod's change: hold {@code requests}, or free what the pod holds when {@code requests} is null. */
  public record Change(String podUid, ResourceList requests) {
    public static Change reserve(Pod pod) {
      return new Change(pod.metadata().uid(), PodUsage.requests(pod.spec()));
    }

    public static Change release(String podUid) {
      return new Change(podUid, null);
    }
  }

  /** How one {@link Change} ended: RESERVED, REFUSED (with the reasons), RELEASED, or MISSING (no Node yet). */
  public record ChangeOutcome(String podUid, Kind kind, List<String> reasons) {
    public enum Kind { RESERVED, REFUSED, RELEASED, MISSING }

    /** The answer a single {@link Reserve} or {@link Release} of this change gets from the host {@code node}. */
    public Reply asReply(ObjectRef node) {
      return switch (kind) {
        case RESERVED -> new Reserved();
        case RELEASED -> new Released();
        case REFUSED -> new Refused(reasons);
        case MISSING -> new Failed(Refusals.notFound(node));
      };
    }
  }

  /**
   * Starts the entity if it is not running, and does nothing else: its recovery reconciles and, for a
   * terminating namespace, resumes the drain ({@link RegistryWakeup} sends it after a member was lost).
   */
  public record Wake() implements Command {}

  /** Read the registry's pods and reconcile. */
  record Tick() implements Command {}

  record PodsListed(List<Pod> pods) implements Command {}

  record ListFailed(String message) implements Command {}

  public sealed interface Reply extends EntityMessage
      permits NodeDone, Reserved, Refused, Released, Failed, Adjusted {}

  public record NodeDone(Node node) implements Reply {}

  public record Reserved() implements Reply {}

  /** The pod does not fit here, for these reasons (the scheduler's words, {@link HostCapacity}). */
  public record Refused(List<String> reasons) implements Reply {}

  public record Released() implements Reply {}

  public record Failed(Status status) implements Reply {}

  /** The answer to an {@link Adjust}: one outcome per change, in its order. */
  public record Adjusted(List<ChangeOutcome> outcomes) implements Reply {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String name;
  private final Settings settings;
  private final PodDirectory pods;
  private final Clock clock;
  private final ObjectRef ref;
  private final EntityRevision revision;
  private final ReconcileRead<Command> read;

  /** A host entity; it does not passivate (hosts are few, and its reconcile timer must keep running). */
  public static Behavior<Command> create(String name, EntitySettings common, Settings settings, PodDirectory pods,
                                         Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new HostEntity(ctx, timers, name, common, settings, pods, clock)));
  }

  private HostEntity(ActorContext<Command> context, TimerScheduler<Command> timers, String name, EntitySettings common,
                     Settings settings, PodDirectory pods, Clock clock) {
    super(PersistenceId.ofUniqueId(RegistryKeys.persistenceId(ObjectRef.cluster(ResourceKind.NODES, name))),
        // A failed write (a stale copy lost, the quorum was away) is expected now and then: a warning, an error
        // once it keeps failing (as the pod entity).
        SupervisorStrategy.restartWithBackoff(common.restartBackoffMin(), common.restartBackoffMax(), 0.2)
            .withLogLevel(org.slf4j.event.Level.WARN).withCriticalLogLevel(org.slf4j.event.Level.ERROR, 5));
    this.context = context;
    this.timers = timers;
    this.name = name;
    this.settings = settings;
    this.pods = pods;
    this.clock = clock;
    this.ref = ObjectRef.cluster(ResourceKind.NODES, name);
    this.revision = new EntityRevision(context.getSystem(), ref);
    this.read = new ReconcileRead<>(context);
  }

  @Override
  public String durableStateStorePluginId() {
    return QuorumDurableStateStore.PLUGIN_ID;
  }

  @Override
  public State emptyState() {
    return new State(null, Reservations.empty());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.node() != null) {
            startReconciling();
            context.getSelf().tell(new Tick());
          }
        })
        .onSignal(PostStop.instance(), state -> revision.forget())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Register.class, (state, c) -> state.node() == null ? created(state, c.node(), c.replyTo())
            : write(state, registered(state.node(), c.node()), c.replyTo()))
        .onCommand(Create.class, (state, c) -> state.node() == null ? created(state, c.node(), c.replyTo())
            : Effect().reply(c.replyTo(), new Failed(Refusals.alreadyExists(ref, false))))
        .onCommand(Update.class, this::onUpdate)
        .onCommand(UpdateStatus.class, this::onUpdateStatus)
        .onCommand(SetMaintenance.class, this::onSetMaintenance)
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(Release.class, this::onRelease)
        .onCommand(Adjust.class, this::onAdjust)
        .onCommand(Wake.class, () -> Effect().noReply())
        .onCommand(Tick.class, (state, tick) -> {
          if (state.node() != null) {
            read.start(pods.onNode(name), PodsListed::new, error -> new ListFailed(String.valueOf(error)));
          }
          return Effect().noReply();
        })
        .onCommand(PodsListed.class, (state, listed) -> onPodsListed(state, listed.pods(), read.finish()))
        .onCommand(ListFailed.class, (state, failed) -> {
          read.finish();
          context.getLog().warn("node {}: reading its pods failed ({}); trying again later", name, failed.message());
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<State> created(State state, Node node, ActorRef<Reply> replyTo) {
    ObjectMeta given = node.metadata();
    ObjectMeta m = given.withName(name).withNamespace(null).withResourceVersion(null)
        .withUid(given.uid() != null ? given.uid() : UUID.randomUUID().toString()).withCreationTimestamp(now());
    return persist(new State(new Node(m, node.spec() == null ? new Node.Spec(false) : node.spec(), node.status()),
        state.reservations()), replyTo)
        .thenRun(s -> startReconciling()).thenReply(replyTo, this::nodeDone);
  }

  /**
   * A registration refreshes what the host reports about itself: its labels and annotations are
   * merged over the stored ones (an operator's own labels stay), its status replaced except for
   * conditions it does not report. Spec (cordon, maintenance) belongs to the operator and stays.
   */
  private static Node registered(Node stored, Node reported) {
    Map<String, String> labels = new TreeMap<>(stored.metadata().labels());
    labels.putAll(reported.metadata().labels());
    Map<String, String> annotations = new TreeMap<>(stored.metadata().annotations());
    annotations.putAll(reported.metadata().annotations());
    annotations.remove(HostCapacity.MAINTENANCE_ANNOTATION);
    if (stored.metadata().annotations().containsKey(HostCapacity.MAINTENANCE_ANNOTATION)) {
      annotations.put(HostCapacity.MAINTENANCE_ANNOTATION,
          stored.metadata().annotations().get(HostCapacity.MAINTENANCE_ANNOTATION));
    }
    Node.Status s = reported.status();
    Node.Status status = s == null ? stored.status() : new Node.Status(s.capacity(), s.allocatable(),
        s.conditions().isEmpty() && stored.status() != null ? stored.status().conditions() : s.conditions(),
        s.addresses(), s.daemonEndpoints());
    return new Node(stored.metadata().withLabels(labels).withAnnotations(annotations), stored.spec(), status);
  }

  private ReplyEffect<State> onUpdate(State state, Update c) {
    Failed refused = missingOrStale(state, c.node().metadata());
    if (refused != null) {
      return Effect().reply(c.replyTo(), refused);
    }
    ObjectMeta m = state.node().metadata().withLabels(c.node().metadata().labels())
        .withAnnotations(c.node().metadata().annotations());
    Node.Spec spec = c.node().spec() == null ? new Node.Spec(false) : c.node().spec();
    return write(state, new Node(m, spec, state.node().status()), c.replyTo());
  }

  private ReplyEffect<State> onUpdateStatus(State state, UpdateStatus c) {
    Failed refused = missingOrStale(state, c.node().metadata());
    if (refused != null) {
      return Effect().reply(c.replyTo(), refused);
    }
    return write(state, new Node(state.node().metadata(), state.node().spec(), c.node().status()), c.replyTo());
  }

  private ReplyEffect<State> onSetMaintenance(State state, SetMaintenance c) {
    if (state.node() == null) {
      return Effect().reply(c.replyTo(), new Failed(Refusals.notFound(ref)));
    }
    Map<String, String> annotations = new TreeMap<>(state.node().metadata().annotations());
    if (c.enabled()) {
      annotations.put(HostCapacity.MAINTENANCE_ANNOTATION, "true");
    } else {
      annotations.remove(HostCapacity.MAINTENANCE_ANNOTATION);
    }
    Node n = new Node(state.node().metadata().withAnnotations(annotations), new Node.Spec(c.enabled()),
        state.node().status());
    return n.equals(state.node()) ? Effect().reply(c.replyTo(), nodeDone(state)) : write(state, n, c.replyTo());
  }

  private ReplyEffect<State> onReserve(State state, Reserve c) {
    return single(state, new Change(c.podUid(), c.requests()), c.replyTo());
  }

  private ReplyEffect<State> onRelease(State state, Release c) {
    return single(state, Change.release(c.podUid()), c.replyTo());
  }

  /** A {@link Reserve} or {@link Release} alone: an {@link Adjust} of one, answered in the single command's words. */
  private ReplyEffect<State> single(State state, Change change, ActorRef<Reply> replyTo) {
    Adjustment a = adjust(state, List.of(change));
    Reply reply = a.outcomes().get(0).asReply(ref);
    if (a.next() == state.reservations()) {
      return Effect().reply(replyTo, reply);
    }
    return persist(new State(state.node(), a.next()), replyTo).thenReply(replyTo, s -> reply);
  }

  private ReplyEffect<State> onAdjust(State state, Adjust c) {
    Adjustment a = adjust(state, c.changes());
    Adjusted reply = new Adjusted(a.outcomes());
    if (a.next() == state.reservations()) {
      return Effect().reply(c.replyTo(), reply);
    }
    return persist(new State(state.node(), a.next()), c.replyTo()).thenReply(c.replyTo(), s -> reply);
  }

  private record Adjustment(Reservations next, List<ChangeOutcome> outcomes) {}

  /** The changes applied in order, each seeing the ones before it; {@code next} is the same object when none held. */
  private Adjustment adjust(State state, List<Change> changes) {
    HostCapacity.Batch batch = new HostCapacity.Batch(state.node(), state.reservations(), clock.millis(),
        settings.defaultMaxPods());
    List<ChangeOutcome> outcomes = new ArrayList<>(changes.size());
    for (Change change : changes) {
      String uid = change.podUid();
      if (change.requests() == null) {
        read.released(uid);
        batch.release(uid);
        outcomes.add(new ChangeOutcome(uid, ChangeOutcome.Kind.RELEASED, List.of()));
      } else if (state.node() == null) {
        outcomes.add(new ChangeOutcome(uid, ChangeOutcome.Kind.MISSING, List.of()));
      } else {
        List<String> refusal = batch.reserve(uid, change.requests());
        outcomes.add(new ChangeOutcome(uid, refusal.isEmpty() ? ChangeOutcome.Kind.RESERVED
            : ChangeOutcome.Kind.REFUSED, refusal));
      }
    }
    return new Adjustment(batch.result(), outcomes);
  }

  /** What the pods bound here hold, from the registry: a reservation without its pod goes after the grace. */
  private ReplyEffect<State> onPodsListed(State state, List<Pod> listed, Set<String> releasedSinceRead) {
    if (state.node() == null) {
      return Effect().noReply();
    }
    Reservations.Reconciled r = state.reservations().reconcile(PodUsage.hostUsageByUid(listed, name),
        releasedSinceRead, clock.millis(), settings.reservationGrace().toMillis());
    if (!r.changed()) {
      return Effect().noReply();
    }
    context.getLog().info("node {}: reconciled reservations from the registry: dropped {}, added {}, corrected {}",
        name, r.dropped(), r.added(), r.corrected());
    return Effect().persist(new State(state.node(), r.next())).thenNoReply();
  }

  private void startReconciling() {
    timers.startTimerWithFixedDelay("reconcile", new Tick(), settings.reconcileInterval());
  }

  private ReplyEffect<State> write(State state, Node next, ActorRef<Reply> replyTo) {
    return persist(new State(next, state.reservations()), replyTo).thenReply(replyTo, this::nodeDone);
  }

  /** Persists; a failed write (stale copy, no quorum) is answered at once, then Pekko restarts the entity. */
  private EffectBuilder<State> persist(State next, ActorRef<Reply> replyTo) {
    revision.onWriteFailure(status -> replyTo.tell(new Failed(status)));
    return Effect().persist(next);
  }

  private Failed missingOrStale(State state, ObjectMeta given) {
    if (state.node() == null) {
      return new Failed(Refusals.notFound(ref));
    }
    return revision.check(given.resourceVersion()).map(Failed::new).orElse(null);
  }

  private Reply nodeDone(State s) {
    Node n = s.node();
    return new NodeDone(new Node(n.apiVersion(), n.kind(), n.metadata().withResourceVersion(revision.resourceVersion()),
        n.spec(), n.status()));
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
