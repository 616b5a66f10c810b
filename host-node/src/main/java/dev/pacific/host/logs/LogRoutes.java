package dev.pacific.host.logs;

import dev.pacific.http.ErrorResponses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

/**
 * The host's log endpoint, shaped as the kubelet's: {@code GET
 * /containerLogs/NAMESPACE/POD/CONTAINER?tailLines=&limitBytes=&previous=&follow=}, plain text,
 * for the control plane to proxy as {@code pods/log}.
 */
public final class LogRoutes {

  private LogRoutes() {}

  public static Route route(LogLocator locator, Duration followPoll) {
    return pathPrefix(PathMatchers.segment("containerLogs").slash(PathMatchers.segment()), namespace ->
        pathPrefix(PathMatchers.segment(), pod -> path(PathMatchers.segment(), container ->
            get(() -> parameterMap(params -> serve(locator, followPoll, namespace, pod, container, params))))));
  }

  private static Route serve(LogLocator locator, Duration followPoll, String namespace, String pod, String container,
      Map<String, String> params) {
    LogQuery query;
    try {
      query = query(params);
    } catch (IllegalArgumentException e) {
      return complete(ErrorResponses.response(400, e.getMessage()));
    }
    Optional<Path> file = locator.find(namespace, pod, container, query.previous());
    if (file.isEmpty()) {
      return complete(ErrorResponses.response(404, (query.previous() ? "previous terminated container \"" : "container \"")
          + container + "\" in pod \"" + pod + "\" not found"));
    }
    try {
      return complete(respond(file.get(), query, locator, followPoll));
    } catch (IOException e) {
      return complete(ErrorResponses.response(500, "cannot read the log: " + e.getMessage()));
    }
  }

  private static HttpResponse respond(Path file, LogQuery query, LogLocator locator, Duration poll) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    long position = LogReader.copy(file, query, head);
    ByteString start = ByteString.fromArray(head.toByteArray());
    if (!query.follow()) {
      return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, start));
    }
    long budget = query.limitBytes() == null ? Long.MAX_VALUE : query.limitBytes() - start.size();
    Follower follower = new Follower(file, position, budget, locator);
    Source<ByteString, NotUsed> rest = Source.tick(poll, poll, NotUsed.getInstance())
        .map(tick -> follower.poll())
        .takeWhile(Optional::isPresent)
        .map(Optional::get)
        .filter(chunk -> !chunk.isEmpty())
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.TEXT_PLAIN_UTF8,
        Source.single(start).filter(b -> !b.isEmpty()).concat(rest)));
  }

  static LogQuery query(Map<String, String> params) {
    return new LogQuery(
        number(params, "tailLines") == null ? null : Math.toIntExact(number(params, "tailLines")),
        number(params, "limitBytes"),
        Boolean.parseBoolean(params.getOrDefault("previous", "false")),
        Boolean.parseBoolean(params.getOrDefault("follow", "false")));
  }

  private static Long number(Map<String, String> params, String name) {
    String text = params.get(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: '" + text + "'");
    }
  }
}
