package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Watches over the registry: initial ADDED, resume from a resourceVersion, 410, selectors, keep-alive. */
class RegistryApiWatchTest extends RegistryApiFixture {

  private JsonNode pod(String namespace, String name, String labels) {
    HttpResponse<String> r = api.post("/api/v1/namespaces/" + namespace + "/pods",
        q("{'metadata':{'name':'" + name + "','labels':{" + labels + "}},'spec':{'containers':[{'name':'c','image':'i'}]}}"));
    assertEquals(201, r.statusCode(), r.body());
    return json(r);
  }

  private void relabel(String namespace, String name, String labels) {
    HttpResponse<String> r = api.patch("/api/v1/namespaces/" + namespace + "/pods/" + name,
        q("{'metadata':{'labels':{" + labels + "}}}"));
    assertEquals(200, r.statusCode(), r.body());
  }

  private long listRevision(String path) {
    return Long.parseLong(json(api.get(path)).path("metadata").path("resourceVersion").asText());
  }

  private static String typeAndName(JsonNode event) {
    return event == null ? "nothing" : event.path("type").asText() + " "
        + event.path("object").path("metadata").path("name").asText();
  }

  private static long rv(JsonNode event) {
    return Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
  }

  @Test
  void withoutAResourceVersionTheExistingObjectsComeAsAddedThenEveryChange() throws Exception {
    namespace("w-initial");
    pod("w-initial", "a", "'app':'web'");
    pod("w-initial", "b", "'app':'web'");
    RegistryApiServer.Watch w = api.watch("/api/v1/namespaces/w-initial/pods?watch=true");
    assertEquals(200, w.status);
    assertEquals("ADDED a", typeAndName(w.nextChange()));
    assertEquals("ADDED b", typeAndName(w.nextChange()));
    pod("w-initial", "c", "");
    relabel("w-initial", "a", "'app':'api'");
    assertEquals(200, api.delete("/api/v1/namespaces/w-initial/pods/b").statusCode());
    assertEquals("ADDED c", typeAndName(w.nextChange()));
    JsonNode modified = w.nextChange();
    assertEquals("MODIFIED a", typeAndName(modified));
    assertEquals("api", modified.path("object").path("metadata").path("labels").path("app").asText());
    JsonNode deleted = w.nextChange();
    assertEquals("DELETED b", typeAndName(deleted));
    assertEquals("web", deleted.path("object").path("metadata").path("labels").path("app").asText(),
        "a deletion carries the object's last state");
    assertTrue(rv(deleted) > rv(modified), "at the deleting revision");
  }

