package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.raft.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A network that loses, delays (and so reorders), duplicates and partitions
 * messages, all decided by the simulation's seeded random.
 */
final class SimNetwork {

    private record InFlight(long deliverAt, long seq, Message message) {
    }

    private final Random random;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    private long seq;
    int dropPercent;
    int duplicatePercent;
    int maxDelay;
    /** Members on this side cannot talk to members off it; empty when whole. */
    private Set<String> side = new HashSet<>();

    SimNetwork(Random random, int dropPercent, int duplicatePercent, int maxDelay) {
        this.random = random;
        this.dropPercent = dropPercent;
        this.duplicatePercent = duplicatePercent;
        this.maxDelay = maxDelay;
    }

    void send(Message m, long now) {
        if (random.nextInt(100) < dropPercent) {
            return;
        }
        queue.add(new InFlight(now + 1 + random.nextInt(maxDelay), seq++, m));
        if (random.nextInt(100) < duplicatePercent) {
            queue.add(new InFlight(now + 1 + random.nextInt(maxDelay), seq++, m));
        }
    }

    /** Messages due by {@code now} that the partition lets through, in delivery order. */
    List<Message> due(long now) {
        List<Message> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            Message m = queue.poll().message;
            if (side.isEmpty() || side.contains(m.from()) == side.contains(m.to())) {
                out.add(m);
            }
        }
        return out;
    }

    void partition(Set<String> oneSide) {
        side = new HashSet<>(oneSide);
    }

    void heal() {
        side = new HashSet<>();
    }

    String describePartition() {
        return side.isEmpty() ? "whole" : "split " + side;
    }
}
