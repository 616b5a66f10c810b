package dev.pacific.host.podagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Container;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Probe;
import dev.pacific.host.runtime.PodRef;
import dev.pacific.host.images.ImageService;
import dev.pacific.host.images.ImageSource;
import dev.pacific.host.runtime.HostUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pod agent on a fake clock (Pekko's ManualTime for its timers, a {@link MutableClock} for its
 * timestamps) over a runtime whose containers end when the test says.
 */
class PodAgentTest {

  private final ActorTestKit kit = ActorTestKit.create(ManualTime.config());
  private final ManualTime time = ManualTime.get(kit.system());
  private final MutableClock clock = new MutableClock();
  private final FakeRuntime runtime = new FakeRuntime(clock);
  private final ScriptedProber prober = new ScriptedProber();
  private final TestProbe<PodAgent.StatusChanged> stream = kit.createTestProbe();
  private final Path imageDir;
  private final ImageService images;
  private ActorRef<PodAgent.Command> agent;

  PodAgentTest() throws Exception {
    imageDir = Files.createTempDirectory("pacific-agent-images-");
    images = new ImageService(ImageSource.directory(imageDir.resolve("library")), imageDir.resolve("cache"));
    Files.createDirectories(imageDir.resolve("library"));
  }

  @AfterEach
  void shutDown() {
    kit.shutdownTestKit();
    HostUnderTest.deleteTree(imageDir);
  }

  private static Container container(Probe startup, Probe liveness, Probe readiness) {
    return new Container("main", null, List.of("serve"), List.of(), null, List.of(), List.of(), null,
        liveness, readiness, startup, null);
  }

  private void run(String restartPolicy, Container c) {
    run(restartPolicy, c, images);
  }

  private void run(String restartPolicy, Container c, ImageService images) {
    Pod pod = new Pod(ObjectMeta.named("default", "web").withUid("uid-1"), PodSpec.of(List.of(c), restartPolicy), null);
    agent = kit.spawn(PodAgent.create(new PodAgent.Setup(pod, new PodRef("uid-1", "default", "web", "127.64.0.9"),
        runtime, prober, images, clock, PodAgentSettings.kubernetes(), stream.getRef())));
  }

  private PodStatus status() {
    TestProbe<PodStatus> reply = kit.createTestProbe();
    agent.tell(new PodAgent.GetStatus(reply.getRef()));
    return reply.receiveMessage();
  }

