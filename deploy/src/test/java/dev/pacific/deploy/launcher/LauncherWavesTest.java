package dev.pacific.deploy.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.membership.MemberCard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherWavesTest {

  private static ClusterFile cluster(int hosts) {
    List<MemberSpec> nodes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      nodes.add(new MemberSpec("cp-" + i, MemberCard.CONTROL_PLANE, 0, 1000 + i, 2000 + i, "/d/cp-" + i, "/l/cp-" + i));
    }
    for (int i = 1; i <= hosts; i++) {
      nodes.add(new MemberSpec("host-" + i, MemberCard.HOST, 0, 3000 + i, 4000 + i, "/d/h-" + i, "/l/h-" + i));
    }
    nodes.add(new MemberSpec("lb-1", MemberCard.LB, 0, 5000, 6000, "/d/lb", "/l/lb"));
    return new ClusterFile("http://127.0.0.1:5000", "simulated", "256m", List.of(), nodes);
  }

  @Test
  void aSmallClusterStartsAllAtOnce() {
    assertEquals(List.of(List.of("cp-1", "cp-2", "cp-3", "host-1", "host-2", "host-3", "lb-1")),
        Launcher.waves(cluster(3)));
  }

  @Test
  void manyHostsStartInWavesAfterTheControlPlaneAndTheLoadBalancer() {
    assertEquals(List.of(List.of("cp-1", "cp-2", "cp-3", "lb-1"), List.of("host-1", "host-2", "host-3", "host-4"),
        List.of("host-5", "host-6", "host-7", "host-8"), List.of("host-9", "host-10")), Launcher.waves(cluster(10)));
  }
}
