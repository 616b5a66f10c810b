package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry of {@code status.conditions} of a Node ({@code Ready}, …); {@code status} is "True", "False" or "Unknown". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeCondition(
    String type,
    String status,
    @Rfc3339 String lastHeartbeatTime,
    @Rfc3339 String lastTransitionTime,
    String reason,
    String message) {}
