/**
 * The Raft consensus algorithm as a pure, deterministic state machine, after
 * etcd-io/raft: no threads, clock, disk, network or Pekko here, so it can be
 * tested message by message and in a seeded simulator.
 *
 * <p>A driver (an actor with durable storage) owns one {@link dev.pacific.controlplane.quorum.raft.Raft}
 * and, single-threaded:
 * <ul>
 *   <li>builds it from what it persisted ({@link dev.pacific.controlplane.quorum.raft.PersistedState},
 *       or {@code PersistedState.EMPTY} the first time) and a seeded {@code Random};</li>
 *   <li>calls {@code tick()} on a timer, {@code step(message)} for each message from a peer,
 *       {@code propose(commands)} and {@code readIndex(context)} for clients (both refuse
 *       with {@code false} when this member cannot serve them; {@code leader()} says where to go),
 *       {@code transferLeadership(peer)} and {@code compact(index, image)};</li>
 *   <li>whenever {@code hasReady()}, takes {@code ready()} and does what
 *       {@link dev.pacific.controlplane.quorum.raft.Ready} lists, in its order — persist
 *       snapshot, entries and hard state durably, then send, then apply and answer reads —
 *       and calls {@code advance(ready)}.</li>
 * </ul>
 * Section numbers in comments refer to the Raft paper (Ongaro and Ousterhout,
 * "In Search of an Understandable Consensus Algorithm", 2014) and, where they
 * say so, to Ongaro's dissertation (2014).
 */
package dev.pacific.controlplane.quorum.raft;
