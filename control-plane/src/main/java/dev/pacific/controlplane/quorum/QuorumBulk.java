package dev.pacific.controlplane.quorum;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code /user/quorum-bulk}: receives AppendEntries with entries, snapshot
 * chunks and large forwarded proposals over Artery's large-message stream and hands them to the local member.
 * Its own path is what puts that traffic on the separate stream (Pekko matches
 * {@code large-message-destinations} on the recipient's path).
 */
public final class QuorumBulk {

  private QuorumBulk() {}

  public static Behavior<QuorumMember.Command> create(ActorRef<QuorumMember.Command> member) {
    return Behaviors.receiveMessage(m -> {
      member.tell(m);
      return Behaviors.same();
    });
  }
}
