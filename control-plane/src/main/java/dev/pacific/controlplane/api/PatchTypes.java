package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import java.util.Locale;
import java.util.Optional;

/**
 * The patch formats Kubernetes accepts and which of them Pacific applies: JSON merge patch
 * (RFC 7386) only. Strategic merge patch needs per-field merge keys, JSON patch (RFC 6902) and
 * server-side apply are not implemented; each is refused with 415 naming what to send instead.
 */
final class PatchTypes {

  private PatchTypes() {}

  /** Empty for a merge patch; otherwise the 415 to answer. */
  static Optional<Status> refusal(String mediaType) {
    String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
    String why = switch (type) {
      case MergePatch.MEDIA_TYPE -> null;
      case "application/strategic-merge-patch+json" -> "strategic merge patch is not supported";
      case "application/json-patch+json" -> "JSON patch (RFC 6902) is not supported";
      case "application/apply-patch+yaml", "application/apply-patch+cbor" -> "server-side apply is not supported";
      case "" -> "a patch needs a Content-Type";
      default -> "the patch's Content-Type " + mediaType + " is not a patch format";
    };
    return Optional.ofNullable(why).map(w -> Status.failure(415, "UnsupportedMediaType", w
        + ": send a JSON merge patch (RFC 7386) as " + MergePatch.MEDIA_TYPE));
  }
}
