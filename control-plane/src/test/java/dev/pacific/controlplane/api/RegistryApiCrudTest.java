package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Create, read, update, merge patch, status and delete of every kind, over HTTP, in JSON and YAML. */
class RegistryApiCrudTest extends RegistryApiFixture {

  static String pod(String name) {
    return pod("'name':'" + name + "','labels':{'app':'web'}", "");
  }

  /** A pod with {@code metadata} members and more top-level members ({@code ,'status':{…}}), single-quoted. */
  static String pod(String metadata, String more) {
    return q("{'metadata':{" + metadata + "},'spec':{'containers':[{'name':'c','image':'busybox:1.36'}]}" + more + "}");
  }

  private static String rv(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asText();
  }

  @Test
  void aNamespaceIsCreatedActiveReadUpdatedPatchedAndDeleted() {
    HttpResponse<String> created = api.post("/api/v1/namespaces", q("{'metadata':{'name':'team-a'}}"));
    assertEquals(201, created.statusCode(), created.body());
    JsonNode ns = json(created);
    assertEquals("Namespace", ns.path("kind").asText());
    assertEquals("v1", ns.path("apiVersion").asText());
    assertEquals("Active", ns.path("status").path("phase").asText());
    assertEquals("kubernetes", ns.path("spec").path("finalizers").path(0).asText());
    assertFalse(ns.path("metadata").path("uid").asText().isEmpty());
    assertFalse(ns.path("metadata").path("creationTimestamp").asText().isEmpty());
    assertEquals(rv(ns), rv(json(api.get("/api/v1/namespaces/team-a"))), "a read shows the revision written");

    String updated = q("{'metadata':{'name':'team-a','resourceVersion':'" + rv(ns) + "','labels':{'tier':'gold'}}}");
    HttpResponse<String> put = api.put("/api/v1/namespaces/team-a", updated);
    assertEquals(200, put.statusCode(), put.body());
    assertEquals("gold", json(put).path("metadata").path("labels").path("tier").asText());
    assertEquals(ns.path("metadata").path("uid"), json(put).path("metadata").path("uid"), "the uid is kept");
    HttpResponse<String> stale = api.put("/api/v1/namespaces/team-a", updated);
    assertEquals(409, stale.statusCode(), "an update on a stale resourceVersion is refused");
    assertEquals("Conflict", json(stale).path("reason").asText());

    HttpResponse<String> patched = api.patch("/api/v1/namespaces/team-a", q("{'metadata':{'labels':{'tier':null,'x':'y'}}}"));
    assertEquals(200, patched.statusCode(), patched.body());
    assertFalse(json(patched).path("metadata").path("labels").has("tier"), "null removes a member (RFC 7386)");
    assertEquals("y", json(patched).path("metadata").path("labels").path("x").asText());
    assertTrue(patched.headers().firstValue("Warning").isEmpty(), "the stored object round-trips without warnings");

    HttpResponse<String> deleted = api.delete("/api/v1/namespaces/team-a");
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertEquals("team-a", json(deleted).path("metadata").path("name").asText());
    assertEquals(404, api.get("/api/v1/namespaces/team-a").statusCode());
    assertEquals(404, api.delete("/api/v1/namespaces/team-a").statusCode());
  }

