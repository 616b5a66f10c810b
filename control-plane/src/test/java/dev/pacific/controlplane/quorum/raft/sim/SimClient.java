package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.History;
import dev.pacific.controlplane.quorum.check.RegisterOp;
import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import dev.pacific.controlplane.quorum.raft.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A client with one operation at a time. It looks for the leader by
 * following hints, retries with the same sequence number after a time-out
 * (the state machine applies it once), and gives up after a while, leaving
 * the operation indeterminate in the history.
 */
final class SimClient {

    private static final long RETRY_AFTER = 150;
    private static final long GIVE_UP_AFTER = 1200;

    private final class Current {
        final int historyId;
        final RegisterOp op;
        final boolean viaReadIndex;
        final long invokedAt;
        long readContext = -1;
        long nextAttemptAt;
        /** The last attempt was accepted by a leader; if we are here again, it went unanswered. */
        boolean awaitingReply;

        Current(int historyId, RegisterOp op, boolean viaReadIndex, long now) {
            this.historyId = historyId;
            this.op = op;
            this.viaReadIndex = viaReadIndex;
            this.invokedAt = now;
            this.nextAttemptAt = now;
        }
    }

    final int id;
    private final Random random;
    private final History history;
    private final List<String> keys;
    private final List<String> members;
    private final Map<String, String> lastSeen = new HashMap<>();
    private long seq;
    private int written;
    private Current current;
    private long nextOpAt;
    private String target;

    SimClient(int id, Random random, History history, List<String> keys, List<String> members) {
        this.id = id;
        this.random = random;
        this.history = history;
        this.keys = keys;
        this.members = members;
        this.target = members.get(random.nextInt(members.size()));
    }

    void act(long now, boolean mayStart, Simulation sim) {
        if (current == null) {
            if (mayStart && now >= nextOpAt) {
                begin(now);
                attempt(now, sim);
            }
        } else if (now - current.invokedAt > GIVE_UP_AFTER) {
            history.timeout(current.historyId);
            finish(now);
        } else if (now >= current.nextAttemptAt) {
            attempt(now, sim);
        }
    }

    private void begin(long now) {
        if (random.nextInt(5) == 0) {
            target = members.get(random.nextInt(members.size())); // as if a load balancer picked the member
        }
        String key = keys.get(random.nextInt(keys.size()));
        String fresh = "c" + id + "." + written++;
        int kind = random.nextInt(10);
        RegisterOp op = kind < 4 ? new Put(key, fresh) : kind < 8 ? new Get(key) : new Cas(key, lastSeen.get(key), fresh);
        boolean viaReadIndex = op instanceof Get && random.nextBoolean();
        seq++;
        current = new Current(history.invoke(id, op, now), op, viaReadIndex, now);
    }

    private void attempt(long now, Simulation sim) {
        if (current.awaitingReply) {
            // a leader that does not answer may be cut off: ask someone else, as a real client would
            current.awaitingReply = false;
            String other = members.get(random.nextInt(members.size() - 1));
            target = other.equals(target) ? members.get(members.size() - 1) : other;
        }
        SimNode node = sim.node(target);
        if (node == null || !node.up() || node.raft.role() != Role.LEADER) {
            String hint = node != null && node.up() ? node.raft.leader() : null;
            target = hint != null && !hint.equals(target) ? hint : members.get(random.nextInt(members.size()));
            current.nextAttemptAt = now + 5;
            return;
        }
        boolean accepted;
        if (current.viaReadIndex) {
            long context = sim.nextReadContext(id);
            accepted = node.raft.readIndex(context);
            if (accepted) {
                current.readContext = context;
            }
        } else {
            accepted = node.raft.propose(new Command(id, seq, current.op).encode());
        }
        sim.scheduleReady(node);
        current.awaitingReply = accepted;
        current.nextAttemptAt = now + (accepted ? RETRY_AFTER : 5);
    }

    /** Some member applied a command; if it is ours, that is our answer. */
    void onApplied(Command c, Object reply, long now) {
        if (current != null && !current.viaReadIndex && c.seq() == seq) {
            complete(reply, now);
        }
    }

    /** A member served a ReadIndex read at or after the confirmed index. */
    void onRead(long context, KvStateMachine kv, long now) {
        if (current != null && current.viaReadIndex && current.readContext == context) {
            complete(kv.get(current.op.key()), now);
        }
    }

    private void complete(Object reply, long now) {
        history.complete(current.historyId, reply, now);
        RegisterOp op = current.op;
        if (op instanceof Get && reply instanceof String s) {
            lastSeen.put(op.key(), s);
        } else if (op instanceof Put p) {
            lastSeen.put(p.key(), p.value());
        } else if (op instanceof Cas c && Boolean.TRUE.equals(reply)) {
            lastSeen.put(c.key(), c.update());
        }
        finish(now);
    }

    private void finish(long now) {
        current = null;
        nextOpAt = now + 1 + random.nextInt(40);
    }

    boolean busy() {
        return current != null;
    }
}
