package dev.pacific.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a string component that holds a Kubernetes {@code metav1.Time}: an RFC 3339 timestamp
 * ({@code 2024-05-01T10:00:00Z}). The decoder refuses anything else, as Kubernetes does.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Rfc3339 {}