  @Test
  void aPodTakesItsNamespaceFromThePathStartsPendingAndKeepsItsStatusOnUpdate() {
    namespace("pods-a");
    HttpResponse<String> created = api.post("/api/v1/namespaces/pods-a/pods",
        pod("'name':'web-1','labels':{'app':'web'}", ",'status':{'phase':'Running'}"));
    assertEquals(201, created.statusCode(), created.body());
    JsonNode pod = json(created);
    assertEquals("pods-a", pod.path("metadata").path("namespace").asText());
    assertEquals("Pending", pod.path("status").path("phase").asText(), "a new pod is Pending whatever was sent");
    assertEquals("Always", pod.path("spec").path("restartPolicy").asText(), "defaults applied");
    assertEquals(409, api.post("/api/v1/namespaces/pods-a/pods", pod("web-1")).statusCode(), "AlreadyExists");
    assertEquals("AlreadyExists", json(api.post("/api/v1/namespaces/pods-a/pods", pod("web-1"))).path("reason").asText());

    String running = q("{'metadata':{'name':'web-1','resourceVersion':'" + rv(pod) + "'},'status':{'phase':'Running'}}");
    HttpResponse<String> status = api.put("/api/v1/namespaces/pods-a/pods/web-1/status", running);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("Running", json(status).path("status").path("phase").asText());
    assertEquals("web", json(status).path("metadata").path("labels").path("app").asText(), "metadata kept by /status");

    JsonNode current = json(api.get("/api/v1/namespaces/pods-a/pods/web-1"));
    String relabel = pod("'name':'web-1','resourceVersion':'" + rv(current) + "','labels':{'app':'api'}",
        ",'status':{'phase':'Failed'}");
    HttpResponse<String> update = api.put("/api/v1/namespaces/pods-a/pods/web-1", relabel);
    assertEquals(200, update.statusCode(), update.body());
    assertEquals("api", json(update).path("metadata").path("labels").path("app").asText());
    assertEquals("Running", json(update).path("status").path("phase").asText(), "an update does not change status");

    HttpResponse<String> statusPatch = api.patch("/api/v1/namespaces/pods-a/pods/web-1/status",
        q("{'status':{'phase':'Succeeded'},'metadata':{'labels':{'ignored':'yes'}}}"));
    assertEquals(200, statusPatch.statusCode(), statusPatch.body());
    assertEquals("Succeeded", json(statusPatch).path("status").path("phase").asText());
    assertTrue(statusPatch.headers().firstValue("Warning").isEmpty(),
        "the patched object decodes without warnings: " + statusPatch.headers().map());
    assertFalse(json(statusPatch).path("metadata").path("labels").has("ignored"), "/status patches only status");
  }

  @Test
  void aPodInAMissingNamespaceOrWithAnotherNamespaceInItsBodyIsRefused() {
    assertEquals(404, api.post("/api/v1/namespaces/nowhere/pods", pod("p")).statusCode());
    namespace("here");
    HttpResponse<String> other = api.post("/api/v1/namespaces/here/pods",
        pod("'name':'p','namespace':'elsewhere'", ""));
    assertEquals(400, other.statusCode(), other.body());
    assertTrue(json(other).path("message").asText().contains("does not match the namespace"));
    HttpResponse<String> renamed = api.put("/api/v1/namespaces/here/pods/q", pod("p"));
    assertEquals(400, renamed.statusCode());
    assertTrue(json(renamed).path("message").asText().contains("does not match the name on the URL"));
  }

  @Test
  void generateNameGivesFiveRandomCharactersAfterThePrefix() {
    namespace("gen");
    HttpResponse<String> created = api.post("/api/v1/namespaces/gen/pods",
        pod("'generateName':'web-'", ""));
    assertEquals(201, created.statusCode(), created.body());
    String name = json(created).path("metadata").path("name").asText();
    assertTrue(name.matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    assertEquals(200, api.get("/api/v1/namespaces/gen/pods/" + name).statusCode());
  }

  @Test
  void generateNameTriesAnotherNameWhenTheGeneratedOneIsTaken() {
    try (RegistryApiServer own = new RegistryApiServer(new NameGenerator(new java.util.Random(7)))) {
      NameGenerator same = new NameGenerator(new java.util.Random(7));
      String first = same.generate("web-");
      String second = same.generate("web-");
      assertEquals(201, own.post("/api/v1/namespaces", q("{'metadata':{'name':'gen'}}")).statusCode());
      assertEquals(201, own.post("/api/v1/namespaces/gen/pods", pod(first)).statusCode());
      HttpResponse<String> created = own.post("/api/v1/namespaces/gen/pods",
          pod("'generateName':'web-'", ""));
      assertEquals(201, created.statusCode(), created.body());
      assertEquals(second, json(created).path("metadata").path("name").asText(), "the taken name was skipped");
    }
  }

  @Test
  void concurrentMergePatchesAllApplyByRetryingOnConflict() {
    namespace("patchers");
    assertEquals(201, api.post("/api/v1/namespaces/patchers/pods", pod("p")).statusCode());
    List<CompletableFuture<HttpResponse<String>>> patches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String body = q("{'metadata':{'labels':{'by-" + i + "':'yes'}}}");
      patches.add(CompletableFuture.supplyAsync(() -> api.patch("/api/v1/namespaces/patchers/pods/p", body)));
    }
    patches.forEach(p -> assertEquals(200, p.join().statusCode(), p.join().body()));
    JsonNode labels = json(api.get("/api/v1/namespaces/patchers/pods/p")).path("metadata").path("labels");
    for (int i = 0; i < 4; i++) {
      assertEquals("yes", labels.path("by-" + i).asText(), "patch " + i + " is kept: " + labels);
    }
  }

