package dev.pacific.host.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where bundles come from: the control plane's content library ({@code /admin/v1/images}), or for
 * now a directory or URL standing in for it. A missing image is a {@link NoSuchFileException}.
 */
public interface ImageSource {

  InputStream open(ImageRef image) throws IOException;

  /** A directory holding {@code HEX.tar.gz} files. */
  static ImageSource directory(Path dir) {
    return image -> {
      Path file = dir.resolve(image.hex() + ".tar.gz");
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(image + " (looked for " + file + ")");
      }
      return Files.newInputStream(file);
    };
  }

  /** An HTTP URL template in which {@code {name}} and {@code {hex}} are replaced. */
  static ImageSource http(String template) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return image -> {
      URI uri = URI.create(template.replace("{name}", image.name()).replace("{hex}", image.hex()));
      try {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 404) {
          r.body().close();
          throw new NoSuchFileException(image + " (" + uri + " answered 404)");
        }
        if (r.statusCode() != 200) {
          r.body().close();
          throw new IOException(uri + " answered " + r.statusCode());
        }
        return r.body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + uri, e);
      }
    };
  }
}
