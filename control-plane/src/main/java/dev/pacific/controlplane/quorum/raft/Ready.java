package dev.pacific.controlplane.quorum.raft;

import java.util.List;

/**
 * What a member asks its driver to do, in this order:
 * <ol>
 *   <li>persist {@code snapshot} (if not null), then {@code entries} — which
 *       replace any persisted entries at the same or higher indexes — and
 *       {@code hardState} (if not null), durably and together;</li>
 *   <li>only then send {@code messages} (they may promise what was just persisted) — except that
 *       {@link #sendableBeforePersist()} may leave before the persist, in parallel with it;</li>
 *   <li>install {@code snapshot} into the state machine, then apply
 *       {@code committedEntries} in order;</li>
 *   <li>answer the {@code readStates} once the applied index reaches theirs;</li>
 *   <li>call {@link Raft#advance(Ready)}.</li>
 * </ol>
 * Nothing else may be called on the member between {@link Raft#ready()} and
 * {@link Raft#advance(Ready)}.
 */
public record Ready(HardState hardState, List<Entry> entries, Snapshot snapshot, List<Message> messages,
                    List<Entry> committedEntries, List<ReadState> readStates, boolean leaderPipelines) {

    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /**
     * A leader's appends, heartbeats and snapshot chunks, when this Ready changes neither its term nor
     * its vote: they promise nothing about the leader's own log, so they may be sent before it is
     * persisted, and the followers write while the leader writes (dissertation §10.2.1). The leader
     * counts itself toward a commit only through acknowledgements, which a driver handles after it
     * finished this Ready, so never before its own copy is durable.
     */
    public List<Message> sendableBeforePersist() {
        return leaderPipelines ? messages.stream().filter(Ready::leaderTraffic).toList() : List.of();
    }

    /** The messages to send once the Ready is persisted: all of them but {@link #sendableBeforePersist()}. */
    public List<Message> sendAfterPersist() {
        return leaderPipelines ? messages.stream().filter(m -> !leaderTraffic(m)).toList() : messages;
    }

    private static boolean leaderTraffic(Message m) {
        return m instanceof Message.AppendEntries || m instanceof Message.Heartbeat
                || m instanceof Message.InstallSnapshot;
    }

    public boolean isEmpty() {
        return hardState == null && entries.isEmpty() && snapshot == null && messages.isEmpty()
                && committedEntries.isEmpty() && readStates.isEmpty();
    }
}
