package dev.pacific.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessRuntimeTest {

  @Test
  void containerSeesItsEnvironmentPodIpAndMarkersAndReportsItsExitCode() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      var launch = host.launch("uid-env", List.of("sh", "-c",
          "echo \"ip=$POD_IP foo=$FOO uid=$PACIFIC_POD_UID host=$PACIFIC_HOST pwd=$(pwd)\"; echo oops >&2; exit 3"));
      RunningContainer c = host.started(launch);
      ContainerExit exit = host.exitOf(c);
      assertEquals(3, exit.exitCode());
      assertEquals("Error", exit.reason());
      String log = host.log(launch);
      assertTrue(log.contains("ip=127.64.0.7 foo=bar uid=uid-env host=host-a"), log);
      assertTrue(log.contains("pwd=" + host.settings.sandbox(launch.pod()).toRealPath()), log);
      assertTrue(log.contains("oops"), "stderr is in the log too: " + log);
    }
  }

  @Test
  void commandNotFoundIsAStartErrorWithAMessage() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      StartResult r = host.runtime.start(host.launch("uid-missing", List.of("no-such-command-here")))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      var failed = assertInstanceOf(StartResult.Failed.class, r);
      assertEquals("StartError", failed.reason());
      assertTrue(failed.message().contains("no-such-command-here"), failed.message());
    }
  }

  @Test
  void relativeCommandInTheBundleRunsFromThere() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      Path bundle = Files.createDirectories(host.dir.resolve("bundle"));
      Path script = bundle.resolve("serve.sh");
      Files.writeString(script, "#!/bin/sh\necho from-bundle \"$@\"\n");
      script.toFile().setExecutable(true);
      var launch = new ContainerLaunch(HostUnderTest.pod("uid-bundle"), "main", 0,
          List.of("serve.sh", "x"), Map.of(), bundle);
      assertEquals(0, host.exitOf(host.started(launch)).exitCode());
      assertEquals("from-bundle x\n", host.log(launch));
    }
  }

  @Test
  void logsRotateAndStayWithinTheirCap() throws Exception {
    try (HostUnderTest host = new HostUnderTest(10_000, 3)) {
      var launch = host.launch("uid-logs",
          List.of("sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo \"line $i\"; i=$((i+1)); done"));
      host.exitOf(host.started(launch));
      Path current = host.settings.logFile(launch.pod(), "main", 0);
      List<Path> files = RotatingLog.filesOldestFirst(current);
      assertEquals(3, files.size(), "files: " + files);
      for (Path f : files) {
        assertTrue(Files.size(f) <= 10_000, f + " is " + Files.size(f));
      }
      assertTrue(Files.readString(current).endsWith("line 2999\n"), "the newest output is kept");
    }
  }

  @Test
  void stopEndsATreeThatIgnoresSigtermWithSigkillAfterTheGrace() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      // SIG_IGN is inherited across fork and exec: the shell, its subshell and both sleeps ignore TERM.
      RunningContainer c = host.started(host.launch("uid-stubborn",
          List.of("sh", "-c", "trap '' TERM; (sleep 1000) & sleep 1000")));
      awaitMarked(host, 3);
      Instant asked = Instant.now();
      ContainerExit exit = c.stop(Duration.ofMillis(500)).toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.printf("stop of a TERM-ignoring tree took %d ms (grace 500 ms)%n",
          Duration.between(asked, Instant.now()).toMillis());
      assertEquals(137, exit.exitCode());
      assertEquals(9, exit.signal());
      assertEquals(List.of(), host.awaitNoneMarked(Duration.ofSeconds(10)), "no process of the pod is left");
    }
  }

  @Test
  void gracefulStopLetsAProcessThatHonoursSigtermExitByItself() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      RunningContainer c = host.started(host.launch("uid-polite",
          List.of("sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 1000 & while :; do sleep 0.1; done")));
      awaitMarked(host, 2); // the background sleep exists only once the trap is set: a TERM before kills outright
      ContainerExit exit = c.stop(Duration.ofSeconds(30)).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(0, exit.exitCode());
      assertEquals("Completed", exit.reason());
    }
  }

  @Test
  void whatTheFirstProcessLeavesBehindDiesWithIt() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      RunningContainer c = host.started(host.launch("uid-leaver", List.of("sh", "-c", "sleep 1000 & exit 0")));
      assertEquals(0, host.exitOf(c).exitCode());
      assertEquals(List.of(), host.awaitNoneMarked(Duration.ofSeconds(10)));
    }
  }

  @Test
  void execRunsBesideTheContainerAndTimesOut() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      RunningContainer c = host.started(host.launch("uid-exec", List.of("sleep", "1000")));
      ExecResult ok = c.exec(List.of("sh", "-c", "echo $FOO; exit 0"), Duration.ofSeconds(5))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(ok.succeeded());
      assertEquals("bar\n", ok.output());
      ExecResult failing = c.exec(List.of("sh", "-c", "exit 2"), Duration.ofSeconds(5))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(2, failing.exitCode());
      ExecResult slow = c.exec(List.of("sleep", "100"), Duration.ofMillis(200))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(ExecResult.Outcome.TIMED_OUT, slow.outcome());
      c.stop(Duration.ZERO).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(List.of(), host.awaitNoneMarked(Duration.ofSeconds(10)), "timed-out probe killed too");
    }
  }

  @Test
  void aHostWithoutAValidLeaseStartsNothing() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      host.watchdog.leaseValidFor(Duration.ZERO);
      StartResult r = host.runtime.start(host.launch("uid-fenced", List.of("sleep", "1000")))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals("Fenced", assertInstanceOf(StartResult.Failed.class, r).reason());
    }
  }

  private static void awaitMarked(HostUnderTest host, int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (MarkedProcesses.ofHost(host.markers).size() < count && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }
}
