package dev.pacific.host.images;

import java.util.Optional;
import java.util.regex.Pattern;

/** An image as a pod names it: {@code NAME@sha256:HEX}, the digest of the bundle's .tar.gz. */
public record ImageRef(String name, String hex) {

  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._/-]*)@sha256:([0-9a-f]{64})");

  public static Optional<ImageRef> parse(String image) {
    var m = image == null ? null : FORM.matcher(image);
    return m != null && m.matches() ? Optional.of(new ImageRef(m.group(1), m.group(2))) : Optional.empty();
  }

  @Override
  public String toString() {
    return name + "@sha256:" + hex;
  }
}
