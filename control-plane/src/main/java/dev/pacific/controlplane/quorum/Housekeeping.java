package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of what the leader proposes on its own: revokes of expired leases and automatic
 * compaction ({@code pacific.quorum.auto-compaction}, {@code pacific.quorum.leader-retry}).
 *
 * @param autoCompact  whether the leader compacts the history at all
 * @param maxRevisions history kept by count: compaction runs once 10% more than this piled up
 * @param maxAge       history kept by the leader's clock: compaction runs every tenth of it
 * @param retry        how long a proposal of the leader's own may stay unapplied before it is made again
 */
public record Housekeeping(boolean autoCompact, long maxRevisions, Duration maxAge, Duration retry) {

  public static final Housekeeping DEFAULT = new Housekeeping(true, 10_000, Duration.ofMinutes(5),
      Duration.ofSeconds(1));

  public Housekeeping {
    if (maxRevisions < 1 || maxAge.isNegative() || maxAge.isZero() || retry.isNegative() || retry.isZero()) {
      throw new IllegalArgumentException("auto-compaction needs max-revisions >= 1 and positive max-age and retry");
    }
  }

  /** From the {@code pacific.quorum} section. */
  public static Housekeeping fromConfig(Config quorum) {
    Config c = quorum.getConfig("auto-compaction");
    return new Housekeeping(c.getBoolean("enabled"), c.getLong("max-revisions"), c.getDuration("max-age"),
        quorum.getDuration("leader-retry"));
  }
}
