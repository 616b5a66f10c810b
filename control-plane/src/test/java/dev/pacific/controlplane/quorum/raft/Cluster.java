package dev.pacific.controlplane.quorum.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A few cores wired together by hand for the per-rule tests: messages move
 * only when a test calls {@link #stabilize()}, and a test can cut members off
 * or drop chosen messages. Every Ready is persisted to a {@link MemoryStorage}
 * before its messages go out, as a real driver must.
 */
final class Cluster {

    final List<String> names = new ArrayList<>();
    final Map<String, RaftConfig> configs = new TreeMap<>();
    final Map<String, Raft> nodes = new TreeMap<>();
    final Map<String, MemoryStorage> storage = new TreeMap<>();
    final Map<String, List<Entry>> applied = new TreeMap<>();
    final Map<String, List<ReadState>> reads = new TreeMap<>();
    /** Every message delivered, in order. */
    final List<Message> delivered = new ArrayList<>();
    private final Set<String> isolated = new HashSet<>();
    private Predicate<Message> drop = m -> false;

    Cluster(int size) {
        this(size, c -> c);
    }

    Cluster(int size, UnaryOperator<RaftConfig> tweak) {
        this(size, tweak, Map.of());
    }

    /** A cluster whose members start from the given persisted states (others start empty). */
    Cluster(int size, UnaryOperator<RaftConfig> tweak, Map<String, PersistedState> restored) {
        for (int i = 1; i <= size; i++) {
            names.add("cp-" + i);
        }
        for (String name : names) {
            configs.put(name, tweak.apply(RaftConfig.defaults(name, names)));
            PersistedState state = restored.getOrDefault(name, PersistedState.EMPTY);
            storage.put(name, new MemoryStorage(state));
            nodes.put(name, new Raft(configs.get(name), new Random(name.hashCode()), state));
            applied.put(name, new ArrayList<>());
            reads.put(name, new ArrayList<>());
        }
    }

    Raft node(String name) {
        return nodes.get(name);
    }

    void isolate(String name) {
        isolated.add(name);
    }

    void heal() {
        isolated.clear();
        drop = m -> false;
    }

    void dropWhen(Predicate<Message> filter) {
        drop = filter;
    }

    /** Replaces a member by a fresh core built from what it persisted; unpersisted state is lost. */
    void restart(String name) {
        nodes.put(name, new Raft(configs.get(name), new Random(name.hashCode() + 1), storage.get(name).restore()));
        applied.get(name).clear();
    }

    /** Carries out every Ready and delivers every message until nothing moves. */
    void stabilize() {
        ArrayDeque<Message> queue = new ArrayDeque<>();
        while (true) {
            for (Map.Entry<String, Raft> e : nodes.entrySet()) {
                collect(e.getKey(), e.getValue(), queue);
            }
            if (queue.isEmpty()) {
                return;
            }
            while (!queue.isEmpty()) {
                Message m = queue.poll();
                if (isolated.contains(m.from()) || isolated.contains(m.to()) || drop.test(m)) {
                    continue;
                }
                delivered.add(m);
                nodes.get(m.to()).step(m);
            }
        }
    }

    private void collect(String name, Raft raft, ArrayDeque<Message> queue) {
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            storage.get(name).persist(rd);
            queue.addAll(rd.messages());
            applied.get(name).addAll(rd.committedEntries());
            reads.get(name).addAll(rd.readStates());
            raft.advance(rd);
        }
    }

    void tick(String name, int times) {
        for (int i = 0; i < times; i++) {
            nodes.get(name).tick();
            stabilize();
        }
    }

    /** Lets only {@code name} tick until it leads: it times out first, so it campaigns first. */
    void elect(String name) {
        Raft raft = nodes.get(name);
        for (int i = 0; i < 4 * configs.get(name).electionTicks() && raft.role() != Role.LEADER; i++) {
            raft.tick();
            stabilize();
        }
        if (raft.role() != Role.LEADER) {
            throw new AssertionError(name + " did not win an election; it is " + raft.role());
        }
    }

    /** Lets the named members tick in turn until one of them leads; returns it. */
    String electAmong(String... candidates) {
        for (int i = 0; i < 40 * configs.get(candidates[0]).electionTicks(); i++) {
            for (String name : candidates) {
                if (nodes.get(name).role() == Role.LEADER) {
                    return name;
                }
                tick(name, 1);
            }
        }
        throw new AssertionError("none of " + List.of(candidates) + " won an election");
    }

    void propose(String name, String... commands) {
        for (String c : commands) {
            if (!nodes.get(name).propose(c.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw new AssertionError(name + " refused a proposal");
            }
        }
        stabilize();
    }

    /** The terms of a member's log from the first index after its snapshot, for comparing logs. */
    List<Long> terms(String name) {
        Raft raft = nodes.get(name);
        List<Long> terms = new ArrayList<>();
        for (long i = raft.snapshotIndex() + 1; i <= raft.lastIndex(); i++) {
            terms.add(raft.logTerm(i));
        }
        return terms;
    }

    static PersistedState logOf(long term, long commit, long... entryTerms) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < entryTerms.length; i++) {
            entries.add(new Entry(entryTerms[i], i + 1, new byte[] {(byte) i, (byte) entryTerms[i]}));
        }
        return PersistedState.of(new HardState(term, null, commit), Snapshot.EMPTY, entries);
    }
}
