package dev.pacific.controlplane.entities;

import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.Optional;

/**
 * The rules for a namespace's ResourceQuota objects, which live in the namespace's record: create,
 * update and delete as Kubernetes answers them, as pure decisions the namespace entity carries out.
 * Every quota's resourceVersion is the namespace record's ({@code recordVersion}).
 */
final class QuotaObjects {

  /** What to do: write the next ledger and answer with the quota named, answer without writing, or refuse. */
  sealed interface Decision {
    record Write(QuotaLedger next, String quota) implements Decision {}

    record Answer(ResourceQuota quota) implements Decision {}

    record Refuse(Status status) implements Decision {}
  }

  private QuotaObjects() {}

  static Decision create(QuotaLedger ledger, String namespace, boolean terminating, ResourceQuota quota, String uid,
                         String now) {
    ObjectRef ref = ref(namespace, quota.metadata().name());
    if (terminating) {
      return new Decision.Refuse(AdmissionRefusals.terminating(ref.kind().resource(), ref.name(), namespace));
    }
    if (ledger.quotas().containsKey(ref.name())) {
      return new Decision.Refuse(Refusals.alreadyExists(ref, false));
    }
    return new Decision.Write(ledger.created(quota, namespace, uid, now), ref.name());
  }

  /** A client's update ({@code status}: of the subresource, which changes nothing: usage is counted here). */
  static Decision update(QuotaLedger ledger, String namespace, ResourceQuota given, boolean status,
                         String recordVersion) {
    ObjectRef ref = ref(namespace, given.metadata().name());
    ResourceQuota old = ledger.quotas().get(ref.name());
    if (old == null) {
      return new Decision.Refuse(Refusals.notFound(ref));
    }
    String sent = given.metadata().resourceVersion();
    if (sent != null && !sent.isEmpty() && !sent.equals(recordVersion)) {
      return new Decision.Refuse(Refusals.modified(ref));
    }
    return status ? new Decision.Answer(old) : new Decision.Write(ledger.replaced(old, given), ref.name());
  }

  /** A delete; the decision's answer is the quota as it was. */
  static Decision delete(QuotaLedger ledger, String namespace, String name, DeleteOptions options,
                         String recordVersion) {
    ObjectRef ref = ref(namespace, name);
    ResourceQuota old = ledger.quotas().get(name);
    if (old == null) {
      return new Decision.Refuse(Refusals.notFound(ref));
    }
    Optional<Status> failed = options == null ? Optional.empty()
        : Refusals.precondition(ref, "UID", options.uid(), old.metadata().uid()).or(() -> Refusals.precondition(ref,
            "ResourceVersion", options.resourceVersion(), recordVersion));
    return failed.<Decision>map(Decision.Refuse::new).orElseGet(() -> new Decision.Answer(old));
  }

  private static ObjectRef ref(String namespace, String name) {
    return new ObjectRef(ResourceKind.RESOURCEQUOTAS, namespace, name);
  }
}
