package dev.pacific.host.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The control plane's content library as an image source: {@code GET
 * /admin/v1/images/NAME@sha256:HEX} on a control-plane member's own HTTP address (its member
 * card names it), trying the next member when one is down or has no quorum. A 404 is final: the
 * library reads the quorum linearizably, so every member would say the same.
 *
 * <p>Over HTTP rather than the gateway's wire protocol because a bundle is a byte stream: HTTP
 * streams it from the quorum a chunk at a time, where Artery messages would need a chunked
 * request/answer protocol of their own, kept under the frame size. The host still imports no
 * control-plane code; it knows only the path (CONTRACT.md "Admin endpoints"). The digest is
 * checked by {@link ImageService}, whoever answered.
 */
public final class LibrarySource implements ImageSource {

  private final Supplier<List<URI>> members;
  private final HttpClient client;
  private final Duration answerTimeout;

  /**
   * @param members the control-plane members' HTTP base addresses ({@code http://127.0.0.1:40101}),
   *     as known now
   * @param answerTimeout how long a member may take to start answering before the next is tried
   */
  public LibrarySource(Supplier<List<URI>> members, Duration connectTimeout, Duration answerTimeout) {
    this.members = members;
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.answerTimeout = answerTimeout;
  }

  @Override
  public InputStream open(ImageRef image) throws IOException {
    List<URI> bases = new ArrayList<>(members.get());
    if (bases.isEmpty()) {
      throw new IOException("no control-plane member is known yet to fetch " + image + " from; the host retries");
    }
    // Start at a random member so that many hosts pulling one image spread over the control plane.
    Collections.rotate(bases, ThreadLocalRandom.current().nextInt(bases.size()));
    List<String> failures = new ArrayList<>();
    for (URI base : bases) {
      URI uri = base.resolve("/admin/v1/images/" + image);
      try {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).timeout(answerTimeout).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200) {
          return r.body();
        }
        r.body().close();
        if (r.statusCode() == 404) {
          throw new NoSuchFileException("the content library has no " + image + " (upload it with POST "
              + "/admin/v1/images?name=" + image.name() + ")");
        }
        failures.add(base + " answered " + r.statusCode());
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException e) {
        failures.add(base + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + image, e);
      }
    }
    throw new IOException("no control-plane member served " + image + ": " + String.join("; ", failures));
  }
}
