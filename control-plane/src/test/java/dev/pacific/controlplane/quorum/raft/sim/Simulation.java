package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.CheckResult;
import dev.pacific.controlplane.quorum.check.History;
import dev.pacific.controlplane.quorum.check.LinearizabilityChecker;
import dev.pacific.controlplane.quorum.check.RegisterModel;
import dev.pacific.controlplane.quorum.check.Verdict;
import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Message;
import dev.pacific.controlplane.quorum.raft.Raft;
import dev.pacific.controlplane.quorum.raft.RaftConfig;
import dev.pacific.controlplane.quorum.raft.ReadState;
import dev.pacific.controlplane.quorum.raft.Ready;
import dev.pacific.controlplane.quorum.raft.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One seeded run: 3 or 5 cores in one thread over a {@link SimNetwork}, with
 * crashes, restarts, partitions, compaction and leadership transfers, clients
 * doing put/get/CAS on a {@link KvStateMachine}, the {@link Invariants}
 * checked at every step and the client history checked for linearizability
 * at the end. Everything random comes from the seed, so a seed replays exactly.
 */
final class Simulation {

    static final long TICK = 10;
    static final long FAULTS_UNTIL = 6000;
    static final long CLIENTS_UNTIL = 6600;
    /**
     * Long enough after the faults for the slowest legitimate catch-up: with one entry per message,
     * one message in flight and up to 61 units each way, a member dozens of entries behind needs
     * a round trip per entry (seeds 9405 and 10354 needed more than the 1,600 units allowed before).
     */
    static final long END = 10_000;

    private final long seed;
    private final Random random;
    private final Map<String, SimNode> nodes = new TreeMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final History history = new History();
    private final Invariants invariants = new Invariants();
    private final SimWatcher watcher = new SimWatcher();
    /** The watcher's own draws, so that adding it left every seed's faults and clients as they were. */
    private final Random watcherRandom;
    /** Whether the survivors of a crash hear that its port refuses connections, and mistaken reports of it. */
    private final Random probeRandom;
    /** Decides the crashes between a leader's early sends and its persist; apart, so older seeds keep their runs. */
    private final Random pipelineRandom;
    private final SimNetwork network;
    private final Trace trace;
    private final int compactionThreshold;
    private final int diskLatency;
    private final FaultPlan plan;
    private long now;
    private long readContexts;
    /** Leaderships already seen, as "name@term"; with two leaders alive each must count once. */
    private final Set<String> leaderships = new HashSet<>();
    final Stats stats = new Stats();

    static final class Stats {
        int crashes;
        int crashesBeforePersist;
        int partitions;
        int transfers;
        int snapshots;
        int delivered;
        int watchEvents;
        int watchResumes;
        int watchCompacted;
        long checkerNanos;
    }

    Simulation(long seed, boolean verbose) {
        this.seed = seed;
        this.random = new Random(scramble(seed));
        this.watcherRandom = new Random(scramble(~seed));
        this.probeRandom = new Random(scramble(seed ^ 0x5EEDL));
        this.pipelineRandom = new Random(scramble(seed ^ 0xF5CL));
        this.trace = new Trace(verbose);
        int members = seed % 2 == 0 ? 3 : 5;
        for (int i = 1; i <= members; i++) {
            names.add("cp-" + i);
        }
        plan = FaultPlan.draw(random);
        RaftConfig base = RaftConfig.defaults("cp-1", names)
                .withMaxEntriesPerMessage(random.nextBoolean() ? 1 + random.nextInt(2) : 1 + random.nextInt(8))
                .withMaxBytesPerMessage(64 + random.nextInt(1024))
                .withMaxInflightMessages(1 + random.nextInt(6))
                .withMaxSnapshotChunkBytes(16 + random.nextInt(200))
                .withPreVote(random.nextBoolean())
                .withCheckQuorum(plan.checkQuorum());
        for (String name : names) {
            RaftConfig c = new RaftConfig(name, names, base.electionTicks(), base.heartbeatTicks(),
                    base.maxEntriesPerMessage(), base.maxBytesPerMessage(), base.maxInflightMessages(),
                    base.maxSnapshotChunkBytes(), base.preVote(), base.checkQuorum());
            SimNode node = new SimNode(name, c, random.nextLong());
            node.tickPhase = random.nextInt((int) TICK);
            node.start();
            nodes.put(name, node);
        }
        network = new SimNetwork(random, plan.dropPercent(), plan.duplicatePercent(), plan.maxDelay());
        compactionThreshold = 4 + random.nextInt(40);
        diskLatency = random.nextInt(4);
        int clientCount = 2 + random.nextInt(3);
        for (int i = 0; i < clientCount; i++) {
            clients.add(new SimClient(i, random, history, List.of("x", "y", "z"), names));
        }
        trace.note("seed " + seed + ": " + members + " members, " + base + ", " + plan
                + ", compact every " + compactionThreshold + ", disk latency " + diskLatency);
    }

