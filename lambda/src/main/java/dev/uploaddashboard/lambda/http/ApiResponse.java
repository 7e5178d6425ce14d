package dev.uploaddashboard.lambda.http;

/** A status and a body object that is encoded as the JSON response body. */
public record ApiResponse(int statusCode, Object body) {

  public static ApiResponse json(int statusCode, Object body) {
    return new ApiResponse(statusCode, body);
  }

  public static ApiResponse error(int statusCode, String code, String message) {
    return new ApiResponse(statusCode, new ErrorBody(message, code));
  }

  /** The contract's error shape. */
  public record ErrorBody(String error, String code) {}

  /** The generic 5xx shape: no exception text, only a request id to find the log entry. */
  public record InternalErrorBody(String error, String code, String requestId) {}
}
