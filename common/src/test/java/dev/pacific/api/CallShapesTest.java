package dev.pacific.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The constructors and factories the control plane already calls keep compiling and keep their JSON. */
class CallShapesTest {

  @Test
  void nodeBuiltFromQuantityStrings() throws Exception {
    Node node = new Node(ObjectMeta.named("host-1"), new Node.Spec(false),
        new Node.Status(Map.of("cpu", "2", "memory", "8Gi"), Map.of("cpu", "1500m"),
            List.of(new NodeCondition("Ready", "True", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z", "KubeletReady", "ok")),
            List.of(new NodeAddress("InternalIP", "127.0.0.1")),
            new Node.DaemonEndpoints(new Node.KubeletEndpoint(40111))));
    String json = new String(Json.write(node), StandardCharsets.UTF_8);
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"host-1\"},\"spec\":{},"
        + "\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"8Gi\"},\"allocatable\":{\"cpu\":\"1500m\"},"
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastHeartbeatTime\":\"2024-05-01T10:00:00Z\","
        + "\"lastTransitionTime\":\"2024-05-01T10:00:00Z\",\"reason\":\"KubeletReady\",\"message\":\"ok\"}],"
        + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":40111}}}}", json);
    assertEquals(node, Json.read(json.getBytes(StandardCharsets.UTF_8), Node.class));
    assertEquals("Ready", node.readyCondition().type());
    assertEquals(Quantity.parse("8Gi"), node.status().capacity().get("memory"));
    assertEquals("2", node.status().capacity().asStrings().get("cpu"));
  }

  @Test
  void objectMetaKeepsItsSevenArgumentShape() {
    ObjectMeta meta = new ObjectMeta("web", "default", "uid-1", "7", "2024-05-01T10:00:00Z", Map.of("a", "b"), null);
    assertEquals("web", meta.name());
    assertEquals(Map.of(), meta.annotations());
    assertEquals(List.of(), meta.finalizers());
    assertNull(meta.generateName());
    assertEquals("8", meta.withResourceVersion("8").resourceVersion());
    assertTrue(meta.withDeletion("2024-05-01T11:00:00Z", 30L).isTerminating());
    assertEquals("{\"name\":\"web\"}", new String(Json.write(ObjectMeta.named("web")), StandardCharsets.UTF_8));
  }

  @Test
  void listsAlwaysCarryItems() {
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"NodeList\",\"metadata\":{\"resourceVersion\":\"12\",\"continue\":\"abc\"},"
        + "\"items\":[]}", new String(Json.write(new NodeList(new ListMeta("12", "abc"), List.of())), StandardCharsets.UTF_8));
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[]}",
        new String(Json.write(new PodList(new ListMeta("3", null), null)), StandardCharsets.UTF_8));
  }

  @Test
  void statusKeepsTheContractShape() {
    Status s = Status.notFound("nodes", "host-9");
    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"nodes \\\"host-9\\\" not found\",\"reason\":\"NotFound\","
        + "\"details\":{\"name\":\"host-9\",\"kind\":\"nodes\"},\"code\":404}",
        new String(Json.write(s), StandardCharsets.UTF_8));
    assertEquals(200, Status.success().code());
  }
}