    /**
     * SplitMix64's finaliser. {@code java.util.Random}'s first outputs are
     * strongly correlated for neighbouring seeds (0, 1, 2, ...), which would
     * give whole ranges of seeds the same fault plan.
     */
    static long scramble(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    SimResult run(Duration checkerBudget) {
        try {
            for (now = 0; now < END; now++) {
                step();
            }
            checkConvergence();
            stats.watchEvents = watcher.events;
            stats.watchResumes = watcher.resumes;
            stats.watchCompacted = watcher.compacted;
        } catch (SafetyViolation v) {
            return SimResult.failed(seed, names.size(), v.property, v.getMessage() + trace.recent(), trace.hash(), stats);
        } catch (RuntimeException e) {
            return SimResult.failed(seed, names.size(), "core error", e + trace.recent(), trace.hash(), stats);
        }
        long t0 = System.nanoTime();
        CheckResult check = LinearizabilityChecker.check(new RegisterModel(), history.operations(), checkerBudget);
        stats.checkerNanos = System.nanoTime() - t0;
        if (check.verdict() == Verdict.NOT_LINEARIZABLE) {
            return SimResult.failed(seed, names.size(), "linearizability", check.explanation(), trace.hash(), stats);
        }
        return SimResult.passed(seed, names.size(), check.verdict(), history.operations(), trace.hash(), stats);
    }

    private void step() {
        if (now < FAULTS_UNTIL) {
            injectFaults();
            maybeMistakenReport();
        } else if (now == FAULTS_UNTIL) {
            endFaults();
        }
        restartDue();
        for (Message m : network.due(now)) {
            SimNode to = nodes.get(m.to());
            if (to.up()) {
                trace.delivered(m, now);
                stats.delivered++;
                to.raft.step(m);
                scheduleReady(to);
            }
        }
        for (SimNode n : nodes.values()) {
            if (n.up() && now % TICK == n.tickPhase) {
                n.raft.tick();
                scheduleReady(n);
            }
        }
        for (SimClient c : clients) {
            c.act(now, now < CLIENTS_UNTIL, this);
        }
        watcher.poll(nodes, names, watcherRandom.nextInt(names.size()));
        for (SimNode n : nodes.values()) {
            if (n.up() && n.readyAt >= 0 && now >= n.readyAt) {
                n.readyAt = -1;
                handleReady(n);
            }
            if (n.up()) {
                invariants.checkElectionSafety(n.raft);
                maybeCrashNewLeader(n);
            }
        }
    }

    /**
     * Sometimes a new leader dies within a few steps of winning, before its
     * first entry reaches anyone: the opening move of the paper's Fig. 8.
     */
    private void maybeCrashNewLeader(SimNode n) {
        if (n.raft.role() != Role.LEADER || now >= FAULTS_UNTIL) {
            return;
        }
        if (!leaderships.add(n.name + "@" + n.raft.term())) {
            return;
        }
        int roll = random.nextInt(100);
        if (roll < plan.crashNewLeaderPercent()) {
            n.crashAt = now + random.nextInt(15);
        } else if (roll < plan.crashNewLeaderPercent() + plan.cutNewLeaderPercent()) {
            network.partition(Set.of(n.name));
            trace.note(now + " cut off new leader " + n.name);
        }
    }

    /**
     * Faults lean on the leader: Raft's hard cases (Fig. 8) need leaders that
     * crash or get cut off with entries only a minority holds.
     */
    /**
     * Liveness, once faults stop: a leader emerges and every member catches up
     * with it. A stuck follower (a pipeline or snapshot that never resumes)
     * shows up here rather than as a quietly shorter history.
     */
    private void checkConvergence() {
        SimNode leader = leader();
        if (leader == null) {
            throw new SafetyViolation("liveness", "no leader " + (END - FAULTS_UNTIL) + " time units after faults stopped");
        }
        for (SimNode n : nodes.values()) {
            if (!n.up()) {
                throw new SafetyViolation("liveness", n.name + " is still down at the end");
            }
            if (n.raft.lastIndex() != leader.raft.lastIndex() || n.applied != leader.raft.committed()) {
                throw new SafetyViolation("liveness", n.name + " has last index " + n.raft.lastIndex() + " and applied "
                        + n.applied + " but leader " + leader.name + " has " + leader.raft.lastIndex() + " and committed "
                        + leader.raft.committed() + ", " + (END - FAULTS_UNTIL) + " time units after faults stopped");
            }
        }
    }

    private void injectFaults() {
        int roll = random.nextInt(10_000);
        if (roll < plan.crashRate()) {
            crashSomeone();
        } else if ((roll -= plan.crashRate()) < plan.partitionRate()) {
            partition();
        } else if ((roll -= plan.partitionRate()) < plan.healRate()) {
            network.heal();
            trace.note(now + " heal");
        } else if (roll - plan.healRate() < 3) {
            transferLeadership();
        }
    }

    private void crashSomeone() {
        List<SimNode> up = nodes.values().stream().filter(SimNode::up).toList();
        if (up.isEmpty()) {
            return;
        }
        SimNode leader = leader();
        SimNode victim = leader != null && random.nextBoolean() ? leader : up.get(random.nextInt(up.size()));
        victim.crash(now + 20 + random.nextInt(300), probeRandom.nextBoolean());
        trace.note(now + " crash " + victim.name);
        stats.crashes++;
        reportRefused(victim.name);
    }

    /**
     * The driver's leader probe: some followers of a crashed member learn at once that its port
     * refuses connections ({@link Raft#leaderUnreachable}); others find out by their election timeout.
     */
    private void reportRefused(String crashed) {
        for (SimNode n : nodes.values()) {
            if (n.up() && crashed.equals(n.raft.leader()) && probeRandom.nextBoolean()) {
                n.raft.leaderUnreachable(crashed);
                trace.note(now + " " + n.name + " told " + crashed + " refuses connections");
                scheduleReady(n);
            }
        }
    }

    /** A report that is wrong (the leader lives): it must cost at most a pre-vote, never safety. */
    private void maybeMistakenReport() {
        if (probeRandom.nextInt(1000) != 0) {
            return;
        }
        SimNode leader = leader();
        List<SimNode> followers = nodes.values().stream()
                .filter(n -> n.up() && leader != null && leader.name.equals(n.raft.leader())).toList();
        if (!followers.isEmpty()) {
            SimNode n = followers.get(probeRandom.nextInt(followers.size()));
            n.raft.leaderUnreachable(leader.name);
            trace.note(now + " " + n.name + " wrongly told " + leader.name + " refuses connections");
            scheduleReady(n);
        }
    }

    /** Either cuts the leader off with a minority, or splits the members at random. */
    private void partition() {
        Set<String> side = new HashSet<>();
        SimNode leader = leader();
        if (leader != null && random.nextInt(100) < plan.cutLeaderPercent()) {
            side.add(leader.name);
            if (names.size() == 5 && random.nextBoolean()) {
                side.add(names.get(random.nextInt(names.size())));
            }
        } else {
            for (String name : names) {
                if (random.nextBoolean()) {
                    side.add(name);
                }
            }
        }
        network.partition(side);
        trace.note(now + " partition " + network.describePartition());
        stats.partitions++;
    }

    private SimNode leader() {
        for (SimNode n : nodes.values()) {
            if (n.up() && n.raft.role() == Role.LEADER) {
                return n;
            }
        }
        return null;
    }

    private void transferLeadership() {
        SimNode leader = leader();
        if (leader != null) {
            String target = names.get(random.nextInt(names.size()));
            if (leader.raft.transferLeadership(target)) {
                trace.note(now + " transfer " + leader.name + " -> " + target);
                stats.transfers++;
                scheduleReady(leader);
            }
        }
    }

    private void endFaults() {
        network.heal();
        network.dropPercent = 0;
        network.duplicatePercent = 0;
        for (SimNode n : nodes.values()) {
            n.downUntil = Math.min(n.downUntil, now);
        }
        trace.note(now + " faults end");
    }

    private void restartDue() {
        for (SimNode n : nodes.values()) {
            if (n.up() && n.crashAt == now) {
                n.crash(now + 20 + random.nextInt(300), probeRandom.nextBoolean());
                trace.note(now + " crash new leader " + n.name);
                stats.crashes++;
                reportRefused(n.name);
            }
            if (!n.up() && now >= n.downUntil) {
                n.start();
                trace.note(now + " restart " + n.name + " from term " + n.raft.term() + ", last index "
                        + n.raft.lastIndex() + ", snapshot " + n.raft.snapshotIndex());
            }
        }
    }

    /**
     * Carries out a Ready in the order its contract demands: a leader's early sends, persist, send,
     * apply, advance. Now and then, while faults last, a leader crashes between its early sends and
     * its persist: its followers hold entries it lost.
     */
    private void handleReady(SimNode n) {
        Raft raft = n.raft;
        if (!raft.hasReady()) {
            return;
        }
        Ready rd = raft.ready();
        invariants.checkLogMatching(raft, rd.entries());
        List<Message> early = rd.sendableBeforePersist();
        for (Message m : early) {
            network.send(m, now);
        }
        if (!early.isEmpty() && !rd.entries().isEmpty() && now < FAULTS_UNTIL && pipelineRandom.nextInt(200) == 0) {
            n.crash(now + 20 + pipelineRandom.nextInt(300), pipelineRandom.nextBoolean());
            trace.note(now + " crash " + n.name + " after sending entries up to " + raft.lastIndex()
                    + " before persisting them");
            stats.crashes++;
            stats.crashesBeforePersist++;
            reportRefused(n.name);
            return;
        }
        n.storage.persist(rd);
        for (Message m : rd.sendAfterPersist()) {
            network.send(m, now);
        }
        if (rd.snapshot() != null) {
            n.kv.restore(rd.snapshot().data());
            n.applied = rd.snapshot().index();
            trace.note(now + " " + n.name + " installs " + rd.snapshot());
            stats.snapshots++;
        }
        for (Entry e : rd.committedEntries()) {
            apply(n, e);
        }
        n.readsWaiting.addAll(rd.readStates());
        raft.advance(rd);
        serveReads(n);
        n.compactIfLong(compactionThreshold);
    }

    private void apply(SimNode n, Entry e) {
        invariants.checkApplied(n.name, e);
        trace.applied(n.name, e);
        n.applied = e.index();
        if (e.data().length > 0) {
            Command c = Command.decode(e.data());
            long before = n.kv.revision();
            Object reply = n.kv.apply(c);
            if (n.kv.revision() > before) {
                watcher.applied(n.name, n.kv.revision(), n.kv.changesAfter(before).get(0));
            }
            clients.get(c.clientId()).onApplied(c, reply, now);
        }
    }

    private void serveReads(SimNode n) {
        for (Iterator<ReadState> it = n.readsWaiting.iterator(); it.hasNext(); ) {
            ReadState rs = it.next();
            if (rs.index() <= n.applied) {
                it.remove();
                clients.get((int) (rs.context() % 64)).onRead(rs.context(), n.kv, now);
            }
        }
    }

    void scheduleReady(SimNode n) {
        if (n.readyAt < 0) {
            n.readyAt = now + random.nextInt(diskLatency + 1);
        }
    }

    long nextReadContext(int clientId) {
        return ++readContexts * 64 + clientId;
    }

    SimNode node(String name) {
        return nodes.get(name);
    }
}
