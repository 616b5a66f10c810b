package dev.pacific.controlplane.lb;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Active health check of one backend: {@code GET /readyz}; when that is refused, {@code GET
 * /healthz} tells a live-but-not-ready member from a dead one. Each probe uses its own short-lived
 * connection so that a paused backend cannot stall probes of the others.
 */
final class HealthProbe {

  private final ActorSystem<?> system;
  private final long timeoutMillis;
  private final ClientConnectionSettings connectionSettings;

  HealthProbe(ActorSystem<?> system, LbSettings settings) {
    this.system = system;
    this.timeoutMillis = settings.probeTimeout().toMillis();
    // A probe whose future timed out still holds its connection until this idle timeout.
    this.connectionSettings = ClientConnectionSettings.create(system.classicSystem())
        .withConnectingTimeout(scala.concurrent.duration.Duration.create(timeoutMillis, TimeUnit.MILLISECONDS))
        .withIdleTimeout(scala.concurrent.duration.Duration.create(timeoutMillis * 2, TimeUnit.MILLISECONDS));
  }

  CompletionStage<Health> probe(InetSocketAddress backend) {
    return status(backend, "/readyz").thenCompose(code -> {
      if (code == 200) {
        return CompletableFuture.completedFuture(Health.READY);
      }
      if (code < 0) {
        return CompletableFuture.completedFuture(Health.DOWN);
      }
      return status(backend, "/healthz").thenApply(h -> h == 200 ? Health.ALIVE : Health.DOWN);
    });
  }

  /** The HTTP status code, or -1 when the backend did not answer in time. */
  private CompletionStage<Integer> status(InetSocketAddress backend, String path) {
    var connection = Http.get(system).connectionTo(backend.getHostString()).toPort(backend.getPort())
        .withClientConnectionSettings(connectionSettings).http();
    return Source.single(HttpRequest.GET(path))
        .via(connection)
        .runWith(Sink.head(), system)
        .thenApply(this::codeAndDiscard)
        .toCompletableFuture()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .exceptionally(e -> -1);
  }

  private int codeAndDiscard(HttpResponse response) {
    response.discardEntityBytes(system);
    return response.status().intValue();
  }
}
