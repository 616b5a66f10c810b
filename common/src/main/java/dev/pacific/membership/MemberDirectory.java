package dev.pacific.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * The cluster-wide table of member cards, replicated with Pekko Distributed Data (an LWW map
 * keyed by member name). Every member publishes its own card; anyone may subscribe. A card
 * outlives its member, so a host that died is still known (and shown NotReady) rather than
 * silently vanishing; a restarted control-plane member learns the table by gossip.
 */
public final class MemberDirectory {

  /** The table as seen by this member, by member name. */
  public record Members(Map<String, MemberCard> byName) {
    public Members {
      byName = Map.copyOf(byName);
    }

    public List<MemberCard> withRole(String role) {
      List<MemberCard> cards = new ArrayList<>();
      for (MemberCard card : byName.values()) {
        if (card.role().equals(role)) {
          cards.add(card);
        }
      }
      cards.sort(java.util.Comparator.comparing(MemberCard::name));
      return cards;
    }
  }

  public sealed interface Command {}

  /** Put this member's card in the table (replaces its earlier card). */
  public record Publish(MemberCard card) implements Command {}

  /** Receive the table now and after every change. */
  public record Subscribe(ActorRef<Members> subscriber) implements Command {}

  /** Receive the table once. */
  public record Get(ActorRef<Members> replyTo) implements Command {}

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, MemberCard>> response) implements Command {}

  private record Written(Replicator.UpdateResponse<LWWMap<String, MemberCard>> response, MemberCard card)
      implements Command {}

  private static final org.apache.pekko.cluster.ddata.Key<LWWMap<String, MemberCard>> KEY = LWWMapKey.create("pacific-members");

  private MemberDirectory() {}

  /**
   * The latest table, readable from any thread (HTTP routes, stream stages): spawns a child of
   * {@code ctx} that follows the directory.
   */
  public static Supplier<Members> follow(ActorContext<?> ctx, ActorRef<Command> directory, String childName) {
    AtomicReference<Members> latest = new AtomicReference<>(new Members(Map.of()));
    ActorRef<Members> follower = ctx.spawn(Behaviors.receive(Members.class)
        .onMessage(Members.class, m -> {
          latest.set(m);
          return Behaviors.same();
        })
        .build(), childName);
    directory.tell(new Subscribe(follower));
    return latest::get;
  }

  /** @param writeTimeout how long a publish waits for every member to have the card before it is left to gossip */
  public static Behavior<Command> create(Duration writeTimeout) {
    // A failure here must not take the whole member down: restart and re-subscribe.
    return Behaviors.supervise(create0(writeTimeout)).onFailure(SupervisorStrategy.restart());
  }

  private static Behavior<Command> create0(Duration writeTimeout) {
    return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, MemberCard>> replicator) -> {
          replicator.subscribe(KEY, Changed::new);
          SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
          return running(replicator, self, writeTimeout, Map.of(), List.of());
        }));
  }

  private static Behavior<Command> running(
      ReplicatorMessageAdapter<Command, LWWMap<String, MemberCard>> replicator,
      SelfUniqueAddress self,
      Duration writeTimeout,
      Map<String, MemberCard> cards,
      List<ActorRef<Members>> subscribers) {
    return Behaviors.receive(Command.class)
        .onMessage(Publish.class, p -> {
          replicator.askUpdate(
              replyTo -> new Replicator.Update<>(KEY, LWWMap.empty(), new Replicator.WriteAll(writeTimeout), replyTo,
                  map -> map.put(self, p.card().name(), p.card())),
              response -> new Written(response, p.card()));
          return Behaviors.same();
        })
        .onMessage(Written.class, w -> {
          // A timed-out WriteAll still holds locally and spreads by gossip; nothing to retry.
          return Behaviors.same();
        })
        .onMessage(Changed.class, c -> {
          if (c.response() instanceof Replicator.Changed<LWWMap<String, MemberCard>> changed) {
            Map<String, MemberCard> now = new HashMap<>(changed.get(KEY).getEntries());
            Members members = new Members(now);
            subscribers.forEach(s -> s.tell(members));
            return running(replicator, self, writeTimeout, now, subscribers);
          }
          return Behaviors.same();
        })
        .onMessage(Subscribe.class, s -> {
          s.subscriber().tell(new Members(cards));
          List<ActorRef<Members>> more = new ArrayList<>(subscribers);
          more.add(s.subscriber());
          return running(replicator, self, writeTimeout, cards, more);
        })
        .onMessage(Get.class, g -> {
          g.replyTo().tell(new Members(cards));
          return Behaviors.same();
        })
        .build();
  }
}
