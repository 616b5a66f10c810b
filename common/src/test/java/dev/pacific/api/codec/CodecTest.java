package dev.pacific.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.api.Quantity;
import dev.pacific.api.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

  private final Codec codec = Codec.standard();

  private static final String POD_WITH_EXTRAS = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","ownerRefs":[]},
       "spec":{"containers":[{"name":"c","image":"i","volumeMount":[{"name":"v"}]}],"volume":[]}}""";

  @Test
  void strictRefusesUnknownFieldsNamingEachOne() {
    Decoded<Pod> d = json(POD_WITH_EXTRAS, FieldValidation.STRICT);
    assertFalse(d.ok());
    assertEquals(400, d.failure().code());
    assertEquals("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
        + "unknown field \"metadata.ownerRefs\", unknown field \"spec.containers[0].volumeMount\", "
        + "unknown field \"spec.volume\"", d.failure().message());
    assertEquals(List.of("metadata.ownerRefs", "spec.containers[0].volumeMount", "spec.volume"),
        d.failure().problems().stream().map(Problem::field).toList());
  }

  @Test
  void warnDropsUnknownFieldsAndReportsThem() {
    Decoded<Pod> d = json(POD_WITH_EXTRAS, FieldValidation.WARN);
    assertTrue(d.ok());
    assertEquals("c", d.value().spec().containers().get(0).name());
    assertEquals(List.of("unknown field \"metadata.ownerRefs\"",
        "unknown field \"spec.containers[0].volumeMount\"", "unknown field \"spec.volume\""), d.warnings());
  }

  @Test
  void ignoreDropsUnknownFieldsSilently() {
    Decoded<Pod> d = json(POD_WITH_EXTRAS, FieldValidation.IGNORE);
    assertTrue(d.ok());
    assertEquals(List.of(), d.warnings());
  }

  /** What kubectl run sends, under kubectl's default fieldValidation=Strict. */
  @Test
  void kubernetesFieldsPacificDoesNotModelAreDroppedWithAWarningEvenWhenStrict() {
    Decoded<Pod> d = json("""
        {"kind":"Pod","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null,"labels":{"run":"x"}},
         "spec":{"containers":[{"name":"x","image":"nginx","resources":{},"terminationMessagePolicy":"File"}],
         "restartPolicy":"Always","dnsPolicy":"ClusterFirst"},"status":{}}""", FieldValidation.STRICT);
    assertTrue(d.ok(), () -> d.failure().message());
    assertEquals(List.of(
        "field \"spec.containers[0].terminationMessagePolicy\" is not supported by Pacific and was dropped",
        "field \"spec.dnsPolicy\" is not supported by Pacific and was dropped"), d.warnings());
    assertEquals(List.of(), json(POD_WITH_EXTRAS.replace("ownerRefs", "ownerReferences"), FieldValidation.IGNORE)
        .warnings());
  }

  @Test
  void duplicateFieldsFollowFieldValidation() {
    String body = "{\"metadata\":{\"name\":\"a\",\"name\":\"b\"}}";
    assertEquals("duplicate field \"metadata.name\"",
        json(body, FieldValidation.STRICT).failure().problems().get(0).message());
    Decoded<Pod> warned = json(body, FieldValidation.WARN);
    assertEquals("b", warned.value().metadata().name());
    assertEquals(List.of("duplicate field \"metadata.name\""), warned.warnings());
  }

  @Test
  void wrongTypesAreReportedWithTheirPaths() {
    Decoded<Pod> d = json("""
        {"metadata":{"name":5,"labels":{"a":1}},"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}],
         "command":"sh"}],"terminationGracePeriodSeconds":1.5}}""", FieldValidation.STRICT);
    assertEquals(List.of(
        "metadata.name: expected string, got number",
        "metadata.labels[a]: expected string, got number",
        "spec.containers[0].ports[0].containerPort: expected integer, got string",
        "spec.containers[0].command: expected array, got string",
        "spec.terminationGracePeriodSeconds: expected integer, got number"),
        d.failure().problems().stream().map(Problem::describe).toList());
    assertEquals("FieldValueTypeInvalid", d.failure().problems().get(0).reason());
  }

  @Test
  void explicitNullFieldsAreUnsetButNullItemsAreErrors() {
    Decoded<Pod> unset = json("{\"metadata\":{\"name\":\"p\",\"labels\":null},\"status\":null}", FieldValidation.STRICT);
    assertTrue(unset.ok());
    assertEquals(0, unset.value().metadata().labels().size());
    Decoded<Pod> items = json("{\"spec\":{\"containers\":[null],\"nodeSelector\":{\"a\":null}}}", FieldValidation.STRICT);
    assertEquals(List.of("spec.containers[0]: expected object, got null", "spec.nodeSelector[a]: expected string, got null"),
        items.failure().problems().stream().map(Problem::describe).toList());
  }

  @Test
  void integersOutOfRangeAreRefused() {
    Decoded<Pod> d = json("{\"spec\":{\"containers\":[{\"ports\":[{\"containerPort\":4294967297}]}]}}", FieldValidation.STRICT);
    assertEquals("spec.containers[0].ports[0].containerPort: expected a 32-bit integer, got 4294967297",
        d.failure().problems().get(0).describe());
  }

  @Test
  void malformedQuantitiesNameTheirResource() {
    Decoded<Pod> d = json("{\"spec\":{\"containers\":[{\"resources\":{\"limits\":{\"cpu\":\"2 cores\"}}}]}}",
        FieldValidation.STRICT);
    assertEquals("spec.containers[0].resources.limits[cpu]: " + Quantity.FORMAT_WRONG,
        d.failure().problems().get(0).describe());
  }

  @Test
  void quantitiesMayBeBareNumbers() {
    Decoded<Pod> d = yaml("spec:\n  containers:\n  - resources:\n      requests: {cpu: 0.5, memory: 1e3}\n");
    assertEquals("500m", d.value().spec().containers().get(0).resources().requests().get("cpu").toString());
    assertEquals(Quantity.parse("1k"), d.value().spec().containers().get(0).resources().requests().get("memory"));
  }

  @Test
  void kindAndApiVersionMustMatchTheEndpoint() {
    Decoded<Pod> d = json("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}", FieldValidation.STRICT);
    assertEquals(List.of("kind: Invalid value: \"Deployment\": must be \"Pod\"",
        "apiVersion: Invalid value: \"apps/v1\": must be \"v1\""),
        d.failure().problems().stream().map(Problem::describe).toList());
  }

  @Test
  void syntaxErrorsAreValuesWithALocation() {
    Decoded<Pod> d = json("{\"metadata\": {\"name\": \"p\",}}", FieldValidation.WARN);
    assertEquals(400, d.failure().code());
    assertTrue(d.failure().message().contains("malformed body"), d.failure().message());
    assertTrue(d.failure().message().contains("line 1"), d.failure().message());
    assertFalse(json("[1,2]", FieldValidation.WARN).ok());
    assertFalse(json("", FieldValidation.WARN).ok());
    assertFalse(json("{} {}", FieldValidation.WARN).ok());
    assertFalse(yaml("a: [1, 2\n").ok());
  }

  @Test
  void bodiesOverTheByteCapAre413() {
    Codec small = new Codec(new Limits(100, 64, 4096, 64, 50));
    byte[] body = ("{\"metadata\":{\"name\":\"" + "a".repeat(200) + "\"}}").getBytes(StandardCharsets.UTF_8);
    Decoded<Pod> d = small.decode(body, MediaFormat.JSON, Pod.class, FieldValidation.WARN);
    assertEquals(413, d.failure().code());
    assertEquals("RequestEntityTooLarge", d.failure().toStatus().reason());
  }

  @Test
  void deepNestingIsRefusedBeforeItIsBuilt() {
    String deep = "{\"metadata\":{\"labels\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
    Decoded<Pod> d = json(deep, FieldValidation.WARN);
    assertEquals(400, d.failure().code());
    assertTrue(d.failure().message().contains("exceeds a decoding limit"), d.failure().message());
    String deepYaml = "a:\n" + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    assertEquals(400, yaml(deepYaml).failure().code());
  }

  /** Aliases are counted by the nodes they stand for, so a "billion laughs" body fails fast. */
  @Test
  void yamlAliasBombsAreRefusedWithoutExpanding() {
    StringBuilder bomb = new StringBuilder("metadata:\n  labels:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      String p = "*" + (char) (c - 1);
      bomb.append("    ").append(c).append(": &").append(c).append(" [")
          .append(String.join(",", p, p, p, p, p, p, p, p, p)).append("]\n");
    }
    long start = System.nanoTime();
    Decoded<Pod> d = yaml(bomb.toString());
    assertEquals(400, d.failure().code());
    assertTrue(d.failure().message().contains("YAML aliases expand to more than 10000 nodes"), d.failure().message());
    assertTrue(System.nanoTime() - start < 5_000_000_000L);
  }

  @Test
  void yamlAliasesOfObjectsResolveAndOfScalarsAreRefusedNotMisread() {
    Decoded<Pod> d = yaml("metadata:\n  labels:\n    a: &v hello\n    b: *v\n");
    assertEquals(400, d.failure().code());
    assertTrue(d.failure().message().contains("aliases of scalars are not supported"), d.failure().message());
    Decoded<Pod> maps = yaml("metadata:\n  labels: &l {a: b}\n  annotations: *l\n");
    assertEquals(java.util.Map.of("a", "b"), maps.value().metadata().annotations());
  }

  @Test
  void failuresBecomeKubernetesStatus() {
    Status s = json(POD_WITH_EXTRAS, FieldValidation.STRICT).failure().toStatus();
    assertEquals("Failure", s.status());
    assertEquals("BadRequest", s.reason());
    assertEquals(400, s.code());
    assertEquals("spec.volume", s.details().causes().get(2).field());
  }

  @Test
  void fieldValidationParsesKubernetesSpelling() {
    assertEquals(FieldValidation.STRICT, FieldValidation.fromQuery("Strict").orElseThrow());
    assertEquals(FieldValidation.WARN, FieldValidation.fromQuery(null).orElseThrow());
    assertEquals(FieldValidation.IGNORE, FieldValidation.fromQuery("Ignore").orElseThrow());
    assertTrue(FieldValidation.fromQuery("strict").isEmpty());
    assertEquals(MediaFormat.YAML, MediaFormat.fromContentType("application/yaml; charset=utf-8").orElseThrow());
    assertTrue(MediaFormat.fromContentType("text/plain").isEmpty());
  }

  private Decoded<Pod> json(String body, FieldValidation v) {
    return codec.decode(body.getBytes(StandardCharsets.UTF_8), MediaFormat.JSON, Pod.class, v);
  }

  private Decoded<Pod> yaml(String body) {
    return codec.decode(body.getBytes(StandardCharsets.UTF_8), MediaFormat.YAML, Pod.class, FieldValidation.WARN);
  }
}
