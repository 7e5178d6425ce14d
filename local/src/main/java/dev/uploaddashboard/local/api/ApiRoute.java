package dev.uploaddashboard.local.api;

import dev.uploaddashboard.local.runtime.LambdaFunction;

/** One HTTP API route ({@code METHOD /path}) and the function integrated with it. */
public record ApiRoute(String method, String path, LambdaFunction function) {

  public String routeKey() {
    return method + " " + path;
  }
}
