package dev.pacific.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.api.Json;
import dev.pacific.api.Status;
import dev.pacific.api.codec.Codec;
import dev.pacific.api.codec.Decoded;
import dev.pacific.api.codec.FieldValidation;
import dev.pacific.api.codec.Kinds;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.api.codec.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code validation/invalid-objects.txt}: an invalid object or body and the field
 * path, cause type and (where given) exact Kubernetes message it must be refused with.
 */
class InvalidObjectsTableTest {

  private static final Codec CODEC = Codec.standard();
  private static final Map<String, String> BASES = Map.of(
      "Pod", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
          + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}",
      "Namespace", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}",
      "Node", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"host-1\"}}",
      "ResourceQuota", "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\","
          + "\"namespace\":\"default\"},\"spec\":{\"hard\":{\"pods\":\"10\"}}}");
  private static final Pattern REPEAT = Pattern.compile("\\{\\{(.)\\*(\\d+)}}");

  record Row(int line, String stage, String kind, String body, String field, String reason, String message) {
    @Override
    public String toString() {
      return "line " + line + ": " + stage + " " + kind + " → " + field + " " + reason;
    }
  }

  static Stream<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        InvalidObjectsTableTest.class.getResourceAsStream("/validation/invalid-objects.txt"), StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = expand(line).split(" \\| ", 6);
        rows.add(new Row(n, c[0].strip(), c[1].strip(), c[2].strip(), c[3].strip(), c[4].strip(),
            c.length > 5 ? c[5].strip() : null));
      }
    }
    return rows.stream();
  }

  @Test
  void tableHoldsAtLeastAHundredCases() throws IOException {
    assertTrue(rows().count() >= 100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void refusedWithFieldPathAndReason(Row row) throws IOException {
    switch (row.stage()) {
      case "raw" -> refusedByDecoder(row, row.body().getBytes(StandardCharsets.UTF_8));
      case "decode" -> refusedByDecoder(row, merged(row));
      case "create" -> refusedByValidation(row, Validation.create(decode(row.kind(), merged(row))));
      case "update" -> refusedByValidation(row, Validation.update(decode(row.kind(), merged(row)),
          decode(row.kind(), BASES.get(row.kind()).getBytes(StandardCharsets.UTF_8)), PodValidation.Updater.CLIENT));
      default -> throw new IllegalArgumentException("unknown stage " + row.stage());
    }
  }

  private static void refusedByDecoder(Row row, byte[] body) {
    Decoded<?> d = CODEC.decode(body, MediaFormat.JSON, kindClass(row.kind()), FieldValidation.STRICT);
    assertFalse(d.ok(), "decoded although invalid");
    if (row.field().equals("-")) {
      assertEquals(row.reason(), d.failure().reason(), d.failure().message());
      return;
    }
    List<Problem> problems = d.failure().problems();
    assertTrue(problems.stream().anyMatch(p -> p.field().equals(row.field()) && p.reason().equals(row.reason())),
        () -> "no " + row.field() + " " + row.reason() + " among " + problems);
    if (row.message() != null) {
      assertTrue(problems.stream().anyMatch(p -> p.describe().equals(row.message())),
          () -> "no message\n  " + row.message() + "\namong\n  " + problems.stream().map(Problem::describe).toList());
    }
    assertEquals(400, d.failure().toStatus().code());
  }

  private static void refusedByValidation(Row row, List<FieldError> errors) {
    assertTrue(errors.stream().anyMatch(e -> e.field().equals(row.field()) && e.type().reason().equals(row.reason())),
        () -> "no " + row.field() + " " + row.reason() + " among " + errors);
    if (row.message() != null) {
      assertTrue(errors.stream().anyMatch(e -> e.toString().equals(row.message())),
          () -> "no message\n  " + row.message() + "\namong\n  " + errors.stream().map(FieldError::toString).toList());
    }
    Status status = Invalid.status(row.kind(), "web", errors);
    assertEquals(422, status.code());
    assertEquals("Invalid", status.reason());
    assertEquals(errors.size(), status.details().causes().size());
    assertTrue(status.details().causes().stream()
        .anyMatch(c -> c.field().equals(row.field()) && c.reason().equals(row.reason())));
  }

  private static Object decode(String kind, byte[] body) {
    Decoded<?> d = CODEC.decode(body, MediaFormat.JSON, kindClass(kind), FieldValidation.STRICT);
    assertTrue(d.ok(), () -> "a create/update row must decode: " + d.failure().message());
    return d.value();
  }

  private static Class<?> kindClass(String kind) {
    return Kinds.classOf(kind).orElseThrow();
  }

  private static byte[] merged(Row row) throws IOException {
    JsonNode base = Json.mapper().readTree(BASES.get(row.kind()));
    JsonNode patch = Json.mapper().readTree(row.body());
    return Json.mapper().writeValueAsBytes(mergePatch(base, patch));
  }

  /** RFC 7386: objects merge, null removes, anything else replaces. */
  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  private static String expand(String line) {
    Matcher m = REPEAT.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    return m.appendTail(out).toString();
  }
}
