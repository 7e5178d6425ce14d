package dev.uploaddashboard.lambda.service;

import java.util.Objects;

/**
 * A request the caller must change before it can succeed. Carries a machine code and a human
 * message that are safe to show; the HTTP layer maps {@link Reason} to a status in one place.
 */
public final class RequestRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request was rejected. */
  public enum Reason {
    INVALID,
    UNAUTHORIZED,
    NOT_FOUND,
    TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    /** The caller used up a quota; the message says until when. */
    RATE_LIMITED
  }

  private final Reason reason;
  private final String code;

  public RequestRejectedException(Reason reason, String code, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
    this.code = Objects.requireNonNull(code);
  }

  public static RequestRejectedException invalid(String code, String message) {
    return new RequestRejectedException(Reason.INVALID, code, message);
  }

  public Reason reason() {
    return reason;
  }

  public String code() {
    return code;
  }
}
