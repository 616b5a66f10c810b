package dev.pacific.controlplane.quorum.check;

/** The inputs of the {@link RegisterModel}: each touches one key's register. */
public sealed interface RegisterOp {

    String key();

    /** Sets the value; its output is ignored. */
    record Put(String key, String value) implements RegisterOp {
    }

    /** Reads the value; its output is the value, or null if the key is absent. */
    record Get(String key) implements RegisterOp {
    }

    /** Sets {@code update} if the value equals {@code expected} (null: absent); its output is a Boolean. */
    record Cas(String key, String expected, String update) implements RegisterOp {
    }
}
