package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Entities;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.store.KeyRange;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A one-member control plane for scheduling tests: the quorum, the sharded entities and a registry
 * reader, with helpers to register hosts, create pods and read them back from the registry.
 */
public final class SchedulingCluster implements AutoCloseable {

  public final QuorumFixture quorum;
  public final Entities entities;
  public final RegistryReader reader;

  public SchedulingCluster(String extraConfig) throws InterruptedException {
    quorum = QuorumFixture.oneMemberCluster("""
        pacific.entities.wake-interval = 1h
        pacific.scheduler.batch-delay = 5ms
        pacific.scheduler.retry-interval = 2s
        pacific.quorum.client.deadline = 6s
        pacific.persistence.durable-state.recovery-timeout = 10s
        """ + extraConfig);
    entities = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config());
    reader = new RegistryReader(quorum.kv, quorum.watch(), SerializationExtension.get(quorum.system()));
  }

  public SchedulerSettings schedulerSettings() {
    return SchedulerSettings.fromConfig(quorum.system().settings().config());
  }

  public ActorRef<Scheduler.Command> startScheduler(String name) {
    return quorum.kit.spawn(Scheduler.create(reader, entities.pods(), entities.hosts(), schedulerSettings()), name);
  }

  public Node register(Node node) {
    Outcome o = await(entities.hosts().register(node));
    if (!(o instanceof Outcome.Done d)) {
      throw new AssertionError("registering " + node.metadata().name() + ": " + o);
    }
    return (Node) d.object();
  }

  public Pod create(Pod pod) {
    Outcome o = await(entities.mutations().create(pod));
    if (!(o instanceof Outcome.Done d)) {
      throw new AssertionError("creating " + pod.metadata().name() + ": " + o);
    }
    return (Pod) d.object();
  }

  public Optional<Pod> pod(String namespace, String name) {
    return await(reader.get(new ObjectRef(ResourceKind.PODS, namespace, name))).map(r -> (Pod) r.state().object());
  }

  public Optional<Node> node(String name) {
    return await(reader.get(ObjectRef.cluster(ResourceKind.NODES, name))).map(r -> (Node) r.state().object());
  }

  public List<Pod> pods() {
    return await(reader.page(KeyRange.prefix(RegistryKeys.prefix(ResourceKind.PODS)), 0, 0)).records().stream()
        .map(r -> (Pod) r.state().object()).toList();
  }

  /** Whether {@code test} holds for the registry's pods; false when the read failed (a busy machine). */
  public boolean podsMatch(java.util.function.Predicate<List<Pod>> test) {
    try {
      return test.test(pods());
    } catch (AssertionError e) {
      return false;
    }
  }

  public List<Pod> podsOn(String node) {
    return pods().stream().filter(p -> node.equals(p.spec().nodeName())).toList();
  }

  @Override
  public void close() {
    quorum.close();
  }
}
