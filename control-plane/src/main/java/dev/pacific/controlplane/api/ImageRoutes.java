package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.api.ListMeta;
import dev.pacific.api.Status;
import dev.pacific.api.validation.Names;
import dev.pacific.controlplane.library.ContentLibrary;
import dev.pacific.controlplane.library.ContentLibrary.Stored;
import dev.pacific.controlplane.library.LibraryImage;
import dev.pacific.controlplane.library.LibraryRef;
import dev.pacific.http.ErrorResponses;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.path;

/**
 * The content library over HTTP (CONTRACT.md "Admin endpoints"):
 * <ul>
 *   <li>{@code POST /admin/v1/images?name=NAME} with a .tar.gz body: 201
 *       {@code {"image":"NAME@sha256:HEX",...}}; the same name and bytes again change nothing and
 *       answer the same. 400 for a bad name or a body that is not gzip, 413 over the size limit or
 *       past the library's room.</li>
 *   <li>{@code GET /admin/v1/images}: {@code {"kind":"ImageList","apiVersion":"v1","metadata":
 *       {"resourceVersion":"N"},"items":[{"image","name","digest","size","chunks","chunkBytes",
 *       "created"}]}}, items by name then digest.</li>
 *   <li>{@code GET /admin/v1/images/NAME@sha256:HEX}: the bundle's bytes ({@code application/gzip});
 *       the hosts pull images here.</li>
 *   <li>{@code DELETE /admin/v1/images/NAME@sha256:HEX}: 200 {@code Status} Success, or 404.</li>
 * </ul>
 * Every failure is a Kubernetes {@code Status} in JSON.
 */
public final class ImageRoutes {

  private final ContentLibrary library;
  private final ActorSystem<?> system;
  private final Materializer materializer;

  public ImageRoutes(ContentLibrary library, ActorSystem<?> system) {
    this.library = library;
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    ImageUpload.clearSpool(library.settings().spoolDir());
  }

  public Route route() {
    return pathPrefix(PathMatchers.segment("admin").slash("v1").slash("images"), () -> org.apache.pekko.http.javadsl
        .server.Directives.concat(
            pathEndOrSingleSlash(() -> extractMethod(method -> switch (method.name()) {
              case "GET" -> list();
              case "POST" -> parameterOptional("name", this::upload);
              default -> notAllowed(method.name(), "GET, POST");
            })),
            path(PathMatchers.segment(), image -> extractMethod(method -> switch (method.name()) {
              case "GET" -> download(image);
              case "DELETE" -> remove(image);
              default -> notAllowed(method.name(), "GET, DELETE");
            }))));
  }

  private Route list() {
    return completeWithFuture(library.list().handle((listing, failure) -> {
      if (failure != null) {
        return failed(failure);
      }
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("kind", "ImageList");
      list.put("apiVersion", "v1");
      list.put("metadata", new ListMeta(Long.toString(listing.revision()), null));
      list.put("items", listing.images());
      return json(200, list);
    }));
  }

