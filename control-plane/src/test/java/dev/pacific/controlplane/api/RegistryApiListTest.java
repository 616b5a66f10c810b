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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Lists: label and field selectors, consistent paging at one revision, quotas, exact resourceVersion. */
class RegistryApiListTest extends RegistryApiFixture {

  private void pod(String namespace, String name, String labels, String nodeName) {
    String spec = "'containers':[{'name':'c','image':'i'}]" + (nodeName == null ? "" : ",'nodeName':'" + nodeName + "'");
    HttpResponse<String> r = api.post("/api/v1/namespaces/" + namespace + "/pods",
        q("{'metadata':{'name':'" + name + "','labels':{" + labels + "}},'spec':{" + spec + "}}"));
    assertEquals(201, r.statusCode(), r.body());
  }

  private List<String> names(String path) {
    HttpResponse<String> r = api.get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    List<String> names = new ArrayList<>();
    json(r).path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    return names;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void labelSelectorsSelectAsKubernetesDoes() {
    namespace("labels");
    pod("labels", "a", "'app':'web','tier':'front','n':'5'", null);
    pod("labels", "b", "'app':'web','tier':'back','n':'12'", null);
    pod("labels", "c", "'app':'db'", null);
    pod("labels", "d", "", null);
    String base = "/api/v1/namespaces/labels/pods?labelSelector=";
    assertEquals(List.of("a", "b"), names(base + enc("app=web")));
    assertEquals(List.of("a", "b"), names(base + enc("app==web")));
    assertEquals(List.of("c", "d"), names(base + enc("app!=web")), "!= selects objects without the key too");
    assertEquals(List.of("a", "b"), names(base + enc("tier in (front, back)")));
    assertEquals(List.of("b", "c", "d"), names(base + enc("tier notin (front)")));
    assertEquals(List.of("a", "b"), names(base + enc("tier")));
    assertEquals(List.of("c", "d"), names(base + enc("!tier")));
    assertEquals(List.of("b"), names(base + enc("app=web,tier=back")));
    assertEquals(List.of("b"), names(base + enc("n>6")));
    assertEquals(List.of("a"), names(base + enc("n<6")));
    assertEquals(List.of("a", "b", "c", "d"), names(base));
  }

  @Test
  void fieldSelectorsSelectByNameNamespaceNodeAndPhase() {
    namespace("fields-1");
    namespace("fields-2");
    pod("fields-1", "bound", "", "host-1");
    pod("fields-1", "free", "", null);
    pod("fields-2", "other", "", "host-1");
    assertEquals(List.of("bound"), names("/api/v1/namespaces/fields-1/pods?fieldSelector=metadata.name%3Dbound"));
    assertEquals(List.of("bound", "other"), names("/api/v1/pods?fieldSelector=" + enc("spec.nodeName=host-1")));
    assertEquals(List.of("free"), names("/api/v1/namespaces/fields-1/pods?fieldSelector=" + enc("spec.nodeName=")));
    assertEquals(List.of("other"), names("/api/v1/pods?fieldSelector="
        + enc("spec.nodeName=host-1,metadata.namespace!=fields-1")));
    assertEquals(List.of(), names("/api/v1/namespaces/fields-1/pods?fieldSelector=" + enc("status.phase!=Pending")));
    JsonNode pod = json(api.get("/api/v1/namespaces/fields-1/pods/bound"));
    assertEquals(200, api.put("/api/v1/namespaces/fields-1/pods/bound/status", q("{'metadata':{'name':'bound',"
        + "'resourceVersion':'" + pod.path("metadata").path("resourceVersion").asText() + "'},"
        + "'status':{'phase':'Running'}}")).statusCode());
    assertEquals(List.of("bound"), names("/api/v1/namespaces/fields-1/pods?fieldSelector=" + enc("status.phase=Running")));
    assertEquals(List.of("fields-2"), names("/api/v1/namespaces?fieldSelector=" + enc("metadata.name=fields-2")));
  }

  @Test
  void pagesReadAtTheFirstPagesRevisionWhileWritesGoOn() {
    namespace("paging");
    Set<String> original = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      pod("paging", String.format("p-%02d", i), "", null);
      original.add(String.format("p-%02d", i));
    }
    JsonNode first = json(api.get("/api/v1/namespaces/paging/pods?limit=10"));
    String revision = first.path("metadata").path("resourceVersion").asText();
    List<String> seen = new ArrayList<>();
    first.path("items").forEach(i -> seen.add(i.path("metadata").path("name").asText()));
    assertEquals(10, seen.size());
    // Writes between pages: new pods (before and after the cursor), deletions and updates.
    List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
    IntStream.range(0, 6).forEach(i -> writes.add(CompletableFuture.supplyAsync(() -> api.post(
        "/api/v1/namespaces/paging/pods", q("{'metadata':{'name':'p-" + (i % 2 == 0 ? "0" : "9") + i + "x'},"
            + "'spec':{'containers':[{'name':'c','image':'i'}]}}")))));
    writes.add(CompletableFuture.supplyAsync(() -> api.delete("/api/v1/namespaces/paging/pods/p-20")));
    writes.add(CompletableFuture.supplyAsync(() -> api.patch("/api/v1/namespaces/paging/pods/p-15",
        q("{'metadata':{'labels':{'changed':'yes'}}}"))));
    String token = first.path("metadata").path("continue").asText();
    while (!token.isEmpty()) {
      JsonNode page = json(api.get("/api/v1/namespaces/paging/pods?limit=10&continue=" + enc(token)));
      assertEquals(revision, page.path("metadata").path("resourceVersion").asText(), "every page at one revision");
      page.path("items").forEach(i -> {
        seen.add(i.path("metadata").path("name").asText());
        assertTrue(Long.parseLong(i.path("metadata").path("resourceVersion").asText()) <= Long.parseLong(revision));
        assertTrue(i.path("metadata").path("labels").path("changed").isMissingNode(), "not the later update");
      });
      token = page.path("metadata").path("continue").asText();
    }
    writes.forEach(w -> assertTrue(w.join().statusCode() < 300, w.join().body()));
    assertEquals(original, new HashSet<>(seen), "exactly the objects at the first page's revision");
    assertEquals(25, seen.size(), "each once");
    List<String> now = names("/api/v1/namespaces/paging/pods");
    assertEquals(30, now.size(), "a new list sees the writes: " + now);
  }

