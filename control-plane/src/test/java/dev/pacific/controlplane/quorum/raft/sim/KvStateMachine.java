package dev.pacific.controlplane.quorum.raft.sim;

import dev.pacific.controlplane.quorum.check.RegisterOp.Cas;
import dev.pacific.controlplane.quorum.check.RegisterOp.Get;
import dev.pacific.controlplane.quorum.check.RegisterOp.Put;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The replicated key-value store on top of the simulated log. It remembers
 * each client's last sequence number and answer, so a request retried after
 * a time-out or a leader change is applied once and answered the same way.
 * Every write takes the next revision, as in the MVCC store, and the member
 * keeps the changes it applied itself in memory for {@link SimWatcher}: a
 * member restored from a snapshot has none before it (they are "compacted").
 */
final class KvStateMachine {

    private record LastReply(long seq, Object reply) {
    }

    private final Map<String, String> values = new TreeMap<>();
    private final Map<Integer, LastReply> lastReplies = new TreeMap<>();
    /** Revision r's change ("key=value") is at index r - firstKept. */
    private final java.util.List<String> changes = new java.util.ArrayList<>();
    private long revision;
    private long firstKept = 1;

    long revision() {
        return revision;
    }

    /** The changes after {@code after}, oldest first, or null when some were compacted away (not kept here). */
    java.util.List<String> changesAfter(long after) {
        if (after + 1 < firstKept) {
            return null;
        }
        int from = (int) Math.min(changes.size(), after + 1 - firstKept);
        return changes.subList(from, changes.size());
    }

    private void changed(String key, String value) {
        revision++;
        changes.add(key + "=" + value);
    }

    /** Applies a committed command and returns its answer (the remembered one for a duplicate). */
    Object apply(Command c) {
        LastReply last = lastReplies.get(c.clientId());
        if (last != null && c.seq() <= last.seq()) {
            return c.seq() == last.seq() ? last.reply() : null;
        }
        Object reply;
        if (c.op() instanceof Put p) {
            values.put(p.key(), p.value());
            changed(p.key(), p.value());
            reply = null;
        } else if (c.op() instanceof Get g) {
            reply = values.get(g.key());
        } else {
            Cas cas = (Cas) c.op();
            boolean swap = Objects.equals(values.get(cas.key()), cas.expected());
            if (swap) {
                values.put(cas.key(), cas.update());
                changed(cas.key(), cas.update());
            }
            reply = swap;
        }
        lastReplies.put(c.clientId(), new LastReply(c.seq(), reply));
        return reply;
    }

    String get(String key) {
        return values.get(key);
    }

    byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(revision);
            out.writeInt(values.size());
            for (Map.Entry<String, String> e : values.entrySet()) {
                Command.writeAll(out, e.getKey(), e.getValue());
            }
            out.writeInt(lastReplies.size());
            for (Map.Entry<Integer, LastReply> e : lastReplies.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue().seq());
                Object r = e.getValue().reply();
                out.writeByte(r == null ? 0 : r instanceof Boolean ? 1 : 2);
                if (r instanceof Boolean b) {
                    out.writeBoolean(b);
                } else if (r instanceof String s) {
                    out.writeUTF(s);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restore(byte[] image) {
        values.clear();
        lastReplies.clear();
        changes.clear();
        revision = 0;
        firstKept = 1;
        if (image.length == 0) {
            return;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(image));
            revision = in.readLong();
            firstKept = revision + 1;
            for (int n = in.readInt(); n > 0; n--) {
                values.put(Command.read(in), Command.read(in));
            }
            for (int n = in.readInt(); n > 0; n--) {
                int client = in.readInt();
                long seq = in.readLong();
                Object reply = switch (in.readByte()) {
                    case 0 -> null;
                    case 1 -> in.readBoolean();
                    default -> in.readUTF();
                };
                lastReplies.put(client, new LastReply(seq, reply));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
