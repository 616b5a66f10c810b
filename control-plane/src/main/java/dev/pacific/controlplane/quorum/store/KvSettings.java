package dev.pacific.controlplane.quorum.store;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the key-value state machine. They must be equal on every member:
 * they decide, through the log, when a session expires and which lease TTLs are accepted.
 *
 * @param sessionTtlMillis a session not used for this long (in leader time carried by the log) is
 *     forgotten; longer than any client's retry horizon, or a late retry could apply twice
 * @param maxSessions the most live sessions kept; beyond it the least recently used goes first
 * @param minLeaseTtlMillis the shortest lease TTL granted: a few election timeouts, so that a
 *     failover (after which the new leader restarts every TTL) cannot expire a lease by itself
 */
public record KvSettings(long sessionTtlMillis, int maxSessions, long minLeaseTtlMillis) {

  public static final KvSettings DEFAULT = new KvSettings(600_000, 100_000, 1_800);

  public KvSettings {
    if (sessionTtlMillis <= 0 || maxSessions <= 0 || minLeaseTtlMillis <= 0) {
      throw new IllegalArgumentException("session TTL, session cap and minimum lease TTL must be positive");
    }
  }

  public KvSettings(long sessionTtlMillis, int maxSessions) {
    this(sessionTtlMillis, maxSessions, DEFAULT.minLeaseTtlMillis);
  }

  /**
   * Reads {@code store.session-ttl}, {@code store.max-sessions} and
   * {@code lease.min-ttl-election-timeouts} from the {@code pacific.quorum} section; the
   * minimum TTL counts the longest election timeout (2 × election-ticks × tick, Raft §5.2).
   */
  public static KvSettings fromConfig(Config quorum) {
    Config store = quorum.getConfig("store");
    long electionMillis = 2 * quorum.getInt("election-ticks") * quorum.getDuration("tick", TimeUnit.MILLISECONDS);
    return new KvSettings(store.getDuration("session-ttl", TimeUnit.MILLISECONDS), store.getInt("max-sessions"),
        quorum.getInt("lease.min-ttl-election-timeouts") * electionMillis);
  }
}
