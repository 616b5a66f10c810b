package dev.pacific.controlplane.library;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image of the content library as pods name it: {@code NAME@sha256:HEX}, HEX the SHA-256 of the
 * uploaded .tar.gz. The host's {@code ImageRef} reads the same form; the two modules share no code,
 * so the form is fixed by CONTRACT.md, not by a class.
 */
public record LibraryRef(String name, String hex) {

  private static final Pattern FORM = Pattern.compile("([a-z0-9][a-z0-9.-]*)@sha256:([0-9a-f]{64})");

  public static Optional<LibraryRef> parse(String image) {
    var m = image == null ? null : FORM.matcher(image);
    return m != null && m.matches() ? Optional.of(new LibraryRef(m.group(1), m.group(2))) : Optional.empty();
  }

  @Override
  public String toString() {
    return name + "@sha256:" + hex;
  }
}
