package dev.pacific.host.spherelet;

import dev.pacific.api.Container;
import dev.pacific.api.Node;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the control plane keeps, in one place that every {@link FakeGateway} shares, as every real
 * gateway shares the quorum: pods bound to hosts with a revision per change, host leases, and what
 * hosts reported. The test changes it directly; gateways stream its changes.
 */
final class FakeRegistry {

  /** One change of the bound set, kept as history so that a subscription can resume after a revision. */
  record Change(long revision, Pod pod, boolean unbound) {}

  record Report(String uid, PodStatus status, long atNanos) {}

  record Confirmation(String uid, PodStatus finalStatus) {}

  private final Duration ttl;
  private long revision;
  private long nextLease = 100;
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final List<Change> history = new ArrayList<>();
  private final Map<String, long[]> leases = new LinkedHashMap<>(); // host -> {id, renewedAtNanos}
  private final List<ActorRef<Object>> gateways = new ArrayList<>();
  final List<Node> registrations = new ArrayList<>();
  final List<Long> renewalsAnsweredAt = new ArrayList<>();
  final List<Report> reports = new ArrayList<>();
  final List<Confirmation> confirmations = new ArrayList<>();

  FakeRegistry(Duration ttl) {
    this.ttl = ttl;
  }

  Duration ttl() {
    return ttl;
  }

  synchronized void join(ActorRef<Object> gateway) {
    gateways.add(gateway);
  }

  // ---- what the test does, as users and controllers would through the API

  static Pod pod(String name, String restartPolicy, List<String> command, Long graceSeconds) {
    var container = new Container("main", null, command, List.of(), null, List.of(), List.of(), null, null, null,
        null, null);
    var spec = PodSpec.of(List.of(container), restartPolicy);
    spec = new PodSpec(spec.initContainers(), spec.containers(), spec.restartPolicy(), graceSeconds, null,
        spec.nodeSelector(), null, null, null, null);
    return new Pod(ObjectMeta.named("default", name).withUid(name + "-" + UUID.randomUUID().toString().substring(0, 8)),
        spec, PodStatus.phase("Pending"));
  }

  /** Binds the pod to the host (the scheduler's binding); returns it as stored. */
  synchronized Pod bind(Pod pod, String host) {
    Pod bound = pod.withSpec(pod.spec().withNodeName(host));
    return put(bound);
  }

  /** A graceful delete: deletionTimestamp and grace set, the pod stays until the host confirms. */
  synchronized Pod markDeleting(String uid, long graceSeconds) {
    Pod p = pods.get(uid);
    return put(p.withMetadata(p.metadata().withDeletion("2024-05-01T10:00:00Z", graceSeconds)));
  }

  synchronized void unbind(String uid) {
    Pod removed = pods.remove(uid);
    if (removed != null) {
      history.add(new Change(++revision, removed, true));
      notifyGateways();
    }
  }

  /** The pod disappears without a change in the history, as if compaction had dropped it. */
  synchronized void removeUnrecorded(String uid) {
    pods.remove(uid);
  }

  /** The quorum revokes the host's lease (as expiry would): the next renewal hears LeaseLost. */
  synchronized void revokeLease(String host) {
    leases.remove(host);
  }

  synchronized long leaseOf(String host) {
    long[] lease = leases.get(host);
    return lease == null ? -1 : lease[0];
  }

  private Pod put(Pod pod) {
    Pod stored = pod.withMetadata(pod.metadata().withResourceVersion(String.valueOf(++revision)));
    pods.put(stored.metadata().uid(), stored);
    history.add(new Change(revision, stored, false));
    notifyGateways();
    return stored;
  }

  private void notifyGateways() {
    gateways.forEach(g -> g.tell(new FakeGateway.Changed()));
  }

  synchronized long revision() {
    return revision;
  }

  // ---- what gateways do on a host's behalf

  synchronized long register(Node node, long nowNanos) {
    registrations.add(node);
    long[] lease = leases.get(node.metadata().name());
    if (lease == null || nowNanos - lease[1] > ttl.toNanos()) {
      lease = new long[] {nextLease++, nowNanos};
      leases.put(node.metadata().name(), lease);
    }
    lease[1] = nowNanos;
    return lease[0];
  }

  /** Renews if the lease is still the host's and alive; empty = lost. */
  synchronized boolean renew(String host, long leaseId, long nowNanos) {
    long[] lease = leases.get(host);
    if (lease == null || lease[0] != leaseId || nowNanos - lease[1] > ttl.toNanos()) {
      return false;
    }
    lease[1] = nowNanos;
    renewalsAnsweredAt.add(nowNanos);
    return true;
  }

  synchronized Listing list(String host) {
    List<Pod> bound = pods.values().stream().filter(p -> host.equals(p.spec().nodeName())).toList();
    return new Listing(revision, bound);
  }

  record Listing(long revision, List<Pod> pods) {}

  /** Changes after {@code after} for pods of {@code host}; an unbound change carries the pod as it was. */
  synchronized List<Change> changesAfter(long after, String host) {
    return history.stream().filter(c -> c.revision() > after && host.equals(c.pod().spec().nodeName())).toList();
  }

  synchronized Optional<Long> recordStatus(String host, String uid, PodStatus status) {
    Pod p = pods.get(uid);
    if (p == null || !host.equals(p.spec().nodeName())) {
      return Optional.empty();
    }
    reports.add(new Report(uid, status, System.nanoTime()));
    pods.put(uid, p.withStatus(status)); // status-only: not streamed, as the protocol allows
    return Optional.of(revision);
  }

  synchronized void confirmStopped(String uid, PodStatus finalStatus) {
    confirmations.add(new Confirmation(uid, finalStatus));
    unbind(uid);
  }

  synchronized List<Report> reportsOf(String uid) {
    return reports.stream().filter(r -> r.uid().equals(uid)).toList();
  }

  synchronized Optional<Confirmation> confirmationOf(String uid) {
    return confirmations.stream().filter(c -> c.uid().equals(uid)).findFirst();
  }

  synchronized List<Long> renewals() {
    return List.copyOf(renewalsAnsweredAt);
  }

  synchronized List<Node> registrationsSoFar() {
    return List.copyOf(registrations);
  }
}
