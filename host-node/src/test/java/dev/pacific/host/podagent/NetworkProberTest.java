package dev.pacific.host.podagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pacific.api.Container;
import dev.pacific.api.IntOrString;
import dev.pacific.api.Probe;
import dev.pacific.host.runtime.HostUnderTest;
import dev.pacific.host.runtime.RunningContainer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kubernetes' probe handlers against real sockets and processes, all on 127.0.0.1. */
class NetworkProberTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final NetworkProber prober = new NetworkProber(pool);

  /** Generous: these tests are about what passes and fails, not speed; a loaded machine can take over a second. */
  private static final int PROBE_TIMEOUT_SECONDS = 10;

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }

  private static Container withPort(String name, int port) {
    return new Container("main", null, List.of(), List.of(), null,
        List.of(new Container.ContainerPort(name, null, port, "TCP", null)), List.of(), null, null, null, null, null);
  }

  private static Probe http(String path, IntOrString port) {
    return new Probe(null, new Probe.HTTPGetAction(path, port, null, "HTTP", List.of()), null, 0, PROBE_TIMEOUT_SECONDS, 10, 1, 3, null);
  }

  private Prober.Result probe(Probe probe, Container spec, RunningContainer instance) throws Exception {
    return prober.probe(probe, new Prober.Target(instance, spec, "127.0.0.1")).toCompletableFuture()
        .get(3 * PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void httpGetPassesFrom200To399AndFailsOtherwise() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", x -> { x.sendResponseHeaders(204, -1); x.close(); });
    server.createContext("/moved", x -> { x.getResponseHeaders().add("Location", "/elsewhere"); x.sendResponseHeaders(302, -1); x.close(); });
    server.createContext("/broken", x -> { x.sendResponseHeaders(500, -1); x.close(); });
    server.start();
    try {
      int port = server.getAddress().getPort();
      Container spec = withPort("http", port);
      assertTrue(probe(http("/ok", IntOrString.of("http")), spec, null).success(), "named port resolved");
      assertTrue(probe(http("/moved", IntOrString.of(port)), spec, null).success(), "a redirect already passes");
      var broken = probe(http("/broken", IntOrString.of(port)), spec, null);
      assertFalse(broken.success());
      assertTrue(broken.message().contains("500"), broken.message());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tcpSocketPassesWhenAConnectionOpens() throws Exception {
    int closedPort;
    try (ServerSocket open = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Probe tcp = new Probe(null, null, new Probe.TCPSocketAction(IntOrString.of(open.getLocalPort()), null),
          0, PROBE_TIMEOUT_SECONDS, 10, 1, 3, null);
      assertTrue(probe(tcp, withPort("x", 1), null).success());
      closedPort = open.getLocalPort();
    }
    Probe closed = new Probe(null, null, new Probe.TCPSocketAction(IntOrString.of(closedPort), null), 0, PROBE_TIMEOUT_SECONDS, 10, 1, 3, null);
    assertFalse(probe(closed, withPort("x", 1), null).success());
  }

  @Test
  void execPassesOnExitZeroAndAnUnknownPortNameFails() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      RunningContainer c = host.started(host.launch("uid-probe", List.of("sleep", "1000")));
      Probe ok = new Probe(new Probe.ExecAction(List.of("sh", "-c", "exit 0")), null, null, 0, PROBE_TIMEOUT_SECONDS, 10, 1, 3, null);
      Probe bad = new Probe(new Probe.ExecAction(List.of("sh", "-c", "echo sick; exit 1")), null, null, 0, PROBE_TIMEOUT_SECONDS, 10, 1, 3, null);
      assertTrue(probe(ok, withPort("x", 1), c).success());
      var failed = probe(bad, withPort("x", 1), c);
      assertFalse(failed.success());
      assertTrue(failed.message().contains("sick"), failed.message());
      var unnamed = probe(http("/", IntOrString.of("nope")), withPort("x", 1), c);
      assertEquals(false, unnamed.success());
      assertTrue(unnamed.message().contains("nope"), unnamed.message());
    }
  }
}
