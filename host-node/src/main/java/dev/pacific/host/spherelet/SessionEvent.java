package dev.pacific.host.spherelet;

import dev.pacific.wire.HostGatewayProtocol;
import org.apache.pekko.actor.typed.ActorRef;

/** What the {@link GatewaySession} tells the rest of the spherelet about its link to the control plane. */
sealed interface SessionEvent {

  /**
   * Talking to {@code gateway} now. With {@code newLease} the host just registered (first start,
   * restart, or after fencing): it lists its pods afresh and may start pods again; without, it
   * moved to another gateway under the same lease and resumes where it was.
   */
  record Connected(ActorRef<HostGatewayProtocol.Request> gateway, boolean newLease) implements SessionEvent {}

  /** The gateway failed; the lease may still hold while another is found. */
  record Disconnected() implements SessionEvent {}

  /** The lease is lost or ran out: every pod must stop now and none may start until the next lease. */
  record Fenced(String reason) implements SessionEvent {}
}
