package dev.pacific.controlplane.api;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Names for {@code metadata.generateName}, as Kubernetes' {@code SimpleNameGenerator}: the prefix
 * cut to 58 characters, then 5 random characters from apimachinery's {@code utilrand} alphabet
 * (lowercase consonants and digits without look-alikes, so a generated name never spells a word
 * or confuses 0/o and 1/l).
 */
final class NameGenerator {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int RANDOM_LENGTH = 5;
  private static final int MAX_PREFIX = 63 - RANDOM_LENGTH;

  private final Random random;

  NameGenerator() {
    this(new SecureRandom());
  }

  NameGenerator(Random random) {
    this.random = random;
  }

  String generate(String prefix) {
    StringBuilder name = new StringBuilder(prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
