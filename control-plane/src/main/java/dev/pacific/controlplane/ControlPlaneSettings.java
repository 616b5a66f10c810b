package dev.pacific.controlplane;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.control-plane} and {@code pacific.membership}. */
public record ControlPlaneSettings(int controlPlaneMembers, Duration publishTimeout) {

  public static ControlPlaneSettings fromConfig(Config config) {
    return new ControlPlaneSettings(
        config.getStringList("pacific.control-plane.peers").size(),
        config.getDuration("pacific.membership.publish-timeout"));
  }
}
