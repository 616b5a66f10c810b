package dev.pacific.api.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pacific.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * JSON and YAML bodies in and out, as Kubernetes' API server reads them: unknown and duplicate
 * fields per {@link FieldValidation}, wrong types and null items reported with their field path,
 * and every size bounded by {@link Limits} before anything is built. Decoding returns a
 * {@link Decoded} value and never throws for what a client sent.
 */
public final class Codec {

  private final Limits limits;
  private final JsonFactory json;
  private final YAMLFactory yaml;
  private final ObjectMapper yamlWriter;

  public Codec(Limits limits) {
    this.limits = limits;
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxDepth())
        .maxNameLength(limits.maxNameLength())
        .maxNumberLength(limits.maxNumberLength())
        .maxStringLength(limits.maxBytes())
        .maxDocumentLength(limits.maxBytes())
        .build();
    this.json = JsonFactory.builder().streamReadConstraints(constraints).build();
    LoaderOptions loader = new LoaderOptions();
    loader.setNestingDepthLimit(limits.maxDepth());
    loader.setCodePointLimit(limits.maxBytes());
    this.yaml = YAMLFactory.builder().loaderOptions(loader).streamReadConstraints(constraints).build();
    this.yamlWriter = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build());
  }

  public static Codec standard() {
    return new Codec(Limits.STANDARD);
  }

  /** One object of a known type; a body holding another kind or several documents is refused. */
  public <T> Decoded<T> decode(byte[] body, MediaFormat format, Class<T> type, FieldValidation validation) {
    String kind = Kinds.kindOf(type);
    if (body.length > limits.maxBytes()) {
      return Decoded.failed(tooLarge(), List.of());
    }
    try (JsonParser parser = parser(body, format)) {
      Documents docs = new Documents(parser, limits.maxYamlAliasNodes());
      JsonNode doc = docs.next();
      List<String> duplicates = docs.duplicates();
      if (doc != null && docs.next() != null) {
        return Decoded.failed(malformed(prefix(kind), "the body must hold exactly one object"), List.of());
      }
      return bind(doc, duplicates, type, validation);
    } catch (IOException | RuntimeException e) {
      return Decoded.failed(malformed(prefix(kind), e), List.of());
    }
  }

  /**
   * Every document of a (multi-document) YAML or a JSON body, each decoded as the kind it names.
   * A syntax error ends the stream: the documents before it are returned, then the failure.
   */
  public List<Decoded<Object>> decodeAll(byte[] body, MediaFormat format, FieldValidation validation) {
    List<Decoded<Object>> out = new ArrayList<>();
    if (body.length > limits.maxBytes()) {
      out.add(Decoded.failed(tooLarge(), List.of()));
      return out;
    }
    try (JsonParser parser = parser(body, format)) {
      Documents docs = new Documents(parser, limits.maxYamlAliasNodes());
      for (JsonNode doc = docs.next(); doc != null; doc = docs.next()) {
        out.add(bindByKind(doc, docs.duplicates(), validation, out.size() + 1));
      }
    } catch (IOException | RuntimeException e) {
      out.add(Decoded.failed(malformed(document(out.size() + 1), e), List.of()));
    }
    return out;
  }

  public byte[] encode(Object value, MediaFormat format) {
    try {
      return format == MediaFormat.JSON ? Json.write(value) : yamlWriter.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Several objects as one multi-document YAML stream ({@code ---} between documents). */
  public String encodeYamlStream(List<?> values) {
    return values.stream()
        .map(v -> new String(encode(v, MediaFormat.YAML), java.nio.charset.StandardCharsets.UTF_8))
        .collect(Collectors.joining("---\n"));
  }

  private Decoded<Object> bindByKind(JsonNode doc, List<String> duplicates, FieldValidation validation, int n) {
    JsonNode kind = doc.get("kind");
    if (!doc.isObject()) {
      return Decoded.failed(malformed(document(n), "expected an object, got " + Schema.jsonType(doc)), List.of());
    }
    if (kind == null || !kind.isTextual() || kind.textValue().isEmpty()) {
      return Decoded.failed(malformed(document(n),
          List.of(new Problem("kind", "FieldValueRequired", "Required value"))), List.of());
    }
    return Kinds.classOf(kind.textValue())
        .<Decoded<Object>>map(type -> bind(doc, duplicates, type, validation).map(o -> o))
        .orElseGet(() -> Decoded.failed(malformed(document(n), List.of(new Problem("kind",
            "FieldValueNotSupported", "Unsupported value: \"" + kind.textValue()
            + "\": supported values: \"Namespace\", \"Node\", \"Pod\", \"ResourceQuota\""))), List.of()));
  }

  private <T> Decoded<T> bind(JsonNode doc, List<String> duplicates, Class<T> type, FieldValidation validation) {
    String kind = Kinds.kindOf(type);
    if (doc == null || !doc.isObject()) {
      String got = doc == null ? "nothing" : Schema.jsonType(doc);
      return Decoded.failed(malformed(prefix(kind), "expected an object, got " + got), List.of());
    }
    List<Problem> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Envelope.check(doc, kind, errors);
    for (String field : duplicates) {
      String text = "duplicate field \"" + field + "\"";
      switch (validation) {
        case STRICT -> errors.add(new Problem(field, Problem.INVALID, text));
        case WARN -> warnings.add(text);
        case IGNORE -> { }
      }
    }
    JsonNode clean = new Schema(validation, errors, warnings).check(doc, type, "");
    if (!errors.isEmpty()) {
      return Decoded.failed(malformed(prefix(kind), errors), warnings);
    }
    try {
      return Decoded.of(Json.mapper().treeToValue(clean, type), warnings);
    } catch (JsonProcessingException e) {
      return Decoded.failed(malformed(prefix(kind), e.getOriginalMessage()), warnings);
    }
  }

  private JsonParser parser(byte[] body, MediaFormat format) throws IOException {
    return format == MediaFormat.JSON ? json.createParser(body) : yaml.createParser(body);
  }

  private Decoded.Failure tooLarge() {
    return new Decoded.Failure(413, "RequestEntityTooLarge",
        "Request entity too large: limit is " + limits.maxBytes(), List.of());
  }

  private static Decoded.Failure malformed(String subject, String detail) {
    return new Decoded.Failure(400, "BadRequest", subject + detail, List.of());
  }

  /** Failures of a stream's document, which has no kind yet, are named by position. */
  private static String document(int n) {
    return "document " + n + ": ";
  }

  /** Kubernetes' wording: all-unknown-field failures are a "strict decoding error". */
  private static Decoded.Failure malformed(String subject, List<Problem> problems) {
    boolean strict = problems.stream().allMatch(p -> p.message().startsWith("unknown field")
        || p.message().startsWith("duplicate field"));
    String detail = strict
        ? "strict decoding error: " + problems.stream().map(Problem::message).collect(Collectors.joining(", "))
        : problems.stream().map(Problem::describe).collect(Collectors.joining(", "));
    return new Decoded.Failure(400, "BadRequest", subject + detail, problems);
  }

  private static Decoded.Failure malformed(String subject, Exception e) {
    if (e instanceof IllegalStateException) {
      throw (IllegalStateException) e; // our bug, not the client's body
    }
    String detail;
    if (e instanceof StreamConstraintsException c) {
      detail = "body exceeds a decoding limit: " + c.getOriginalMessage();
    } else if (e instanceof JsonProcessingException p) {
      JsonLocation at = p.getLocation();
      detail = "malformed body: " + p.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    } else {
      detail = "malformed body: " + e.getMessage();
    }
    return malformed(subject, detail);
  }

  /** Kubernetes' words for a body it could not decode into a kind. */
  private static String prefix(String kind) {
    return kind + " in version \"" + Kinds.API_VERSION + "\" cannot be handled as a " + kind + ": ";
  }

  /** Documents of one stream, skipping empty YAML documents (as kubectl does), each with the duplicates seen in it. */
  private static final class Documents {
    private final TreeReader reader;
    private List<String> duplicates = new ArrayList<>();

    Documents(JsonParser parser, long aliasBudget) {
      this.reader = new TreeReader(parser, (path, name) -> duplicates.add(Paths.child(path, name)), aliasBudget);
    }

    JsonNode next() throws IOException {
      duplicates = new ArrayList<>();
      JsonNode doc;
      do {
        doc = reader.next();
      } while (doc != null && (doc.isNull() || (doc.isTextual() && doc.textValue().isEmpty())));
      return doc;
    }

    List<String> duplicates() {
      return duplicates;
    }
  }
}