  private Route upload(Optional<String> name) {
    Optional<Status> bad = badName(name);
    if (bad.isPresent()) {
      return extractRequestEntity(entity -> completeWithFuture(entity.discardBytes(system).completionStage()
          .handle((done, e) -> ErrorResponses.response(bad.get()))));
    }
    long max = library.settings().maxImageBytes();
    return extractRequestEntity(entity -> {
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > max) {
        // Read and dropped first, so a client still sending sees the answer rather than a reset.
        return completeWithFuture(entity.discardBytes(system).completionStage()
            .handle((done, e) -> tooLarge(declared.getAsLong())));
      }
      return completeWithFuture(store(name.get(), entity));
    });
  }

  private CompletionStage<HttpResponse> store(String name, RequestEntity entity) {
    CompletionStage<ImageUpload.Spooled> spooled;
    try {
      spooled = ImageUpload.spool(entity, library.settings().maxImageBytes(), library.settings().spoolDir(),
          materializer);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return spooled.handle((upload, failure) -> {
      if (failure != null) {
        if (Failures.causedBy(failure, EntityStreamSizeException.class)) {
          return CompletableFuture.completedFuture(tooLarge(-1));
        }
        return CompletableFuture.<HttpResponse>failedFuture(failure);
      }
      if (upload.size() > library.settings().maxImageBytes()) {
        ImageUpload.deleteQuietly(upload.file());
        return CompletableFuture.completedFuture(tooLarge(upload.size()));
      }
      if (!upload.gzip()) {
        ImageUpload.deleteQuietly(upload.file());
        return CompletableFuture.completedFuture(ErrorResponses.response(Parsed.badParameter("body",
            "the body must be a .tar.gz bundle (gzip data begins with the bytes 1f 8b); this one does not")));
      }
      return library.store(new ContentLibrary.Upload(name, upload.hex(), upload.size(), upload.file()))
          .handle((stored, e) -> {
            ImageUpload.deleteQuietly(upload.file());
            return e != null ? failed(e) : stored(stored);
          });
    }).thenCompose(r -> r);
  }

  private HttpResponse stored(Stored stored) {
    if (stored instanceof Stored.Added added) {
      return json(201, added.image());
    }
    if (stored instanceof Stored.AlreadyThere there) {
      return json(201, there.image());
    }
    Stored.Full full = (Stored.Full) stored;
    return ErrorResponses.response(Status.failure(413, "RequestEntityTooLarge", "the content library holds "
        + full.used() + " bytes of its " + full.limit() + " (pacific.library.max-total-bytes): delete images "
        + "with DELETE /admin/v1/images/NAME@sha256:HEX, or raise the limit"));
  }

  private Route download(String image) {
    Optional<LibraryRef> ref = LibraryRef.parse(image);
    if (ref.isEmpty()) {
      return complete(ErrorResponses.response(badImage(image)));
    }
    return completeWithFuture(library.find(ref.get()).handle((found, failure) -> {
      if (failure != null) {
        return failed(failure);
      }
      if (found.isEmpty()) {
        return ErrorResponses.response(Status.notFound("images", image));
      }
      LibraryImage img = found.get();
      // One chunk read at a time: the bundle streams out without being held whole.
      Source<ByteString, NotUsed> bytes = Source.range(0, img.chunks() - 1)
          .mapAsync(1, n -> library.chunk(img, n).thenApply(ByteString::fromArray));
      return HttpResponse.create().withStatus(200).withEntity(HttpEntities.create(
          ContentTypes.parse("application/gzip"), img.size(), bytes));
    }));
  }

  private Route remove(String image) {
    Optional<LibraryRef> ref = LibraryRef.parse(image);
    if (ref.isEmpty()) {
      return complete(ErrorResponses.response(badImage(image)));
    }
    return completeWithFuture(library.delete(ref.get()).handle((deleted, failure) -> failure != null ? failed(failure)
        : deleted ? json(200, Status.success()) : ErrorResponses.response(Status.notFound("images", image))));
  }

  /** Names are RFC 1123 subdomains, as pod and node names: what the hosts' image references accept too. */
  static Optional<Status> badName(Optional<String> name) {
    if (name.isEmpty() || name.get().isEmpty()) {
      return Optional.of(Parsed.badParameter("name", "required: the image's name, as in POST /admin/v1/images?name=web"));
    }
    List<String> errs = Names.dns1123Subdomain(name.get());
    return errs.isEmpty() ? Optional.empty()
        : Optional.of(Parsed.badParameter("name", "\"" + name.get() + "\": " + String.join("; ", errs)));
  }

  private static Status badImage(String image) {
    return Parsed.badParameter("image", "\"" + image + "\" is not NAME@sha256:HEX (a lowercase name, 64 lowercase "
        + "hex digits)");
  }

  private HttpResponse tooLarge(long declared) {
    long max = library.settings().maxImageBytes();
    return ErrorResponses.response(Status.failure(413, "RequestEntityTooLarge", "the bundle"
        + (declared >= 0 ? " of " + declared + " bytes" : "") + " is over the limit of " + max
        + " bytes (pacific.library.max-image-bytes)"));
  }

  private static Route notAllowed(String method, String allowed) {
    return complete(ErrorResponses.response(Status.failure(405, "MethodNotAllowed", method
        + " is not allowed here: supported methods are " + allowed))
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Allow", allowed)));
  }

  private static HttpResponse failed(Throwable failure) {
    return ErrorResponses.response(Failures.status(failure));
  }

  private static HttpResponse json(int code, Object body) {
    return HttpResponse.create().withStatus(code).withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
  }
}
