package dev.uploaddashboard.local.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A development user of the local identity provider.
 *
 * @param name the user name typed on the sign-in page ({@code cognito:username} / {@code username})
 * @param password the development password
 * @param sub the stable user id: a name-based UUID, the same on every machine and after every
 *     restart, so files uploaded in a kept data directory stay their owner's
 * @param admin whether the user is in the {@code admins} group
 */
public record DevUser(String name, String password, String sub, boolean admin) {

  /** The group that sees and deletes every file, as in the deployed user pool. */
  public static final String ADMIN_GROUP = "admins";

  /** The development users, in the order the sign-in page lists them. */
  public static final List<String> NAMES = List.of("alice", "bob", "admin");

  public DevUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(sub, "sub");
  }

  /** The default password of a development user: {@code <name>-local-password}. */
  public static String defaultPassword(String name) {
    return name + "-local-password";
  }

  /** alice, bob and admin (in {@code admins}); a user not in {@code passwords} has the default. */
  public static List<DevUser> developmentUsers(Map<String, String> passwords) {
    for (String user : passwords.keySet()) {
      if (!NAMES.contains(user)) {
        throw new IllegalArgumentException(
            "unknown development user " + user + "; the users are " + NAMES);
      }
    }
    return NAMES.stream()
        .map(
            name ->
                new DevUser(
                    name,
                    passwords.getOrDefault(name, defaultPassword(name)),
                    subFor(name),
                    name.equals("admin")))
        .toList();
  }

  static String subFor(String name) {
    return UUID.nameUUIDFromBytes(
            ("upload-dashboard-local-user:" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  public String email() {
    return name + "@example.com";
  }

  public List<String> groups() {
    return admin ? List.of(ADMIN_GROUP) : List.of();
  }

  @Override
  public String toString() {
    return "DevUser[name=" + name + ", sub=" + sub + ", admin=" + admin + "]";
  }
}
