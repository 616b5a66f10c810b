package dev.pacific.controlplane.quorum;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Message;
import dev.pacific.controlplane.quorum.raft.Message.AppendEntries;
import dev.pacific.controlplane.quorum.raft.Message.AppendResponse;
import dev.pacific.controlplane.quorum.raft.Message.Heartbeat;
import dev.pacific.controlplane.quorum.raft.Message.HeartbeatResponse;
import dev.pacific.controlplane.quorum.raft.Message.InstallSnapshot;
import dev.pacific.controlplane.quorum.raft.Message.RequestVote;
import dev.pacific.controlplane.quorum.raft.Message.SnapshotAck;
import dev.pacific.controlplane.quorum.raft.Message.TimeoutNow;
import dev.pacific.controlplane.quorum.raft.Message.VoteResponse;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Raft messages on the wire: a two-letter manifest, then sender, receiver
 * and term, then the message's own fields. Only numbers, names and bytes.
 */
final class RaftCodec {

  private RaftCodec() {}

  static String manifest(Message m) {
    if (m instanceof RequestVote) {
      return "RV";
    } else if (m instanceof VoteResponse) {
      return "VR";
    } else if (m instanceof AppendEntries) {
      return "AE";
    } else if (m instanceof AppendResponse) {
      return "AR";
    } else if (m instanceof Heartbeat) {
      return "HB";
    } else if (m instanceof HeartbeatResponse) {
      return "HR";
    } else if (m instanceof InstallSnapshot) {
      return "IS";
    } else if (m instanceof SnapshotAck) {
      return "SA";
    } else if (m instanceof TimeoutNow) {
      return "TN";
    }
    throw new IllegalArgumentException("unknown Raft message " + m.getClass());
  }

  static void write(Message m, DataOutputStream out) throws IOException {
    out.writeUTF(m.from());
    out.writeUTF(m.to());
    out.writeLong(m.term());
    if (m instanceof RequestVote v) {
      longs(out, v.lastIndex(), v.lastTerm());
      out.writeBoolean(v.preVote());
      out.writeBoolean(v.transfer());
    } else if (m instanceof VoteResponse v) {
      out.writeBoolean(v.preVote());
      out.writeBoolean(v.granted());
    } else if (m instanceof AppendEntries a) {
      writeAppend(a, out);
    } else if (m instanceof AppendResponse a) {
      out.writeLong(a.index());
      out.writeBoolean(a.reject());
      longs(out, a.hintIndex(), a.hintTerm());
    } else if (m instanceof Heartbeat h) {
      longs(out, h.commit(), h.readSeq());
    } else if (m instanceof HeartbeatResponse h) {
      out.writeLong(h.readSeq());
    } else if (m instanceof InstallSnapshot s) {
      longs(out, s.snapshotIndex(), s.snapshotTerm(), s.totalBytes(), s.offset());
      Wire.bytes(out, s.chunk());
    } else if (m instanceof SnapshotAck a) {
      longs(out, a.snapshotIndex(), a.nextOffset());
    }
  }

  private static void longs(DataOutputStream out, long... values) throws IOException {
    for (long v : values) {
      out.writeLong(v);
    }
  }

  /** Entries go as (term, data) only: their indexes follow prevIndex one by one. */
  private static void writeAppend(AppendEntries a, DataOutputStream out) throws IOException {
    longs(out, a.prevIndex(), a.prevTerm(), a.commit());
    out.writeInt(a.entries().size());
    for (Entry e : a.entries()) {
      out.writeLong(e.term());
      Wire.bytes(out, e.data());
    }
  }

  static Message read(String manifest, DataInputStream in) throws IOException {
    String from = in.readUTF();
    String to = in.readUTF();
    long term = in.readLong();
    return switch (manifest) {
      case "RV" -> new RequestVote(from, to, term, in.readLong(), in.readLong(), in.readBoolean(),
          in.readBoolean());
      case "VR" -> new VoteResponse(from, to, term, in.readBoolean(), in.readBoolean());
      case "AE" -> readAppend(from, to, term, in);
      case "AR" -> new AppendResponse(from, to, term, in.readLong(), in.readBoolean(), in.readLong(),
          in.readLong());
      case "HB" -> new Heartbeat(from, to, term, in.readLong(), in.readLong());
      case "HR" -> new HeartbeatResponse(from, to, term, in.readLong());
      case "IS" -> new InstallSnapshot(from, to, term, in.readLong(), in.readLong(), in.readLong(),
          in.readLong(), Wire.bytes(in));
      case "SA" -> new SnapshotAck(from, to, term, in.readLong(), in.readLong());
      case "TN" -> new TimeoutNow(from, to, term);
      default -> throw new IllegalArgumentException("unknown manifest " + manifest);
    };
  }

  private static AppendEntries readAppend(String from, String to, long term, DataInputStream in)
      throws IOException {
    long prevIndex = in.readLong();
    long prevTerm = in.readLong();
    long commit = in.readLong();
    int n = in.readInt();
    List<Entry> entries = new ArrayList<>(Math.min(n, 4096));
    for (int i = 1; i <= n; i++) {
      entries.add(new Entry(in.readLong(), prevIndex + i, Wire.bytes(in)));
    }
    return new AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
  }
}
