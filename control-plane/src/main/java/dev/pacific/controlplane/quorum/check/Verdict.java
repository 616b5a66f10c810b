package dev.pacific.controlplane.quorum.check;

public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search ran out of its time budget before it could decide. */
    UNKNOWN
}
