package dev.pacific.controlplane.quorum;

import com.typesafe.config.Config;
import dev.pacific.controlplane.quorum.raft.RaftConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed view of {@code pacific.quorum} for one member.
 *
 * @param self  this member's name, a key of {@code peers}
 * @param peers every member's name to its remoting {@code host:port}, in configuration order
 * @param leaderProbeTicks after this many ticks without hearing from its leader a follower asks whether the
 *                         leader's address still accepts connections ({@link LeaderProbe}); 0 = never
 */
public record QuorumSettings(String self, Map<String, String> peers, Duration tick, int electionTicks,
                             int heartbeatTicks, int maxAppendEntries, long maxAppendBytes, int maxInflight,
                             int snapshotChunkBytes, long snapshotEvery, boolean preVote, boolean checkQuorum,
                             int leaderProbeTicks, Duration restartBackoffMin, Duration restartBackoffMax) {

  public QuorumSettings {
    peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    if (!peers.containsKey(self)) {
      throw new IllegalArgumentException("this member, " + self + ", is not among the configured quorum peers "
          + peers.keySet() + "; check pacific.control-plane.peers");
    }
  }

  public static QuorumSettings fromConfig(Config config, String self) {
    Config q = config.getConfig("pacific.quorum");
    return new QuorumSettings(self, parsePeers(config), q.getDuration("tick"), q.getInt("election-ticks"),
        q.getInt("heartbeat-ticks"), q.getInt("max-append-entries"), q.getBytes("max-append-bytes"),
        q.getInt("max-inflight"), q.getBytes("snapshot-chunk-bytes").intValue(), q.getLong("snapshot-every"),
        q.getBoolean("pre-vote"), q.getBoolean("check-quorum"), q.getInt("leader-probe-after-ticks"),
        q.getDuration("restart-backoff-min"), q.getDuration("restart-backoff-max"));
  }

  /** {@code pacific.control-plane.peers}: entries like {@code cp-1=127.0.0.1:40201}. */
  public static Map<String, String> parsePeers(Config config) {
    Map<String, String> peers = new LinkedHashMap<>();
    for (String entry : config.getStringList("pacific.control-plane.peers")) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.indexOf(':', eq) < 0) {
        throw new IllegalArgumentException("pacific.control-plane.peers entry '" + entry
            + "' is not name=host:port");
      }
      peers.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return peers;
  }

  public RaftConfig raftConfig() {
    return new RaftConfig(self, new ArrayList<>(peers.keySet()), electionTicks, heartbeatTicks, maxAppendEntries,
        maxAppendBytes, maxInflight, snapshotChunkBytes, preVote, checkQuorum);
  }

  /** A peer not heard from for this long shows as unreachable in the status. */
  public Duration reachableWithin() {
    return tick.multipliedBy(electionTicks);
  }

  public QuorumSettings withSnapshotEvery(long entries) {
    return new QuorumSettings(self, peers, tick, electionTicks, heartbeatTicks, maxAppendEntries, maxAppendBytes,
        maxInflight, snapshotChunkBytes, entries, preVote, checkQuorum, leaderProbeTicks, restartBackoffMin,
        restartBackoffMax);
  }
}
