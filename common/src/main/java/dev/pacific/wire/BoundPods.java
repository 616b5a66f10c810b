package dev.pacific.wire;

import dev.pacific.api.Pod;
import java.util.List;

/**
 * The stream a {@code HostGateway} sends a host after {@link HostGatewayProtocol.WatchPods}: the
 * pods bound to that host, by registry revision (the quorum's mod revision, so revisions mean the
 * same on every gateway and a host can resume on another). Sent in order from one gateway to one
 * subscriber, as Pekko delivers messages between one pair of actors.
 */
public final class BoundPods {

  private BoundPods() {}

  public sealed interface Event extends WireMessage {
    /** The subscription this event belongs to, as the host numbered it. */
    long watchId();
  }

  /**
   * One chunk of the current set of pods bound to the host, read at {@code revision}; the chunk
   * with {@code last} set ends the list (an empty last chunk when there are none). Chunks keep
   * each message well under Artery's frame size (256 KiB by default): a gateway sends at most
   * about 128 KiB of pods per chunk. Changes after {@code revision} follow the last chunk.
   */
  public record Listed(long watchId, long revision, List<Pod> pods, boolean last) implements Event {

    public Listed {
      pods = List.copyOf(pods);
    }
  }

  /** The subscription resumes: changes strictly after {@code fromRevision} follow. */
  public record Resumed(long watchId, long fromRevision) implements Event {}

  /**
   * A pod bound to the host was added or changed at {@code revision}, including being marked
   * for deletion ({@code metadata.deletionTimestamp}). The gateway may leave out changes that
   * touch only {@code status}: the host does not need its own reports back.
   */
  public record Bound(long watchId, long revision, Pod pod) implements Event {}

  /** The pod with this uid is no longer bound to the host: deleted, or bound elsewhere. */
  public record Unbound(long watchId, long revision, String namespace, String name, String uid) implements Event {}

  /**
   * Nothing changed for this host up to {@code revision}; sent now and then (as Kubernetes'
   * BOOKMARK) so that a host resumes from a recent revision rather than a compacted one.
   */
  public record Bookmark(long watchId, long revision) implements Event {}

  /** The gateway cannot go on (history compacted, its registry watch failed): list again from 0. */
  public record Resync(long watchId, String reason) implements Event {}
}
