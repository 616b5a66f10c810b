package dev.pacific.wire;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * What a host's spherelet asks of a control-plane {@code HostGateway}, and the answers. Every
 * control-plane member registers its gateway under {@link #SERVICE_KEY} with the Receptionist; a
 * host uses any one and moves to another when it dies or stops answering, so every request here
 * must mean the same on every gateway: gateways keep no per-host state that a host cannot rebuild
 * by asking again (the Host entity, the lease and the registry do).
 *
 * <p>The conversation, as the spherelet drives it:
 * <ol>
 *   <li>{@link Register} its Node. The answer carries the host's quorum lease
 *       ({@code leases/hosts/NAME}) and its TTL. Registering while the host's lease is alive hands
 *       back that same lease, renewed, so a restarted spherelet keeps its pods.</li>
 *   <li>{@link RenewLease} every fraction of the TTL. {@link LeaseLost} means the control plane
 *       no longer vouches for the host: it stops every pod at once (it fences itself), then
 *       registers again. A host that hears nothing stops its pods before its TTL has passed
 *       from the moment it sent its last answered renewal, so the control plane may start them
 *       elsewhere once the TTL plus a margin has passed since it last renewed the lease.</li>
 *   <li>{@link WatchPods}: the pods bound to the host ({@code spec.nodeName}), streamed to the
 *       subscriber as {@link BoundPods} events (a list, then changes, by registry revision).</li>
 *   <li>{@link ReportPodStatus} whenever a pod's status changes, at most one in flight per pod;
 *       {@link ConfirmPodStopped} once a terminating pod's processes are gone (graceful deletion
 *       ends there, as a kubelet's final delete ends it).</li>
 * </ol>
 * Hosts retry every request after a time-out, possibly on another gateway: each must be
 * idempotent.
 */
public final class HostGatewayProtocol {

  private HostGatewayProtocol() {}

  /** The Receptionist key every control-plane member registers its gateway under. */
  public static final ServiceKey<Request> SERVICE_KEY = ServiceKey.create(Request.class, "pacific-host-gateway");

  /**
   * On a pod bound to a host, the host's name: the control plane is moving the pod off that host
   * (maintenance). The host stops the pod as it would a deleted one and confirms with
   * {@link ConfirmPodStopped}; only then is the pod handed to the scheduler, so it never runs on
   * two hosts at once.
   */
  public static final String EVICTING_ANNOTATION = "pacific.dev/evicting";

  /** Everything a host sends to a gateway. */
  public sealed interface Request extends WireMessage {}

  /**
   * The host (re)introduces itself: {@code node} carries its name (the member's), labels,
   * {@code status.capacity} and {@code allocatable} (from {@code --cpu/--memory/--max-pods}),
   * addresses and {@code daemonEndpoints.kubeletEndpoint.Port} (its HTTP port, where the control
   * plane proxies {@code pods/log}). {@code bootId} changes with every spherelet start, so the
   * gateway can tell a restart from a retry.
   *
   * <p>Gateway obligations: create or update the Host entity; grant {@code leases/hosts/NAME}
   * or, while it is alive, renew and return it. While the host lifecycle controller is still
   * moving or failing the pods of this host's expired lease, answer {@link RegisterRefused}: a
   * host that registers again must never see a pod that is about to run elsewhere.
   */
  public record Register(Node node, String bootId, ActorRef<RegisterReply> replyTo) implements Request {}

  public sealed interface RegisterReply extends WireMessage {}

  /** The host holds {@code leaseId}, valid for {@code ttlMillis} from when the gateway renewed it. */
  public record Registered(String host, long leaseId, long ttlMillis) implements RegisterReply {}

  /** Not now: the host asks again after {@code retryAfterMillis}, on this or another gateway. */
  public record RegisterRefused(String host, String reason, long retryAfterMillis) implements RegisterReply {}

  /** Keep-alive of the host's lease; the gateway answers once the quorum has renewed it. */
  public record RenewLease(String host, long leaseId, ActorRef<RenewReply> replyTo) implements Request {}

  public sealed interface RenewReply extends WireMessage {}

  /** Renewed: valid for {@code ttlMillis} again. */
  public record LeaseRenewed(long leaseId, long ttlMillis) implements RenewReply {}

  /** The lease expired or was revoked: the host stops its pods now and registers again. */
  public record LeaseLost(long leaseId, String reason) implements RenewReply {}

  /**
   * Subscribes {@code subscriber} to the pods bound to {@code host}. With {@code fromRevision}
   * 0 the gateway first sends the whole current set ({@link BoundPods.Listed} chunks, the last
   * one flagged), then every change after the list's revision; with {@code fromRevision} N it
   * sends {@link BoundPods.Resumed}, then every change strictly after N (the host resumes where
   * it was after its gateway died). When N is compacted, or the gateway's own watch of the
   * registry fails, it sends {@link BoundPods.Resync} and stops: the host lists again.
   *
   * <p>Every event carries {@code watchId}, the host's number for this subscription: a host
   * ignores events of a subscription it has left. The gateway ends a subscription on
   * {@link StopWatching}, on a newer {@link WatchPods} of the same host, or when the subscriber
   * dies (it watches it). The first event must come within the host's ask time-out, or the host
   * takes the gateway for broken and moves on.
   */
  public record WatchPods(String host, long watchId, long fromRevision, ActorRef<BoundPods.Event> subscriber)
      implements Request {}

  /** The host has moved on; no answer. */
  public record StopWatching(String host, long watchId) implements Request {}

  /**
   * The pod's status as the host sees it now (phase, conditions, container statuses, podIP,
   * startTime, hostIP). The gateway writes it to the Pod entity if that pod (same uid) is still
   * bound to {@code host}; otherwise it answers {@link PodGone} and the host stops the pod.
   */
  public record ReportPodStatus(String host, PodKey pod, PodStatus status, ActorRef<StatusReply> replyTo)
      implements Request {}

  /**
   * A terminating pod's processes are all gone: the gateway records {@code finalStatus} and
   * completes the graceful deletion (removes the pod from the registry). {@link PodGone} is a
   * fine answer here too: it is already gone.
   */
  public record ConfirmPodStopped(String host, PodKey pod, PodStatus finalStatus, ActorRef<StatusReply> replyTo)
      implements Request {}

  public sealed interface StatusReply extends WireMessage {}

  /** Written at registry revision {@code revision}. */
  public record StatusRecorded(String uid, long revision) implements StatusReply {}

  /** No pod with this uid is bound to the host any more (deleted, recreated, or moved). */
  public record PodGone(String uid, String reason) implements StatusReply {}

  /** Which pod: the uid decides, the names let the gateway find the entity. */
  public record PodKey(String namespace, String name, String uid) {

    public static PodKey of(Pod pod) {
      return new PodKey(pod.metadata().namespace(), pod.metadata().name(), pod.metadata().uid());
    }
  }
}
