package dev.uploaddashboard.lambda.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed access to a handler's environment (the names are the contract's {@code Env}); a missing or
 * malformed setting fails the cold start.
 */
public final class Settings {
  private final Function<String, String> env;

  public Settings(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  public String required(String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Missing required environment variable " + name);
    }
    return value.trim();
  }

  /** A setting that may be absent, trimmed; empty when absent or blank. */
  public java.util.Optional<String> optional(String name) {
    String value = env.apply(name);
    return value == null || value.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(value.trim());
  }

  public long positiveLong(String name, long defaultValue) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the variable name
    }
    throw new IllegalStateException(
        "Environment variable " + name + " must be a positive integer, got '" + value + "'");
  }

  public Duration seconds(String name, long defaultSeconds) {
    return Duration.ofSeconds(positiveLong(name, defaultSeconds));
  }

  public Function<String, String> lookup() {
    return env;
  }
}
