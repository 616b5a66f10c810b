package dev.pacific.host.spherelet;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Typed view of {@code pacific.host.spherelet}: how the host talks to the control plane and keeps its lease. */
public record SphereletSettings(
    Duration askTimeout,
    Duration subscribeTimeout,
    Duration subscriptionSilence,
    Duration retryMin,
    Duration retryMax,
    Duration suspectFor,
    double renewFraction,
    double fenceMargin,
    Duration sweepInterval,
    Duration orphanGrace,
    Duration statusRetry,
    Duration logFollowPoll,
    String clusterId,
    String imageSource,
    Duration imageFetchTimeout) {

  public SphereletSettings {
    if (!(renewFraction > 0 && renewFraction <= 0.5)) {
      throw new IllegalArgumentException("pacific.host.spherelet.renew-fraction must be above 0 and at most 0.5 "
          + "(at least two renewals per TTL): " + renewFraction);
    }
    if (!(fenceMargin >= 0 && fenceMargin + renewFraction < 1)) {
      throw new IllegalArgumentException("pacific.host.spherelet.fence-margin must be at least 0 and leave time to "
          + "renew (fence-margin + renew-fraction < 1): " + fenceMargin);
    }
  }

  public static SphereletSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host.spherelet");
    return new SphereletSettings(c.getDuration("ask-timeout"), c.getDuration("subscribe-timeout"),
        c.getDuration("subscription-silence"), c.getDuration("retry-min"), c.getDuration("retry-max"),
        c.getDuration("suspect-for"), c.getDouble("renew-fraction"), c.getDouble("fence-margin"),
        c.getDuration("sweep-interval"), c.getDuration("orphan-grace"), c.getDuration("status-retry"),
        c.getDuration("log-follow-poll"), c.getString("cluster-id"), c.getString("image-source"),
        c.getDuration("image-fetch-timeout"));
  }

  /**
   * The cluster marker: as configured, or derived from the directory holding the member's data
   * directory (the cluster's {@code --dir}), which every member of one cluster shares and a
   * restarted member finds again.
   */
  public String clusterId(Path memberDataDir) {
    if (!"auto".equals(clusterId)) {
      return clusterId;
    }
    Path dir = memberDataDir.toAbsolutePath().normalize();
    Path cluster = dir.getParent() != null ? dir.getParent() : dir;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cluster.toString().getBytes(StandardCharsets.UTF_8));
      return "pacific-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