  /** Polls (in real time: the agent's waits are on ManualTime) until the status holds. */
  private PodStatus eventually(String what, Predicate<PodStatus> holds) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    PodStatus s = status();
    while (!holds.test(s) && System.nanoTime() < until) {
      Thread.sleep(10);
      s = status();
    }
    assertTrue(holds.test(s), what + "; status was " + s);
    return s;
  }

  /** Lets everything already under way settle: each round trip drains what came before it. */
  private PodStatus settled() {
    for (int i = 0; i < 5; i++) {
      status();
    }
    return status();
  }

  private void advance(Duration d) {
    clock.advance(d);
    time.timePasses(d);
  }

  private void advanceInSteps(Duration total, Duration step) {
    for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
      advance(step);
      settled();
    }
  }

  private static PodStatus.ContainerStatus main(PodStatus s) {
    return s.containerStatuses().get(0);
  }

  private static boolean running(PodStatus s) {
    return main(s).state().running() != null;
  }

  private static String waitingReason(PodStatus s) {
    return main(s).state().waiting() == null ? null : main(s).state().waiting().reason();
  }

  private void crash(int code) {
    runtime.latest.get("main").crash(code);
  }

  @Test
  void crashLoopBackOffIsReachedWaitedOutAndLeftAfterTenMinutesOfRunning() throws Exception {
    run("Always", container(null, null, null));
    eventually("running", PodAgentTest::running);
    crash(1);
    PodStatus s = eventually("restarted at once", x -> running(x) && main(x).restartCount() == 1);
    assertEquals(1, main(s).lastState().terminated().exitCode());
    crash(1);
    s = eventually("in back-off", x -> "CrashLoopBackOff".equals(waitingReason(x)));
    assertTrue(main(s).state().waiting().message().startsWith("back-off 10s restarting failed container=main"));
    assertEquals("Running", s.phase(), "a restarting pod is still Running, as in Kubernetes");
    advance(Duration.ofSeconds(9));
    assertEquals("CrashLoopBackOff", waitingReason(settled()), "still waiting after 9 of 10 s");
    advance(Duration.ofSeconds(1));
    eventually("restarted after 10 s", x -> running(x) && main(x).restartCount() == 2);
    crash(2);
    s = eventually("back-off doubled", x -> "CrashLoopBackOff".equals(waitingReason(x)));
    assertTrue(main(s).state().waiting().message().startsWith("back-off 20s"), main(s).state().waiting().message());
    advance(Duration.ofSeconds(20));
    eventually("restarted after 20 s", x -> running(x) && main(x).restartCount() == 3);
    advance(Duration.ofMinutes(10));
    crash(1);
    eventually("after ten minutes of running, restarted at once", x -> running(x) && main(x).restartCount() == 4);
  }

  @Test
  void readinessProbeFlipsTheReadyCondition() throws Exception {
    run("Always", container(null, null, ScriptedProber.probe("ready", 5, 10, 1, 3)));
    PodStatus s = eventually("running", PodAgentTest::running);
    assertEquals("False", s.condition("Ready").status(), "not ready before the first readiness probe");
    advance(Duration.ofSeconds(5));
    s = eventually("ready", x -> "True".equals(x.condition("Ready").status()));
    assertEquals(Boolean.TRUE, main(s).ready());
    assertEquals("True", s.condition("ContainersReady").status());
    prober.healthy.put("ready", false);
    advanceInSteps(Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertEquals("True", settled().condition("Ready").status(), "two failures are below failureThreshold 3");
    advance(Duration.ofSeconds(10));
    s = eventually("unready after 3 failures", x -> "False".equals(x.condition("Ready").status()));
    assertEquals("ContainersNotReady", s.condition("Ready").reason());
    assertTrue(running(s), "readiness never restarts a container");
  }

  @Test
  void failingLivenessProbeRestartsTheContainer() throws Exception {
    prober.healthy.put("live", false);
    run("Always", container(null, ScriptedProber.probe("live", 10, 10, 1, 3), null));
    eventually("running", PodAgentTest::running);
    advanceInSteps(Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertEquals(0, main(settled()).restartCount(), "two failures are below failureThreshold 3");
    advance(Duration.ofSeconds(10));
    PodStatus s = eventually("restarted", x -> running(x) && main(x).restartCount() == 1);
    var last = main(s).lastState().terminated();
    assertEquals(137, last.exitCode());
    assertTrue(last.message().contains("failed liveness probe"), last.message());
    assertEquals(3, prober.calls("live"), "killed on the third consecutive failure");
  }

  @Test
  void startupProbeHoldsBackLivenessUntilItPasses() throws Exception {
    prober.healthy.put("startup", false);
    run("Always", container(ScriptedProber.probe("startup", 0, 5, 1, 30),
        ScriptedProber.probe("live", 0, 5, 1, 1), null));
    PodStatus s = eventually("running", PodAgentTest::running);
    assertEquals(Boolean.FALSE, main(s).started());
    prober.healthy.put("live", false); // would kill at once if it ran
    advanceInSteps(Duration.ofSeconds(20), Duration.ofSeconds(5));
    assertEquals(0, prober.calls("live"), "liveness waits for startup");
    assertEquals(0, main(settled()).restartCount());
    // Liveness runs as soon as startup passes: make it healthy, or it would (rightly) kill the
    // container before the test can look at it.
    prober.healthy.put("live", true);
    prober.healthy.put("startup", true);
    advance(Duration.ofSeconds(5));
    s = eventually("started", x -> Boolean.TRUE.equals(main(x).started()));
    assertEquals(Boolean.TRUE, main(s).ready(), "no readiness probe: ready once started");
  }

  @Test
  void failingStartupProbeKillsTheContainer() throws Exception {
    prober.healthy.put("startup", false);
    run("Always", container(ScriptedProber.probe("startup", 0, 5, 1, 2), null, null));
    eventually("running", PodAgentTest::running);
    advanceInSteps(Duration.ofSeconds(10), Duration.ofSeconds(5));
    PodStatus s = eventually("restarted", x -> main(x).restartCount() == 1);
    assertTrue(main(s).lastState().terminated().message().contains("failed startup probe"));
  }

  @Test
  void neverRestartsNothingAndThePodFails() throws Exception {
    run("Never", container(null, null, null));
    eventually("running", PodAgentTest::running);
    crash(3);
    PodStatus s = eventually("failed", x -> "Failed".equals(x.phase()));
    assertEquals(3, main(s).state().terminated().exitCode());
    assertEquals(0, main(s).restartCount());
  }

  @Test
  void onFailureLetsASuccessfulContainerRestAndThePodSucceeds() throws Exception {
    run("OnFailure", container(null, null, null));
    eventually("running", PodAgentTest::running);
    crash(1);
    eventually("restarted after a failure", x -> running(x) && main(x).restartCount() == 1);
    crash(0);
    PodStatus s = eventually("succeeded", x -> "Succeeded".equals(x.phase()));
    assertEquals("Completed", main(s).state().terminated().reason());
  }

  @Test
  void aStartErrorIsReportedAndRetriedWithBackOff() throws Exception {
    runtime.failNextStart = new dev.pacific.host.runtime.StartResult.Failed("StartError", "exec: \"serve\": not found");
    run("Always", container(null, null, null));
    PodStatus s = eventually("retried", x -> running(x) && main(x).restartCount() == 1);
    var last = main(s).lastState().terminated();
    assertEquals(128, last.exitCode());
    assertEquals("StartError", last.reason());
    assertTrue(last.message().contains("not found"));
  }

  @Test
  void deleteStopsTheContainersWithTheGraceAndTheAgentEnds() throws Exception {
    run("Always", container(null, null, null));
    eventually("running", PodAgentTest::running);
    TestProbe<Object> watcher = kit.createTestProbe();
    agent.tell(new PodAgent.Delete(Duration.ofSeconds(7)));
    watcher.expectTerminated(agent, Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(7), runtime.latest.get("main").stoppedWithGrace);
    PodStatus last = null;
    for (PodAgent.StatusChanged c : stream.receiveSeveralMessages(1)) {
      last = c.status();
    }
    assertNotNull(last);
  }

  @Test
  void theStatusStreamCarriesEveryChange() throws Exception {
    run("Always", container(null, null, null));
    PodAgent.StatusChanged first = stream.receiveMessage();
    assertEquals("uid-1", first.podUid());
    assertEquals("Pending", first.status().phase());
    assertEquals("127.64.0.9", first.status().podIP());
    PodAgent.StatusChanged second = stream.receiveMessage();
    assertEquals("Running", second.status().phase());
    assertEquals("True", second.status().condition("Ready").status());
  }

  @Test
  void aMissingImageIsErrImagePullThenImagePullBackOffUntilItAppears() throws Exception {
    byte[] bundle = gzippedEmptyTar();
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    run("Always", container(null, null, null).withImage("web@sha256:" + hex));
    PodStatus s = eventually("pull failed", x -> "ErrImagePull".equals(waitingReason(x)));
    assertTrue(main(s).state().waiting().message().contains("not found"), main(s).state().waiting().message());
    assertEquals("Pending", s.phase());
    advance(Duration.ofSeconds(10));
    s = eventually("backing off", x -> "ImagePullBackOff".equals(waitingReason(x)));
    Files.write(imageDir.resolve("library").resolve(hex + ".tar.gz"), bundle);
    advance(Duration.ofSeconds(19));
    assertEquals("ImagePullBackOff", waitingReason(settled()), "the second wait is 20 s");
    advance(Duration.ofSeconds(1));
    eventually("running from the bundle", PodAgentTest::running);
    assertEquals(imageDir.resolve("cache").resolve(hex), runtime.lastLaunch.workingDir());
    assertEquals(1, images.users("web@sha256:" + hex));
    TestProbe<Object> watcher = kit.createTestProbe();
    agent.tell(new PodAgent.Delete(Duration.ZERO));
    watcher.expectTerminated(agent, Duration.ofSeconds(10));
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (images.users("web@sha256:" + hex) > 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertEquals(0, images.users("web@sha256:" + hex), "a deleted pod no longer holds its image");
  }

  private static byte[] gzippedEmptyTar() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(new byte[1024]);
    }
    return out.toByteArray();
  }
}
