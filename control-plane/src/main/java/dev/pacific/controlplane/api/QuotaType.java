package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.ResourceQuotaList;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Resource quotas: a new quota has no usage yet, its namespace computes {@code status} (Kubernetes clears it on create). */
final class QuotaType implements ResourceType<ResourceQuota> {

  static final QuotaType INSTANCE = new QuotaType();

  private QuotaType() {}

  @Override
  public ResourceKind kind() {
    return ResourceKind.RESOURCEQUOTAS;
  }

  @Override
  public Class<ResourceQuota> type() {
    return ResourceQuota.class;
  }

  @Override
  public ObjectMeta metadata(ResourceQuota quota) {
    return ResourceType.orEmpty(quota.metadata());
  }

  @Override
  public ResourceQuota withMetadata(ResourceQuota quota, ObjectMeta metadata) {
    return new ResourceQuota(quota.apiVersion(), quota.kind(), metadata, quota.spec(), quota.status());
  }

  @Override
  public ResourceQuota typed(ResourceQuota quota) {
    return new ResourceQuota("v1", "ResourceQuota", quota.metadata(), quota.spec(), quota.status());
  }

  @Override
  public ResourceQuota withStatusOf(ResourceQuota quota, ResourceQuota source) {
    return new ResourceQuota(quota.apiVersion(), quota.kind(), quota.metadata(), quota.spec(), source.status());
  }

  @Override
  public ResourceQuota defaulted(ResourceQuota quota) {
    return quota;
  }

  @Override
  public ResourceQuota preparedForCreate(ResourceQuota quota) {
    return new ResourceQuota(quota.apiVersion(), quota.kind(), quota.metadata(), quota.spec(), null);
  }

  @Override
  public Map<String, Function<ResourceQuota, String>> selectableFields() {
    return Map.of();
  }

  @Override
  public Object list(ListMeta metadata, List<ResourceQuota> items) {
    return new ResourceQuotaList(metadata, items);
  }
}
