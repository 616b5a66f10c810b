package dev.pacific.controlplane.entities;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Typed view of {@code pacific.entities}.
 *
 * @param askTimeout           how long a write waits for its entity's answer
 * @param passivateAfter       an entity idle this long stops (its state stays in the quorum)
 * @param restartBackoffMin    first pause before an entity whose write failed reads its state again
 * @param restartBackoffMax    longest such pause
 * @param podDefaultGrace      a pod's grace period when neither the delete nor its spec names one
 */
public record EntitySettings(Duration askTimeout, Duration passivateAfter, Duration restartBackoffMin,
                             Duration restartBackoffMax, Duration podDefaultGrace) {

  public static EntitySettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.entities");
    return new EntitySettings(c.getDuration("ask-timeout"), c.getDuration("passivate-after"),
        c.getDuration("restart-backoff-min"), c.getDuration("restart-backoff-max"),
        c.getDuration("pods.default-termination-grace"));
  }
}
