package dev.pacific.controlplane.api;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code pacific.api}: how the Kubernetes-shaped REST API behaves where Kubernetes leaves it to
 * the server (reference.conf documents each key).
 *
 * @param watchIdleInterval a watch with nothing to send for this long sends a BOOKMARK or a blank line
 * @param patchAttempts read-modify-write attempts of a merge patch that meets concurrent writes
 * @param generateNameAttempts names tried for a {@code generateName} create before giving up with 409
 * @param listChunk keys read per quorum read while a selective list fills its page
 */
public record ApiSettings(Duration watchIdleInterval, int patchAttempts, int generateNameAttempts, int listChunk) {

  public ApiSettings {
    if (watchIdleInterval.isNegative() || watchIdleInterval.isZero() || patchAttempts < 1
        || generateNameAttempts < 1 || listChunk < 1) {
      throw new IllegalArgumentException("pacific.api settings must be positive: " + watchIdleInterval + ", "
          + patchAttempts + ", " + generateNameAttempts + ", " + listChunk);
    }
  }

  /** From the root configuration ({@code pacific.api.*}). */
  public static ApiSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.api");
    return new ApiSettings(c.getDuration("watch-idle-interval"), c.getInt("patch-attempts"),
        c.getInt("generate-name-attempts"), c.getInt("list-chunk"));
  }
}
