package dev.pacific.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.api.Json;
import dev.pacific.api.ListMeta;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Status;
import dev.pacific.api.codec.Codec;
import dev.pacific.api.codec.Decoded;
import dev.pacific.api.codec.FieldValidation;
import dev.pacific.api.codec.MediaFormat;
import dev.pacific.api.validation.FieldError;
import dev.pacific.api.validation.Invalid;
import dev.pacific.api.validation.PodValidation;
import dev.pacific.api.validation.Validation;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Creates, updates, merge patches and deletes, on their way to the entities through
 * {@link Mutations}: decoded per {@code fieldValidation}, checked against the URL, prepared as
 * Kubernetes' registry strategies prepare them (server-set metadata, status kept or reset),
 * defaulted and validated here; existence, transitions, quota and optimistic concurrency on
 * {@code resourceVersion} are the entity's to decide.
 */
final class Writes {

  /** A request body and the format its {@code Content-Type} named. */
  record Body(byte[] bytes, MediaFormat format) {}

  private final Reads reads;
  private final Mutations mutations;
  private final ApiSettings settings;
  private final NameGenerator names;
  private final Clock clock;
  private final Codec codec = Codec.standard();

  Writes(Reads reads, Mutations mutations, ApiSettings settings, NameGenerator names, Clock clock) {
    this.reads = reads;
    this.mutations = mutations;
    this.settings = settings;
    this.names = names;
    this.clock = clock;
  }

  /** POST to a collection: 201 with the object as stored. */
  <T> CompletionStage<Reply> create(ResourceType<T> type, String namespace, Body body, FieldValidation validation) {
    Decoded<T> decoded = codec.decode(body.bytes(), body.format(), type.type(), validation);
    if (!decoded.ok()) {
      return done(Reply.failure(decoded.failure().toStatus()).withWarnings(decoded.warnings()));
    }
    return Meta.forCreate(type, namespace, decoded.value(), clock.instant().truncatedTo(ChronoUnit.SECONDS)).fold(
        bad -> done(Reply.failure(bad)),
        prepared -> recover(createNamed(type, prepared, 1)).thenApply(r -> r.withWarnings(decoded.warnings())));
  }

  /** Generates a name for {@code generateName} and tries again while the generated one is taken. */
  private <T> CompletionStage<Reply> createNamed(ResourceType<T> type, T object, int attempt) {
    ObjectMeta meta = type.metadata(object);
    boolean generated = Meta.isEmpty(meta.name()) && !Meta.isEmpty(meta.generateName());
    T named = generated ? type.withMetadata(object, meta.withName(names.generate(meta.generateName()))) : object;
    List<FieldError> errors = Validation.create(named);
    if (!errors.isEmpty()) {
      return done(Reply.failure(Invalid.status(type.kind().kind(), type.metadata(named).name(), errors)));
    }
    return mutations.create(named).thenCompose(outcome -> {
      boolean taken = outcome instanceof Mutations.Outcome.Failed f && "AlreadyExists".equals(f.status().reason());
      if (generated && taken && attempt < settings.generateNameAttempts()) {
        return createNamed(type, object, attempt + 1);
      }
      return done(reply(type, 201, outcome));
    });
  }

  /** PUT of an object or of its {@code /status}: 200 with the object as stored. */
  <T> CompletionStage<Reply> update(ResourceType<T> type, ObjectRef ref, Body body, FieldValidation validation,
      boolean status) {
    Decoded<T> decoded = codec.decode(body.bytes(), body.format(), type.type(), validation);
    if (!decoded.ok()) {
      return done(Reply.failure(decoded.failure().toStatus()).withWarnings(decoded.warnings()));
    }
    return Meta.matchingPath(type, ref, decoded.value()).fold(
        bad -> done(Reply.failure(bad)),
        object -> recover(reads.get(type, ref).thenCompose(current -> current.isEmpty()
            ? done(notFound(ref)) : replace(type, object, current.get(), status)))
            .thenApply(r -> r.withWarnings(decoded.warnings())));
  }

