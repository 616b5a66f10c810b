package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The leader probe reports a leader whose address refuses connections, and only such a leader. */
class LeaderProbeTest {

  private static LeaderProbe probeFor(int leaderPort) {
    return new LeaderProbe(QuorumSettings.fromConfig(ConfigFactory.parseString("""
        pacific.control-plane.peers = ["cp-1=127.0.0.1:%d", "cp-2=127.0.0.1:1", "cp-3=127.0.0.1:2"]
        """.formatted(leaderPort)).withFallback(ConfigFactory.load()), "cp-2"));
  }

  @Test
  void aLeaderWhoseAddressRefusesConnectionsIsReportedGone() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there now, as after a SIGKILL
    }
    CompletableFuture<String> gone = new CompletableFuture<>();
    probeFor(port).tick("cp-1", 4, 2, (leader, term) -> gone.complete(leader + "@" + term));
    assertEquals("cp-1@4", gone.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aLeaderThatStillAcceptsConnectionsIsNotReported() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> gone = new CompletableFuture<>();
      LeaderProbe probe = probeFor(s.getLocalPort());
      probe.tick("cp-1", 4, 2, (leader, term) -> gone.complete(leader));
      String reported = null;
      try {
        reported = gone.get(1500, TimeUnit.MILLISECONDS);
      } catch (TimeoutException expected) {
        // nothing reported: the leader's address answered
      }
      assertNull(reported);
    }
  }

  @Test
  void aFollowerThatHeardFromItsLeaderRecentlyDoesNotProbe() throws Exception {
    CompletableFuture<String> gone = new CompletableFuture<>();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    probeFor(port).tick("cp-1", 4, 1, (leader, term) -> gone.complete(leader));
    String reported = null;
    try {
      reported = gone.get(1500, TimeUnit.MILLISECONDS);
    } catch (TimeoutException expected) {
      // one silent tick is not enough to ask
    }
    assertNull(reported);
  }
}
