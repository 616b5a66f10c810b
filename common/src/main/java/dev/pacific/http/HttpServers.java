package dev.pacific.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;

/** Binds a Pacific HTTP server: routes sealed into Status errors, parse errors too. */
public final class HttpServers {

  private HttpServers() {}

  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, String host, int port, Route route, Logger log) {
    ServerSettings settings = ServerSettings.create(system.classicSystem())
        .withParsingErrorHandler(StatusParsingErrorHandler.class.getName());
    return Http.get(system).newServerAt(host, port).withSettings(settings).bind(ErrorResponses.sealed(route, log));
  }

  /**
   * Binds and reports the outcome on {@code started} (the bound port, or why binding failed),
   * logging {@code what} is listening. The callback runs off the actor's thread: it touches
   * only the logger and the future.
   */
  public static void bind(ActorSystem<?> system, String host, int port, Route route, Logger log, String what,
      CompletableFuture<Integer> started) {
    bind(system, host, port, route, log).whenComplete((binding, failure) -> {
      if (failure != null) {
        started.completeExceptionally(failure);
      } else {
        log.info("{} listening on {}", what, binding.localAddress());
        started.complete(binding.localAddress().getPort());
      }
    });
  }
}
