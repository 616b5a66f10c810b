package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of ResourceQuotas as Kubernetes lists them; {@code items} is always written, also when empty. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceQuotaList(String apiVersion, String kind, ListMeta metadata,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<ResourceQuota> items) {

  public ResourceQuotaList {
    items = Frozen.list(items);
  }

  public ResourceQuotaList(ListMeta metadata, List<ResourceQuota> items) {
    this("v1", "ResourceQuotaList", metadata, items);
  }
}