  @Test
  void fromAResourceVersionEveryLaterEventComesOnceInOrder() throws Exception {
    namespace("w-resume");
    pod("w-resume", "before", "");
    long from = listRevision("/api/v1/namespaces/w-resume/pods");
    RegistryApiServer.Watch live = api.watch("/api/v1/namespaces/w-resume/pods?watch=true&resourceVersion=" + from);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pod("w-resume", "p" + i, "");
      expected.add("ADDED p" + i);
      relabel("w-resume", "p" + i, "'round':'" + i + "'");
      expected.add("MODIFIED p" + i);
      if (i % 3 == 0) {
        assertEquals(200, api.delete("/api/v1/namespaces/w-resume/pods/p" + i).statusCode());
        expected.add("DELETED p" + i);
      }
    }
    RegistryApiServer.Watch replayed = api.watch("/api/v1/namespaces/w-resume/pods?watch=true&resourceVersion=" + from);
    for (RegistryApiServer.Watch w : List.of(live, replayed)) {
      List<String> got = new ArrayList<>();
      long last = from;
      for (int i = 0; i < expected.size(); i++) {
        JsonNode e = w.nextChange();
        got.add(typeAndName(e));
        assertNotNull(e, "event " + i + " of " + expected + ", got " + got);
        assertTrue(rv(e) > last, "strictly after the previous event: " + got);
        last = rv(e);
      }
      assertEquals(expected, got, "every event once, in order, none before the resourceVersion");
      JsonNode extra = w.events.poll(500, TimeUnit.MILLISECONDS);
      assertTrue(extra == null || extra.path("type").asText().equals("BOOKMARK"), "nothing more: " + extra);
    }
  }

  @Test
  void aCompactedResourceVersionIsGoneBeforeStreaming() {
    namespace("w-compacted");
    long old = listRevision("/api/v1/namespaces/w-compacted/pods");
    pod("w-compacted", "x", "");
    pod("w-compacted", "y", "");
    long now = listRevision("/api/v1/namespaces/w-compacted/pods");
    RegistryApiServer.await(api.kv.compact(now));
    HttpResponse<String> r = api.get("/api/v1/namespaces/w-compacted/pods?watch=true&resourceVersion=" + old);
    assertEquals(410, r.statusCode(), r.body());
    assertEquals("Expired", json(r).path("reason").asText());
    HttpResponse<String> selective = api.get("/api/v1/namespaces/w-compacted/pods?watch=true&labelSelector=a&resourceVersion="
        + old);
    assertEquals(410, selective.statusCode(), selective.body());
  }

  @Test
  void selectorsApplyToWatchesAndObjectsLeavingThemAreDeleted() throws Exception {
    namespace("w-select");
    RegistryApiServer.Watch w = api.watch("/api/v1/namespaces/w-select/pods?watch=true&labelSelector="
        + URLEncoder.encode("app=web", StandardCharsets.UTF_8));
    pod("w-select", "web", "'app':'web'");
    pod("w-select", "db", "'app':'db'");
    assertEquals("ADDED web", typeAndName(w.nextChange()));
    relabel("w-select", "web", "'app':'db'");
    JsonNode left = w.nextChange();
    assertEquals("DELETED web", typeAndName(left));
    assertEquals("web", left.path("object").path("metadata").path("labels").path("app").asText(),
        "the last state that matched");
    relabel("w-select", "db", "'app':'web'");
    assertEquals("ADDED db", typeAndName(w.nextChange()));
    relabel("w-select", "db", "'app':'web','more':'x'");
    assertEquals("MODIFIED db", typeAndName(w.nextChange()));
    assertEquals(200, api.delete("/api/v1/namespaces/w-select/pods/web").statusCode());
    assertEquals(200, api.delete("/api/v1/namespaces/w-select/pods/db").statusCode());
    assertEquals("DELETED db", typeAndName(w.nextChange()), "the delete of a non-matching object is not sent");
  }

  @Test
  void aSelectiveWatchFromAResourceVersionKnowsWhatMatchedThen() throws Exception {
    namespace("w-seed");
    pod("w-seed", "m", "'app':'web'");
    long from = listRevision("/api/v1/namespaces/w-seed/pods");
    RegistryApiServer.Watch w = api.watch("/api/v1/namespaces/w-seed/pods?watch=true&labelSelector=app%3Dweb"
        + "&resourceVersion=" + from);
    relabel("w-seed", "m", "'app':'web','x':'1'");
    assertEquals("MODIFIED m", typeAndName(w.nextChange()), "it matched at the resourceVersion: MODIFIED, not ADDED");
  }

  @Test
  void allPodsNamespacesAndNodesCanBeWatched() throws Exception {
    namespace("w-all-a");
    RegistryApiServer.Watch pods = api.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dhost-1");
    RegistryApiServer.Watch namespaces = api.watch("/api/v1/namespaces?watch=true&fieldSelector="
        + "metadata.name%3Dw-all-b");
    RegistryApiServer.Watch nodes = api.watch("/api/v1/nodes?watch=true");
    namespace("w-all-b");
    api.post("/api/v1/namespaces/w-all-b/pods", q("{'metadata':{'name':'bound'},'spec':{'nodeName':'host-1',"
        + "'containers':[{'name':'c','image':'i'}]}}"));
    api.post("/api/v1/namespaces/w-all-a/pods", q("{'metadata':{'name':'free'},'spec':{'containers':[{'name':'c',"
        + "'image':'i'}]}}"));
    api.post("/api/v1/nodes", q("{'metadata':{'name':'host-1'}}"));
    assertEquals("ADDED bound", typeAndName(pods.nextChange()));
    assertEquals("ADDED w-all-b", typeAndName(namespaces.nextChange()));
    assertEquals("ADDED host-1", typeAndName(nodes.nextChange()));
    JsonNode more = pods.events.poll(500, TimeUnit.MILLISECONDS);
    assertNull(more, "the pod not bound to host-1 is not sent: " + more);
  }

  @Test
  void aQuietWatchOutlivesTheIdleTimeoutWithBookmarksOrBlankLines() throws Exception {
    namespace("w-quiet");
    long from = listRevision("/api/v1/namespaces/w-quiet/pods");
    RegistryApiServer.Watch bookmarks = api.watch("/api/v1/namespaces/w-quiet/pods?watch=true&allowWatchBookmarks=true"
        + "&resourceVersion=" + from);
    RegistryApiServer.Watch plain = api.watch("/api/v1/namespaces/w-quiet/pods?watch=true&resourceVersion=" + from);
    Thread.sleep(RegistryApiServer.IDLE_TIMEOUT.toMillis() * 2 + 500);
    JsonNode bookmark = bookmarks.next();
    assertEquals("BOOKMARK", bookmark.path("type").asText());
    assertEquals("Pod", bookmark.path("object").path("kind").asText());
    assertTrue(rv(bookmark) >= from, "a bookmark names a revision the watch has passed");
    assertTrue(plain.blankLines > 0, "a watch without bookmarks keeps alive with blank lines");
    assertTrue(plain.events.isEmpty(), "and sends no events it was not asked for");
    pod("w-quiet", "late", "");
    assertEquals("ADDED late", typeAndName(bookmarks.nextChange()), "still open after twice the idle timeout");
    assertEquals("ADDED late", typeAndName(plain.nextChange()));
    assertTrue(!bookmarks.ended && !plain.ended);
  }

  @Test
  void timeoutSecondsEndsTheWatch() throws Exception {
    namespace("w-timeout");
    RegistryApiServer.Watch w = api.watch("/api/v1/namespaces/w-timeout/pods?watch=true&timeoutSeconds=1");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!w.ended && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertTrue(w.ended, "the server ended the watch after timeoutSeconds");
  }

  @Test
  void watchesSpeakJson() {
    HttpResponse<String> yaml = api.get("/api/v1/namespaces?watch=true", "Accept", "application/yaml");
    assertEquals(406, yaml.statusCode());
    HttpResponse<String> quotas = api.get("/api/v1/resourcequotas?watch=true", "Accept", "application/yaml");
    assertEquals(406, quotas.statusCode());
  }
}
