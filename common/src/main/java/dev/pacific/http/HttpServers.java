package dev.pacific.http;

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
}
