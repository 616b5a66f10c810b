package dev.pacific.deploy.chaos;

/** One end-of-run check: what it proves, whether it held, and the figures or failures behind it. */
public record Check(String name, boolean passed, String detail) {}
