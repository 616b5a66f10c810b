package dev.pacific.controlplane.library;

/**
 * One image's record in the library, stored as JSON under {@code images/meta/NAME@sha256:HEX} and
 * listed as is by {@code GET /admin/v1/images}. The record is written after every chunk of the
 * bundle, so a listed image can always be read whole.
 *
 * @param image {@code NAME@sha256:HEX}, what a container's {@code image} names
 * @param digest {@code sha256:HEX}
 * @param size the bundle's bytes
 * @param chunks how many chunks of at most {@code chunkBytes} hold it, under {@code images/blobs/HEX/}
 * @param created RFC 3339 time of the first upload
 */
public record LibraryImage(String image, String name, String digest, long size, int chunks, int chunkBytes,
    String created) {

  public LibraryRef ref() {
    return LibraryRef.parse(image).orElseThrow(() -> new IllegalStateException("stored image name " + image));
  }

  public String hex() {
    return digest.substring("sha256:".length());
  }
}
