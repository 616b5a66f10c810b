package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.store.KvResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lease deadlines, in this member's memory on its monotonic clock, after etcd's lessor. Only the
 * leader acts on them (it proposes a revoke when one passes); followers track them too but
 * restart them all on becoming leader: a new leader cannot know how long ago the old one last
 * heard a keep-alive, so it gives every lease a full TTL (etcd's {@code Promote}), and a failover
 * never expires a live lease. Keep-alives go to the leader alone and write nothing to the log
 * ({@link KvStateMachine#renew}), so a follower's deadlines are stale until it leads and restarts them;
 * grants and revokes reach every member through the log.
 */
final class LeaseKeeper {

  private final MonotonicClock clock;
  private final long retryNanos;
  private final Map<Long, Long> deadlines = new HashMap<>();
  /** Leases {@link #expired} reported (their revoke proposed) and not revoked or restarted since. */
  private final Set<Long> revoking = new HashSet<>();

  LeaseKeeper(MonotonicClock clock, long retryNanos) {
    this.clock = clock;
    this.retryNanos = retryNanos;
  }

  /** Every lease of the table gets now + TTL: on becoming leader, and after a snapshot replaced the table. */
  void restartAll(Map<Long, Long> ttlsMillis) {
    long now = clock.nanos();
    deadlines.clear();
    revoking.clear();
    ttlsMillis.forEach((id, ttl) -> deadlines.put(id, now + ttl * 1_000_000));
  }

  /**
   * Whether the lease's deadline has passed on this member's clock: its revoke is proposed or about to be, and a
   * keep-alive must not bring it back (etcd's lessor makes such a renewal wait for the revoke, then refuses it). A
   * renewal acknowledged here would let the holder run on while the revoke deletes its keys.
   */
  boolean expiredAlready(long id) {
    Long deadline = deadlines.get(id);
    return deadline != null && (revoking.contains(id) || clock.nanos() - deadline >= 0);
  }

  /** A grant or keep-alive restarts the TTL; a revoke forgets the lease; a refused keep-alive changes nothing. */
  void applied(KvResult result) {
    if (result instanceof KvResult.LeaseResult l) {
      deadlines.put(l.id(), clock.nanos() + l.ttlMillis() * 1_000_000);
      revoking.remove(l.id());
    } else if (result instanceof KvResult.LeaseRevoked r) {
      deadlines.remove(r.id());
      revoking.remove(r.id());
    }
  }

  /** Leases past their deadline; each is given {@code retry} more before it is reported again. */
  List<Long> expired() {
    long now = clock.nanos();
    List<Long> out = new ArrayList<>();
    deadlines.forEach((id, deadline) -> {
      if (now - deadline >= 0) {
        out.add(id);
      }
    });
    out.forEach(id -> deadlines.put(id, now + retryNanos));
    revoking.addAll(out);
    return out;
  }
}
