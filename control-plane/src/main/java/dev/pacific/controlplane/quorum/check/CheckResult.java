package dev.pacific.controlplane.quorum.check;

/** A verdict, with what a person needs to see why: for a failure, the key and the stuck operations. */
public record CheckResult(Verdict verdict, String explanation) {

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    @Override
    public String toString() {
        return verdict + ": " + explanation;
    }
}
