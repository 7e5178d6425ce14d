"""A minimal Lambda runtime loop for Python handlers (what the managed python runtime does, minus
logging and X-Ray): import the handler module (the init phase), then fetch, invoke, answer.

Usage: python3 python_runtime.py module.function   (AWS_LAMBDA_RUNTIME_API, LAMBDA_TASK_ROOT set)
"""
import http.client
import importlib
import json
import os
import sys


def main():
    module_name, function_name = sys.argv[1].rsplit(".", 1)
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    base = "/2018-06-01/runtime"
    connection = http.client.HTTPConnection(host, int(port))
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as error:  # reported like the managed runtime does
        post(connection, base + "/init/error", {"errorMessage": str(error), "errorType": type(error).__name__})
        raise
    while True:
        connection.request("GET", base + "/invocation/next")
        response = connection.getresponse()
        request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
        event = json.loads(response.read())
        try:
            result = handler(event, None)
            post(connection, f"{base}/invocation/{request_id}/response", result)
        except Exception as error:
            post(connection, f"{base}/invocation/{request_id}/error",
                 {"errorMessage": str(error), "errorType": type(error).__name__})


def post(connection, path, payload):
    connection.request("POST", path, body=json.dumps(payload).encode(),
                       headers={"Content-Type": "application/json"})
    connection.getresponse().read()


if __name__ == "__main__":
    main()
