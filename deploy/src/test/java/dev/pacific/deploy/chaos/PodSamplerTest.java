package dev.pacific.deploy.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.pacific.host.spherelet.SphereletSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PodSamplerTest {

  @Test
  void findsPodsByTheClusterMarkerTheSphereletDerivesFromTheClusterDirectory() {
    Path cluster = Path.of("/tmp/some-run/cluster");
    SphereletSettings host = SphereletSettings.fromConfig(ConfigFactory.load());
    assertEquals(host.clusterId(cluster.resolve("host-1")), PodSampler.clusterId(cluster));
  }
}
