package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.Namespace;
import dev.pacific.api.NamespaceList;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.defaulting.Defaults;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Namespaces: created Active with the {@code kubernetes} finalizer, as Kubernetes' namespace strategy does. */
final class NamespaceType implements ResourceType<Namespace> {

  static final NamespaceType INSTANCE = new NamespaceType();

  private static final Map<String, Function<Namespace, String>> FIELDS = Map.of(
      "status.phase", ns -> ns.status() == null ? null : ns.status().phase());

  private NamespaceType() {}

  @Override
  public ResourceKind kind() {
    return ResourceKind.NAMESPACES;
  }

  @Override
  public Class<Namespace> type() {
    return Namespace.class;
  }

  @Override
  public ObjectMeta metadata(Namespace ns) {
    return ResourceType.orEmpty(ns.metadata());
  }

  @Override
  public Namespace withMetadata(Namespace ns, ObjectMeta metadata) {
    return new Namespace(ns.apiVersion(), ns.kind(), metadata, ns.spec(), ns.status());
  }

  @Override
  public Namespace typed(Namespace ns) {
    return new Namespace("v1", "Namespace", ns.metadata(), ns.spec(), ns.status());
  }

  @Override
  public Namespace withStatusOf(Namespace ns, Namespace source) {
    return new Namespace(ns.apiVersion(), ns.kind(), ns.metadata(), ns.spec(), source.status());
  }

  @Override
  public Namespace defaulted(Namespace ns) {
    return Defaults.namespace(ns);
  }

  @Override
  public Namespace preparedForCreate(Namespace ns) {
    return new Namespace(ns.apiVersion(), ns.kind(), ns.metadata(), ns.spec(), new Namespace.Status("Active"));
  }

  @Override
  public Map<String, Function<Namespace, String>> selectableFields() {
    return FIELDS;
  }

  @Override
  public Object list(ListMeta metadata, List<Namespace> items) {
    return new NamespaceList(metadata, items);
  }
}
