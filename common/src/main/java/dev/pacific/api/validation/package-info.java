/**
 * Kubernetes' validation rules for the kinds Pacific serves, returning every problem as a
 * {@link dev.pacific.api.validation.FieldError} with Kubernetes' field path, cause type and words;
 * {@link dev.pacific.api.validation.Invalid} turns them into the 422 {@code Status}.
 * {@link dev.pacific.api.validation.Validation} is the entry point.
 */
package dev.pacific.api.validation;
