/**
 * Pacific's resource types, shaped field for field like Kubernetes' core v1 API so that existing
 * manifests, kubectl and client libraries work: {@link dev.pacific.api.Pod}, {@link
 * dev.pacific.api.Namespace}, {@link dev.pacific.api.Node}, {@link dev.pacific.api.ResourceQuota},
 * their lists, {@link dev.pacific.api.Status}, and {@link dev.pacific.api.Quantity}.
 *
 * <p>All types are immutable records; list and map components are never null (absent and empty mean
 * the same, as Kubernetes' {@code omitempty}). Reading untrusted bodies goes through {@code
 * dev.pacific.api.codec}; checking them through {@code dev.pacific.api.validation}.
 */
package dev.pacific.api;
