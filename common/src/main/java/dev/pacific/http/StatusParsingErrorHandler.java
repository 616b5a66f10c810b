package dev.pacific.http;

import dev.pacific.api.Json;
import dev.pacific.api.Status;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach any route (a broken request line, an oversized
 * header) with a Status instead of Pekko HTTP's plain text. Pekko creates it by class name
 * ({@code pekko.http.server.parsing.error-handler}), hence the public no-argument constructor.
 */
public final class StatusParsingErrorHandler extends ParsingErrorHandler {

  public StatusParsingErrorHandler() {}

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("rejected a malformed request: {}", info.formatPretty());
    int code = clientCode(status.intValue());
    String message = info.summary().isEmpty() ? status.reason() : info.summary();
    return HttpResponse.create()
        .withStatus(code)
        .withEntity(org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON,
            Json.write(Status.failure(code, ErrorResponses.reasonFor(code), message)));
  }

  /**
   * Pekko answers a method it does not know with 501 and a request line without a known HTTP
   * version with 505; both are the client's doing, and a Pacific server never answers client input
   * with a 5xx (CONTRACT.md): the first is 405, as Kubernetes answers a method it does not serve,
   * the rest 400.
   */
  static int clientCode(int code) {
    if (code == 501) {
      return 405;
    }
    return code >= 500 ? 400 : code;
  }
}
