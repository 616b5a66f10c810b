package dev.pacific.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.api.Container;
import dev.pacific.api.Json;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.codec.Codec;
import dev.pacific.api.codec.Decoded;
import dev.pacific.api.codec.FieldValidation;
import dev.pacific.api.codec.MediaFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

  private static final Pod POD = new Pod(ObjectMeta.named("default", "web"),
      PodSpec.of(List.of(Container.of("app", "nginx:1.25")), "Always"), null);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "pod-nginx.yaml", "pod-resources.yaml", "pod-probes.yaml", "pod-command-env.yaml",
      "pod-busybox-sleep.yaml", "pod-multi-container.yaml", "pod-with-status.yaml", "pod-terminating.yaml",
      "pod-json.json", "namespace.yaml", "namespace-status.json", "resourcequota.yaml", "node.json"})
  void realManifestsAreValid(String file) throws IOException {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/manifests/" + file)) {
      body = in.readAllBytes();
    }
    MediaFormat format = file.endsWith(".json") ? MediaFormat.JSON : MediaFormat.YAML;
    Decoded<Object> d = Codec.standard().decodeAll(body, format, FieldValidation.STRICT).get(0);
    Object object = d.value();
    if (object instanceof Pod pod && pod.metadata().namespace() == null) {
      object = pod.withMetadata(pod.metadata().withNamespace("default")); // the API path supplies it
    }
    assertEquals(List.of(), Validation.create(object));
  }

  @Test
  void theSchedulerMayBindAndMoveAPod() {
    Pod bound = POD.withSpec(POD.spec().withNodeName("host-1"));
    assertEquals(List.of(), Validation.update(bound, POD, PodValidation.Updater.SCHEDULER));
    Pod moved = POD.withSpec(POD.spec().withNodeName("host-2"));
    assertEquals(List.of(), Validation.update(moved, bound, PodValidation.Updater.SCHEDULER));
    assertEquals("[spec.nodeName: Forbidden: may only be changed by the scheduler]",
        Validation.update(moved, bound, PodValidation.Updater.CLIENT).toString());
  }

  @Test
  void aClientMayChangeImagesAndLabels() {
    Pod updated = POD
        .withSpec(new PodSpec(List.of(), List.of(Container.of("app", "nginx:1.26")), "Always", null, null,
            null, null, null, null, null))
        .withMetadata(POD.metadata().withLabels(java.util.Map.of("tier", "web")));
    assertEquals(List.of(), Validation.update(updated, POD, PodValidation.Updater.CLIENT));
  }

  @Test
  void anUpdateWithoutMetadataIsReportedNotThrown() {
    Pod noMeta = new Pod(null, POD.spec(), null);
    assertEquals("[metadata.name: Required value: name or generateName is required]",
        Validation.update(noMeta, POD, PodValidation.Updater.CLIENT).toString());
  }

  @Test
  void generateNameStandsInForAName() {
    Pod generated = POD.withMetadata(new ObjectMeta(null, "web-", "default", null, null, null, null, null, null,
        null, null, null));
    assertEquals(List.of(), Validation.create(generated));
  }

  @Test
  void oneErrorPrintsBareSeveralInBrackets() {
    Pod noName = POD.withSpec(PodSpec.of(List.of(Container.of("", "nginx")), null));
    assertEquals("Pod \"web\" is invalid: spec.containers[0].name: Required value",
        Invalid.message("Pod", "web", Validation.create(noName)));
    Pod twoBad = POD.withSpec(PodSpec.of(List.of(Container.of("", "")), "Sometimes"));
    assertEquals("Pod \"web\" is invalid: [spec.containers[0].name: Required value, "
        + "spec.containers[0].image: Required value, spec.restartPolicy: Unsupported value: \"Sometimes\": "
        + "supported values: \"Always\", \"OnFailure\", \"Never\"]",
        Invalid.message("Pod", "web", Validation.create(twoBad)));
  }

  @Test
  void invalidBecomesA422StatusWithACausePerField() {
    Pod bad = POD.withSpec(PodSpec.of(List.of(Container.of("app", "nginx"), Container.of("app", "")), null));
    String json = new String(Json.write(Invalid.status("Pod", "web", Validation.create(bad))), StandardCharsets.UTF_8);
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"Pod \\\"web\\\" is invalid: [spec.containers[1].name: Duplicate value: \\\"app\\\", "
        + "spec.containers[1].image: Required value]\",\"reason\":\"Invalid\",\"details\":{\"name\":\"web\","
        + "\"kind\":\"Pod\",\"causes\":[{\"reason\":\"FieldValueDuplicate\",\"message\":\"Duplicate value: \\\"app\\\"\","
        + "\"field\":\"spec.containers[1].name\"},{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\","
        + "\"field\":\"spec.containers[1].image\"}]},\"code\":422}", json);
  }
}
