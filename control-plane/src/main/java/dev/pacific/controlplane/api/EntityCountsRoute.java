package dev.pacific.controlplane.api;

import dev.pacific.api.Json;
import dev.pacific.http.ErrorResponses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /admin/v1/entities}: how many entities of each kind this member hosts right now
 * ({@code {"self":"cp-1","entities":{"pods":412,"namespaces":7}}}), from its own shard regions.
 * Operators see how sharding spread the registry; chaos tests pick the member to kill.
 */
public final class EntityCountsRoute {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final String self;
  private final List<EntityTypeKey<?>> kinds;

  public EntityCountsRoute(ActorSystem<?> system, String self, List<EntityTypeKey<?>> kinds) {
    this.system = system;
    this.self = self;
    this.kinds = List.copyOf(kinds);
  }

  public Route route() {
    return Directives.path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("admin").slash("v1").slash("entities"), () ->
        Directives.get(() -> Directives.onComplete(counts(), done -> Directives.complete(done.isSuccess()
            ? HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
                Json.write(Map.of("self", self, "entities", done.get())))
            : ErrorResponses.response(503, "the shard regions did not answer: " + done.failed().get().getMessage())))));
  }

  private CompletionStage<Map<String, Integer>> counts() {
    Map<String, Integer> out = new TreeMap<>();
    CompletableFuture<?>[] all = kinds.stream().map(key -> count(key).thenAccept(n -> {
      synchronized (out) {
        out.put(key.name(), n);
      }
    }).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all).thenApply(v -> out);
  }

  private CompletionStage<Integer> count(EntityTypeKey<?> key) {
    CompletionStage<ShardRegion.CurrentShardRegionState> state = AskPattern.ask(
        ClusterSharding.get(system).shardState(), replyTo -> new GetShardRegionState(key, replyTo), TIMEOUT,
        system.scheduler());
    return state.thenApply(s -> s.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum());
  }
}
