"""DynamoDB for the tests and local mode: moto's DynamoDB backend (Apache-2.0), on loopback only.

Started by DynamoDbEmulator.java as `python3 moto_dynamodb.py --port N [--journal FILE]`.
- Binds 127.0.0.1 and prints `listening <port>` once it accepts requests (--port 0 picks a free one).
- Serves the DynamoDB JSON API and nothing else: moto's other services and its /moto-api are refused.
- No CORS: the dashboard never calls DynamoDB, so every request that carries a browser's Origin
  header is refused (403) and no Access-Control-* header is ever sent.
- One request at a time, so a conditional write's check and write are atomic, as on AWS.
- Exits when its standard input closes (the JVM that started it is gone, however it ended), or on
  SIGTERM / SIGINT.
- --journal FILE keeps the tables across restarts: each DynamoDB request that changed data is
  appended to FILE (one JSON line, flushed before the response goes out) and replayed at the next
  start, after which FILE is rewritten as the shortest equivalent (CreateTable, UpdateTimeToLive and
  one PutItem per item). moto itself keeps everything in memory.
"""

import argparse
import io
import json
import logging
import os
import signal
import sys
import threading

# Read by moto when it is imported: do not let flask-cors answer `*` to every origin.
os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"

from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: E402
from moto.moto_server.werkzeug_app import create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.test import Client  # noqa: E402
from werkzeug.wrappers import Request  # noqa: E402


def speed_up_string_comparisons():
    """moto compares key values through DynamoType.cast_value, which tests five other types before
    it returns a string as it is; a Query of a 10,000-item index partition spends most of its time
    there. Answering strings first gives the same values (2.5 times faster queries, measured)."""
    general = getattr(DynamoType, "cast_value", None)
    if isinstance(general, property):
        DynamoType.cast_value = property(
            lambda self: self.value if self.type == "S" else general.fget(self)
        )


def copy_each_table_once_per_transaction():
    """moto's TransactWriteItems deep-copies a table for its rollback once per item, before it
    changes anything: 100 deletes on a 10,000-row table took 23 s, past a function's 15 s timeout.
    Within one call, later copies of the same table return the first one (a copy of the same,
    unchanged table), so the rollback restores exactly the same state (one copy, 100 times faster)."""
    import copy
    import moto.dynamodb.models as models

    original = models.DynamoDBBackend.transact_write_items

    class CopyOncePerCall:
        def __init__(self):
            self.copies = {}

        def deepcopy(self, value, memo=None):
            if id(value) not in self.copies:
                self.copies[id(value)] = (value, copy.deepcopy(value))
            return self.copies[id(value)][1]

    def transact_write_items(self, transact_items):
        module_copy = models.copy
        models.copy = CopyOncePerCall()
        try:
            return original(self, transact_items)
        finally:
            models.copy = module_copy

    models.DynamoDBBackend.transact_write_items = transact_write_items


def copy_query_results_shallowly():
    """moto's Query deep-copies every row it read before it applies the filter expression, so a
    search that reads 10,000 rows to return 10 spends most of its time copying the 9,990 it drops.
    Query results are only rendered to JSON afterwards (never changed; a projection builds new
    items), so within Query the copy is a shallow one: the same answers, about twice as fast. The
    emulator serves one request at a time, so no other call sees the swapped module."""
    import moto.dynamodb.models.table as table_module

    original = table_module.Table.query

    class ShallowListCopy:
        @staticmethod
        def deepcopy(value, memo=None):
            return list(value)

    def query(self, *args, **kwargs):
        module_copy = table_module.copy
        table_module.copy = ShallowListCopy()
        try:
            return original(self, *args, **kwargs)
        finally:
            table_module.copy = module_copy

    table_module.Table.query = query


TARGET_PREFIX = "DynamoDB_20120810."
CHANGES_DATA = {
    "BatchWriteItem",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "PutItem",
    "TransactWriteItems",
    "UpdateItem",
    "UpdateTable",
    "UpdateTimeToLive",
}


def signed_headers(region, operation):
    # moto reads the region from the credential scope; it does not check signatures.
    return {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": TARGET_PREFIX + operation,
        "Authorization": "AWS4-HMAC-SHA256 Credential=journal/20260101/"
        + region
        + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
    }


def region_of(environ):
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    parts = authorization.split(",")[0].split("/")
    return parts[2] if "AWS4" in authorization and len(parts) > 2 else "us-east-1"


