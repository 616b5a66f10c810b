package dev.pacific.controlplane.quorum.raft;

import java.util.List;

/**
 * What a member asks its driver to do, in this order:
 * <ol>
 *   <li>persist {@code snapshot} (if not null), then {@code entries} — which
 *       replace any persisted entries at the same or higher indexes — and
 *       {@code hardState} (if not null), durably and together;</li>
 *   <li>only then send {@code messages} (they may promise what was just persisted);</li>
 *   <li>install {@code snapshot} into the state machine, then apply
 *       {@code committedEntries} in order;</li>
 *   <li>answer the {@code readStates} once the applied index reaches theirs;</li>
 *   <li>call {@link Raft#advance(Ready)}.</li>
 * </ol>
 * Nothing else may be called on the member between {@link Raft#ready()} and
 * {@link Raft#advance(Ready)}.
 */
public record Ready(HardState hardState, List<Entry> entries, Snapshot snapshot, List<Message> messages,
                    List<Entry> committedEntries, List<ReadState> readStates) {

    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    public boolean isEmpty() {
        return hardState == null && entries.isEmpty() && snapshot == null && messages.isEmpty()
                && committedEntries.isEmpty() && readStates.isEmpty();
    }
}
