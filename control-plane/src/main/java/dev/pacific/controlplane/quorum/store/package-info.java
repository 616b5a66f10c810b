/**
 * The quorum's storage (issue 4): the Raft log and the replicated key-value
 * state machine, each in its own LevelDB directory, each written with one
 * {@code WriteBatch} per call: synced for the log, not for the key-value state,
 * which the log can always rebuild.
 *
 * <p>How the member actor drives them, single-threaded:
 * <ol>
 *   <li>Start: {@link dev.pacific.controlplane.quorum.store.LogStore#open} and
 *       {@link dev.pacific.controlplane.quorum.store.KvStore#open} (both refuse an unreadable or
 *       corrupt directory with a {@link dev.pacific.controlplane.quorum.store.StoreException} naming it;
 *       {@code created()} tells a new directory from an existing one, so a member whose
 *       data is gone while its peers know it can refuse to start). If the key-value
 *       store's applied index is below the log's snapshot index (a crash between
 *       saving an InstallSnapshot and restoring it), restore the snapshot's data into
 *       the key-value store first. Then build the core from
 *       {@code log.load(kv.appliedIndex())}.</li>
 *   <li>Each {@code Ready}: {@code log.save(rd.snapshot(), rd.entries(), rd.hardState())}
 *       (one fsync for every proposal gathered into it: group commit), then send, then
 *       {@code kv.restore(rd.snapshot().data())} if there is a snapshot, then
 *       {@code kv.applyBatch(rd.committedEntries())} (one write, not synced) and answer the
 *       waiting clients from the returned {@link dev.pacific.controlplane.quorum.store.Applied}
 *       records, matched by client id and sequence number.</li>
 *   <li>Compaction: {@code kv.sync()} (the applies are not synced), then
 *       {@code log.compact(Snapshot.marker(index, term))} and {@code raft.compact(index, null)}: the
 *       store holds the state itself. Only when a follower needs it does the core ask for an image,
 *       {@code kv.snapshot()} at {@code kv.appliedIndex()}, and send that.</li>
 *   <li>Proposals are {@code KvCodec.encode(new Request(clientId, seq, now, command))},
 *       {@code now} being the leader's clock: sessions expire by it, through the log.</li>
 * </ol>
 *
 * <p>Issue 5 added, all decided by the log so every member agrees:
 * <ul>
 *   <li>{@link dev.pacific.controlplane.quorum.store.KvCommand.Compact}: etcd's compaction. History at
 *       and below the revision goes except the latest version of each live key; reading it afterwards
 *       throws {@link dev.pacific.controlplane.quorum.store.Compacted} with the oldest revision left.
 *       The compacted revision is in snapshots and the state hash.</li>
 *   <li>Leases ({@code LeaseGrant}, {@code LeaseKeepAlive}, {@code LeaseRevoke}, {@code Put} with a
 *       lease): the table of TTLs and attached keys ({@code Leases}), in snapshots and the state hash.
 *       Deadlines are not here: the leader keeps them on its own clock and proposes the revoke, and a
 *       keep-alive reaches the leader alone, never the log (it only reads the table here).</li>
 *   <li>{@link dev.pacific.controlplane.quorum.store.ChangeListener}: the changes of each batch, once
 *       durable, for the member's watchers; {@code changesAfter} may be called from any thread.</li>
 * </ul>
 */
package dev.pacific.controlplane.quorum.store;
