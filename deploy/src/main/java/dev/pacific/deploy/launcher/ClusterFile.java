package dev.pacific.deploy.launcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code D/cluster.json}: the API address and every member. Written atomically (temp file and
 * rename) so a reader never sees half a file. {@code runtime} and {@code heap} are kept so that
 * a restart uses the flags of the first {@code up}; {@code settings} are extra {@code key=value}
 * settings every member gets (tests shorten timings with them).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterFile(String api, String runtime, String heap, List<String> settings, List<MemberSpec> nodes) {

  public ClusterFile {
    settings = settings == null ? List.of() : List.copyOf(settings);
    nodes = List.copyOf(nodes);
  }

  public static final String NAME = "cluster.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Optional<ClusterFile> read(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(file.toFile(), ClusterFile.class));
    } catch (IOException e) {
      throw new LauncherException(file + " is not a readable cluster file (" + e.getMessage()
          + "); fix or remove it, or use another --dir");
    }
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(NAME + ".tmp");
    MAPPER.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Optional<MemberSpec> member(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public ClusterFile with(MemberSpec updated) {
    List<MemberSpec> next = new ArrayList<>();
    for (MemberSpec n : nodes) {
      next.add(n.name().equals(updated.name()) ? updated : n);
    }
    return new ClusterFile(api, runtime, heap, settings, next);
  }

  public List<MemberSpec> withRole(String role) {
    return nodes.stream().filter(n -> n.role().equals(role)).toList();
  }
}