  @Test
  void aPatchNamingAStaleResourceVersionIsAPreconditionAndFails() {
    namespace("precond");
    JsonNode pod = json(api.post("/api/v1/namespaces/precond/pods", pod("p")));
    assertEquals(200, api.patch("/api/v1/namespaces/precond/pods/p", q("{'metadata':{'labels':{'a':'1'}}}")).statusCode());
    HttpResponse<String> stale = api.patch("/api/v1/namespaces/precond/pods/p",
        q("{'metadata':{'resourceVersion':'" + rv(pod) + "','labels':{'a':'2'}}}"));
    assertEquals(409, stale.statusCode(), stale.body());
    assertEquals("1", json(api.get("/api/v1/namespaces/precond/pods/p")).path("metadata").path("labels").path("a").asText());
  }

  @Test
  void deletePreconditionsAndGracePeriodAreCarriedAndAFailedOneLeavesThePod() {
    namespace("del");
    JsonNode pod = json(api.post("/api/v1/namespaces/del/pods", pod("p")));
    HttpResponse<String> wrongUid = api.send("DELETE", "/api/v1/namespaces/del/pods/p", "application/json",
        q("{'kind':'DeleteOptions','apiVersion':'v1','preconditions':{'uid':'not-it'}}").getBytes(StandardCharsets.UTF_8));
    assertEquals(409, wrongUid.statusCode(), wrongUid.body());
    assertEquals(200, api.get("/api/v1/namespaces/del/pods/p").statusCode());
    HttpResponse<String> deleted = api.send("DELETE", "/api/v1/namespaces/del/pods/p?gracePeriodSeconds=0",
        "application/json", q("{'preconditions':{'uid':'" + pod.path("metadata").path("uid").asText() + "'}}")
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertEquals(404, api.get("/api/v1/namespaces/del/pods/p").statusCode());
  }

  @Test
  void resourceQuotasLiveInTheirNamespaceRecordAndCarryItsRevision() {
    namespace("quota-ns");
    HttpResponse<String> created = api.post("/api/v1/namespaces/quota-ns/resourcequotas",
        q("{'metadata':{'name':'compute'},'spec':{'hard':{'pods':'10','requests.cpu':'4'}},"
            + "'status':{'used':{'pods':'99'}}}"));
    assertEquals(201, created.statusCode(), created.body());
    assertFalse(json(created).has("status") && json(created).path("status").has("used"), "usage is not the client's");
    JsonNode read = json(api.get("/api/v1/namespaces/quota-ns/resourcequotas/compute"));
    assertEquals("ResourceQuota", read.path("kind").asText());
    assertEquals("10", read.path("spec").path("hard").path("pods").asText());
    assertEquals(rv(json(api.get("/api/v1/namespaces/quota-ns"))), rv(read), "the namespace record's mod revision");

    HttpResponse<String> patched = api.patch("/api/v1/namespaces/quota-ns/resourcequotas/compute",
        q("{'spec':{'hard':{'pods':'20'}}}"));
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals("20", json(patched).path("spec").path("hard").path("pods").asText());
    assertEquals("4", json(patched).path("spec").path("hard").path("requests.cpu").asText());
    JsonNode list = json(api.get("/api/v1/namespaces/quota-ns/resourcequotas"));
    assertEquals("ResourceQuotaList", list.path("kind").asText());
    assertEquals(1, list.path("items").size());
    assertEquals(200, api.delete("/api/v1/namespaces/quota-ns/resourcequotas/compute").statusCode());
    assertEquals(404, api.get("/api/v1/namespaces/quota-ns/resourcequotas/compute").statusCode());
    assertEquals(200, api.get("/api/v1/namespaces/quota-ns").statusCode(), "the namespace stays");
  }

  @Test
  void nodesInTheRegistryAreClusterScoped() {
    HttpResponse<String> created = api.post("/api/v1/nodes",
        q("{'metadata':{'name':'host-9','namespace':'ignored'},'spec':{'unschedulable':true},"
            + "'status':{'capacity':{'cpu':'4','memory':'8Gi'}}}"));
    assertEquals(201, created.statusCode(), created.body());
    assertFalse(json(created).path("metadata").has("namespace"), "a cluster-scoped object has no namespace");
    assertEquals("4", json(created).path("status").path("capacity").path("cpu").asText(), "a node's report is kept");
    JsonNode listed = json(api.get("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue"));
    assertEquals("host-9", listed.path("items").path(0).path("metadata").path("name").asText());
    HttpResponse<String> status = api.patch("/api/v1/nodes/host-9/status", q("{'status':{'capacity':{'cpu':'8'}}}"));
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("8", json(status).path("status").path("capacity").path("cpu").asText());
    assertEquals(200, api.delete("/api/v1/nodes/host-9").statusCode());
  }

  @Test
  void yamlGoesInAndComesOut() throws Exception {
    namespace("yaml-ns");
    String yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: from-yaml
          labels: {app: y}
        spec:
          containers:
          - name: c
            image: busybox
        """;
    HttpResponse<String> created = api.send("POST", "/api/v1/namespaces/yaml-ns/pods", "application/yaml",
        yaml.getBytes(StandardCharsets.UTF_8), "Accept", "application/yaml");
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(created.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    JsonNode read = new YAMLMapper().readTree(created.body());
    assertEquals("from-yaml", read.path("metadata").path("name").asText());
    assertEquals("Pending", read.path("status").path("phase").asText());
    HttpResponse<String> missing = api.get("/api/v1/namespaces/yaml-ns/pods/nope", "Accept", "application/yaml");
    assertEquals(404, missing.statusCode());
    assertEquals("NotFound", new YAMLMapper().readTree(missing.body()).path("reason").asText(), "a YAML Status");
    HttpResponse<String> list = api.get("/api/v1/namespaces/yaml-ns/pods", "Accept", "application/yaml");
    assertEquals("PodList", new YAMLMapper().readTree(list.body()).path("kind").asText());
  }

  @Test
  void unknownFieldsFollowFieldValidation() {
    namespace("fv");
    String body = pod("'name':'w','bogus':1", "");
    HttpResponse<String> warned = api.post("/api/v1/namespaces/fv/pods", body);
    assertEquals(201, warned.statusCode(), warned.body());
    assertTrue(warned.headers().firstValue("Warning").orElse("").contains("metadata.bogus"),
        warned.headers().map().toString());
    HttpResponse<String> strict = api.post("/api/v1/namespaces/fv/pods?fieldValidation=Strict", body.replace("\"w\"", "\"s\""));
    assertEquals(400, strict.statusCode(), strict.body());
    assertEquals("metadata.bogus", json(strict).path("details").path("causes").path(0).path("field").asText());
    HttpResponse<String> ignored = api.post("/api/v1/namespaces/fv/pods?fieldValidation=Ignore", body.replace("\"w\"", "\"i\""));
    assertEquals(201, ignored.statusCode());
    assertTrue(ignored.headers().firstValue("Warning").isEmpty());
  }

  @Test
  void aBodyWithoutAContentTypeIsUnsupportedAndTheStatusSaysWhy() {
    HttpResponse<String> r = api.send("POST", "/api/v1/namespaces", null,
        q("{'metadata':{'name':'no-type'}}").getBytes(StandardCharsets.UTF_8));
    assertEquals(415, r.statusCode(), r.body());
    assertTrue(json(r).path("message").asText().contains("without a Content-Type"), r.body());
  }

  @Test
  void anInvalidPodIsUnprocessableWithACausePerField() {
    namespace("invalid");
    HttpResponse<String> r = api.post("/api/v1/namespaces/invalid/pods",
        q("{'metadata':{'name':'Bad_Name'},'spec':{'containers':[{'name':'','image':'x'}],'restartPolicy':'Sometimes'}}"));
    assertEquals(422, r.statusCode(), r.body());
    JsonNode status = json(r);
    assertEquals("Invalid", status.path("reason").asText());
    List<String> fields = new ArrayList<>();
    status.path("details").path("causes").forEach(c -> fields.add(c.path("field").asText()));
    assertTrue(fields.containsAll(List.of("metadata.name", "spec.containers[0].name", "spec.restartPolicy")), fields.toString());
  }
}
