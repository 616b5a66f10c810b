package dev.pacific.controlplane.api;

import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

/** Request bodies, read whole up to a limit; what is over it is answered 413, never read into memory. */
final class Bodies {

  private Bodies() {}

  /**
   * The body as bytes. A body that declares a length over the limit is read and dropped before
   * the 413, so the connection stays clean and the client reliably sees the answer (answering
   * early and closing would reset a client still sending); a chunked body over the limit is cut
   * off by the size limit, which the exception handler answers 413.
   *
   * @param tooLarge the answer for a declared length over the limit, given that length
   */
  static Route read(ActorSystem<?> system, long maxBytes, Function<Long, HttpResponse> tooLarge,
      Function<byte[], Route> inner) {
    return extractRequestEntity(entity -> {
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > maxBytes) {
        return completeWithFuture(entity.discardBytes(system).completionStage()
            .handle((done, e) -> tooLarge.apply(declared.getAsLong())));
      }
      return withSizeLimit(maxBytes, () -> entity(Unmarshaller.entityToByteString(),
          body -> inner.apply(body.toArray())));
    });
  }

  /**
   * The body's media type ({@code application/merge-patch+json}, parameters dropped), or null for
   * an entity without one (an empty body). Pekko reads a body sent without a {@code Content-Type}
   * as {@code application/octet-stream}, so that is what such a request shows here.
   */
  static Route mediaType(Function<String, Route> inner) {
    return extractRequestEntity(entity -> {
      ContentType type = entity.getContentType();
      boolean unnamed = type.equals(ContentTypes.NO_CONTENT_TYPE);
      return inner.apply(unnamed ? null : type.mediaType().toString());
    });
  }
}