class Journal:
    """Append-only log of the requests that changed data, replayed and compacted at start."""

    def __init__(self, path):
        self.path = path
        self.file = None

    def restore(self, app):
        client = Client(app)
        regions = set()
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        # A line cut short by a hard stop: everything before it is complete.
                        print(f"journal line {number} is incomplete; ignored", file=sys.stderr)
                        break
                    regions.add(entry["region"])
                    try:
                        call(client, entry["region"], entry["operation"], entry["request"])
                    except RuntimeError as failure:
                        # Keep what can be kept rather than refuse to start.
                        print(f"journal line {number} not replayed: {failure}", file=sys.stderr)
        self.compact(client, regions)
        self.file = open(self.path, "a", encoding="utf-8")

    def compact(self, client, regions):
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            for region in sorted(regions):
                for entry in snapshot(client, region):
                    out.write(json.dumps(entry) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def append(self, region, operation, body):
        line = json.dumps(
            {"region": region, "operation": operation, "request": json.loads(body)}
        )
        self.file.write(line + "\n")
        self.file.flush()

    def close(self):
        if self.file is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.file = None


def call(client, region, operation, request):
    response = client.post(
        "/", data=json.dumps(request), headers=signed_headers(region, operation)
    )
    if response.status_code != 200:
        raise RuntimeError(f"{operation} failed: {response.status_code} {response.get_data(True)}")
    return json.loads(response.get_data(True) or "{}")


def snapshot(client, region):
    """The requests that recreate every table of a region as it is now."""
    tables, start = [], None
    while True:
        page = call(client, region, "ListTables", {"ExclusiveStartTableName": start} if start else {})
        tables += page.get("TableNames", [])
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
    for name in tables:
        table = call(client, region, "DescribeTable", {"TableName": name})["Table"]
        yield entry(region, "CreateTable", create_table_request(table))
        ttl = call(client, region, "DescribeTimeToLive", {"TableName": name})
        ttl = ttl.get("TimeToLiveDescription", {})
        if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            yield entry(
                region,
                "UpdateTimeToLive",
                {
                    "TableName": name,
                    "TimeToLiveSpecification": {
                        "AttributeName": ttl["AttributeName"],
                        "Enabled": True,
                    },
                },
            )
        start = None
        while True:
            scan = {"TableName": name, "ConsistentRead": True}
            if start:
                scan["ExclusiveStartKey"] = start
            page = call(client, region, "Scan", scan)
            for item in page.get("Items", []):
                yield entry(region, "PutItem", {"TableName": name, "Item": item})
            start = page.get("LastEvaluatedKey")
            if not start:
                break


def entry(region, operation, request):
    return {"region": region, "operation": operation, "request": request}


def create_table_request(table):
    billing = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    request = {
        "TableName": table["TableName"],
        "AttributeDefinitions": table["AttributeDefinitions"],
        "KeySchema": table["KeySchema"],
        "BillingMode": billing,
    }

    def throughput(description):
        provisioned = description.get("ProvisionedThroughput", {})
        return {
            "ReadCapacityUnits": provisioned.get("ReadCapacityUnits") or 1,
            "WriteCapacityUnits": provisioned.get("WriteCapacityUnits") or 1,
        }

    if billing == "PROVISIONED":
        request["ProvisionedThroughput"] = throughput(table)
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = []
        for index in table.get(kind, []):
            copy = {
                "IndexName": index["IndexName"],
                "KeySchema": index["KeySchema"],
                "Projection": index["Projection"],
            }
            if kind == "GlobalSecondaryIndexes" and billing == "PROVISIONED":
                copy["ProvisionedThroughput"] = throughput(index)
            indexes.append(copy)
        if indexes:
            request[kind] = indexes
    return request


def refuse(start_response, status, message):
    body = json.dumps({"__type": "RequestRefused", "message": message}).encode()
    start_response(
        status,
        [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(body)))],
    )
    return [body]


class DynamoDbOnly:
    """The WSGI application served: checks, serializes and journals requests to moto's app."""

    def __init__(self, app, journal):
        self.app = app
        self.journal = journal
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if "HTTP_ORIGIN" in environ:
            return refuse(start_response, "403 Forbidden", "requests from web pages are refused")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if environ["REQUEST_METHOD"] != "POST" or not target.startswith(TARGET_PREFIX):
            return refuse(start_response, "400 Bad Request", "only the DynamoDB API is served")
        operation = target[len(TARGET_PREFIX):]
        body = Request(environ).get_data()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        with self.lock:
            chunks = self.app(environ, capture)
            try:
                content = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
            if (
                self.journal is not None
                and operation in CHANGES_DATA
                and answer["status"].startswith("200")
            ):
                self.journal.append(region_of(environ), operation, body)
        headers = [
            (name, value)
            for name, value in answer["headers"]
            if not name.lower().startswith("access-control-")
        ]
        start_response(answer["status"], headers)
        return [content]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--journal", help="keep the tables in this file across restarts")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    speed_up_string_comparisons()
    copy_each_table_once_per_transaction()
    copy_query_results_shallowly()
    moto_app = create_backend_app("dynamodb")
    journal = None
    if args.journal:
        journal = Journal(args.journal)
        journal.restore(moto_app)
    app = DynamoDbOnly(moto_app, journal)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    stopping = threading.Lock()

    def stop(*_):
        if stopping.acquire(blocking=False):
            threading.Thread(target=server.shutdown, daemon=True).start()

    def watch_parent():
        while sys.stdin.buffer.read(4096):
            pass
        stop()

    # Ctrl-C in a terminal reaches the whole process group: the JVM decides when DynamoDB stops
    # (after its queued writes), by closing our standard input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"listening {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        if journal is not None:
            # After the request in progress (its journal line included); later ones fail.
            with app.lock:
                journal.close()
        sys.stdout.flush()
        # Not a normal interpreter exit: the thread watching standard input is still reading it.
        os._exit(0)


if __name__ == "__main__":
    main()
