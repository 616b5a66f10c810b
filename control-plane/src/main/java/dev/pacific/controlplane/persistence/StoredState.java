package dev.pacific.controlplane.persistence;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializers;

/**
 * The bytes stored under a registry key: an entity's durable state as Pekko serialization made it
 * (serializer id, manifest, payload), so the durable-state plugin stays ignorant of entity types
 * and readers (lists, watches) decode with the same serializer. Layout: {@code 'P'}, format
 * version 1, serializer id (int), manifest (modified UTF-8), then the payload to the end.
 */
public record StoredState(int serializerId, String manifest, byte[] payload) {

  private static final int MAGIC = 'P';
  private static final int FORMAT = 1;

  /** Serializes {@code state} with the serializer Pekko binds to its class. */
  public static StoredState of(Serialization serialization, Object state) {
    var serializer = serialization.findSerializerFor(state);
    return new StoredState(serializer.identifier(), Serializers.manifestFor(serializer, state),
        serializer.toBinary(state));
  }

  /** The state object, deserialized by the serializer that wrote it. */
  public Object toObject(Serialization serialization) {
    return serialization.deserialize(payload, serializerId, manifest).get();
  }

  public byte[] encode() {
    var out = new ByteArrayOutputStream(payload.length + manifest.length() + 16);
    try (var data = new DataOutputStream(out)) {
      data.writeByte(MAGIC);
      data.writeByte(FORMAT);
      data.writeInt(serializerId);
      data.writeUTF(manifest);
      data.write(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes {@link #encode()}'s bytes; anything else is an {@link IllegalArgumentException}. */
  public static StoredState decode(byte[] bytes) {
    try (var data = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      if (data.readByte() != MAGIC || data.readByte() != FORMAT) {
        throw new IllegalArgumentException("not a stored entity state");
      }
      int serializerId = data.readInt();
      String manifest = data.readUTF();
      int header = bytes.length - data.available();
      return new StoredState(serializerId, manifest, Arrays.copyOfRange(bytes, header, bytes.length));
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated stored entity state", e);
    }
  }
}
