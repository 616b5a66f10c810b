package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Malformed, oversized, mistyped and hostile requests over real HTTP, one row each with the 4xx
 * code and reason Kubernetes would answer (and, for query parameters and fields, the cause's field).
 * Every answer must be a JSON Status; afterwards the server still answers and the objects created
 * before are untouched (same resourceVersions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

  /** One hostile request and what it must get. {@code field} null: the cause's field is not checked. */
  record Row(String name, String method, String path, String contentType, byte[] body, String accept, int code,
      String reason, String field) {

    Row withType(String type) {
      return new Row(name, method, path, type, body, accept, code, reason, field);
    }

    Row withField(String at) {
      return new Row(name, method, path, contentType, body, accept, code, reason, at);
    }
  }

  private static final String NS = "/api/v1/namespaces/bad";
  private static final String POD = NS + "/pods/keep";
  private static final byte[] HUGE = new byte[4 * 1024 * 1024];

  private RegistryApiServer api;
  private String podVersion;
  private String namespaceVersion;
  private String uid;

  @BeforeAll
  void seed() {
    api = new RegistryApiServer();
    assertEquals(201, api.post("/api/v1/namespaces", q("{'metadata':{'name':'bad'}}")).statusCode());
    JsonNode pod = json(api.post(NS + "/pods", pod("keep")));
    uid = pod.path("metadata").path("uid").asText();
    assertEquals(201, api.post(NS + "/resourcequotas", q("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'5'}}}"))
        .statusCode());
    JsonNode ns = json(api.get(NS));
    RegistryApiServer.await(api.kv.compact(Long.parseLong(ns.path("metadata").path("resourceVersion").asText())));
    podVersion = json(api.get(POD)).path("metadata").path("resourceVersion").asText();
    namespaceVersion = ns.path("metadata").path("resourceVersion").asText();
    java.util.Arrays.fill(HUGE, (byte) ' ');
  }

  @AfterAll
  void stop() {
    api.close();
  }

  static String pod(String name) {
    return q("{'metadata':{'name':'" + name + "'},'spec':{'containers':[{'name':'c','image':'i'}]}}");
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Row row(String name, String method, String path, String type, String body, int code, String reason) {
    return new Row(name, method, path, type, body == null ? null : b(body), null, code, reason, null);
  }

  private static Row param(String name, String path, String field) {
    return new Row(name, "GET", path, null, null, null, 400, "BadRequest", field);
  }

  private static Row post(String name, String path, String body, int code, String reason) {
    return row(name, "POST", path, "application/json", body, code, reason);
  }

  private static Row patch(String name, String type, String body, int code, String reason) {
    return row(name, "PATCH", POD, type, body, code, reason);
  }

  private static Row delete(String name, String body, int code, String reason) {
    return row(name, "DELETE", POD, "application/json", body, code, reason);
  }

  private List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(notFound());
    rows.addAll(wrongMethod());
    rows.addAll(mediaTypes());
    rows.addAll(malformedBodies());
    rows.addAll(invalidObjects());
    rows.addAll(tooLarge());
    rows.addAll(queryParameters());
    rows.addAll(conflictsAndGone());
    return rows;
  }

  private List<Row> notFound() {
    String missing = pod("missing");
    return List.of(
        row("unknown resource in a namespace", "GET", NS + "/services", null, null, 404, "NotFound"),
        row("unknown top-level resource", "GET", "/api/v1/foo", null, null, 404, "NotFound"),
        row("the group version itself", "GET", "/api/v1", null, null, 404, "NotFound"),
        row("unknown pod subresource", "GET", POD + "/exec", null, null, 404, "NotFound"),
        row("path below a subresource", "GET", POD + "/status/extra", null, null, 404, "NotFound"),
        row("empty namespace segment", "GET", "/api/v1/namespaces//pods", null, null, 404, "NotFound"),
        row("encoded slash in a name", "GET", NS + "/pods/a%2Fb", null, null, 404, "NotFound"),
        row("encoded traversal in a name", "GET", NS + "/pods/..%2F..%2Fnamespaces", null, null, 404, "NotFound"),
        row("a name longer than any name", "GET", NS + "/pods/" + "a".repeat(300), null, null, 404, "NotFound"),
        row("missing pod", "GET", NS + "/pods/missing", null, null, 404, "NotFound"),
        row("missing namespace", "GET", "/api/v1/namespaces/missing-ns", null, null, 404, "NotFound"),
        row("missing node", "GET", "/api/v1/nodes/nope", null, null, 404, "NotFound"),
        row("missing quota", "GET", NS + "/resourcequotas/nope", null, null, 404, "NotFound"),
        row("quota of a missing namespace", "GET", "/api/v1/namespaces/nope/resourcequotas/q", null, null, 404, "NotFound"),
        row("log of a quota", "GET", NS + "/resourcequotas/q/log", null, null, 404, "NotFound"),
        row("log of a node", "GET", "/api/v1/nodes/x/log", null, null, 404, "NotFound"),
        row("log of a pod on no host yet", "GET", POD + "/log", null, null, 400, "BadRequest"),
        row("log with a bad tailLines", "GET", POD + "/log?tailLines=ten", null, null, 400, "BadRequest"),
        row("update of a missing pod", "PUT", NS + "/pods/missing", "application/json", missing, 404, "NotFound"),
        row("patch of a missing pod", "PATCH", NS + "/pods/missing", "application/merge-patch+json", "{}", 404,
            "NotFound"),
        row("delete of a missing pod", "DELETE", NS + "/pods/missing", null, null, 404, "NotFound"),
        post("pod in a missing namespace", "/api/v1/namespaces/nowhere/pods", pod("p"), 404, "NotFound"));
  }

  private List<Row> wrongMethod() {
    return List.of(
        row("delete a collection", "DELETE", NS + "/pods", null, null, 405, "MethodNotAllowed"),
        row("put a collection", "PUT", NS + "/pods", "application/json", pod("x"), 405, "MethodNotAllowed"),
        row("create across all namespaces", "POST", "/api/v1/pods", "application/json", pod("x"), 405,
            "MethodNotAllowed"),
        row("post to an object", "POST", POD, "application/json", pod("keep"), 405, "MethodNotAllowed"),
        row("delete a status", "DELETE", POD + "/status", null, null, 405, "MethodNotAllowed"),
        row("post a status", "POST", POD + "/status", "application/json", pod("keep"), 405, "MethodNotAllowed"),
        row("put a log", "PUT", POD + "/log", "application/json", "{}", 405, "MethodNotAllowed"),
        row("options", "OPTIONS", "/api/v1/namespaces", null, null, 405, "MethodNotAllowed"),
        row("patch a collection", "PATCH", "/api/v1/namespaces", "application/merge-patch+json", "{}", 405,
            "MethodNotAllowed"),
        row("create quotas across namespaces", "POST", "/api/v1/resourcequotas", "application/json", "{}", 405,
            "MethodNotAllowed"));
  }

  private List<Row> mediaTypes() {
    String merge = "application/merge-patch+json";
    return List.of(
        new Row("accept html", "GET", NS + "/pods", null, null, "text/html", 406, "NotAcceptable", null),
        new Row("accept xml on create", "POST", NS + "/pods", "application/json", b(pod("xml")), "application/xml",
            406, "NotAcceptable", null),
        new Row("accept an image", "GET", POD, null, null, "image/png", 406, "NotAcceptable", null),
        new Row("a YAML watch", "GET", NS + "/pods?watch=true", null, null, "application/yaml", 406,
            "NotAcceptable", null),
        post("plain text body", NS + "/pods", pod("t"), 415, "UnsupportedMediaType").withType("text/plain"),
        post("xml body", NS + "/pods", "<pod/>", 415, "UnsupportedMediaType").withType("application/xml"),
        post("form body", NS + "/pods", "a=b", 415, "UnsupportedMediaType").withType("application/x-www-form-urlencoded"),
        post("protobuf body", NS + "/pods", "\u0000", 415, "UnsupportedMediaType")
            .withType("application/vnd.kubernetes.protobuf"),
        row("octet-stream update", "PUT", POD, "application/octet-stream", pod("keep"), 415, "UnsupportedMediaType"),
        patch("strategic merge patch", "application/strategic-merge-patch+json", "{}", 415, "UnsupportedMediaType"),
        patch("json patch", "application/json-patch+json", "[]", 415, "UnsupportedMediaType"),
        patch("server-side apply", "application/apply-patch+yaml", "a: b", 415, "UnsupportedMediaType"),
        patch("patch as plain json", "application/json", "{}", 415, "UnsupportedMediaType"),
        patch("patch as text", "text/plain", "{}", 415, "UnsupportedMediaType"),
        patch("patch without a content type", null, "{}", 415, "UnsupportedMediaType"),
        patch("merge patch that is not an object", merge, "[1,2]", 400, "BadRequest"),
        patch("merge patch cut short", merge, "{\"metadata\":", 400, "BadRequest"),
        patch("merge patch null", merge, "null", 400, "BadRequest"));
  }

  private List<Row> malformedBodies() {
    String deep = "{\"metadata\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(201);
    String laughs = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nkind: Pod\n";
    String path = NS + "/pods";
    return List.of(
        post("unterminated object", path, "{", 400, "BadRequest"),
        post("an array", path, "[]", 400, "BadRequest"),
        post("a string", path, "\"pod\"", 400, "BadRequest"),
        post("an empty body", path, "", 400, "BadRequest"),
        post("a null", path, "null", 400, "BadRequest"),
        post("a number for a name", path, "{\"metadata\":{\"name\":5}}", 400, "BadRequest").withField("metadata.name"),
        post("a string for the spec", path, "{\"metadata\":{\"name\":\"s\"},\"spec\":\"x\"}", 400, "BadRequest")
            .withField("spec"),
        post("containers not a list", path, q("{'metadata':{'name':'c'},'spec':{'containers':{'name':'c'}}}"), 400,
            "BadRequest").withField("spec.containers"),
        post("a Namespace to the pods path", path, q("{'kind':'Namespace','metadata':{'name':'n'}}"), 400,
            "BadRequest").withField("kind"),
        post("another apiVersion", path, q("{'apiVersion':'apps/v1','kind':'Pod','metadata':{'name':'n'}}"), 400,
            "BadRequest").withField("apiVersion"),
        post("a Pod to the namespaces path", "/api/v1/namespaces", q("{'kind':'Pod','metadata':{'name':'n'}}"), 400,
            "BadRequest").withField("kind"),
        post("two documents", path, pod("a") + pod("b"), 400, "BadRequest"),
        post("YAML syntax error", path, "a: [", 400, "BadRequest").withType("application/yaml"),
        post("two YAML documents", path, "kind: Pod\n---\nkind: Pod\n", 400, "BadRequest").withType("application/yaml"),
        post("nesting 200 deep", path, deep, 400, "BadRequest"),
        post("billion laughs", path, laughs, 400, "BadRequest").withType("application/yaml"),
        post("a number too long", path, "{\"spec\":{\"terminationGracePeriodSeconds\":" + "9".repeat(200) + "}}",
            400, "BadRequest"),
        post("unknown field under Strict", path + "?fieldValidation=Strict",
            q("{'metadata':{'name':'s'},'bogus':1,'spec':{'containers':[{'name':'c','image':'i'}]}}"), 400,
            "BadRequest").withField("bogus"),
        post("duplicate field under Strict", path + "?fieldValidation=Strict",
            "{\"metadata\":{\"name\":\"d\",\"name\":\"e\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}",
            400, "BadRequest"),
        new Row("invalid UTF-8", "POST", path, "application/json", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"',
            ':', '1', '}'}, null, 400, "BadRequest", null),
        post("body namespace differs from the path", path, q("{'metadata':{'name':'n','namespace':'other'},"
            + "'spec':{'containers':[{'name':'c','image':'i'}]}}"), 400, "BadRequest").withField("metadata.namespace"),
        post("resourceVersion on create", path, q("{'metadata':{'name':'n','resourceVersion':'7'},"
            + "'spec':{'containers':[{'name':'c','image':'i'}]}}"), 400, "BadRequest").withField("metadata.resourceVersion"),
        row("update naming another object", "PUT", POD, "application/json", pod("other"), 400, "BadRequest"),
        row("update in another namespace", "PUT", POD, "application/json", q("{'metadata':{'name':'keep',"
            + "'namespace':'other'},'spec':{'containers':[{'name':'c','image':'i'}]}}"), 400, "BadRequest"),
        row("update without a name", "PUT", POD, "application/json", q("{'spec':{}}"), 400, "BadRequest"),
        patch("patch renaming the object", "application/merge-patch+json", q("{'metadata':{'name':'renamed'}}"), 400,
            "BadRequest"),
        patch("patch with a type error", "application/merge-patch+json", q("{'spec':{'containers':'x'}}"), 400,
            "BadRequest").withField("spec.containers"),
        delete("DeleteOptions cut short", "{", 400, "BadRequest"),
        delete("DeleteOptions of another kind", q("{'kind':'Pod'}"), 400, "BadRequest").withField("kind"),
        delete("grace period as text", q("{'gracePeriodSeconds':'abc'}"), 400, "BadRequest")
            .withField("gracePeriodSeconds"),
        delete("negative grace period", q("{'gracePeriodSeconds':-5}"), 400, "BadRequest")
            .withField("gracePeriodSeconds"),
        delete("unknown propagation policy", q("{'propagationPolicy':'Sometimes'}"), 400, "BadRequest")
            .withField("propagationPolicy"),
        delete("preconditions not an object", q("{'preconditions':'x'}"), 400, "BadRequest").withField("preconditions"),
        delete("uid precondition a number", q("{'preconditions':{'uid':5}}"), 400, "BadRequest")
            .withField("preconditions.uid"),
        delete("dry run in the body", q("{'dryRun':['All']}"), 400, "BadRequest").withField("dryRun"),
        row("dry run in the query", "DELETE", POD + "?dryRun=All", null, null, 400, "BadRequest").withField("dryRun"),
        row("grace period in the query as text", "DELETE", POD + "?gracePeriodSeconds=soon", null, null, 400,
            "BadRequest").withField("gracePeriodSeconds"));
  }

  private List<Row> invalidObjects() {
    String path = NS + "/pods";
    return List.of(
        post("a pod without containers", path, q("{'metadata':{'name':'empty'},'spec':{}}"), 422, "Invalid")
            .withField("spec.containers"),
        post("an uppercase pod name", path, pod("Upper"), 422, "Invalid").withField("metadata.name"),
        post("an uppercase namespace", "/api/v1/namespaces", q("{'metadata':{'name':'NS'}}"), 422, "Invalid")
            .withField("metadata.name"),
        post("an unknown restart policy", path, q("{'metadata':{'name':'r'},'spec':{'restartPolicy':'Sometimes',"
            + "'containers':[{'name':'c','image':'i'}]}}"), 422, "Invalid").withField("spec.restartPolicy"),
        post("neither name nor generateName", path, q("{'spec':{'containers':[{'name':'c','image':'i'}]}}"), 422,
            "Invalid").withField("metadata.name"),
        post("a label value with spaces", path, q("{'metadata':{'name':'l','labels':{'a':'b c'}},"
            + "'spec':{'containers':[{'name':'c','image':'i'}]}}"), 422, "Invalid").withField("metadata.labels"),
        post("a quota on an unknown resource", NS + "/resourcequotas", q("{'metadata':{'name':'g'},"
            + "'spec':{'hard':{'gpus':'1'}}}"), 422, "Invalid"),
        post("a pod in a namespace that cannot exist", "/api/v1/namespaces/UPPER/pods", pod("p"), 422, "Invalid")
            .withField("metadata.namespace"),
        post("a NUL in a name", path, "{\"metadata\":{\"name\":\"a\\u0000b\"},\"spec\":{\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"i\"}]}}", 422, "Invalid").withField("metadata.name"),
        post("a generateName that cannot make a name", path, q("{'metadata':{'generateName':'-Bad-'},"
            + "'spec':{'containers':[{'name':'c','image':'i'}]}}"), 422, "Invalid").withField("metadata.generateName"),
        row("renaming a container", "PUT", POD, "application/json", q("{'metadata':{'name':'keep'},"
            + "'spec':{'containers':[{'name':'renamed','image':'i'}]}}"), 422, "Invalid"),
        row("a namespace with a bad label key", "PUT", NS, "application/json",
            q("{'metadata':{'name':'bad','labels':{'-x':'y'}}}"), 422, "Invalid"),
        row("a status with an unknown phase", "PUT", POD + "/status", "application/json",
            q("{'metadata':{'name':'keep'},'status':{'phase':'Sleeping'}}"), 422, "Invalid").withField("status.phase"));
  }

  private List<Row> tooLarge() {
    return List.of(
        new Row("a 4 MiB create", "POST", NS + "/pods", "application/json", HUGE, null, 413, "RequestEntityTooLarge",
            null),
        new Row("a 4 MiB update", "PUT", POD, "application/json", HUGE, null, 413, "RequestEntityTooLarge", null),
        new Row("a 4 MiB patch", "PATCH", POD, "application/merge-patch+json", HUGE, null, 413,
            "RequestEntityTooLarge", null),
        new Row("a 4 MiB DeleteOptions", "DELETE", POD, "application/json", HUGE, null, 413,
            "RequestEntityTooLarge", null));
  }

  private List<Row> queryParameters() {
    String pods = NS + "/pods?";
    String foreignToken = new ContinueToken(5, "registry/pods/other/x").encode();
    String emptyToken = Base64.getUrlEncoder().encodeToString(b("{}"));
    return List.of(
        param("negative limit", pods + "limit=-1", "limit"),
        param("limit as text", pods + "limit=abc", "limit"),
        param("fractional limit", pods + "limit=1.5", "limit"),
        param("limit beyond a long", pods + "limit=99999999999999999999", "limit"),
        param("garbage continue", pods + "continue=%25%25garbage", "continue"),
        param("continue of empty JSON", pods + "continue=" + emptyToken, "continue"),
        param("continue of another list", pods + "continue=" + foreignToken, "continue"),
        param("continue too long", pods + "continue=" + "A".repeat(1500), "continue"),
        param("resourceVersion as text", pods + "resourceVersion=abc", "resourceVersion"),
        param("negative resourceVersion", pods + "resourceVersion=-3", "resourceVersion"),
        param("label selector without parentheses", pods + "labelSelector=" + enc("a in b"), "labelSelector"),
        param("label selector without a key", pods + "labelSelector=" + enc("=x"), "labelSelector"),
        param("label selector with two operators", pods + "labelSelector=" + enc("a=b=c"), "labelSelector"),
        param("label selector with a bad key", pods + "labelSelector=" + enc("-a=b"), "labelSelector"),
        param("label selector value too long", pods + "labelSelector=" + enc("a=" + "v".repeat(64)), "labelSelector"),
        param("label selector unclosed set", pods + "labelSelector=" + enc("a in (x,y"), "labelSelector"),
        param("label selector gt of text", pods + "labelSelector=" + enc("a>b"), "labelSelector"),
        param("unsupported field", pods + "fieldSelector=" + enc("spec.foo=x"), "fieldSelector"),
        param("field selector without operator", pods + "fieldSelector=metadata.name", "fieldSelector"),
        param("pod field on namespaces", "/api/v1/namespaces?fieldSelector=" + enc("spec.nodeName=x"), "fieldSelector"),
        param("watch maybe", pods + "watch=maybe", "watch"),
        param("bookmarks 2", pods + "watch=true&allowWatchBookmarks=2", "allowWatchBookmarks"),
        param("negative timeout", pods + "watch=true&timeoutSeconds=-1", "timeoutSeconds"),
        param("unknown resourceVersionMatch", pods + "resourceVersion=1&resourceVersionMatch=Sometimes",
            "resourceVersionMatch"),
        param("Exact without resourceVersion", pods + "resourceVersionMatch=Exact", "resourceVersionMatch"),
        param("continue with a resourceVersion", pods + "resourceVersion=5&continue="
            + new ContinueToken(5, "registry/pods/bad/a").encode(), "resourceVersion"),
        param("sendInitialEvents", pods + "watch=true&sendInitialEvents=true", "sendInitialEvents"),
        param("watch one object", POD + "?watch=true", "watch"),
        param("object resourceVersion as text", POD + "?resourceVersion=x", "resourceVersion"),
        param("watch quotas from a future revision", NS + "/resourcequotas?watch=true&resourceVersion="
            + Long.MAX_VALUE / 2, "resourceVersion"),
        param("watch from a future revision with a selector", pods + "watch=true&labelSelector=a&resourceVersion="
            + Long.MAX_VALUE / 2, "resourceVersion"),
        param("list exactly at a future revision", pods + "resourceVersion=" + Long.MAX_VALUE / 2
            + "&resourceVersionMatch=Exact", "resourceVersion"),
        post("unknown fieldValidation", NS + "/pods?fieldValidation=Loose", pod("f"), 400, "BadRequest")
            .withField("fieldValidation"),
        post("dry run create", NS + "/pods?dryRun=All", pod("dry"), 400, "BadRequest").withField("dryRun"));
  }

  private List<Row> conflictsAndGone() {
    return List.of(
        post("a pod that exists", NS + "/pods", pod("keep"), 409, "AlreadyExists"),
        post("a namespace that exists", "/api/v1/namespaces", q("{'metadata':{'name':'bad'}}"), 409, "AlreadyExists"),
        row("an update on a stale resourceVersion", "PUT", POD, "application/json", q("{'metadata':{'name':'keep',"
            + "'resourceVersion':'1'},'spec':{'containers':[{'name':'c','image':'i'}]}}"), 409, "Conflict"),
        delete("a delete whose uid precondition fails", q("{'preconditions':{'uid':'someone-else'}}"), 409, "Conflict"),
        row("a watch from a compacted revision", "GET", NS + "/pods?watch=true&resourceVersion=1", null, null, 410,
            "Expired"),
        row("a list exactly at a compacted revision", "GET", NS + "/pods?resourceVersion=1&resourceVersionMatch=Exact",
            null, null, 410, "Expired"));
  }

  @TestFactory
  Stream<DynamicTest> everyBadRequestGetsItsStatus() {
    List<Row> rows = rows();
    assertTrue(rows.size() >= 100, "at least 100 rows: " + rows.size());
    Stream<DynamicTest> http = rows.stream().map(r -> DynamicTest.dynamicTest(r.code() + " " + r.name(), () -> check(r)));
    Stream<DynamicTest> raw = RawRequests.rows().stream()
        .map(r -> DynamicTest.dynamicTest(r.code() + " " + r.name() + " (raw)", () -> RawRequests.check(api, r)));
    return Stream.concat(Stream.concat(http, raw), Stream.of(DynamicTest.dynamicTest(
        "afterwards the server answers and the data is intact", this::intact)));
  }

  private void check(Row r) {
    HttpResponse<String> response = r.accept() == null
        ? api.send(r.method(), r.path(), r.contentType(), r.body())
        : api.send(r.method(), r.path(), r.contentType(), r.body(), "Accept", r.accept());
    assertEquals(r.code(), response.statusCode(), r.name() + ": " + response.body());
    JsonNode status = r.accept() != null && r.accept().contains("yaml") ? yaml(response) : json(response);
    assertEquals("Status", status.path("kind").asText(), response.body());
    assertEquals("Failure", status.path("status").asText());
    assertEquals(r.code(), status.path("code").asInt());
    assertEquals(r.reason(), status.path("reason").asText(), response.body());
    assertTrue(!status.path("message").asText().isBlank(), "a message says what is wrong");
    if (r.field() != null) {
      List<String> fields = new ArrayList<>();
      status.path("details").path("causes").forEach(c -> fields.add(c.path("field").asText()));
      assertTrue(fields.stream().anyMatch(f -> f.equals(r.field()) || f.startsWith(r.field() + ".")
          || f.startsWith(r.field() + "[")), r.name() + ": cause for " + r.field() + " in " + response.body());
    }
  }

  private static JsonNode yaml(HttpResponse<String> response) {
    try {
      return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not YAML: " + response.body(), e);
    }
  }

  private void intact() {
    assertEquals(200, api.get("/api/v1/namespaces").statusCode());
    JsonNode pod = json(api.get(POD));
    assertEquals(podVersion, pod.path("metadata").path("resourceVersion").asText(), "the pod is unchanged");
    assertEquals(uid, pod.path("metadata").path("uid").asText());
    assertEquals(namespaceVersion, json(api.get(NS)).path("metadata").path("resourceVersion").asText(),
        "the namespace (and its quota) is unchanged");
    List<String> pods = new ArrayList<>();
    json(api.get(NS + "/pods")).path("items").forEach(i -> pods.add(i.path("metadata").path("name").asText()));
    assertEquals(List.of("keep"), pods, "no bad request created anything");
    assertEquals(1, json(api.get("/api/v1/namespaces")).path("items").size());
  }
}
