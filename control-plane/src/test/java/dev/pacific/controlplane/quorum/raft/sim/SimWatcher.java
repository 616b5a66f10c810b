package dev.pacific.controlplane.quorum.raft.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client watching every change, as {@code QuorumWatch} is used: it reads the changes its member
 * applied after the last revision it saw, and when its member crashes it resumes on another from
 * that revision. Checked as it goes: each revision it sees is exactly the next one (no gap, no
 * duplicate, in order) and the same change every member applied at that revision. A member that
 * cannot serve the revision (restored from a snapshot past it) answers "compacted", and the
 * watcher starts again from that member's revision, as a Kubernetes client re-lists on 410.
 */
final class SimWatcher {

    private final Map<Long, String> canonical = new HashMap<>();
    private String member;
    private long last;
    int events;
    int resumes;
    int compacted;

    /** Every member's applied change goes here first: members must agree on each revision's change. */
    void applied(String by, long revision, String change) {
        String before = canonical.putIfAbsent(revision, change);
        if (before != null && !before.equals(change)) {
            throw new SafetyViolation("watch", by + " applied " + change + " at revision " + revision
                    + " where another member applied " + before);
        }
    }

    /** One step: attach to a live member if needed, then take what it has after the last revision seen. */
    void poll(Map<String, SimNode> nodes, List<String> names, long pick) {
        SimNode at = member == null ? null : nodes.get(member);
        if (at == null || !at.up()) {
            at = nodes.get(names.get((int) Math.floorMod(pick, (long) names.size())));
            if (!at.up()) {
                return;
            }
            resumes += member == null ? 0 : 1;
            member = at.name;
        }
        List<String> fresh = at.kv.changesAfter(last);
        if (fresh == null) {
            compacted++;
            last = at.kv.revision();
            return;
        }
        for (String change : fresh) {
            long revision = ++last;
            String expected = canonical.get(revision);
            if (!change.equals(expected)) {
                throw new SafetyViolation("watch", "the watcher on " + member + " saw " + change + " at revision "
                        + revision + " where the members applied " + expected);
            }
            events++;
        }
    }
}
