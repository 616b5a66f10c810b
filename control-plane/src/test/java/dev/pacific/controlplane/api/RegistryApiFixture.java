package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One {@link RegistryApiServer} shared by the tests of a class, and the namespace every test starts with. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryApiFixture {

  RegistryApiServer api;

  @BeforeAll
  void start() {
    api = new RegistryApiServer();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  void namespace(String name) {
    assertEquals(201, api.post("/api/v1/namespaces", q("{'metadata':{'name':'" + name + "'}}")).statusCode());
  }
}
