package dev.pacific.api;

/** One entry of a Node's {@code status.addresses}: type {@code InternalIP} or {@code Hostname}. */
public record NodeAddress(String type, String address) {}
