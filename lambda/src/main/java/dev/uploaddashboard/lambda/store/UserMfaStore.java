package dev.uploaddashboard.lambda.store;

import java.util.Objects;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;

/** Which MFA factors a user of the user pool has activated (Cognito AdminGetUser). */
public final class UserMfaStore {
  static final String TOTP = "SOFTWARE_TOKEN_MFA";

  private final CognitoIdentityProviderClient cognito;

  public UserMfaStore(CognitoIdentityProviderClient cognito) {
    this.cognito = Objects.requireNonNull(cognito, "cognito");
  }

  /**
   * Whether the user has an authenticator app (TOTP) activated. In a pool where MFA is optional,
   * Cognito asks exactly these users for a code at every sign-in.
   */
  public boolean hasTotp(String userPoolId, String userName) {
    AdminGetUserResponse user =
        cognito.adminGetUser(r -> r.userPoolId(userPoolId).username(userName));
    return user.hasUserMFASettingList() && user.userMFASettingList().contains(TOTP);
  }
}