  /**
   * PATCH with a JSON merge patch: read, patch, write on the resourceVersion read, and again on
   * 409 Conflict (Kubernetes' GuaranteedUpdate), unless the patch names a resourceVersion itself,
   * which makes it a precondition.
   */
  <T> CompletionStage<Reply> patch(ResourceType<T> type, ObjectRef ref, ObjectNode patch, FieldValidation validation,
      boolean status) {
    return recover(patchAttempt(type, ref, patch, validation, status, 1));
  }

  private <T> CompletionStage<Reply> patchAttempt(ResourceType<T> type, ObjectRef ref, ObjectNode patch,
      FieldValidation validation, boolean status, int attempt) {
    boolean precondition = patch.path("metadata").has("resourceVersion");
    return reads.get(type, ref).thenCompose(current -> {
      if (current.isEmpty()) {
        return done(notFound(ref));
      }
      JsonNode merged = MergePatch.apply(Json.mapper().valueToTree(current.get()), patch);
      Decoded<T> decoded = codec.decode(Json.write(merged), MediaFormat.JSON, type.type(), validation);
      if (!decoded.ok()) {
        return done(Reply.failure(decoded.failure().toStatus()).withWarnings(decoded.warnings()));
      }
      return Meta.matchingPath(type, ref, decoded.value()).fold(
          bad -> done(Reply.failure(bad)),
          object -> replace(type, object, current.get(), status).thenCompose(reply ->
              !precondition && isConflict(reply) && attempt < settings.patchAttempts()
                  ? patchAttempt(type, ref, patch, validation, status, attempt + 1)
                  : done(reply.withWarnings(decoded.warnings()))));
    });
  }

  /** DELETE: 200 with the object's last state (terminating, or gone), or a Success Status. */
  <T> CompletionStage<Reply> delete(ResourceType<T> type, ObjectRef ref, Mutations.DeleteOptions options) {
    return recover(mutations.delete(ref, options).thenApply(outcome -> {
      if (outcome instanceof Mutations.Outcome.Done d && d.object() == null) {
        return Reply.of(200, new Status("v1", "Status", new ListMeta(null, null), "Success", null, null,
            new Status.Details(ref.name(), null, type.kind().resource(), List.of(), null), 200));
      }
      return reply(type, 200, outcome);
    }));
  }

  private <T> CompletionStage<Reply> replace(ResourceType<T> type, T object, T current, boolean status) {
    T next = status ? Meta.statusChange(type, object, current) : Meta.specChange(type, object, current);
    List<FieldError> errors = Validation.update(next, current, PodValidation.Updater.CLIENT);
    if (!errors.isEmpty()) {
      return done(Reply.failure(Invalid.status(type.kind().kind(), type.metadata(next).name(), errors)));
    }
    return (status ? mutations.updateStatus(next) : mutations.update(next)).thenApply(o -> reply(type, 200, o));
  }

  private static <T> Reply reply(ResourceType<T> type, int code, Mutations.Outcome outcome) {
    if (outcome instanceof Mutations.Outcome.Failed f) {
      return Reply.failure(f.status());
    }
    Object object = ((Mutations.Outcome.Done) outcome).object();
    return Reply.of(code, type.type().isInstance(object) ? type.typed(type.cast(object)) : object);
  }

  private static boolean isConflict(Reply reply) {
    return reply.code() == 409 && reply.body() instanceof Status s && "Conflict".equals(s.reason());
  }

  private static Reply notFound(ObjectRef ref) {
    return Reply.failure(Status.notFound(ref.kind().resource(), ref.name()));
  }

  private static CompletionStage<Reply> recover(CompletionStage<Reply> stage) {
    return stage.handle((reply, failure) -> failure == null ? reply : Reply.failure(Failures.status(failure)));
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
