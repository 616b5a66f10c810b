package dev.pacific.deploy.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packaged build members run from: {@code pacific-deploy.jar} and {@code lib/} in one
 * directory ({@code deploy/target}). The {@code pacific} script and Failsafe both name it with
 * the system property {@code pacific.dist}; nothing here ever builds.
 */
public record Distribution(Path home) {

  public static Distribution fromSystemProperty() {
    String dist = System.getProperty("pacific.dist");
    if (dist == null) {
      throw new LauncherException("pacific.dist is not set: run Pacific through deploy/pacific");
    }
    return new Distribution(Path.of(dist).toAbsolutePath());
  }

  public String classpath() {
    Path jar = home.resolve("pacific-deploy.jar");
    Path lib = home.resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new LauncherException("no Pacific build in " + home + ": run `mvn -q -DskipTests package` first");
    }
    return jar + ":" + lib + "/*";
  }

  public String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
