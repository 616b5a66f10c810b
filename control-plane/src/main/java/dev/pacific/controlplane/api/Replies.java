package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import dev.pacific.api.codec.Codec;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.http.ErrorResponses;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Encodes replies in the format the client accepts: JSON by default, YAML when its {@code Accept}
 * asks; an {@code Accept} naming neither is 406 (in JSON, the one format every client reads).
 * Warnings go out as Kubernetes writes them: {@code Warning: 299 - "unknown field \"spec.foo\""}.
 */
final class Replies {

  private static final Codec CODEC = Codec.standard();

  private Replies() {}

  static Parsed<MediaFormat> negotiate(Optional<String> accept) {
    return MediaFormat.fromAccept(accept.orElse(null))
        .<Parsed<MediaFormat>>map(Parsed::ok)
        .orElseGet(() -> new Parsed.Bad<>(Status.failure(406, "NotAcceptable", "cannot answer in "
            + accept.orElse("") + ": the API speaks application/json and application/yaml")));
  }

  static HttpResponse response(Reply reply, MediaFormat format) {
    List<HttpHeader> warnings = reply.warnings().stream()
        .map(w -> (HttpHeader) RawHeader.create("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\""))
        .toList();
    return HttpResponse.create()
        .withStatus(reply.code())
        .withEntity(ContentTypes.parse(format.contentType()), CODEC.encode(reply.body(), format))
        .addHeaders(warnings);
  }

  static HttpResponse status(Status status, MediaFormat format) {
    return response(Reply.failure(status), format);
  }

  /** For failures found before the format is known (406 itself). */
  static HttpResponse status(Status status) {
    return ErrorResponses.response(status);
  }
}
