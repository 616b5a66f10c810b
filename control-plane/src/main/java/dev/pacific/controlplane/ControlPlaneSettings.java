package dev.pacific.controlplane;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of the control plane's own settings ({@code pacific.membership}). */
public record ControlPlaneSettings(Duration publishTimeout) {

  public static ControlPlaneSettings fromConfig(Config config) {
    return new ControlPlaneSettings(config.getDuration("pacific.membership.publish-timeout"));
  }
}
