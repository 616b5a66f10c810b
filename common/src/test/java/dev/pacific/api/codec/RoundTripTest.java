package dev.pacific.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real-world manifests survive parse → print → parse unchanged, and JSON and YAML agree. */
class RoundTripTest {

  private final Codec codec = Codec.standard();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "pod-nginx.yaml", "pod-resources.yaml", "pod-probes.yaml", "pod-command-env.yaml",
      "pod-busybox-sleep.yaml", "pod-multi-container.yaml", "pod-with-status.yaml", "pod-terminating.yaml",
      "pod-json.json", "namespace.yaml", "namespace-status.json", "resourcequota.yaml", "node.json"})
  void parsePrintParseGivesEqualObjectsInBothFormats(String file) throws IOException {
    MediaFormat format = file.endsWith(".json") ? MediaFormat.JSON : MediaFormat.YAML;
    Object original = single(codec.decodeAll(fixture(file), format, FieldValidation.STRICT));

    Object viaJson = reparse(original, MediaFormat.JSON);
    Object viaYaml = reparse(original, MediaFormat.YAML);

    assertEquals(original, viaJson, "JSON round trip");
    assertEquals(original, viaYaml, "YAML round trip");
    assertEquals(new String(Json.write(original)), new String(Json.write(viaYaml)), "JSON and YAML agree");
    assertEquals(new String(codec.encode(original, MediaFormat.YAML)),
        new String(codec.encode(viaJson, MediaFormat.YAML)), "printing is stable");
  }

  @org.junit.jupiter.api.Test
  void multiDocumentYamlGivesEveryObjectInOrder() throws IOException {
    List<Decoded<Object>> docs = codec.decodeAll(fixture("stream.yaml"), MediaFormat.YAML, FieldValidation.STRICT);
    assertEquals(List.of("Namespace", "ResourceQuota", "Pod"),
        docs.stream().map(d -> d.value().getClass().getSimpleName()).toList());
    String stream = codec.encodeYamlStream(docs.stream().map(Decoded::value).toList());
    List<Decoded<Object>> again = codec.decodeAll(stream.getBytes(), MediaFormat.YAML, FieldValidation.STRICT);
    assertEquals(docs.stream().map(Decoded::value).toList(), again.stream().map(Decoded::value).toList());
  }

  @org.junit.jupiter.api.Test
  void streamFailuresNameTheirDocument() {
    String stream = "kind: Namespace\nmetadata: {name: a}\n---\nkind: Deployment\n---\njust text\n---\nmetadata: {}\n";
    List<String> outcomes = codec.decodeAll(stream.getBytes(), MediaFormat.YAML, FieldValidation.STRICT).stream()
        .map(d -> d.ok() ? "ok" : d.failure().message()).toList();
    assertEquals(List.of("ok",
        "document 2: kind: Unsupported value: \"Deployment\": supported values: \"Namespace\", \"Node\", \"Pod\", "
            + "\"ResourceQuota\"",
        "document 3: expected an object, got string",
        "document 4: kind: Required value"), outcomes);
  }

  private Object reparse(Object value, MediaFormat format) {
    return single(codec.decodeAll(codec.encode(value, format), format, FieldValidation.STRICT));
  }

  private static Object single(List<Decoded<Object>> docs) {
    assertEquals(1, docs.size());
    Decoded<Object> d = docs.get(0);
    assertTrue(d.ok(), () -> d.failure().message());
    assertEquals(List.of(), d.warnings());
    return d.value();
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = RoundTripTest.class.getResourceAsStream("/manifests/" + name)) {
      return in.readAllBytes();
    }
  }
}
