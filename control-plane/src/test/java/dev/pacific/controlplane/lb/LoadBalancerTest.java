package dev.pacific.controlplane.lb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private ActorTestKit kit;
  private FakeApiServer a;
  private FakeApiServer b;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    kit = ActorTestKit.create(ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    a = new FakeApiServer();
    b = new FakeApiServer();
    toClose.add(a);
    toClose.add(b);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (IOException ignored) {
        // already stopped by the test
      }
    }
    kit.shutdownTestKit();
  }

  private record Balancer(ActorRef<LoadBalancer.Command> ref, int port) {}

  private Balancer balancer(Duration probeInterval, InetSocketAddress... backends) throws Exception {
    return balancer(probeInterval, LbSettings.fromConfig(ConfigFactory.load()).probeTimeout(), backends);
  }

  private Balancer balancer(Duration probeInterval, Duration probeTimeout, InetSocketAddress... backends)
      throws Exception {
    LbSettings base = LbSettings.fromConfig(ConfigFactory.load());
    LbSettings settings = new LbSettings(base.host(), 0, base.backlog(), probeInterval, probeTimeout,
        base.connectTimeout(), base.idleTimeout(), base.pickTimeout());
    CompletableFuture<Integer> bound = new CompletableFuture<>();
    ActorRef<LoadBalancer.Command> ref = kit.spawn(LoadBalancer.create(settings, bound));
    int port = bound.get(10, TimeUnit.SECONDS);
    ref.tell(new LoadBalancer.SetBackends(Set.of(backends)));
    return new Balancer(ref, port);
  }

  private LoadBalancer.Stats stats(Balancer lb) throws Exception {
    return AskPattern.<LoadBalancer.Command, LoadBalancer.Stats>ask(lb.ref(), LoadBalancer.GetStats::new,
        Duration.ofSeconds(5), kit.system().scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private long awaitStats(Balancer lb, Predicate<LoadBalancer.Stats> condition, String what) throws Exception {
    long start = System.nanoTime();
    while (!condition.test(stats(lb))) {
      if (System.nanoTime() - start > DEADLINE.toNanos()) {
        throw new AssertionError("timed out waiting until " + what + "; stats: " + stats(lb));
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Sends {@code payload} through the balancer, half-closes, and returns every byte that came back. */
  private static byte[] echo(int port, byte[] payload) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      var reader = CompletableFuture.supplyAsync(() -> {
        try {
          InputStream in = s.getInputStream();
          return in.readAllBytes();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      s.shutdownOutput();
      return reader.join();
    }
  }

  private static byte[] payload(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    System.arraycopy("ECHO".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
    return bytes;
  }

  @Test
  void bytesArriveIntactBothWaysUnderConcurrentClients() throws Exception {
    Balancer lb = balancer(Duration.ofMillis(500), a.address(), b.address());
    awaitStats(lb, s -> s.backends().values().stream().allMatch(x -> x.health() == Health.READY), "both ready");
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int seed = i;
        results.add(clients.submit(() -> {
          byte[] sent = payload(new Random(seed), 256 * 1024 + seed * 4099);
          byte[] back = echo(lb.port(), sent);
          return MessageDigest.isEqual(sha256(sent), sha256(back)) && back.length == sent.length;
        }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get(60, TimeUnit.SECONDS), "a client got different bytes back than it sent");
      }
    } finally {
      clients.shutdownNow();
    }
    assertTrue(a.echoConnections() > 0 && b.echoConnections() > 0,
        "both backends should carry traffic: " + a.echoConnections() + " / " + b.echoConnections());
    awaitStats(lb, s -> s.openConnections() == 0, "every proxied connection is closed");
  }

  @Test
  void aBackendGoingDownIsEjectedAndTrafficContinues() throws Exception {
    Balancer lb = balancer(Duration.ofMillis(500), a.address(), b.address());
    awaitStats(lb, s -> s.backends().values().stream().allMatch(x -> x.health() == Health.READY), "both ready");
    a.stop();
    long stopped = System.nanoTime();
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] sent = payload(random, 4096);
      assertArrayEquals(sent, echo(lb.port(), sent), "request " + i + " after a backend went down");
    }
    awaitStats(lb, s -> s.backends().get(a.address()).health() == Health.DOWN, "the stopped backend is DOWN");
    System.out.printf("LB: stopped backend ejected %d ms after it went down; 20/20 requests succeeded%n",
        (System.nanoTime() - stopped) / 1_000_000);
    int servedByA = a.echoConnections();
    for (int i = 0; i < 10; i++) {
      byte[] sent = payload(random, 100);
      assertArrayEquals(sent, echo(lb.port(), sent));
    }
    assertEquals(servedByA, a.echoConnections(), "a backend that is down must get no new connections");
  }

  @Test
  void aBackendComingBackIsUsedAgain() throws Exception {
    Balancer lb = balancer(Duration.ofMillis(500), a.address(), b.address());
    a.stop();
    awaitStats(lb, s -> s.backends().get(a.address()).health() == Health.DOWN, "the stopped backend is DOWN");
    a.start();
    long back = awaitStats(lb, s -> s.backends().get(a.address()).health() == Health.READY, "it is READY again");
    System.out.printf("LB: restarted backend back in rotation after %d ms%n", back);
    int before = a.echoConnections();
    Random random = new Random(11);
    for (int i = 0; i < 10; i++) {
      byte[] sent = payload(random, 100);
      assertArrayEquals(sent, echo(lb.port(), sent));
    }
    assertTrue(a.echoConnections() > before, "the backend that came back should carry new connections");
  }

  @Test
  void aRefusedConnectIsRetriedOnAnotherBackend() throws Exception {
    // Probes are far apart, so only the passive check can notice the dead backend.
    Balancer lb = balancer(Duration.ofHours(1), a.address(), b.address());
    awaitStats(lb, s -> s.backends().size() == 2, "both backends known");
    a.stop();
    Random random = new Random(3);
    for (int i = 0; i < 10; i++) {
      byte[] sent = payload(random, 1000);
      assertArrayEquals(sent, echo(lb.port(), sent), "request " + i + " should be retried on the live backend");
    }
    assertEquals(Health.DOWN, stats(lb).backends().get(a.address()).health());
  }

  @Test
  void openConnectionCountsReturnToZero() throws Exception {
    // Slow, patient probes: this test is about the split, and on a loaded machine a 400 ms probe can time out,
    // eject a healthy backend for a moment and send a connection to the other one.
    Balancer lb = balancer(Duration.ofSeconds(5), Duration.ofSeconds(4), a.address(), b.address());
    awaitStats(lb, s -> s.backends().values().stream().allMatch(x -> x.health() == Health.READY), "both ready");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Socket s = new Socket("127.0.0.1", lb.port());
        s.getOutputStream().write("ECHOhello".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(10_000);
        assertEquals('E', s.getInputStream().read(), "the echo starts coming back");
        held.add(s);
      }
      awaitStats(lb, s -> s.openConnections() == 10, "10 connections are open");
      LoadBalancer.Stats spread = stats(lb);
      System.out.println("LB: 10 open connections spread as " + spread.backends().values());
      assertTrue(spread.backends().values().stream().allMatch(x -> x.open() == 5),
          "least-open-connections balancing should split 10 connections 5/5: " + spread);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    awaitStats(lb, s -> s.openConnections() == 0, "open connections return to zero");
  }

  @Test
  void clientsThatLeaveAtOnceLeaveNoConnectionBehind() throws Exception {
    Balancer lb = balancer(Duration.ofMillis(500), a.address(), b.address());
    awaitStats(lb, s -> s.backends().values().stream().allMatch(x -> x.health() == Health.READY), "both ready");
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket("127.0.0.1", lb.port())) {
        if (i % 2 == 0) {
          s.getOutputStream().write("ECHO".getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    long took = awaitStats(lb, s -> s.openConnections() == 0, "connections of clients that left are closed");
    System.out.printf("LB: 50 clients that hung up at once; all proxied connections closed %d ms later%n", took);
    byte[] sent = payload(new Random(9), 1000);
    assertArrayEquals(sent, echo(lb.port(), sent), "the balancer still serves");
  }

  @Test
  void noReadyBackendFallsBackToAliveOnes() throws Exception {
    a.ready(false);
    b.ready(false);
    Balancer lb = balancer(Duration.ofMillis(200), a.address(), b.address());
    awaitStats(lb, s -> s.backends().values().stream().allMatch(x -> x.health() == Health.ALIVE), "both alive, not ready");
    byte[] sent = payload(new Random(5), 100);
    assertArrayEquals(sent, echo(lb.port(), sent), "with no ready backend, an alive one serves");
    b.ready(true);
    awaitStats(lb, s -> s.backends().get(b.address()).health() == Health.READY, "b is ready");
    int aBefore = a.echoConnections();
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(sent, echo(lb.port(), sent));
    }
    assertEquals(aBefore, a.echoConnections(), "while one backend is ready, the not-ready one gets nothing");
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
