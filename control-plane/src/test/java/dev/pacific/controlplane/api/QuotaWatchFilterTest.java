package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.api.Namespace;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryReader.Change;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.WatchEvent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Quota events from a namespace's quotas before and after one change of its record. */
class QuotaWatchFilterTest {

  private static final long REVISION = 42;

  /** A quota in namespace "ns" with uid "uid-NAME", {@code pods} hard and used. */
  private static ResourceQuota quota(String name, String hardPods, String usedPods) {
    return quota(name, "uid-" + name, Map.of(), Map.of("pods", hardPods), usedPods == null ? null
        : Map.of("pods", usedPods));
  }

  private static ResourceQuota quota(String name, String uid, Map<String, String> labels, Map<String, String> hard,
      Map<String, String> used) {
    ObjectMeta meta = ObjectMeta.named("ns", name).withUid(uid).withLabels(labels).withResourceVersion("7");
    ResourceList h = ResourceList.parse(hard);
    return new ResourceQuota(meta, new ResourceQuota.Spec(h),
        used == null ? null : new ResourceQuota.Status(h, ResourceList.parse(used)));
  }

  /** "TYPE name@rv pods=USED/HARD" for one event, where its object is the quota as sent. */
  private static String describe(WatchEvents.Event event) {
    ResourceQuota q = (ResourceQuota) event.object();
    String used = q.status() == null || q.status().used() == null ? "-" : String.valueOf(q.status().used().get("pods"));
    return event.type() + " " + q.metadata().name() + "@" + q.metadata().resourceVersion() + " pods=" + used + "/"
        + q.spec().hard().get("pods");
  }

  private static Arguments row(String property, List<ResourceQuota> before, List<ResourceQuota> after,
      String... events) {
    return Arguments.of(property, before, after, List.of(events));
  }

