package dev.pacific.controlplane.quorum.store;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the key-value state machine. They must be equal on every member:
 * they decide, through the log, when a session expires.
 *
 * @param sessionTtlMillis a session not used for this long (in leader time carried by the log) is
 *     forgotten; longer than any client's retry horizon, or a late retry could apply twice
 * @param maxSessions the most live sessions kept; beyond it the least recently used goes first
 */
public record KvSettings(long sessionTtlMillis, int maxSessions) {

  public static final KvSettings DEFAULT = new KvSettings(600_000, 100_000);

  public KvSettings {
    if (sessionTtlMillis <= 0 || maxSessions <= 0) {
      throw new IllegalArgumentException("session TTL and cap must be positive");
    }
  }

  /** Reads {@code session-ttl} (a duration) and {@code max-sessions} from a section such as {@code pacific.quorum.store}. */
  public static KvSettings fromConfig(Config section) {
    return new KvSettings(section.getDuration("session-ttl", TimeUnit.MILLISECONDS), section.getInt("max-sessions"));
  }
}
