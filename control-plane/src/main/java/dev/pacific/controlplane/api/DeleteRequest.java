package dev.pacific.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A DELETE's options, as Kubernetes reads them: {@code ?gracePeriodSeconds=} and an optional
 * {@code DeleteOptions} body ({@code gracePeriodSeconds}, {@code preconditions.uid},
 * {@code preconditions.resourceVersion}, {@code propagationPolicy}), the body winning. Pacific has
 * no owner references, so a propagation policy is checked and then has nothing to act on;
 * {@code dryRun} is refused rather than ignored, since ignoring it would delete for real.
 */
final class DeleteRequest {

  private static final Set<String> POLICIES = Set.of("Orphan", "Background", "Foreground");
  private static final Set<String> API_VERSIONS = Set.of("v1", "meta.k8s.io/v1");

  private DeleteRequest() {}

  static Parsed<DeleteOptions> parse(Map<String, String> query, byte[] body) {
    return ListOptions.count("gracePeriodSeconds", query.get("gracePeriodSeconds"))
        .flatMap(grace -> body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()
            ? Parsed.ok(new DeleteOptions(grace.isPresent() ? grace.getAsLong() : null, null, null))
            : MergePatch.parse(body, "DeleteOptions body").flatMap(json -> fromBody(json, grace)));
  }

  private static Parsed<DeleteOptions> fromBody(JsonNode json, OptionalLong queryGrace) {
    JsonNode kind = json.path("kind");
    if (!kind.isMissingNode() && !kind.isNull() && !"DeleteOptions".equals(kind.asText())) {
      return Parsed.bad("kind", "a DELETE body must be DeleteOptions, not \"" + kind.asText() + "\"");
    }
    JsonNode version = json.path("apiVersion");
    if (!version.isMissingNode() && !version.isNull() && !API_VERSIONS.contains(version.asText())) {
      return Parsed.bad("apiVersion", "DeleteOptions are v1 or meta.k8s.io/v1, not \"" + version.asText() + "\"");
    }
    JsonNode grace = json.path("gracePeriodSeconds");
    if (!grace.isMissingNode() && !grace.isNull() && (!grace.canConvertToLong() || !grace.isIntegralNumber()
        || grace.longValue() < 0)) {
      return Parsed.bad("gracePeriodSeconds", "must be a non-negative integer, not " + grace);
    }
    JsonNode dryRun = json.path("dryRun");
    if (dryRun.isArray() && !dryRun.isEmpty()) {
      return Parsed.bad("dryRun", "dry runs are not supported");
    }
    JsonNode policy = json.path("propagationPolicy");
    if (!policy.isMissingNode() && !policy.isNull() && !POLICIES.contains(policy.asText())) {
      return Parsed.bad("propagationPolicy", "must be Orphan, Background or Foreground, not " + policy);
    }
    JsonNode preconditions = json.path("preconditions");
    if (!preconditions.isMissingNode() && !preconditions.isNull() && !preconditions.isObject()) {
      return Parsed.bad("preconditions", "must be an object with uid and resourceVersion");
    }
    Parsed<String> uid = text(preconditions, "uid");
    Parsed<String> rv = text(preconditions, "resourceVersion");
    Long seconds = grace.isIntegralNumber() ? Long.valueOf(grace.longValue())
        : queryGrace.isPresent() ? queryGrace.getAsLong() : null;
    return uid.flatMap(u -> rv.map(r -> new DeleteOptions(seconds, u, r)));
  }

  private static Parsed<String> text(JsonNode preconditions, String field) {
    JsonNode value = preconditions.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return Parsed.ok(null);
    }
    if (!value.isTextual()) {
      return Parsed.bad("preconditions." + field, "must be a string, not " + value.getNodeType());
    }
    return Parsed.ok(value.textValue());
  }
}
