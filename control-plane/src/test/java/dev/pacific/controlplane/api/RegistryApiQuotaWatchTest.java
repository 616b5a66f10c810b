package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Watches of resource quotas, which live in their namespace's record: events derived from the
 * namespace changes, the quota's resourceVersion that of its namespace record, resume from a
 * list's resourceVersion, 410 once compacted. Usage here is written through {@code /status} as the
 * namespace entity writes it; {@link QuotaWatchAdmissionTest} has real admission.
 */
class RegistryApiQuotaWatchTest extends RegistryApiFixture {

  private static String quotas(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/resourcequotas";
  }

  private void quota(String namespace, String name, int pods) {
    HttpResponse<String> r = api.post(quotas(namespace), q("{'metadata':{'name':'" + name + "'},'spec':{'hard':{'pods':'"
        + pods + "'}}}"));
    assertEquals(201, r.statusCode(), r.body());
  }

  private void used(String namespace, String name, int pods) {
    HttpResponse<String> r = api.patch(quotas(namespace) + "/" + name + "/status",
        q("{'status':{'used':{'pods':'" + pods + "'}}}"));
    assertEquals(200, r.statusCode(), r.body());
  }

  private void hard(String namespace, String name, int pods) {
    HttpResponse<String> r = api.patch(quotas(namespace) + "/" + name, q("{'spec':{'hard':{'pods':'" + pods + "'}}}"));
    assertEquals(200, r.statusCode(), r.body());
  }

  private void deleteQuota(String namespace, String name) {
    assertEquals(200, api.delete(quotas(namespace) + "/" + name).statusCode());
  }

  private void relabelNamespace(String namespace, String value) {
    HttpResponse<String> r = api.patch("/api/v1/namespaces/" + namespace, q("{'metadata':{'labels':{'x':'" + value
        + "'}}}"));
    assertEquals(200, r.statusCode(), r.body());
  }

  private long listRevision(String path) {
    return Long.parseLong(json(api.get(path)).path("metadata").path("resourceVersion").asText());
  }

  private static String describe(JsonNode event) {
    if (event == null) {
      return "nothing";
    }
    JsonNode quota = event.path("object");
    return event.path("type").asText() + " " + quota.path("metadata").path("namespace").asText() + "/"
        + quota.path("metadata").path("name").asText() + " pods=" + quota.path("status").path("used").path("pods")
        .asText("-") + "/" + quota.path("spec").path("hard").path("pods").asText();
  }

  private static long rv(JsonNode event) {
    return Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
  }

  /** The next {@code count} changes, each strictly after the one before, as described. */
  private static List<String> next(RegistryApiServer.Watch w, int count, long after) throws InterruptedException {
    List<String> got = new ArrayList<>();
    long last = after;
    for (int i = 0; i < count; i++) {
      JsonNode e = w.nextChange();
      assertNotNull(e, "event " + i + " of " + count + ", got " + got);
      got.add(describe(e));
      assertTrue(rv(e) > last, "strictly after the previous event: " + got + " at " + rv(e));
      last = rv(e);
    }
    return got;
  }

  private static void nothingMore(RegistryApiServer.Watch w) throws InterruptedException {
    JsonNode extra = w.events.poll(500, TimeUnit.MILLISECONDS);
    assertTrue(extra == null || extra.path("type").asText().equals("BOOKMARK"), "nothing more: " + extra);
  }

  @Test
  void aQuotaIsAddedModifiedAsItsSpecOrUsageChangesAndDeletedWithItsLastState() throws Exception {
    namespace("qw-life");
    RegistryApiServer.Watch w = api.watch(quotas("qw-life") + "?watch=true");
    assertEquals(200, w.status);
    quota("qw-life", "compute", 2);
    JsonNode added = w.nextChange();
    assertEquals("ADDED qw-life/compute pods=-/2", describe(added));
    assertEquals("ResourceQuota", added.path("object").path("kind").asText());
    assertEquals(json(api.get(quotas("qw-life") + "/compute")).path("metadata").path("resourceVersion").asText(),
        added.path("object").path("metadata").path("resourceVersion").asText(), "the resourceVersion a get shows");
    used("qw-life", "compute", 1);
    assertEquals("MODIFIED qw-life/compute pods=1/2", describe(w.nextChange()), "usage alone is a change");
    relabelNamespace("qw-life", "1");
    hard("qw-life", "compute", 3);
    JsonNode modified = w.nextChange();
    assertEquals("MODIFIED qw-life/compute pods=1/3", describe(modified),
        "the namespace's own change, which left the quota alone, is not sent");
    deleteQuota("qw-life", "compute");
    JsonNode deleted = w.nextChange();
    assertEquals("DELETED qw-life/compute pods=1/3", describe(deleted), "the last state");
    assertTrue(rv(deleted) > rv(modified), "at the deleting revision");
    nothingMore(w);
  }

