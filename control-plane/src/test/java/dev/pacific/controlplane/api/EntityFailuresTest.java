package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * When the entities fail or never answer, the client still gets a Status: 503 without a quorum,
 * 504 when a write did not answer in time (also past Pekko's request timeout), and a bug is a 500
 * Status, never a stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntityFailuresTest {

  /** Creates by name: "hang" never answers, "noquorum" fails as without a leader, "bug" throws; the rest work. */
  private static final class Failing implements Mutations {
    private final Mutations real;

    Failing(Mutations real) {
      this.real = real;
    }

    @Override
    public CompletionStage<Outcome> create(Object object) {
      String name = object instanceof dev.pacific.api.Namespace ns ? ns.metadata().name() : "";
      return switch (name) {
        case "hang" -> new CompletableFuture<>();
        case "noquorum" -> CompletableFuture.failedFuture(new QuorumUnavailable("no leader reachable from this member"));
        case "bug" -> CompletableFuture.failedFuture(new IllegalStateException("an entity bug"));
        default -> real.create(object);
      };
    }

    @Override
    public CompletionStage<Outcome> update(Object object) {
      return CompletableFuture.failedFuture(new TimeoutException("the entity did not answer within 5 s"));
    }

    @Override
    public CompletionStage<Outcome> updateStatus(Object object) {
      return real.updateStatus(object);
    }

    @Override
    public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
      return real.delete(ref, options);
    }
  }

  private RegistryApiServer api;

  @BeforeAll
  void start() {
    api = new RegistryApiServer(new NameGenerator(), Failing::new, "pekko.http.server.request-timeout = 1s");
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private JsonNode create(String name, int code, String reason) {
    HttpResponse<String> r = api.post("/api/v1/namespaces", q("{'metadata':{'name':'" + name + "'}}"));
    assertEquals(code, r.statusCode(), r.body());
    JsonNode status = json(r);
    assertEquals("Status", status.path("kind").asText());
    assertEquals(reason, status.path("reason").asText());
    return status;
  }

  @Test
  void noQuorumIs503() {
    create("noquorum", 503, "ServiceUnavailable");
  }

  @Test
  void aWriteThatNeverAnswersIs504PastTheRequestTimeout() {
    assertTrue(create("hang", 504, "Timeout").path("message").asText().contains("may still"));
  }

  @Test
  void anEntityTimeoutIs504() {
    assertEquals(201, api.post("/api/v1/namespaces", q("{'metadata':{'name':'fine'}}")).statusCode());
    HttpResponse<String> r = api.put("/api/v1/namespaces/fine", q("{'metadata':{'name':'fine'}}"));
    assertEquals(504, r.statusCode(), r.body());
    assertEquals("Timeout", json(r).path("reason").asText());
  }

  @Test
  void aBugIsA500StatusWithoutAStackTrace() {
    JsonNode status = create("bug", 500, "InternalError");
    assertTrue(!status.toString().contains("\tat ") && !status.toString().contains("Exception:"), status.toString());
  }
}
