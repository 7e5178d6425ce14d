package dev.uploaddashboard.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CfnUserPoolClient;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.KeepOriginalAttrs;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.UserInvitationConfig;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroupOptions;
import software.constructs.Construct;

/**
 * Who may use the dashboard: one Cognito user pool per environment, its {@value #ADMINS_GROUP}
 * group and its hosted UI (a Cognito prefix domain).
 *
 * <p>Nobody signs themselves up: an administrator creates each user (console or {@code aws
 * cognito-idp admin-create-user}); Cognito mails a temporary password, which must be changed at the
 * first sign-in. Users sign in with their email address. The second factor is TOTP (an
 * authenticator app) only: SMS is not offered, so no SMS role or spend exists. MFA is optional
 * unless the environment sets {@code requireMfa}; then the hosted UI enrols every user at their
 * first sign-in. Forgotten passwords are reset by email only.
 *
 * <p>The pool is on the Lite feature plan: everything used here (hosted UI, TOTP, groups, token
 * revocation) is included, and Cognito's threat protection ("advanced security") would need the
 * paid Plus plan, so it is not enabled by default.
 */
public final class UserDirectory extends Construct {

  /** Members of this group see and delete every file (docs/CONTRACT.md). */
  public static final String ADMINS_GROUP = "admins";

  public static final List<String> SCOPES = List.of("openid", "email", "profile");
  public static final Duration ACCESS_TOKEN_VALIDITY = Duration.hours(1);
  public static final Duration ID_TOKEN_VALIDITY = Duration.hours(1);

  /** A working day: after it, the dashboard sends the user through the hosted UI again. */
  public static final Duration REFRESH_TOKEN_VALIDITY = Duration.hours(12);

  public static final int MIN_PASSWORD_LENGTH = 12;
  public static final Duration TEMPORARY_PASSWORD_VALIDITY = Duration.days(3);

  /**
   * @param domainPrefix the hosted UI's prefix domain (see {@link
   *     EnvironmentConfig#signInDomainPrefix})
   * @param retainData RETAIN and deletion protection (production) or DESTROY (development)
   * @param requireMfa every user must sign in with a TOTP code (otherwise MFA is optional)
   */
  public record Props(String domainPrefix, boolean retainData, boolean requireMfa) {
    public Props {
      Objects.requireNonNull(domainPrefix, "domainPrefix");
    }
  }

  private final UserPool userPool;
  private final UserPoolDomain domain;

  public UserDirectory(Construct scope, String id, Props props) {
    super(scope, id);
    userPool =
        UserPool.Builder.create(this, "UserPool")
            .featurePlan(FeaturePlan.LITE)
            .selfSignUpEnabled(false)
            .signInAliases(SignInAliases.builder().email(true).build())
            .signInCaseSensitive(false)
            .standardAttributes(
                StandardAttributes.builder()
                    .email(StandardAttribute.builder().required(true).mutable(true).build())
                    .build())
            .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
            // A changed email address takes effect only once the new one is verified.
            .keepOriginal(KeepOriginalAttrs.builder().email(true).build())
            .passwordPolicy(
                PasswordPolicy.builder()
                    .minLength(MIN_PASSWORD_LENGTH)
                    .requireLowercase(true)
                    .requireUppercase(true)
                    .requireDigits(true)
                    .requireSymbols(true)
                    .tempPasswordValidity(TEMPORARY_PASSWORD_VALIDITY)
                    .build())
            .mfa(props.requireMfa() ? Mfa.REQUIRED : Mfa.OPTIONAL)
            .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
            .accountRecovery(AccountRecovery.EMAIL_ONLY)
            .userInvitation(
                UserInvitationConfig.builder()
                    .emailSubject("Your upload dashboard account")
                    .emailBody(
                        "An administrator created an upload dashboard account for {username}."
                            + " Your temporary password is {####} ; you will choose your own"
                            + " password when you first sign in.")
                    .build())
            .deletionProtection(props.retainData())
            .removalPolicy(props.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .build();

    ReviewedFindings.accept(
        userPool,
        "AwsSolutions-COG3",
        "Threat protection (advanced security, ENFORCED) needs the paid Plus feature plan; the pool"
            + " is on Lite. Accounts are admin-created, passwords strong, sign-in errors do not"
            + " reveal users. Teams that accept the cost can move to Plus.");
    if (!props.requireMfa()) {
      ReviewedFindings.accept(
          userPool,
          "AwsSolutions-COG2",
          "MFA (TOTP) is optional by default so a team can start without rolling out an"
              + " authenticator app; an environment sets requireMfa: true to require it, and then"
              + " this finding does not arise.");
    }

    userPool.addGroup(
        "Admins",
        UserPoolGroupOptions.builder()
            .groupName(ADMINS_GROUP)
            .description("See and delete every file of the dashboard")
            .build());

    domain =
        userPool.addDomain(
            "HostedUi",
            UserPoolDomainOptions.builder()
                .cognitoDomain(
                    CognitoDomainOptions.builder().domainPrefix(props.domainPrefix()).build())
                .build());
  }

  /**
   * Adds the dashboard's public app client: authorization code grant (the page uses PKCE), no
   * secret, no implicit grant, no direct password or SRP sign-in (only the hosted UI signs users
   * in; the client may then refresh its tokens).
   *
   * @param origins browser origins the dashboard runs on; each one, with a trailing slash, is both
   *     a callback and a sign-out URL, and nothing else is
   */
  public UserPoolClient addDashboardClient(String id, List<String> origins) {
    List<String> urls = origins.stream().map(o -> o + "/").toList();
    UserPoolClient client =
        userPool.addClient(
            id,
            UserPoolClientOptions.builder()
                .generateSecret(false)
                .oAuth(
                    OAuthSettings.builder()
                        .flows(
                            OAuthFlows.builder()
                                .authorizationCodeGrant(true)
                                .implicitCodeGrant(false)
                                .clientCredentials(false)
                                .build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(urls)
                        .logoutUrls(urls)
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .accessTokenValidity(ACCESS_TOKEN_VALIDITY)
                .idTokenValidity(ID_TOKEN_VALIDITY)
                .refreshTokenValidity(REFRESH_TOKEN_VALIDITY)
                .enableTokenRevocation(true)
                .preventUserExistenceErrors(true)
                .build());
    // The L2 has no "refresh only" choice; left unset, Cognito would also allow SRP and custom
    // auth straight against the API with this public client id.
    ((CfnUserPoolClient) client.getNode().getDefaultChild())
        .setExplicitAuthFlows(List.of("ALLOW_REFRESH_TOKEN_AUTH"));
    return client;
  }

  public UserPool userPool() {
    return userPool;
  }

  /** The hosted UI base URL, {@code https://<prefix>.auth.<region>.amazoncognito.com}. */
  public String hostedUiUrl() {
    return domain.baseUrl();
  }
}
