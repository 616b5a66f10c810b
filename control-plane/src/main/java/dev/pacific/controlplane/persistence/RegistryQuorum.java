package dev.pacific.controlplane.persistence;

import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import dev.pacific.controlplane.quorum.QuorumKv;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The member's own quorum client, for the durable-state store. Pekko creates persistence plugins
 * by reflection from configuration, so the plugin cannot be handed the client: the control plane
 * sets it here when it starts (one per actor system), and the plugin looks it up on every call.
 */
public final class RegistryQuorum implements Extension {

  private static final Id ID = new Id();

  private volatile QuorumKv kv;

  private RegistryQuorum() {}

  public static RegistryQuorum get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** Set once the member's quorum client exists; the registry's entities start after this. */
  public void set(QuorumKv quorumKv) {
    this.kv = quorumKv;
  }

  /** The quorum client; {@link QuorumUnavailable} while the member has not set one. */
  public QuorumKv kv() {
    QuorumKv current = kv;
    if (current == null) {
      throw new QuorumUnavailable("this member's quorum client has not started yet");
    }
    return current;
  }

  private static final class Id extends AbstractExtensionId<RegistryQuorum> {
    @Override
    public RegistryQuorum createExtension(ExtendedActorSystem system) {
      return new RegistryQuorum();
    }
  }
}
