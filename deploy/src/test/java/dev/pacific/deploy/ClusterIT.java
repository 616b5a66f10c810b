package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.deploy.cli.PacificCommand;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.deploy.launcher.Processes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton end to end: 3 control-plane members, 2 hosts and the load balancer as
 * real JVMs, driven through the load balancer while members are killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static TestCluster cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = new TestCluster("skeleton", 3, 2);
  }

  @AfterAll
  static void destroy() throws Exception {
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.strays(), "every process the test started is gone");
    }
  }

  private static Set<String> readyHosts() {
    Http.Answer a = Http.get(cluster.api() + "/api/v1/nodes");
    Set<String> ready = new TreeSet<>();
    if (a != null && a.code() == 200) {
      a.body().path("items").forEach(n -> {
        if (Http.readyStatus(n).equals("True")) {
          ready.add(n.path("metadata").path("name").asText());
        }
      });
    }
    return ready;
  }

  @Test
  @Order(1)
  void bothHostsAreReadyThroughTheLoadBalancer() {
    Http.Answer a = Http.get(cluster.api() + "/api/v1/nodes");
    assertNotNull(a, "the load balancer answers");
    assertEquals(200, a.code());
    assertEquals("NodeList", a.body().path("kind").asText());
    assertEquals(Set.of("host-1", "host-2"), readyHosts());
    Http.Answer one = Http.get(cluster.api() + "/api/v1/nodes/host-1");
    assertEquals(200, one.code());
    assertEquals("Node", one.body().path("kind").asText());
    assertFalse(one.body().path("status").path("capacity").path("cpu").asText().isEmpty(), "capacity is shown");
    Http.Answer missing = Http.get(cluster.api() + "/api/v1/nodes/host-9");
    assertEquals(404, missing.code());
    assertEquals("Status", missing.body().path("kind").asText());
    Http.Answer members = Http.get(cluster.api() + "/admin/v1/cluster");
    assertEquals(200, members.code());
    assertEquals(6, members.body().path("members").size(), "3 control-plane + 2 hosts + the LB: " + members.body());
  }

  @Test
  @Order(2)
  void killingAControlPlaneMemberKeepsTheApiAnswering() throws Exception {
    MemberSpec cp1 = cluster.launcher.cluster().orElseThrow().member("cp-1").orElseThrow();
    cluster.launcher.kill("cp-1");
    long killed = System.nanoTime();
    int[] failures = {0};
    int[] streak = {0};
    long[] lastFailure = {-1};
    // Keep asking through the LB; every answer must be correct. Record the ones that were not.
    Http.await(DEADLINE, "20 requests in a row succeed through the LB after cp-1 was killed", () -> {
      if (readyHosts().equals(Set.of("host-1", "host-2"))) {
        streak[0]++;
      } else {
        failures[0]++;
        lastFailure[0] = (System.nanoTime() - killed) / 1_000_000;
        streak[0] = 0;
      }
      return streak[0] >= 20;
    });
    System.out.printf("ClusterIT: after SIGKILL of cp-1, %d requests through the LB failed%s; then 20 in a row "
        + "succeeded%n", failures[0], lastFailure[0] < 0 ? "" : " (the last " + lastFailure[0] + " ms after the kill)");
    assertFalse(Processes.alive(cp1), "cp-1 is dead");

    MemberSpec restarted = cluster.launcher.start("cp-1", Duration.ofSeconds(120));
    long back = Http.await(DEADLINE, "the restarted cp-1 is ready",
        () -> {
          Http.Answer r = Http.get("http://127.0.0.1:" + restarted.httpPort() + "/readyz");
          return r != null && r.code() == 200;
        });
    System.out.printf("ClusterIT: restarted cp-1 ready %d ms after it answered%n", back);
  }

  @Test
  @Order(3)
  void killingAHostMarksItNotReady() throws Exception {
    cluster.launcher.kill("host-2");
    long took = Http.await(DEADLINE, "host-2 is Ready=False", () -> {
      Http.Answer a = Http.get(cluster.api() + "/api/v1/nodes/host-2");
      return a != null && a.code() == 200 && Http.readyStatus(a.body()).equals("False");
    });
    System.out.printf("ClusterIT: host-2 Ready=False %d ms after its SIGKILL%n", took);
    assertTrue(readyHosts().contains("host-1"), "host-1 stays Ready");
  }

  @Test
  @Order(4)
  void theCommandLineReportsAndRefusesClearly() {
    for (MemberSpec m : cluster.launcher.cluster().orElseThrow().nodes()) {
      assertEquals(!m.name().equals("host-2"), Processes.alive(m), m.name() + " alive (only host-2 was left dead)");
    }
    String dir = cluster.dir.toString();
    assertEquals(0, PacificCommand.run("status", "--dir", dir));
    assertEquals(1, PacificCommand.run("up", "--dir", dir), "up on a running cluster fails");
    assertEquals(1, PacificCommand.run("kill", "host-9", "--dir", dir), "an unknown member is an error");
    assertEquals(1, PacificCommand.run("kill", "host-2", "--dir", dir), "host-2 is already dead");
    assertEquals(2, PacificCommand.run("up", "--control-planes", "2", "--dir", dir + "-other"), "usage error");
    assertEquals(2, PacificCommand.run("explode"), "unknown command");
  }

  @Test
  @Order(5)
  void downThenUpRestartsTheSameCluster() throws Exception {
    ClusterFile before = cluster.launcher.cluster().orElseThrow();
    cluster.launcher.down();
    for (MemberSpec m : cluster.launcher.cluster().orElseThrow().nodes()) {
      assertFalse(Processes.alive(m), m.name() + " is stopped");
    }
    assertEquals(List.of(), cluster.strays(), "down leaves nothing running");
    ClusterFile after = cluster.launcher.up(Launcher.UpOptions.defaults());
    assertEquals(before.api(), after.api(), "the API keeps its address");
    for (MemberSpec m : after.nodes()) {
      MemberSpec old = before.member(m.name()).orElseThrow();
      assertEquals(old.httpPort(), m.httpPort(), m.name() + " keeps its HTTP port");
      assertEquals(old.dataDir(), m.dataDir(), m.name() + " keeps its data directory");
      assertTrue(Processes.alive(m), m.name() + " runs again");
    }
    assertEquals(Set.of("host-1", "host-2"), readyHosts(), "both hosts are Ready again");
  }
}
