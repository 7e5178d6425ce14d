package dev.uploaddashboard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardPageTest {

  @Test
  void policyGoesFirstInTheHeadAfterTheCharset() {
    assertThat(DashboardPage.withPagePolicy("<html><head><title>t</title></head></html>", "p"))
        .isEqualTo(
            "<html><head>\n  <meta http-equiv=\"Content-Security-Policy\" content=\"p\"><title>t</title></head></html>");
    assertThat(
            DashboardPage.withPagePolicy(
                "<HEAD lang=\"en\">\n  <META CHARSET=utf-8>\n  <link rel=\"stylesheet\" href=\"s.css\">\n</HEAD>",
                "p"))
        .isEqualTo(
            "<HEAD lang=\"en\">\n  <META CHARSET=utf-8>\n  <meta http-equiv=\"Content-Security-Policy\""
                + " content=\"p\">\n  <link rel=\"stylesheet\" href=\"s.css\">\n</HEAD>");
  }

  @Test
  void aPageWithoutAHeadOrWithItsOwnPolicyIsRejected() {
    assertThatThrownBy(() -> DashboardPage.withPagePolicy("<!doctype html><title>t</title>", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<head>");
    assertThatThrownBy(() -> DashboardPage.withPagePolicy("<html><head><title>t</title>", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("</head>");
    assertThatThrownBy(
            () ->
                DashboardPage.withPagePolicy(
                    "<head><meta http-equiv='content-security-policy' content=\"default-src *\"></head>",
                    "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has a Content-Security-Policy");
  }

  @Test
  void aPolicyWithAQuoteCannotBeInjected() {
    assertThatThrownBy(
            () ->
                DashboardPage.withPagePolicy(
                    "<head></head>", "default-src 'self'\"><script>alert(1)</script>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot contain");
  }

  @Test
  void configJsonHasTheFieldsThePageReadsInAFixedOrder() {
    Map<String, Object> config =
        DashboardPage.config(
            "https://api.example.com",
            new DashboardPage.SignIn("https://login.example.com", "client-1", List.of("openid")),
            5_368_709_120L);
    assertThat(config.keySet()).containsExactly("apiUrl", "auth", "maxUploadBytes");
    assertThat(config.get("maxUploadBytes")).isEqualTo(5_368_709_120L);
    @SuppressWarnings("unchecked")
    Map<String, Object> auth = (Map<String, Object>) config.get("auth");
    assertThat(auth.keySet())
        .containsExactly(
            "clientId", "scopes", "authorizeUrl", "tokenUrl", "revokeUrl", "logoutUrl");
    assertThat(auth)
        .containsEntry("authorizeUrl", "https://login.example.com/oauth2/authorize")
        .containsEntry("tokenUrl", "https://login.example.com/oauth2/token")
        .containsEntry("revokeUrl", "https://login.example.com/oauth2/revoke")
        .containsEntry("logoutUrl", "https://login.example.com/logout");
  }

  @Test
  void theHeaderPolicyAddsToSelfAndForbidsFramingAndHtmlSinks() {
    String header =
        DashboardPage.headerPolicy(
            List.of("https://api.example.com"), List.of(), List.of("https://login.example.com"));
    assertThat(List.of(header.split("; ")))
        .containsExactly(
            "default-src 'self'",
            "connect-src 'self' https://api.example.com",
            "img-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self' https://login.example.com",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");
    assertThat(DashboardPage.origin(URI.create("http://127.0.0.1:8081/path?q")))
        .isEqualTo("http://127.0.0.1:8081");
    assertThatThrownBy(() -> DashboardPage.origin(URI.create("/relative")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
