package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A quota watch over the real entities: the namespace entity's admission of a pod changes the
 * quota's {@code status.used}, and a watcher sees it as MODIFIED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaWatchAdmissionTest {

  private static final String QUOTAS = "/api/v1/namespaces/adm/resourcequotas";

  private RegistryApiServer api;

  @BeforeAll
  void start() throws InterruptedException {
    api = RegistryApiServer.withEntities();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private static String used(JsonNode event) {
    return event.path("object").path("status").path("used").path("pods").asText("-");
  }

  /** Creates the pod, waiting out the namespace's first count of its pods (until then admission refuses, 403). */
  private void admit(String name) throws InterruptedException {
    String body = q("{'metadata':{'name':'" + name + "'},'spec':{'containers':[{'name':'c','image':'i'}]}}");
    long until = System.nanoTime() + 20_000_000_000L;
    HttpResponse<String> r;
    do {
      r = api.post("/api/v1/namespaces/adm/pods", body);
      if (r.statusCode() == 403) {
        Thread.sleep(100);
      }
    } while (r.statusCode() == 403 && System.nanoTime() < until);
    assertEquals(201, r.statusCode(), r.body());
  }

  @Test
  void admittingAPodIsAModifiedQuotaAndDeletingTheQuotaADeletedOne() throws Exception {
    assertEquals(201, api.post("/api/v1/namespaces", q("{'metadata':{'name':'adm'}}")).statusCode());
    long from = Long.parseLong(json(api.get(QUOTAS)).path("metadata").path("resourceVersion").asText());
    RegistryApiServer.Watch w = api.watch(QUOTAS + "?watch=true&resourceVersion=" + from);
    HttpResponse<String> created = api.post(QUOTAS, q("{'metadata':{'name':'compute'},'spec':{'hard':{'pods':'2'}}}"));
    assertEquals(201, created.statusCode(), created.body());
    JsonNode added = w.nextChange();
    assertEquals("ADDED compute", added.path("type").asText() + " " + added.path("object").path("metadata")
        .path("name").asText());

    admit("a");
    // The namespace's first count of its pods may show as a MODIFIED of its own before the admission does.
    JsonNode modified;
    do {
      modified = w.nextChange();
      assertNotNull(modified, "a MODIFIED with the pod counted");
      assertEquals("MODIFIED", modified.path("type").asText(), modified.toString());
    } while (!used(modified).equals("1"));
    assertEquals("2", modified.path("object").path("spec").path("hard").path("pods").asText());
    assertEquals(json(api.get(QUOTAS + "/compute")).path("status"), modified.path("object").path("status"),
        "the usage a get shows");

    assertEquals(200, api.delete(QUOTAS + "/compute").statusCode());
    JsonNode deleted = w.nextChange();
    assertEquals("DELETED", deleted.path("type").asText(), deleted.toString());
    assertEquals("1", used(deleted), "with its last state");
    assertTrue(Long.parseLong(deleted.path("object").path("metadata").path("resourceVersion").asText())
        > Long.parseLong(modified.path("object").path("metadata").path("resourceVersion").asText()));
  }
}
