/**
 * Kubernetes' defaulting for the kinds Pacific serves: fills what a client left out (restart
 * policy, grace period, port protocol, probe timings, requests from limits) the way a Kubernetes
 * API server does before validating and storing. {@link dev.pacific.api.defaulting.Defaults}.
 */
package dev.pacific.api.defaulting;
