package dev.pacific.controlplane.hosts;

import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.controlplane.quorum.store.KvCommand;
import dev.pacific.controlplane.quorum.store.KvCommand.Compare;
import dev.pacific.controlplane.quorum.store.KvResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A host's quorum lease and the record that says the control plane still owes it a recovery.
 *
 * <ul>
 *   <li>{@code leases/hosts/NAME} holds the lease id (decimal) and is attached to that lease: it
 *       exists exactly while the lease is alive, so its DELETED event is the lease's expiry (what
 *       the host lifecycle controller watches).</li>
 *   <li>{@code hosts/granted/NAME} holds the same id and is attached to no lease: written with
 *       the lease key in one transaction, it outlives an expiry. While it names a lease whose key
 *       is gone, the host's pods may be on their way elsewhere, so registration is refused. The
 *       host lifecycle controller deletes it (compare on its mod revision) once it has moved or
 *       failed the pods of that lease; a gateway deletes it itself when no pod is bound to the
 *       host, since then nothing is to be recovered.</li>
 * </ul>
 * Every step compares revisions, so registrations racing on two gateways end with one lease.
 */
public final class HostLeases {

  public static final String LEASE_PREFIX = "leases/hosts/";
  public static final String GRANT_PREFIX = "hosts/granted/";

  /** How a registration ended. */
  public sealed interface Outcome {
    /** The host holds this lease, renewed or new. */
    record Held(long leaseId, long ttlMillis, boolean renewed) implements Outcome {}

    /** The previous lease expired and its pods are not yet recovered. */
    record Recovering(long expiredLeaseId) implements Outcome {}
  }

  private static final int ATTEMPTS = 5;

  private final QuorumKv kv;
  private final long ttlMillis;

  public HostLeases(QuorumKv kv, long ttlMillis) {
    this.kv = kv;
    this.ttlMillis = ttlMillis;
  }

  public static byte[] leaseKey(String host) {
    return (LEASE_PREFIX + host).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] grantKey(String host) {
    return (GRANT_PREFIX + host).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Renews the live lease, or grants one when there is none and nothing is owed.
   *
   * @param hasBoundPods whether any pod is bound to the host now (asked only after an expiry)
   */
  public CompletionStage<Outcome> register(String host, Supplier<CompletionStage<Boolean>> hasBoundPods) {
    return attempt(host, hasBoundPods, ATTEMPTS);
  }

  private CompletionStage<Outcome> attempt(String host, Supplier<CompletionStage<Boolean>> hasBoundPods, int left) {
    if (left == 0) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "registrations of " + host + " kept racing; the host will ask again"));
    }
    return kv.get(leaseKey(host)).thenCompose(live -> {
      if (live.isPresent()) {
        long id = id(live.get());
        return kv.keepAlive(id).<Optional<Outcome>>thenApply(l -> Optional.of(new Outcome.Held(l.id(), l.ttlMillis(), true)))
            .exceptionally(e -> Optional.empty()); // expired between the read and the renewal: start over
      }
      return kv.get(grantKey(host)).thenCompose(grant -> grant.isEmpty() ? grant(host, 0)
          : hasBoundPods.get().thenCompose(bound -> bound
              ? CompletableFuture.completedFuture(Optional.<Outcome>of(new Outcome.Recovering(id(grant.get()))))
              : grant(host, grant.get().modRevision())));
    }).thenCompose(done -> done.isPresent() ? CompletableFuture.completedFuture(done.get())
        : attempt(host, hasBoundPods, left - 1));
  }

  /** A new lease, written with both keys if the grant record is still at {@code grantRevision} (0: absent). */
  private CompletionStage<Optional<Outcome>> grant(String host, long grantRevision) {
    long id = QuorumKv.newLeaseId();
    byte[] value = Long.toString(id).getBytes(StandardCharsets.UTF_8);
    return kv.grant(id, ttlMillis).thenCompose(lease -> kv.txn(
        List.of(Compare.modRevision(grantKey(host), KvCommand.Op.EQUAL, grantRevision),
            Compare.version(leaseKey(host), KvCommand.Op.EQUAL, 0)),
        List.of(new KvCommand.Put(leaseKey(host), value, id), new KvCommand.Put(grantKey(host), value,
            KvCommand.NO_LEASE)),
        List.of()).thenCompose((KvResult.TxnResult t) -> t.succeeded()
            ? CompletableFuture.completedFuture(Optional.<Outcome>of(new Outcome.Held(id, lease.ttlMillis(), false)))
            // Another gateway registered the host first: give this lease back and take that one.
            : kv.revoke(id).handle((r, e) -> Optional.<Outcome>empty())));
  }

  /** The lease's new TTL, or empty when the host no longer holds {@code leaseId}. */
  public CompletionStage<OptionalLong> renew(String host, long leaseId) {
    return kv.get(leaseKey(host)).thenCompose(live -> {
      if (live.isEmpty() || id(live.get()) != leaseId) {
        return CompletableFuture.completedFuture(OptionalLong.empty());
      }
      return kv.keepAlive(leaseId).thenApply(l -> OptionalLong.of(l.ttlMillis())).exceptionally(e -> {
        if (cause(e) instanceof QuorumKv.Refused) {
          return OptionalLong.empty(); // LEASE_NOT_FOUND: it expired just now
        }
        throw new java.util.concurrent.CompletionException(cause(e));
      });
    });
  }

  private static long id(KeyValue kv) {
    return Long.parseLong(new String(kv.value(), StandardCharsets.UTF_8).trim());
  }

  static Throwable cause(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
