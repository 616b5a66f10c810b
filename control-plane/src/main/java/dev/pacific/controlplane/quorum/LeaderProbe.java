package dev.pacific.controlplane.quorum;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether a silent leader's process is gone, asked of the operating system: a connection to its
 * remoting address that is refused means nothing listens there any more (a SIGKILLed or crashed
 * member), and the follower need not wait out the rest of the election timeout. A leader that is
 * only slow or paused still accepts connections (its kernel queues them), and a host that is lost
 * altogether answers nothing: both leave the decision to the election timeout, as before. Raft's
 * safety never rests on timing, so this only makes a failover quicker, never less safe.
 *
 * <p>One probe per silence: a heartbeat from the leader ends it. Owned by the member actor; the
 * answer arrives on another thread and goes back to the actor as a message.
 */
final class LeaderProbe {

  /** How long a connection attempt may hang (a lost host) before it is abandoned. */
  private static final long GIVE_UP_MILLIS = 1000;

  private final Map<String, InetSocketAddress> addresses = new HashMap<>();
  private final int afterTicks;
  private String probedLeader;
  private long probedTerm = -1;

  LeaderProbe(QuorumSettings settings) {
    this.afterTicks = settings.leaderProbeTicks();
    settings.peers().forEach((name, hostPort) -> {
      int colon = hostPort.lastIndexOf(':');
      addresses.put(name, new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1))));
    });
  }

  /** Reported back when the leader's address refused the connection. */
  interface Gone {
    void leaderGone(String leader, long term);
  }

  /**
   * Called on every tick of a member that follows {@code leader} (null: none) in {@code term} and
   * has not heard from it for {@code silentTicks}.
   */
  void tick(String leader, long term, int silentTicks, Gone gone) {
    if (afterTicks <= 0 || leader == null || silentTicks < afterTicks) {
      probedLeader = null; // heard from it (or follows nobody): the next silence is probed again
      return;
    }
    if (leader.equals(probedLeader) && term == probedTerm) {
      return;
    }
    probedLeader = leader;
    probedTerm = term;
    connect(addresses.get(leader), () -> gone.leaderGone(leader, term));
  }

  private static void connect(InetSocketAddress address, Runnable refused) {
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return; // cannot probe now: the election timeout decides
    }
    channel.connect(address, null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void result, Void attachment) {
        close(channel); // something listens: the leader lives, or a successor does; wait as usual
      }

      @Override
      public void failed(Throwable e, Void attachment) {
        close(channel);
        if (e instanceof ConnectException) {
          refused.run();
        }
      }
    });
    CompletableFuture.delayedExecutor(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS).execute(() -> close(channel));
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a probe's socket: nothing to do about a failure
    }
  }
}
