/**
 * Request and response bodies: JSON and (multi-document) YAML in, with Kubernetes'
 * {@code fieldValidation} semantics, field-path errors for wrong types, and limits on size, depth
 * and YAML aliases; JSON and YAML out. {@link dev.pacific.api.codec.Codec} is the entry point.
 */
package dev.pacific.api.codec;
