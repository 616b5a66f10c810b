package dev.pacific.controlplane.quorum.store;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.HardState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link TornWriteTest}: appends batches of entries to a
 * log for ever and prints {@code ack <lastIndex>} after each save returns,
 * i.e. once the batch is durable, until its parent kills it.
 */
public final class LogAppender {

  private LogAppender() {
  }

  static byte[] payload(long index) {
    return ("entry-" + index + "-" + "x".repeat((int) (index % 97))).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    LogStore log = LogStore.open(Path.of(args[0]));
    long next = log.lastIndex() + 1;
    for (int round = 0; ; round++) {
      int size = 1 + round % 7;
      List<Entry> batch = new ArrayList<>();
      for (int i = 0; i < size; i++, next++) {
        batch.add(new Entry(1, next, payload(next)));
      }
      log.save(null, batch, new HardState(1, "cp-1", next - 1));
      System.out.println("ack " + (next - 1));
      System.out.flush();
    }
  }
}
