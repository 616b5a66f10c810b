package dev.pacific.controlplane.lb;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * The byte path of the balancer (Pekko Streams TCP). Each client connection is held — its first
 * bytes wait in the socket — until a backend has accepted a connection; a refused or timed-out
 * connect is reported and the next backend tried, so a dead API server costs the client a
 * retry, not an error. Half-close is kept both ways: a client that finishes sending still gets
 * the whole answer. Back-pressure runs end to end through the stream.
 */
final class TcpProxy {

  private final ActorSystem<?> system;
  private final ActorRef<LoadBalancer.Command> balancer;
  private final LbSettings settings;

  TcpProxy(ActorSystem<?> system, ActorRef<LoadBalancer.Command> balancer, LbSettings settings) {
    this.system = system;
    this.balancer = balancer;
    this.settings = settings;
  }

  /** Starts listening; completes with the bound port. */
  CompletionStage<Integer> listen() {
    return Tcp.get(system)
        .bind(settings.host(), settings.port(), settings.backlog(), List.of(), true, Optional.of(settings.idleTimeout()))
        .to(Sink.foreach(this::serve))
        .run(system)
        .thenApply(binding -> binding.localAddress().getPort());
  }

  private void serve(Tcp.IncomingConnection client) {
    client.handleWith(Flow.completionStageFlow(connect(new HashSet<>())), system);
  }

  /** A flow to the first backend that accepts a connection, trying each at most once. */
  private CompletionStage<Flow<ByteString, ByteString, NotUsed>> connect(Set<InetSocketAddress> tried) {
    CompletionStage<Optional<InetSocketAddress>> picked = AskPattern.ask(balancer,
        replyTo -> new LoadBalancer.Pick(Set.copyOf(tried), replyTo), settings.pickTimeout(), system.scheduler());
    return picked.thenCompose(choice -> {
      if (choice.isEmpty()) {
        return CompletableFuture.failedFuture(new IllegalStateException("no API server is available"));
      }
      InetSocketAddress backend = choice.get();
      return open(backend).handle((flow, failure) -> {
        if (failure == null) {
          return CompletableFuture.completedFuture(flow);
        }
        balancer.tell(new LoadBalancer.ConnectFailed(backend));
        tried.add(backend);
        return connect(tried);
      }).thenCompose(f -> f);
    });
  }

  /**
   * Connects to {@code backend} before any client byte is sent. The outgoing stream runs on its
   * own; once connected it is handed to the client side as a flow of a subscriber (bytes to the
   * backend) and a publisher (bytes from it), not coupled, so each direction closes on its own.
   */
  private CompletionStage<Flow<ByteString, ByteString, NotUsed>> open(InetSocketAddress backend) {
    var outgoing = Tcp.get(system).outgoingConnection(backend, Optional.empty(), List.of(), true,
        Optional.of(settings.connectTimeout()), Optional.of(settings.idleTimeout()));
    Pair<Pair<Pair<Subscriber<ByteString>, CompletionStage<Done>>, CompletionStage<Tcp.OutgoingConnection>>,
        Pair<CompletionStage<Done>, Publisher<ByteString>>> running =
        Source.<ByteString>asSubscriber()
            .watchTermination(Keep.both())
            .viaMat(outgoing, Keep.both())
            .watchTermination(Keep.both())
            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), (l, r) -> Pair.create(l.first(), Pair.create(l.second(), r)))
            .run(system);
    Subscriber<ByteString> toBackend = running.first().first().first();
    CompletionStage<Done> sendingDone = running.first().first().second();
    CompletionStage<Tcp.OutgoingConnection> connected = running.first().second();
    CompletionStage<Done> receivingDone = running.second().first();
    Publisher<ByteString> fromBackend = running.second().second();
    return connected.thenApply(c -> {
      balancer.tell(new LoadBalancer.Opened(backend));
      CompletableFuture.allOf(quietly(sendingDone), quietly(receivingDone))
          .whenComplete((d, e) -> balancer.tell(new LoadBalancer.Closed(backend)));
      return Flow.fromSinkAndSource(Sink.fromSubscriber(toBackend), Source.fromPublisher(fromBackend));
    });
  }

  private static CompletableFuture<Object> quietly(CompletionStage<Done> stage) {
    return stage.toCompletableFuture().handle((d, e) -> d);
  }
}
