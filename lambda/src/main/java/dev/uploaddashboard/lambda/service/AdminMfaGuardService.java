package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.UserMfaStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the groups a token may carry: membership of {@code admins} counts only for a user who
 * signs in with MFA (an activated authenticator app). Everyone else, including an admin whose MFA
 * status cannot be read, gets the token without {@code admins}: fail closed, without locking the
 * user out of their own files.
 */
public final class AdminMfaGuardService {
  public static final String ADMIN_GROUP = "admins";

  private final UserMfaStore users;

  public AdminMfaGuardService(UserMfaStore users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  /** The user a token is being made for, and the groups Cognito would put in it. */
  public record TokenRequest(String userPoolId, String userName, List<String> groups) {
    public TokenRequest {
      Objects.requireNonNull(userPoolId, "userPoolId");
      Objects.requireNonNull(userName, "userName");
      groups = List.copyOf(groups);
    }
  }

  /** Why a decision was taken, for the log. */
  public enum Reason {
    NOT_AN_ADMIN,
    ADMIN_WITH_MFA,
    ADMIN_WITHOUT_MFA,
    MFA_UNKNOWN
  }

  /**
   * @param groups the groups the token gets when they differ from the request's; empty when the
   *     token is left as Cognito makes it
   * @param failure why the MFA status could not be read ({@link Reason#MFA_UNKNOWN})
   */
  public record Decision(
      Optional<List<String>> groups, Reason reason, Optional<RuntimeException> failure) {
    Decision(Optional<List<String>> groups, Reason reason) {
      this(groups, reason, Optional.empty());
    }
  }

  public Decision decide(TokenRequest request) {
    if (!request.groups().contains(ADMIN_GROUP)) {
      return new Decision(Optional.empty(), Reason.NOT_AN_ADMIN);
    }
    List<String> withoutAdmins =
        request.groups().stream().filter(g -> !g.equals(ADMIN_GROUP)).toList();
    try {
      if (users.hasTotp(request.userPoolId(), request.userName())) {
        return new Decision(Optional.empty(), Reason.ADMIN_WITH_MFA);
      }
      return new Decision(Optional.of(withoutAdmins), Reason.ADMIN_WITHOUT_MFA);
    } catch (RuntimeException e) {
      return new Decision(Optional.of(withoutAdmins), Reason.MFA_UNKNOWN, Optional.of(e));
    }
  }
}