  @Test
  void withoutAResourceVersionTheExistingQuotasComeAsAddedAsTheListShowsThem() throws Exception {
    namespace("qw-initial");
    quota("qw-initial", "b", 1);
    quota("qw-initial", "a", 5);
    JsonNode list = json(api.get(quotas("qw-initial")));
    RegistryApiServer.Watch w = api.watch(quotas("qw-initial") + "?watch=true");
    for (JsonNode item : list.path("items")) {
      JsonNode e = w.nextChange();
      assertEquals("ADDED", e.path("type").asText());
      assertEquals(item, e.path("object"), "the object as the list has it, resourceVersion included");
    }
    used("qw-initial", "a", 2);
    assertEquals("MODIFIED qw-initial/a pods=2/5", describe(w.nextChange()));
    nothingMore(w);
  }

  @Test
  void fromAListsResourceVersionEveryLaterEventComesOnceInOrder() throws Exception {
    namespace("qw-resume");
    quota("qw-resume", "before", 9);
    long from = listRevision(quotas("qw-resume"));
    RegistryApiServer.Watch live = api.watch(quotas("qw-resume") + "?watch=true&resourceVersion=" + from);
    List<String> expected = new ArrayList<>();
    used("qw-resume", "before", 1);
    expected.add("MODIFIED qw-resume/before pods=1/9");
    for (int i = 0; i < 6; i++) {
      quota("qw-resume", "q" + i, i + 1);
      expected.add("ADDED qw-resume/q" + i + " pods=-/" + (i + 1));
      relabelNamespace("qw-resume", "r" + i);
      used("qw-resume", "q" + i, i);
      expected.add("MODIFIED qw-resume/q" + i + " pods=" + i + "/" + (i + 1));
      if (i % 3 == 0) {
        deleteQuota("qw-resume", "q" + i);
        expected.add("DELETED qw-resume/q" + i + " pods=" + i + "/" + (i + 1));
      }
    }
    RegistryApiServer.Watch replayed = api.watch(quotas("qw-resume") + "?watch=true&resourceVersion=" + from);
    for (RegistryApiServer.Watch w : List.of(live, replayed)) {
      assertEquals(expected, next(w, expected.size(), from), "every event once, in order, none at or before "
          + from);
      nothingMore(w);
    }
  }

  @Test
  void allNamespacesAreWatchedAndADeletedNamespaceDeletesItsQuotas() throws Exception {
    long from = listRevision("/api/v1/resourcequotas");
    RegistryApiServer.Watch all = api.watch("/api/v1/resourcequotas?watch=true&resourceVersion=" + from);
    RegistryApiServer.Watch one = api.watch("/api/v1/resourcequotas?watch=true&fieldSelector=metadata.namespace%3D"
        + "qw-all-b&resourceVersion=" + from);
    namespace("qw-all-a");
    namespace("qw-all-b");
    quota("qw-all-a", "x", 1);
    quota("qw-all-b", "x", 2);
    quota("qw-all-a", "y", 3);
    assertEquals(200, api.delete("/api/v1/namespaces/qw-all-a").statusCode());
    assertEquals(List.of("ADDED qw-all-a/x pods=-/1", "ADDED qw-all-b/x pods=-/2", "ADDED qw-all-a/y pods=-/3"),
        next(all, 3, from));
    List<String> deleted = new ArrayList<>();
    JsonNode first = all.nextChange();
    JsonNode second = all.nextChange();
    deleted.add(describe(first));
    deleted.add(describe(second));
    assertEquals(List.of("DELETED qw-all-a/x pods=-/1", "DELETED qw-all-a/y pods=-/3"), deleted,
        "each quota of the namespace, by name");
    assertEquals(rv(first), rv(second), "both at the namespace's deleting revision");
    assertEquals(List.of("ADDED qw-all-b/x pods=-/2"), next(one, 1, from));
    nothingMore(one);
  }

  @Test
  void aCompactedResourceVersionIsGoneBeforeStreaming() {
    namespace("qw-compacted");
    long old = listRevision(quotas("qw-compacted"));
    quota("qw-compacted", "a", 1);
    quota("qw-compacted", "b", 1);
    long now = listRevision(quotas("qw-compacted"));
    RegistryApiServer.await(api.kv.compact(now));
    for (String query : List.of("", "&labelSelector=a")) {
      HttpResponse<String> r = api.get(quotas("qw-compacted") + "?watch=true" + query + "&resourceVersion=" + old);
      assertEquals(410, r.statusCode(), r.body());
      assertEquals("Expired", json(r).path("reason").asText());
      assertEquals("Status", json(r).path("kind").asText());
    }
    HttpResponse<String> all = api.get("/api/v1/resourcequotas?watch=true&resourceVersion=" + old);
    assertEquals(410, all.statusCode(), all.body());
  }

  @Test
  void aQuietQuotaWatchSendsBookmarksOfItsKind() throws Exception {
    namespace("qw-quiet");
    long from = listRevision(quotas("qw-quiet"));
    RegistryApiServer.Watch w = api.watch(quotas("qw-quiet") + "?watch=true&allowWatchBookmarks=true&resourceVersion="
        + from);
    JsonNode bookmark = w.next();
    assertEquals("BOOKMARK", bookmark.path("type").asText());
    assertEquals("ResourceQuota", bookmark.path("object").path("kind").asText());
    assertTrue(rv(bookmark) >= from);
  }
}