  static Stream<Arguments> changes() {
    ResourceQuota a = quota("a", "2", "0");
    return Stream.of(
        row("no quotas before or after: nothing", List.of(), List.of()),
        row("a quota that appears is ADDED", List.of(), List.of(a), "ADDED a@42 pods=0/2"),
        row("a quota that disappears is DELETED with its last state", List.of(quota("a", "2", "1")), List.of(),
            "DELETED a@42 pods=1/2"),
        row("a quota whose resourceVersion alone differs is not sent", List.of(a),
            List.of(RegistryObjects.withRevision(QuotaType.INSTANCE, a, 41))),
        row("a changed spec is MODIFIED", List.of(a), List.of(quota("a", "3", "0")), "MODIFIED a@42 pods=0/3"),
        row("a usage-only change is MODIFIED", List.of(a), List.of(quota("a", "2", "1")), "MODIFIED a@42 pods=1/2"),
        row("a status that appears (usage counted) is MODIFIED", List.of(quota("a", "2", null)), List.of(a),
            "MODIFIED a@42 pods=0/2"),
        row("a changed label is MODIFIED", List.of(a),
            List.of(quota("a", "uid-a", Map.of("team", "x"), Map.of("pods", "2"), Map.of("pods", "0"))),
            "MODIFIED a@42 pods=0/2"),
        row("the same amount written in another format is a change a client sees: MODIFIED",
            List.of(quota("m", "uid-m", Map.of(), Map.of("requests.memory", "1Gi"), null)),
            List.of(quota("m", "uid-m", Map.of(), Map.of("requests.memory", "1073741824"), null)),
            "MODIFIED m@42 pods=-/null"),
        row("the same amount in another spelling of one format is not: quantities are written canonically",
            List.of(quota("m", "uid-m", Map.of(), Map.of("requests.memory", "1Gi"), null)),
            List.of(quota("m", "uid-m", Map.of(), Map.of("requests.memory", "1024Mi"), null))),
        row("a quota with a new uid was deleted and created again", List.of(quota("a", "2", "1")),
            List.of(quota("a", "uid-new", Map.of(), Map.of("pods", "2"), Map.of("pods", "0"))),
            "DELETED a@42 pods=1/2", "ADDED a@42 pods=0/2"),
        row("several at once come in the order of their names, unchanged ones left out",
            List.of(quota("d", "1", "0"), quota("c", "1", "1"), quota("b", "1", "0")),
            List.of(quota("d", "1", "0"), quota("b", "1", "1"), quota("a", "5", "0")),
            "ADDED a@42 pods=0/5", "MODIFIED b@42 pods=1/1", "DELETED c@42 pods=1/1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void diffTurnsOneNamespaceChangeIntoQuotaEvents(String property, List<ResourceQuota> before,
      List<ResourceQuota> after, List<String> expected) {
    assertEquals(expected, QuotaWatchFilter.diff(before, after, REVISION).stream()
        .map(QuotaWatchFilterTest::describe).toList(), property);
  }

  private static Record namespace(String name, long revision, ResourceQuota... quotas) {
    Map<String, ResourceQuota> byName = new LinkedHashMap<>();
    Arrays.stream(quotas).forEach(q -> byName.put(q.metadata().name(), q));
    return new Record(ObjectRef.cluster(ResourceKind.NAMESPACES, name),
        TestEntityState.of(Namespace.named(name), byName), revision);
  }

  private static Change modified(Record record) {
    return new Change(WatchEvent.Type.MODIFIED, record);
  }

  private static List<String> described(List<WatchEvents.Event> events) {
    return events.stream().map(QuotaWatchFilterTest::describe).toList();
  }

  private static QuotaWatchFilter selecting(Map<String, String> query, long start) {
    ListOptions options = ListOptions.parse(query, Set.of()).fold(bad -> {
      throw new AssertionError(bad.message());
    }, ok -> ok);
    return new QuotaWatchFilter(Selection.of(QuotaType.INSTANCE, options), start);
  }

  private static QuotaWatchFilter everything(long start) {
    return selecting(Map.of(), start);
  }

  @Test
  void theExistingQuotasComeAsAddedInNameOrderAtTheirNamespacesRevision() {
    QuotaWatchFilter filter = everything(10);
    assertEquals(List.of("ADDED a@9 pods=0/1", "ADDED b@9 pods=0/1"),
        described(filter.existing(namespace("ns", 9, quota("b", "1", "0"), quota("a", "1", "0")))));
    assertEquals(List.of("MODIFIED a@11 pods=1/1"),
        described(filter.events(modified(namespace("ns", 11, quota("b", "1", "0"), quota("a", "1", "1"))))),
        "compared with what was ADDED");
  }

  @Test
  void aDeletedNamespaceDeletesEachOfItsQuotasWithItsLastStateAtTheDeletingRevision() {
    QuotaWatchFilter filter = everything(10);
    filter.seed(namespace("ns", 9, quota("a", "2", "1"), quota("b", "1", "0")));
    List<WatchEvents.Event> events = filter.events(new Change(WatchEvent.Type.DELETED,
        namespace("ns", 12, quota("a", "2", "1"), quota("b", "1", "0"))));
    assertEquals(List.of("DELETED a@12 pods=1/2", "DELETED b@12 pods=0/1"), described(events));
    assertEquals(12, filter.seenRevision());
    assertEquals(List.of("ADDED a@13 pods=-/3"), described(filter.events(modified(namespace("ns", 13,
        quota("a", "uid-again", Map.of(), Map.of("pods", "3"), null))))), "a namespace made again starts empty");
  }

  @Test
  void aNamespaceChangeThatLeavesItsQuotasAloneSendsNothingButIsSeen() {
    QuotaWatchFilter filter = everything(10);
    filter.seed(namespace("ns", 9, quota("a", "2", "0")));
    assertEquals(List.of(), filter.events(modified(namespace("ns", 14, quota("a", "2", "0")))));
    assertEquals(List.of(), filter.events(modified(namespace("other", 15))));
    assertEquals(15, filter.seenRevision(), "a bookmark may name it");
  }

  @Test
  void namespacesAreComparedEachWithItsOwnQuotas() {
    QuotaWatchFilter filter = everything(10);
    filter.seed(namespace("x", 9, quota("a", "1", "0")));
    assertEquals(List.of("ADDED a@11 pods=0/1"), described(filter.events(modified(namespace("y", 11,
        quota("a", "1", "0"))))), "a quota named as one in another namespace is another quota");
    assertEquals(List.of("DELETED a@12 pods=0/1"), described(filter.events(modified(namespace("x", 12)))));
  }

  @Test
  void aQuotaEnteringOrLeavingTheSelectionIsAddedOrDeleted() {
    QuotaWatchFilter filter = selecting(Map.of("labelSelector", "team=x"), 10);
    ResourceQuota plain = quota("a", "uid-a", Map.of(), Map.of("pods", "1"), null);
    ResourceQuota labelled = quota("a", "uid-a", Map.of("team", "x"), Map.of("pods", "1"), null);
    filter.seed(namespace("ns", 9, plain));
    assertEquals(List.of("ADDED a@11 pods=-/1"), described(filter.events(modified(namespace("ns", 11, labelled)))));
    assertEquals(List.of("DELETED a@12 pods=-/1"), described(filter.events(modified(namespace("ns", 12, plain)))));
    assertEquals(List.of(), filter.events(modified(namespace("ns", 13, quota("a", "uid-a", Map.of(),
        Map.of("pods", "9"), null)))), "changes of a quota that does not match are not sent");
  }
}
