package dev.pacific.controlplane.quorum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Field encodings shared by the quorum codecs. */
final class Wire {

  private Wire() {}

  static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("byte field of " + n + " bytes overruns the message");
    }
    return in.readNBytes(n);
  }

  static void nullableUtf(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  static String nullableUtf(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
