package dev.pacific.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.pacific.host.podagent.PodAgentSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

  @Test
  void referenceConfHoldsKubernetesDefaults() {
    var config = ConfigFactory.load();
    RuntimeSettings s = RuntimeSettings.fromConfig(config);
    assertEquals(10L * 1024 * 1024, s.logMaxBytes());
    assertEquals(5, s.logMaxFiles());
    assertEquals(PodAgentSettings.kubernetes(), PodAgentSettings.fromConfig(config));
    assertEquals(Duration.ofMillis(100), s.watchdogPoll());
  }

  @Test
  void aFailureRateOutsideZeroToOneIsRefused() {
    var config = ConfigFactory.parseString("pacific.host.simulated.failure-rate = 1.5").withFallback(ConfigFactory.load());
    var e = assertThrows(IllegalArgumentException.class, () -> RuntimeSettings.fromConfig(config));
    assertEquals(true, e.getMessage().contains("failure-rate"));
  }
}
