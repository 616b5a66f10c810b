package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import dev.pacific.controlplane.quorum.QuorumMember.Reply;
import dev.pacific.controlplane.quorum.QuorumMember.Result;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Asynchronous access to the quorum from any control-plane member, through its
 * local {@code /user/quorum} (which forwards to the leader). One client is one
 * session (dissertation §6.3): a random client id and increasing sequence
 * numbers; a retry after a time-out or a {@code NotLeader} reuses the same
 * sequence number, so the state machine applies the command at most once.
 * Attempts are short and back off, until an overall deadline.
 */
public final class QuorumClient {

  /** Wraps a command with the session, in the state machine's format. */
  @FunctionalInterface
  public interface SessionCodec {
    byte[] wrap(String clientId, long seq, byte[] command);
  }

  /**
   * @param attemptTimeout how long one attempt waits for its answer
   * @param backoffMin     the pause before the first retry; doubles per retry
   * @param backoffMax     the longest pause between retries
   * @param deadline       when the whole request gives up
   * @param sessionIdleMax a session idle this long is dropped, not reused: the state machine forgets
   *                       sessions idle for {@code pacific.quorum.store.session-ttl}
   */
  public record Settings(Duration attemptTimeout, Duration backoffMin, Duration backoffMax, Duration deadline,
                         Duration sessionIdleMax) {

    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("pacific.quorum.client");
      return new Settings(c.getDuration("attempt-timeout"), c.getDuration("backoff-min"),
          c.getDuration("backoff-max"), c.getDuration("deadline"), c.getDuration("session-idle-max"));
    }
  }

  /** The quorum did not answer before the deadline: no leader, or no majority reachable. */
  public static final class QuorumUnavailable extends RuntimeException {
    public QuorumUnavailable(String message) {
      super(message);
    }
  }

  private final ActorSystem<?> system;
  private final ActorRef<QuorumMember.Command> member;
  private final SessionCodec codec;
  private final Settings settings;
  /**
   * Sessions not in use, the most recently used first. A session carries one request at a time, so
   * its sequence numbers reach the state machine in order (a later seq applied first would make the
   * earlier one stale); concurrent requests take concurrent sessions. Reusing the latest keeps the
   * sessions a quiet client needs few and warm; the ones left idle age out (see {@link #takeSession}).
   */
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();

  private static final class Session {
    final String clientId = UUID.randomUUID().toString();
    final AtomicLong lastSeq = new AtomicLong();
    volatile long idleSinceNanos;
  }

  public QuorumClient(ActorSystem<?> system, ActorRef<QuorumMember.Command> member, SessionCodec codec,
                      Settings settings) {
    this.system = system;
    this.member = member;
    this.codec = codec;
    this.settings = settings;
  }

  /**
   * Replicates {@code command} in a session of this client; completes with the state machine's
   * result. Retries reuse the sequence number, so the command applies at most once.
   */
  public CompletionStage<Result> propose(byte[] command) {
    Session session = takeSession();
    byte[] wrapped = codec.wrap(session.clientId, session.lastSeq.incrementAndGet(), command);
    return attempt(replyTo -> new QuorumMember.Propose(wrapped, replyTo), "write")
        .whenComplete((r, e) -> {
          session.idleSinceNanos = System.nanoTime();
          idle.push(session);
        });
  }

  /**
   * The most recently used idle session, or a new one. The state machine forgets a session idle for its
   * TTL (by the log's clock), and a request in a forgotten session is refused: one idle too long is
   * dropped, with every one behind it (they have been idle longer still).
   */
  private Session takeSession() {
    Session s = idle.poll();
    if (s != null && System.nanoTime() - s.idleSinceNanos > settings.sessionIdleMax().toNanos()) {
      idle.clear();
      s = null;
    }
    return s != null ? s : new Session();
  }

  /** A linearizable read: it reflects every write that completed before it was called. */
  public CompletionStage<Result> read(byte[] query) {
    return attempt(replyTo -> new QuorumMember.Read(query, replyTo), "read");
  }

  /**
   * A request the leader alone answers once it has confirmed its leadership (a lease keep-alive): nothing is
   * written, so a retry needs no session.
   */
  public CompletionStage<Result> renew(byte[] request) {
    return attempt(replyTo -> new QuorumMember.Renew(request, replyTo, 0), "lease keep-alive");
  }

  private CompletionStage<Result> attempt(Function<ActorRef<Reply>, QuorumMember.Command> request, String what) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    attempt(request, what, deadline, settings.backoffMin(), done);
    return done;
  }

  private void attempt(Function<ActorRef<Reply>, QuorumMember.Command> request, String what, long deadline,
                       Duration backoff, CompletableFuture<Result> done) {
    // whenCompleteAsync(…, Runnable::run) runs on the thread that completes the ask. Plain whenComplete would not:
    // the ask's stage is Scala's converted future, whose whenComplete is async on the common pool, and with fewer
    // than three cores (pool parallelism 1) CompletableFuture starts a new thread per such task, one per request.
    AskPattern.<QuorumMember.Command, Reply>ask(member, request::apply, settings.attemptTimeout(),
        system.scheduler()).whenCompleteAsync((reply, failure) -> {
          if (reply instanceof Result r) {
            done.complete(r);
            return;
          }
          if (System.nanoTime() + backoff.toNanos() >= deadline) {
            done.completeExceptionally(new QuorumUnavailable("the quorum did not complete a " + what + " within "
                + settings.deadline() + ": no leader reachable from this member"));
            return;
          }
          Duration next = backoff.multipliedBy(2).compareTo(settings.backoffMax()) > 0
              ? settings.backoffMax() : backoff.multipliedBy(2);
          system.scheduler().scheduleOnce(backoff, () -> attempt(request, what, deadline, next, done),
              system.executionContext());
        }, Runnable::run);
  }
}