  @Test
  void aSelectiveListFillsEachPageWithMatches() {
    namespace("fill");
    for (int i = 0; i < 30; i++) {
      pod("fill", String.format("f-%02d", i), i % 3 == 0 ? "'pick':'yes'" : "", null);
    }
    List<String> picked = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      JsonNode page = json(api.get("/api/v1/namespaces/fill/pods?limit=4&labelSelector=pick%3Dyes"
          + (token.isEmpty() ? "" : "&continue=" + enc(token))));
      page.path("items").forEach(i -> picked.add(i.path("metadata").path("name").asText()));
      token = page.path("metadata").path("continue").asText();
      if (!token.isEmpty()) {
        assertEquals(4, page.path("items").size(), "a page with more to come is full");
      }
      pages++;
    } while (!token.isEmpty());
    assertEquals(10, picked.size(), picked.toString());
    assertEquals(3, pages);
  }

  @Test
  void aContinueTokenOutlivedByCompactionIsGone() {
    namespace("compacted");
    for (int i = 0; i < 4; i++) {
      pod("compacted", "c-" + i, "", null);
    }
    String token = json(api.get("/api/v1/namespaces/compacted/pods?limit=2")).path("metadata").path("continue").asText();
    pod("compacted", "c-later", "", null);
    long now = Long.parseLong(json(api.get("/api/v1/namespaces/compacted/pods")).path("metadata")
        .path("resourceVersion").asText());
    RegistryApiServer.await(api.kv.compact(now));
    HttpResponse<String> r = api.get("/api/v1/namespaces/compacted/pods?limit=2&continue=" + enc(token));
    assertEquals(410, r.statusCode(), r.body());
    assertEquals("Expired", json(r).path("reason").asText());
    assertTrue(json(r).path("message").asText().contains("continue"), r.body());
  }

  @Test
  void anExactResourceVersionListsThePast() {
    namespace("past");
    pod("past", "old", "", null);
    String then = json(api.get("/api/v1/namespaces/past/pods")).path("metadata").path("resourceVersion").asText();
    pod("past", "new", "", null);
    assertEquals(List.of("old"), names("/api/v1/namespaces/past/pods?resourceVersion=" + then
        + "&resourceVersionMatch=Exact"));
    assertEquals(List.of("new", "old"), names("/api/v1/namespaces/past/pods?resourceVersion=" + then));
  }

  @Test
  void podsAndQuotasAreListedAcrossNamespaces() {
    namespace("across-a");
    namespace("across-b");
    pod("across-a", "x", "", null);
    pod("across-b", "x", "", null);
    JsonNode all = json(api.get("/api/v1/pods?fieldSelector=metadata.name%3Dx"));
    assertEquals("PodList", all.path("kind").asText());
    assertEquals(2, all.path("items").size());
    for (String ns : List.of("across-a", "across-b")) {
      for (String q : List.of("q1", "q2")) {
        assertEquals(201, api.post("/api/v1/namespaces/" + ns + "/resourcequotas",
            q("{'metadata':{'name':'" + q + "'},'spec':{'hard':{'pods':'3'}}}")).statusCode());
      }
    }
    List<String> quotas = new ArrayList<>();
    String token = "";
    do {
      JsonNode page = json(api.get("/api/v1/resourcequotas?limit=3" + (token.isEmpty() ? "" : "&continue=" + enc(token))));
      page.path("items").forEach(i -> quotas.add(i.path("metadata").path("namespace").asText() + "/"
          + i.path("metadata").path("name").asText()));
      token = page.path("metadata").path("continue").asText();
    } while (!token.isEmpty());
    assertEquals(List.of("across-a/q1", "across-a/q2", "across-b/q1", "across-b/q2"), quotas);
  }
}
