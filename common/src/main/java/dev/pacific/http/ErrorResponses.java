package dev.pacific.http;

import dev.pacific.api.Json;
import dev.pacific.api.Status;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;

/**
 * Every error a Pacific HTTP server answers is a Kubernetes {@code Status} in JSON, including
 * Pekko HTTP's own rejections (unknown path, wrong method, bad media type) and failures while
 * reading a body, so clients never see plain text or a stack trace.
 */
public final class ErrorResponses {

  /** Kubernetes' {@code reason} for each status code Pacific answers (apimachinery StatusReason). */
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "BadRequest"),
      Map.entry(401, "Unauthorized"),
      Map.entry(403, "Forbidden"),
      Map.entry(404, "NotFound"),
      Map.entry(405, "MethodNotAllowed"),
      Map.entry(406, "NotAcceptable"),
      Map.entry(409, "Conflict"),
      Map.entry(410, "Gone"),
      Map.entry(413, "RequestEntityTooLarge"),
      Map.entry(414, "RequestURITooLong"),
      Map.entry(415, "UnsupportedMediaType"),
      Map.entry(422, "Invalid"),
      Map.entry(429, "TooManyRequests"),
      Map.entry(431, "RequestHeaderFieldsTooLarge"),
      Map.entry(500, "InternalError"),
      Map.entry(503, "ServiceUnavailable"),
      Map.entry(504, "Timeout"));

  private ErrorResponses() {}

  public static String reasonFor(int code) {
    return REASONS.getOrDefault(code, code >= 500 ? "InternalError" : "BadRequest");
  }

  public static HttpResponse response(Status status) {
    return HttpResponse.create()
        .withStatus(status.code())
        .withEntity(ContentTypes.APPLICATION_JSON, Json.write(status));
  }

  public static HttpResponse response(int code, String message) {
    return response(Status.failure(code, reasonFor(code), message));
  }

  /**
   * Pekko HTTP's default rejection handling decides the right code (404, 405, 415, …);
   * this turns the plain-text answer it writes into a Status carrying the same code and text.
   */
  public static RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(ErrorResponses::asStatus);
  }

  public static ExceptionHandler exceptionHandler(Logger log) {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(response(413,
            "request body too large: the limit is " + e.limit() + " bytes")))
        .matchAny(e -> {
          log.error("request failed", e);
          return complete(response(500, "internal error: " + e.getClass().getSimpleName()
              + " (the member's log has the details)"));
        })
        .build();
  }

  /** Wraps a route so that every rejection and exception becomes a Status. */
  public static Route sealed(Route route, Logger log) {
    return handleExceptions(exceptionHandler(log), () -> handleRejections(rejectionHandler(), () -> route));
  }

  private static HttpResponse asStatus(HttpResponse plain) {
    if (plain.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return plain;
    }
    String text = plain.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String().trim() : "";
    int code = plain.status().intValue();
    if (text.isEmpty()) {
      text = plain.status().reason();
    }
    return response(Status.failure(code, reasonFor(code), text)).withHeaders(plain.getHeaders());
  }
}
