package dev.pacific.controlplane.api;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The query of a list or watch, as Kubernetes' {@code metav1.ListOptions}: selectors,
 * {@code limit}/{@code continue} paging, {@code resourceVersion} (with
 * {@code resourceVersionMatch}), {@code watch}, {@code allowWatchBookmarks} and
 * {@code timeoutSeconds}. Each bad value is a 400 naming its parameter.
 *
 * @param limit 0 = no limit
 * @param resourceVersion empty when absent; 0 means "any" as in Kubernetes (served as the latest)
 * @param exact {@code resourceVersionMatch=Exact}: list at exactly that revision
 */
record ListOptions(LabelSelector labels, FieldSelector fields, long limit, Optional<ContinueToken> continueToken,
    OptionalLong resourceVersion, boolean exact, boolean watch, boolean bookmarks, OptionalLong timeoutSeconds) {

  static Parsed<ListOptions> parse(Map<String, String> query, Set<String> selectableFields) {
    if (query.containsKey("sendInitialEvents")) {
      return Parsed.bad("sendInitialEvents", "not supported: watch without resourceVersion to get the existing"
          + " objects first");
    }
    return LabelSelector.parse(query.get("labelSelector")).flatMap(labels ->
        FieldSelector.parse(query.get("fieldSelector"), selectableFields).flatMap(fields ->
        count("limit", query.get("limit")).flatMap(limit ->
        token(query.get("continue")).flatMap(token ->
        count("resourceVersion", query.get("resourceVersion")).flatMap(rv ->
        bool("watch", query.get("watch")).flatMap(watch ->
        bool("allowWatchBookmarks", query.get("allowWatchBookmarks")).flatMap(bookmarks ->
        count("timeoutSeconds", query.get("timeoutSeconds")).flatMap(timeout ->
        match(query.get("resourceVersionMatch"), rv, token.isPresent(), watch).map(exact ->
            new ListOptions(labels, fields, limit.orElse(0), token, rv, exact, watch, bookmarks, timeout))))))))));
  }

  /** A non-negative integer, or absent. */
  static Parsed<OptionalLong> count(String name, String value) {
    if (value == null || value.isEmpty()) {
      return Parsed.ok(OptionalLong.empty());
    }
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return Parsed.ok(OptionalLong.of(n));
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    return Parsed.bad(name, "must be a non-negative integer, not \"" + value + "\"");
  }

  /** Go's {@code strconv.ParseBool}, which Kubernetes decodes query booleans with. */
  static Parsed<Boolean> bool(String name, String value) {
    if (value == null || value.isEmpty()) {
      return Parsed.ok(false);
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> Parsed.ok(true);
      case "0", "f", "F", "false", "FALSE", "False" -> Parsed.ok(false);
      default -> Parsed.bad(name, "must be true or false, not \"" + value + "\"");
    };
  }

  private static Parsed<Optional<ContinueToken>> token(String value) {
    if (value == null || value.isEmpty()) {
      return Parsed.ok(Optional.empty());
    }
    return ContinueToken.decode(value).map(Optional::of);
  }

  /** Kubernetes' rules for {@code resourceVersionMatch} ({@code ValidateListOptions}). */
  private static Parsed<Boolean> match(String value, OptionalLong rv, boolean continued, boolean watch) {
    boolean specific = rv.isPresent() && rv.getAsLong() > 0;
    if (continued && specific) {
      return Parsed.bad("resourceVersion", "specifying resource version is not allowed when using continue");
    }
    if (value == null || value.isEmpty()) {
      return Parsed.ok(false);
    }
    if (watch) {
      return Parsed.bad("resourceVersionMatch", "not allowed for watch");
    }
    return switch (value) {
      case "Exact" -> specific ? Parsed.ok(true) : Parsed.bad("resourceVersionMatch",
          "\"Exact\" needs a resourceVersion above 0");
      case "NotOlderThan" -> rv.isPresent() ? Parsed.ok(false) : Parsed.bad("resourceVersionMatch",
          "\"NotOlderThan\" needs a resourceVersion");
      default -> Parsed.bad("resourceVersionMatch", "must be Exact or NotOlderThan, not \"" + value + "\"");
    };
  }

  boolean selectsEverything() {
    return labels.isEverything() && fields.isEverything();
  }
}
