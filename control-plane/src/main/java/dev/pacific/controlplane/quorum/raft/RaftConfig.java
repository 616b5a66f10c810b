package dev.pacific.controlplane.quorum.raft;

import java.util.List;

/**
 * Settings of one member. Times are counted in {@link Raft#tick()} calls, so
 * the driver decides what a tick is (for example 100 ms).
 *
 * @param id                   this member's name, one of {@code peers}
 * @param peers                all members, this one included: 1, 3 or 5 names
 * @param electionTicks        the base election timeout; each term draws a
 *                             timeout in [electionTicks, 2 * electionTicks) (§5.2)
 * @param heartbeatTicks       how often a leader sends heartbeats; well below electionTicks
 * @param maxEntriesPerMessage cap on the entries in one AppendEntries
 * @param maxBytesPerMessage   cap on the entry bytes in one AppendEntries (one entry is always allowed)
 * @param maxInflightMessages  AppendEntries a leader pipelines to a follower before waiting for replies
 * @param maxSnapshotChunkBytes cap on the bytes of one InstallSnapshot chunk
 * @param preVote              run a pre-vote before each election (dissertation §9.6)
 * @param checkQuorum          a leader steps down when it has not heard from a
 *                             majority for an election timeout (dissertation §6.2)
 */
public record RaftConfig(String id, List<String> peers, int electionTicks, int heartbeatTicks,
                         int maxEntriesPerMessage, long maxBytesPerMessage, int maxInflightMessages,
                         int maxSnapshotChunkBytes, boolean preVote, boolean checkQuorum) {

    public RaftConfig {
        peers = List.copyOf(peers);
        if (!peers.contains(id)) {
            throw new IllegalArgumentException("member " + id + " is not among the peers " + peers);
        }
        if (peers.size() != 1 && peers.size() != 3 && peers.size() != 5) {
            throw new IllegalArgumentException("a quorum has 1, 3 or 5 members, not " + peers.size());
        }
        if (peers.stream().distinct().count() != peers.size()) {
            throw new IllegalArgumentException("peer names must be distinct: " + peers);
        }
        if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicks, got "
                    + heartbeatTicks + " and " + electionTicks);
        }
        if (maxEntriesPerMessage < 1 || maxBytesPerMessage < 1 || maxInflightMessages < 1
                || maxSnapshotChunkBytes < 1) {
            throw new IllegalArgumentException("message caps must be positive");
        }
    }

    /** etcd's defaults: election 10 ticks, heartbeat 1, with pre-vote and check-quorum on. */
    public static RaftConfig defaults(String id, List<String> peers) {
        return new RaftConfig(id, peers, 10, 1, 64, 1L << 20, 256, 1 << 20, true, true);
    }

    public RaftConfig withMaxEntriesPerMessage(int n) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, n, maxBytesPerMessage,
                maxInflightMessages, maxSnapshotChunkBytes, preVote, checkQuorum);
    }

    public RaftConfig withMaxBytesPerMessage(long n) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, maxEntriesPerMessage, n,
                maxInflightMessages, maxSnapshotChunkBytes, preVote, checkQuorum);
    }

    public RaftConfig withMaxInflightMessages(int n) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, maxEntriesPerMessage,
                maxBytesPerMessage, n, maxSnapshotChunkBytes, preVote, checkQuorum);
    }

    public RaftConfig withMaxSnapshotChunkBytes(int n) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, maxEntriesPerMessage,
                maxBytesPerMessage, maxInflightMessages, n, preVote, checkQuorum);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, maxEntriesPerMessage,
                maxBytesPerMessage, maxInflightMessages, maxSnapshotChunkBytes, on, checkQuorum);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, peers, electionTicks, heartbeatTicks, maxEntriesPerMessage,
                maxBytesPerMessage, maxInflightMessages, maxSnapshotChunkBytes, preVote, on);
    }

    public int quorum() {
        return peers.size() / 2 + 1;
    }
}
