package dev.pacific.host.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.host.runtime.HostUnderTest;
import dev.pacific.host.runtime.RotatingLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogReaderTest {

  private final Path dir;
  private final Path current;

  LogReaderTest() throws Exception {
    dir = Files.createTempDirectory("pacific-logs-");
    current = dir.resolve("0.log");
    // 200 lines of 10 bytes in files of at most 300 bytes, 4 kept: only the last 110 lines survive (20 in the current file).
    try (RotatingLog log = new RotatingLog(current, 300, 4)) {
      for (int i = 0; i < 200; i++) {
        byte[] line = String.format("line %04d\n", i).getBytes(StandardCharsets.US_ASCII);
        log.write(line, 0, line.length);
      }
    }
  }

  @AfterEach
  void cleanUp() {
    HostUnderTest.deleteTree(dir);
  }

  private String read(Integer tailLines, Long limitBytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogReader.copy(current, new LogQuery(tailLines, limitBytes, false, false), out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void readsEveryRotatedFileOldestFirstAsOneLog() throws Exception {
    String all = read(null, null);
    assertEquals(110 * 10, all.length());
    assertEquals("line 0090\n", all.substring(0, 10));
    assertEquals("line 0199\n", all.substring(all.length() - 10));
  }

  @Test
  void tailLinesReachesBackAcrossFiles() throws Exception {
    assertEquals("line 0199\n", read(1, null));
    assertEquals(45 * 10, read(45, null).length(), "45 lines reach back past the 20 of the current file");
    assertEquals("line 0155\n", read(45, null).substring(0, 10));
    assertEquals("", read(0, null));
    assertEquals(1100, read(5000, null).length());
  }

  @Test
  void limitBytesCapsWhatTailLinesSelected() throws Exception {
    assertEquals("line 0190\nli", read(10, 12L));
    assertEquals("line 0090\n", read(null, 10L));
  }

  @Test
  void aLastLineWithoutNewlineCountsAsALine() throws Exception {
    Path f = dir.resolve("x.log");
    Files.writeString(f, "a\nb\nc");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogReader.copy(f, new LogQuery(2, null, false, false), out);
    assertEquals("b\nc", out.toString(StandardCharsets.US_ASCII));
  }
}
