package dev.pacific.controlplane.quorum.raft.sim;

/** A Raft safety property (paper Fig. 3) or linearizability failed in a simulation. */
final class SafetyViolation extends RuntimeException {

    final String property;

    SafetyViolation(String property, String detail) {
        super(property + ": " + detail);
        this.property = property;
    }
}
