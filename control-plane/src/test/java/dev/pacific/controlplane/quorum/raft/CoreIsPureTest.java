package dev.pacific.controlplane.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core is a pure state machine (STYLE.md, etcd-io/raft): the driver does
 * all I/O, time and concurrency. This scans its sources for any use —
 * imported or fully qualified — of what would break that.
 */
class CoreIsPureTest {

    private static final Path CORE = Path.of("src/main/java/dev/pacific/controlplane/quorum/raft");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "org\\.apache\\.pekko|akka\\.|leveldb|org\\.iq80|java\\.time|java\\.util\\.concurrent|java\\.io\\b"
                    + "|java\\.nio|java\\.net|\\bThread\\b|currentTimeMillis|nanoTime|Math\\.random|ThreadLocalRandom");

    @Test
    void theRaftCoreUsesNoIoClockThreadsOrPekko() throws IOException {
        List<String> offences = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(CORE)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    if (FORBIDDEN.matcher(lines.get(i)).find()) {
                        offences.add(source.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(files >= 10, "found only " + files + " sources under " + CORE.toAbsolutePath());
        assertEquals(List.of(), offences);
    }
}
