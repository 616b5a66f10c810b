package dev.pacific.controlplane.quorum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link QuorumStatus} on the wire, for a status asked of another member. */
final class StatusCodec {

  private StatusCodec() {}

  static void write(QuorumStatus s, DataOutputStream out) throws IOException {
    out.writeUTF(s.self());
    Wire.nullableUtf(out, s.leader());
    out.writeLong(s.term());
    out.writeLong(s.commitIndex());
    out.writeLong(s.appliedIndex());
    out.writeUTF(s.stateHash());
    out.writeInt(s.members().size());
    for (QuorumStatus.MemberStatus m : s.members()) {
      out.writeUTF(m.name());
      out.writeBoolean(m.reachable());
      out.writeLong(m.matchIndex() == null ? -1 : m.matchIndex());
      Wire.nullableUtf(out, m.replication());
    }
    out.writeLong(s.lastIndex());
    out.writeLong(s.snapshotIndex());
  }

  static QuorumStatus read(DataInputStream in) throws IOException {
    String self = in.readUTF();
    String leader = Wire.nullableUtf(in);
    long term = in.readLong();
    long commit = in.readLong();
    long applied = in.readLong();
    String hash = in.readUTF();
    List<QuorumStatus.MemberStatus> members = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      String name = in.readUTF();
      boolean reachable = in.readBoolean();
      long match = in.readLong();
      members.add(new QuorumStatus.MemberStatus(name, reachable, match < 0 ? null : match, Wire.nullableUtf(in)));
    }
    return new QuorumStatus(self, leader, term, commit, applied, hash, members, in.readLong(), in.readLong());
  }
}
