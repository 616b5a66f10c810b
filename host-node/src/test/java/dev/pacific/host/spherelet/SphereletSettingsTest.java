package dev.pacific.host.spherelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SphereletSettingsTest {

  @Test
  void referenceConfReadsAndEveryKeyIsValid() {
    var s = SphereletSettings.fromConfig(ConfigFactory.load());
    assertTrue(s.renewFraction() + s.fenceMargin() < 1);
    assertEquals("auto", s.clusterId());
  }

  @Test
  void settingsThatWouldLetTheLeaseLapseBeforeARenewalAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> settings(0.6, 0.2));
    assertThrows(IllegalArgumentException.class, () -> settings(0.5, 0.5));
    settings(0.25, 0.2);
  }

  @Test
  void theClusterMarkerFollowsTheClusterDirectoryAndStaysTheSameAcrossRestarts() {
    var s = settings(0.25, 0.2);
    String one = s.clusterId(Path.of("/tmp/a/.pacific/host-1"));
    assertEquals(one, s.clusterId(Path.of("/tmp/a/.pacific/host-2")), "every member of one cluster");
    assertTrue(!one.equals(s.clusterId(Path.of("/tmp/b/.pacific/host-1"))), "another cluster");
  }

  private static SphereletSettings settings(double renew, double margin) {
    Duration d = Duration.ofSeconds(1);
    return new SphereletSettings(d, d, d, d, d, d, renew, margin, d, d, d, d, "auto", "", d);
  }
}
