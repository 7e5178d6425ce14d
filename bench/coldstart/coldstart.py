#!/usr/bin/env python3
"""Cold-start benchmark: each function from its deployed package, started the way Lambda starts it.

Java functions run under the official Lambda runtime interface client (the program the managed
java runtimes run) on the given JDK with the managed runtime's JVM flags and a heap sized from the
function's memory. The lab lesson's Python delete function runs under a minimal runtime loop. Both
talk to the same Runtime API stand-in on loopback and to the same emulators (s3proxy for S3, moto's
server mode for DynamoDB), and every run is a fresh process whose invocations really delete
(or list) seeded files; a response that is not the expected one fails the benchmark.

Per run: init = spawn -> first GET /invocation/next (Lambda's Init phase); first invoke = event
handed out -> response posted; second invoke likewise; warm invoke = the median of the --warm
invocations that follow in the same process. Runs of the subjects alternate.

Called by bin/bench-coldstart, which builds the packages and resolves the classpaths.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.httpsession import where as ca_bundle

HERE = Path(__file__).resolve().parent
AWS_TRUST_ROOTS = (
    HERE.parent.parent
    / "lambda/src/main/resources/dev/uploaddashboard/lambda/store/aws-trust-services-roots.pem"
)
SNAPSTART = " (snapstart)"
REGION = "us-east-1"
ACCESS_KEY = "benchaccesskey"
SECRET_KEY = "benchsecretkey"
# Lambda hands every function temporary credentials with a session token; so does the benchmark.
SESSION_TOKEN = "benchsessiontoken"
BUCKET = "upload-dashboard-bench"
TABLE = "upload_metadata"
QUOTA_TABLE = "upload_quota"
OWNER = "7c1e4a52-9d31-4f6b-8a0e-2b5d3c9f1a10"
LISTED_ROWS = 30

JAVA_HANDLERS = {
    "delete": "dev.uploaddashboard.lambda.handler.DeleteFileHandler",
    "list": "dev.uploaddashboard.lambda.handler.ListFilesHandler",
    "detail": "dev.uploaddashboard.lambda.handler.FileDetailHandler",
    "upload": "dev.uploaddashboard.lambda.handler.CreateUploadHandler",
    "sync": "dev.uploaddashboard.lambda.handler.MetadataSyncHandler",
    # Not a function: the seed ported to Java, run from the delete package (floor/).
    "delete-floor": "dev.uploaddashboard.bench.SeedPortDeleteHandler",
}
# The package each benchmarked name runs from.
PACKAGES = {"delete-floor": "delete"}
FLOOR_SOURCE = HERE / "floor" / "SeedPortDeleteHandler.java"


# --------------------------------------------------------------------------- Runtime API stand-in


class Run:
    """One process's view of the Runtime API: the events it gets and when things happened."""

    def __init__(self, events):
        self.events = events
        self.handed_out = 0
        self.ready = None
        self.sent = {}
        self.answered = {}
        self.responses = {}
        self.error = None
        self.pid = None
        self.cpu_ready = None
        self.cpu_first = None
        self.cpu_answered = {}
        self.emulators_cpu_answered = {}
        self.checkpoint = None
        self.cpu_checkpoint = None
        self.finished = threading.Event()
        self.closed = threading.Event()


class RuntimeApi(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RuntimeApiHandler)
        self.lock = threading.Lock()
        self.run = None
        self.emulator_pids = {}  # name -> pid, for the emulators' CPU time per invocation
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def handle_error(self, request, client_address):
        pass  # a killed function drops its connection; that is the end of a run, not an error

    @property
    def address(self):
        return f"127.0.0.1:{self.server_address[1]}"

    def begin(self, events):
        with self.lock:
            if self.run is not None:
                self.run.closed.set()
            self.run = Run(events)
            return self.run


class RuntimeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK of the headers (40 ms on Linux) once the connection leaves quick-ACK
    # mode, which added ~40 ms to every invocation after the first, whatever the function did.
    disable_nagle_algorithm = True
    PREFIX = "/2018-06-01/runtime"

    def log_message(self, *args):
        pass

    def do_GET(self):
        now = time.perf_counter()
        if self.path == CREDENTIALS_PATH:
            return self.answer(200, json.dumps(CONTAINER_CREDENTIALS).encode())
        if self.path == self.PREFIX + "/restore/next":
            # SnapStart: the runtime ran init and the beforeCheckpoint hooks (priming) and asks to
            # be snapshotted. Lambda would snapshot here and answer in a restored copy later; the
            # stand-in answers at once, so the same process goes on as a restored one would.
            self.server.run.checkpoint = now
            self.server.run.cpu_checkpoint = cpu_ms(self.server.run.pid)
            return self.answer(200, b"")
        if self.path != self.PREFIX + "/invocation/next":
            return self.answer(404, b"{}")
        api = self.server
        with api.lock:
            run = api.run
            if run.ready is None:
                run.ready = now
                run.cpu_ready = cpu_ms(run.pid)
            index = run.handed_out
            if index < len(run.events):
                run.handed_out += 1
        if index >= len(run.events):
            run.closed.wait(120)
            self.close_connection = True
            return self.answer(410, b"{}")
        body = json.dumps(run.events[index]).encode()
        request_id = f"bench-{index + 1}-{uuid.uuid4()}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 15000))
        self.send_header(
            "Lambda-Runtime-Invoked-Function-Arn",
            "arn:aws:lambda:us-east-1:123456789012:function:bench",
        )
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
        self.end_headers()
        run.sent[request_id] = (index, time.perf_counter())
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self):
        now = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        run = self.server.run
        parts = self.path[len(self.PREFIX) :].strip("/").split("/")
        if parts == ["init", "error"]:
            run.error = "init error: " + payload.decode(errors="replace")
            run.finished.set()
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            index, sent = run.sent[parts[1]]
            if parts[2] == "error":
                run.error = f"invocation {index + 1} failed: " + payload.decode(errors="replace")
                run.finished.set()
            else:
                run.answered[index] = now - sent
                run.responses[index] = json.loads(payload)
                run.cpu_answered[index] = cpu_ms(run.pid)
                run.emulators_cpu_answered[index] = {
                    name: cpu_ms(pid) for name, pid in self.server.emulator_pids.items()
                }
                if index == 0:
                    run.cpu_first = run.cpu_answered[0]
                if len(run.answered) == len(run.events):
                    run.finished.set()
        self.answer(202, b"{}")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def cpu_ms(pid):
    """CPU time (user + system, all threads) the process has used so far, in ms.

    On a loaded machine wall time mostly measures the other processes; CPU time does not. Lambda
    gives a 1024 MB function a fraction of a vCPU, so its cold start is bound by CPU time too.
    """
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return None


# --------------------------------------------------------------------------- emulators


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on {port} within {timeout} s")


# moto's server, with TCP_NODELAY on its connections: werkzeug writes a response's headers and body
# separately, so without it the body can wait for the client's delayed ACK (with --tls, warm
# requests took about 10 ms less with it). werkzeug also closes every connection after a response
# ("Connection: close"); AWS's endpoints keep them open.
MOTO_SERVER = """
import sys
import werkzeug.serving
from moto.server import main
werkzeug.serving.WSGIRequestHandler.disable_nagle_algorithm = True
sys.argv[0] = "moto_server"
main()
"""


class Tls:
    """HTTPS for the emulators, as AWS's endpoints are: a certificate for 127.0.0.1 (RSA 2048, as
    AWS's are), and trust stores that hold what each side trusts when deployed plus that
    certificate: for Java the five Amazon Trust Services roots the functions trust on AWS
    (AwsTrustRoots; the JVM is pointed at this store, which the functions honour), loaded without
    a password as the JDK loads its own cacerts (no integrity check), and botocore's CA bundle for
    Python."""

    PASSWORD = "changeit"

    def __init__(self, work, java):
        self.key = work / "tls-key.pem"
        self.cert = work / "tls-cert.pem"
        self.keystore = work / "tls-keystore.p12"
        self.java_truststore = work / "tls-truststore.jks"
        self.python_bundle = work / "tls-ca-bundle.pem"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(self.key), "-out", str(self.cert),
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            **quiet,
        )
        subprocess.run(
            [
                "openssl", "pkcs12", "-export", "-in", str(self.cert), "-inkey", str(self.key),
                "-name", "emulator", "-out", str(self.keystore),
                "-passout", f"pass:{self.PASSWORD}",
            ],
            **quiet,
        )
        keytool = str(Path(java).resolve().parent / "keytool")
        roots = AWS_TRUST_ROOTS.read_text().split("-----END CERTIFICATE-----")[:-1]
        certificates = [("emulator", self.cert)]
        for number, root in enumerate(roots):
            pem = work / f"tls-aws-root-{number}.pem"
            pem.write_text(root[root.index("-----BEGIN") :] + "-----END CERTIFICATE-----\n")
            certificates.append((f"aws-root-{number}", pem))
        for alias, pem in certificates:
            subprocess.run(
                [
                    keytool, "-importcert", "-noprompt", "-alias", alias, "-file", str(pem),
                    "-keystore", str(self.java_truststore), "-storetype", "JKS",
                    "-storepass", self.PASSWORD,
                ],
                **quiet,
            )
        self.python_bundle.write_text(Path(ca_bundle()).read_text() + self.cert.read_text())

    def java_flags(self):
        return [
            f"-Djavax.net.ssl.trustStore={self.java_truststore}",
            "-Djavax.net.ssl.trustStoreType=JKS",
        ]


class Emulators:
    def __init__(self, work, s3proxy_classpath, java, tls=None):
        self.processes = []
        self.tls = tls
        self.scheme = "https" if tls else "http"
        self.s3_port = free_port()
        properties = work / "s3proxy.properties"
        if tls:
            endpoint = [
                f"s3proxy.secure-endpoint=https://127.0.0.1:{self.s3_port}",
                f"s3proxy.keystore-path={tls.keystore}",
                f"s3proxy.keystore-password={tls.PASSWORD}",
            ]
        else:
            endpoint = [f"s3proxy.endpoint=http://127.0.0.1:{self.s3_port}"]
        properties.write_text(
            "\n".join(
                endpoint
                + [
                    "s3proxy.authorization=aws-v2-or-v4",
                    f"s3proxy.identity={ACCESS_KEY}",
                    f"s3proxy.credential={SECRET_KEY}",
                    # Lambda's credentials carry a session token (x-amz-security-token), a
                    # header s3proxy refuses unless told to ignore headers it does not know.
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=transient",
                    "jclouds.identity=bench",
                    "jclouds.credential=bench",
                    "",
                ]
            )
        )
        logs = open(work / "emulators.log", "w")
        self.processes.append(
            subprocess.Popen(
                [java, "-cp", s3proxy_classpath, "org.gaul.s3proxy.Main", "--properties", str(properties)],
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        self.dynamodb_port = free_port()
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-c", MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.dynamodb_port)]
                + (["-c", str(tls.cert), "-k", str(tls.key)] if tls else []),
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        wait_for_port(self.s3_port, self.processes[0], "s3proxy")
        wait_for_port(self.dynamodb_port, self.processes[1], "moto")

    @property
    def s3_url(self):
        return f"{self.scheme}://127.0.0.1:{self.s3_port}"

    @property
    def dynamodb_url(self):
        return f"{self.scheme}://127.0.0.1:{self.dynamodb_port}"

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


class Data:
    """Creates the bucket and table (as docs/CONTRACT.md defines them) and seeds files."""

    def __init__(self, emulators):
        session = boto3.Session(
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )
        config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard"})
        verify = str(emulators.tls.python_bundle) if emulators.tls else None
        self.s3 = session.client("s3", endpoint_url=emulators.s3_url, config=config, verify=verify)
        self.dynamodb = session.client(
            "dynamodb", endpoint_url=emulators.dynamodb_url, verify=verify
        )
        self.s3.create_bucket(Bucket=BUCKET)
        index = lambda name, hash_key: {  # noqa: E731
            "IndexName": name,
            "KeySchema": [
                {"AttributeName": hash_key, "KeyType": "HASH"},
                {"AttributeName": "uploaded_at", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        self.dynamodb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"}
                for name in ("bucket", "object_key", "uploaded_at", "owner")
            ],
            KeySchema=[
                {"AttributeName": "bucket", "KeyType": "HASH"},
                {"AttributeName": "object_key", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                index("uploaded_at_index", "bucket"),
                index("owner_uploaded_at_index", "owner"),
            ],
        )
        # The upload function counts each ticket in the per-user quota table (docs/CONTRACT.md).
        self.dynamodb.create_table(
            TableName=QUOTA_TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "quota_key", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "quota_key", "KeyType": "HASH"}],
        )
        for number in range(LISTED_ROWS):
            self.file(f"listed-{number:02d}.txt")

    def file(self, name):
        """An object and its live row, as the sync function records it; returns the key."""
        key = f"incoming/{OWNER}/{uuid.uuid4()}/{name}"
        body = b"cold start benchmark\n"
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=body, ContentType="text/plain")
        uploaded_at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        self.dynamodb.put_item(
            TableName=TABLE,
            Item={
                "bucket": {"S": BUCKET},
                "object_key": {"S": key},
                "file_name": {"S": name},
                "size": {"N": str(len(body))},
                "content_type": {"S": "text/plain"},
                "uploaded_at": {"S": uploaded_at},
                "etag": {"S": "0" * 32},
                "sequencer": {"S": "0" * 16 + uuid.uuid4().hex[:16].upper()},
                "owner": {"S": OWNER},
            },
        )
        return key

    def object_only(self, name):
        """An object without a row (as just uploaded, before sync); returns the key."""
        key = f"incoming/{OWNER}/{uuid.uuid4()}/{name}"
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=b"synced\n", ContentType="text/plain")
        return key

    def has_row(self, key):
        row = self.dynamodb.get_item(
            TableName=TABLE, Key={"bucket": {"S": BUCKET}, "object_key": {"S": key}}
        )
        return "uploaded_at" in row.get("Item", {})

    def gone(self, key):
        row = self.dynamodb.get_item(
            TableName=TABLE, Key={"bucket": {"S": BUCKET}, "object_key": {"S": key}}
        )
        objects = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=key).get("KeyCount", 0)
        return "Item" not in row and objects == 0


# --------------------------------------------------------------------------- events and subjects


def http_event(method, path, query, body):
    template = json.loads((HERE / "http-api-event.json").read_text())
    template["routeKey"] = f"{method} {path}"
    template["rawPath"] = path
    template["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    if query:
        template["queryStringParameters"] = query
    template["requestContext"]["http"]["method"] = method
    template["requestContext"]["http"]["path"] = path
    template["requestContext"]["routeKey"] = f"{method} {path}"
    template["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = OWNER
    template["requestContext"]["authorizer"]["jwt"]["claims"]["username"] = OWNER
    if body is None:
        template.pop("body", None)
        template["headers"].pop("content-type", None)
    else:
        template["body"] = json.dumps(body)
    template["requestContext"]["requestId"] = str(uuid.uuid4())
    return template


class Subject:
    """Something to cold-start: how to spawn it, what to ask it, what a right answer is.

    After its two measured cold-process invocations (and any unmeasured ones a subject adds), a
    subject is asked `warm` more times in the same process: the warm figure is their median.
    """

    def __init__(self, name, command, cwd, env, warm):
        self.name = name
        self.command = command
        self.cwd = cwd
        self.env = env
        self.warm = warm

    def warm_indexes(self, events):
        return range(len(events) - self.warm, len(events))

    def events(self, data):
        raise NotImplementedError

    def check(self, data, index, response):
        raise NotImplementedError


class DeleteSubject(Subject):
    """Two deletes of existing files (measured); a third, unmeasured, repeats the first: 404.
    The warm deletes are of more existing files."""

    def events(self, data):
        self.keys = [data.file("report.pdf"), data.file("photo.png")]
        self.keys.append(self.keys[0])
        self.keys += [data.file(f"warm-{number}.txt") for number in range(self.warm)]
        return [
            http_event("DELETE", "/metadata", {}, {"bucket": BUCKET, "key": key}) for key in self.keys
        ]

    def check(self, data, index, response):
        body = json.loads(response["body"])
        status = 404 if index == 2 else 200
        ok = response.get("statusCode") == status and body.get("object_key") == self.keys[index]
        return ok and data.gone(self.keys[index])


class SeedDeleteSubject(DeleteSubject):
    """The seed answers a repeated delete with 200 too (it does not look)."""

    def check(self, data, index, response):
        body = json.loads(response["body"])
        ok = response.get("statusCode") == 200 and body.get("object_key") == self.keys[index]
        return ok and data.gone(self.keys[index])


class ListSubject(Subject):
    def events(self, data):
        return [http_event("GET", "/metadata", {"limit": "25"}, None) for _ in range(2 + self.warm)]

    def check(self, data, index, response):
        body = json.loads(response["body"])
        return response.get("statusCode") == 200 and len(body.get("items", [])) == 25


class DetailSubject(Subject):
    def events(self, data):
        self.keys = [data.file(f"detail-{number}.txt") for number in range(2 + self.warm)]
        return [http_event("GET", "/metadata/file", {"key": key}, None) for key in self.keys]

    def check(self, data, index, response):
        body = json.loads(response["body"])
        return response.get("statusCode") == 200 and "download_url" in body


class UploadSubject(Subject):
    """No warm uploads: every ticket counts against the user's hourly quota (200)."""

    def warm_indexes(self, events):
        return range(0)

    def events(self, data):
        ticket = {"file_name": "report.pdf", "content_type": "application/pdf", "size": 1234}
        return [http_event("POST", "/uploads", {}, ticket) for _ in range(2)]

    def check(self, data, index, response):
        body = json.loads(response["body"])
        return response.get("statusCode") == 201 and body.get("method") == "PUT"


class SyncSubject(Subject):
    """S3 "object created" notifications for objects that exist: each records a live row."""

    def events(self, data):
        self.keys = [data.object_only(f"synced-{number}.txt") for number in range(2 + self.warm)]
        return [s3_created_event(key, number) for number, key in enumerate(self.keys, 1)]

    def check(self, data, index, response):
        return response == {"records": 1, "failed": 0} and data.has_row(self.keys[index])


def s3_created_event(key, number):
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "bucket": {"name": BUCKET},
                    "object": {"key": key, "size": 21, "sequencer": f"{number:016X}"},
                },
            }
        ]
    }


SUBJECTS = {
    "delete": DeleteSubject,
    "list": ListSubject,
    "detail": DetailSubject,
    "upload": UploadSubject,
    "sync": SyncSubject,
    "delete-floor": DeleteSubject,
}


# SnapStart functions get no key variables: the role's credentials come from a container endpoint
# (AWS_CONTAINER_CREDENTIALS_FULL_URI), served here by the Runtime API stand-in.
CREDENTIALS_PATH = "/container-credentials"
CONTAINER_CREDENTIALS = {
    "AccessKeyId": ACCESS_KEY,
    "SecretAccessKey": SECRET_KEY,
    "Token": SESSION_TOKEN,
    "Expiration": "2099-01-01T00:00:00Z",
}


def snapstart_env(env, runtime_api):
    """What changes for a SnapStart function: the init type, and credentials from an endpoint."""
    env = dict(env)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(name)
    env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = f"http://{runtime_api}{CREDENTIALS_PATH}"
    env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "bench-token"
    return env


def lambda_env(function_name, memory_mb, task_root, runtime_api, emulators, home, execution_env):
    """What Lambda puts in a function's environment, pointed at the emulators."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        # Lambda has no ~/.aws; an empty home keeps any local profile files out of the run.
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "AWS_EXECUTION_ENV": execution_env,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_RUNTIME_API": runtime_api,
        "LAMBDA_TASK_ROOT": str(task_root),
        "LAMBDA_RUNTIME_DIR": str(task_root),
        "AWS_ENDPOINT_URL_S3": emulators.s3_url,
        "AWS_ENDPOINT_URL_DYNAMODB": emulators.dynamodb_url,
        "TABLE_NAME": TABLE,
        "UPLOAD_BUCKET": BUCKET,
        "UPLOAD_QUOTA_TABLE": QUOTA_TABLE,
    }


# What infra puts in every Java function's JAVA_TOOL_OPTIONS (JavaFunction.JAVA_TOOL_OPTIONS;
# infra's UploadDashboardStackTest checks this line): C1 only, also under SnapStart, where java25 would
# otherwise compile with C2 too (below), compiling after a tenth of the usual invocations.
DEPLOYED_JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1"


def java_flags(memory_mb, snapstart=False):
    """The managed java runtimes' flags; heap, metaspace and code cache from the memory size.

    From java25 on, Lambda stops tiered compilation at level 1 (C1 only) for on-demand functions
    only; with SnapStart (or provisioned concurrency) it leaves the JVM's default tiered
    compilation, C2 included, since JIT work then happens before the snapshot
    (docs.aws.amazon.com/lambda/latest/dg/java-customization.html, "Customizing tiered
    compilation settings").
    """
    kib = memory_mb * 1024
    tiering = [] if snapstart else ["-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"]
    return [
        *tiering,
        # A Lambda execution environment's RAM is the function's memory, and the JVM sizes what
        # the flags leave open from it: the initial heap (1/64 of it: 16 MB at 1024 MB) and so the
        # young generation, which decides how often it collects during a cold start. Without
        # this the JVM would size them from this machine's RAM and never collect there.
        f"-XX:MaxRAM={memory_mb}m",
        "-XX:+UseSerialGC",
        f"-XX:MaxHeapSize={kib * 85 // 100}k",
        f"-XX:MaxMetaspaceSize={kib * 10 // 100}k",
        f"-XX:ReservedCodeCacheSize={kib * 5 // 100}k",
        "-Xshare:auto",
        "-Djava.net.preferIPv4Stack=true",
        # The managed runtime points org.crac at the runtime interface client's implementation,
        # which runs the beforeCheckpoint hooks when a SnapStart version is published.
        "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
        "--enable-native-access=ALL-UNNAMED",
    ]


def java_command(args, name, snapstart, tls):
    """The managed runtime's java command line, running the runtime interface client."""
    return [
        args.java,
        *java_flags(args.memory, snapstart),
        *(tls.java_flags() if tls else []),
        "-cp",
        args.runtime_client_classpath,
        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
        JAVA_HANDLERS[name],
    ]


def class_data_archive_subject(args, name, work, api, data, emulators, home, tls):
    """'java <name> (class-data archive)': the package with an application class-data archive.

    The JVM archives classes only from jar files, so the package goes in as lib/<name>.jar (Lambda
    reads /var/task/lib/*.jar too). One training process serves the same invocations with
    -XX:ArchiveClassesAtExit and is stopped with SIGTERM, so the JVM writes the archive as it
    exits; the measured processes then start with -XX:SharedArchiveFile. The archive is made by
    the JVM that is measured: a JVM uses only an archive written by its own build.
    """
    task = work / "task" / f"{name}-class-data-archive"
    (task / "lib").mkdir(parents=True)
    shutil.copy(Path(args.packages) / f"{name}.jar", task / "lib" / f"{name}.jar")
    archive = work / f"{name}.jsa"
    env = lambda_env(name, args.memory, task, api.address, emulators, home, "AWS_Lambda_java25")
    options = args.java_tool_options
    command = java_command(args, name, False, tls)
    training = dict(env, JAVA_TOOL_OPTIONS=f"{options} -XX:ArchiveClassesAtExit={archive}".strip())
    run_once(
        SUBJECTS[name](f"java {name} (training)", command, str(task), training, args.warm),
        api,
        data,
        args.timeout,
        stop=signal.SIGTERM,
    )
    if not archive.is_file():
        raise SystemExit(f"java {name}: the training process wrote no class-data archive")
    print(f"{name}: class-data archive of {archive.stat().st_size // 1024} KiB", file=sys.stderr)
    env["JAVA_TOOL_OPTIONS"] = f"{options} -XX:SharedArchiveFile={archive}".strip()
    return SUBJECTS[name](
        f"java {name} (class-data archive)", command, str(task), env, args.warm
    )


def compile_floor(java, task):
    """Compiles the seed's Java port into an unpacked delete package, against its classes."""
    javac = Path(java).parent / "javac"
    compiled = subprocess.run(
        [str(javac), "--release", "21", "-cp", str(task), "-d", str(task), str(FLOOR_SOURCE)],
        capture_output=True,
        text=True,
    )
    if compiled.returncode != 0:
        raise SystemExit(f"cannot compile {FLOOR_SOURCE.name}:\n{compiled.stderr}")


def unpack(jar, directory):
    """Lambda unpacks a .jar/.zip package into /var/task; so does the benchmark."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    with zipfile.ZipFile(jar) as archive:
        archive.extractall(directory)
    return directory


# --------------------------------------------------------------------------- measuring


def run_once(subject, api, data, timeout, stop=signal.SIGKILL):
    """One fresh process of subject; stop=SIGTERM lets the JVM exit as it would on its own."""
    events = subject.events(data)
    run = api.begin(events)
    # The function's output goes to a file: a pipe read only at the end fills up (64 KiB) and
    # then blocks the function's logging, after about 190 invocations of the delete function.
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            subject.command, cwd=subject.cwd, env=subject.env, stdout=log, stderr=subprocess.STDOUT
        )
        run.pid = process.pid
        try:
            finished = run.finished.wait(timeout)
        finally:
            process.send_signal(stop)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.seek(0)
        output = log.read()
    run.closed.set()
    if not finished or run.error:
        detail = run.error or f"no answer within {timeout} s"
        raise SystemExit(f"{subject.name}: {detail}\n{output.decode(errors='replace')[-12000:]}")
    for index, response in run.responses.items():
        if not subject.check(data, index, response):
            raise SystemExit(
                f"{subject.name}: unexpected response {index + 1}: {response}\n"
                + output.decode(errors="replace")[-12000:]
            )
    warm_indexes = subject.warm_indexes(events)
    warm = [run.answered[index] * 1000 for index in warm_indexes]
    warm_cpu = None
    if warm and None not in (run.cpu_answered[warm_indexes[0] - 1], run.cpu_answered[warm_indexes[-1]]):
        spent = run.cpu_answered[warm_indexes[-1]] - run.cpu_answered[warm_indexes[0] - 1]
        warm_cpu = spent / len(warm)
    # What the emulators spent per warm invocation: the part of the wall time that is S3's and
    # DynamoDB's work, which differs with what a function asks them (a conditional delete that
    # returns the old row costs moto more than a plain one).
    warm_emulators_cpu = {}
    if warm:
        first = run.emulators_cpu_answered.get(warm_indexes[0] - 1, {})
        last = run.emulators_cpu_answered.get(warm_indexes[-1], {})
        for name in first:
            if first[name] is not None and last.get(name) is not None:
                warm_emulators_cpu[name] = (last[name] - first[name]) / len(warm)
    figures = {
        "first": run.answered[0] * 1000,
        "second": run.answered[1] * 1000,
        "warm": statistics.median(warm) if warm else None,
        "warm_cpu": warm_cpu,
        "warm_emulators_cpu": warm_emulators_cpu,
    }
    if run.checkpoint is not None:
        # SnapStart: init and priming ran when the version was published; a user waits for the
        # restore (not measurable here), the afterRestore hooks and the first invocation.
        return {
            **figures,
            "init": (run.checkpoint - started) * 1000,
            "restored": (run.ready - run.checkpoint) * 1000,
            "cpu_init": run.cpu_checkpoint,
            "cpu_first_response": None
            if None in (run.cpu_first, run.cpu_checkpoint)
            else run.cpu_first - run.cpu_checkpoint,
        }
    return {
        **figures,
        "init": (run.ready - started) * 1000,
        "cpu_init": run.cpu_ready,
        "cpu_first_response": run.cpu_first,
    }


def summary(values):
    return f"{statistics.median(values):6.0f} ({min(values):.0f}–{max(values):.0f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first")
    parser.add_argument(
        "--functions",
        default="delete,list",
        help="comma-separated: delete, list, detail, upload, sync, or delete-floor (the seed ported"
        " to Java on the product's SDK clients, run from the delete package: the floor under delete)",
    )
    parser.add_argument("--memory", type=int, default=1024, help="function memory (MB)")
    parser.add_argument("--java", required=True, help="the java launcher of the JDK to measure")
    parser.add_argument("--runtime-client-classpath", required=True)
    parser.add_argument("--s3proxy-classpath", required=True)
    parser.add_argument("--packages", required=True, help="directory of <function>.jar packages")
    parser.add_argument("--no-seed", action="store_true", help="skip the Python seed")
    parser.add_argument(
        "--baseline-packages",
        help="also run these packages (say, of an older commit) as 'java <function> (baseline)'",
    )
    parser.add_argument(
        "--warm", type=int, default=100, help="warm invocations after the first two (their median)"
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="the emulators speak HTTPS, as AWS's endpoints do (both runtimes then set up TLS)",
    )
    parser.add_argument(
        "--snapstart",
        action="store_true",
        help="also run each Java function as a SnapStart version: init and priming, then the "
        "first invocations of the primed process (Lambda's restore itself is not reproduced)",
    )
    parser.add_argument(
        "--java-tool-options",
        default=DEPLOYED_JAVA_TOOL_OPTIONS,
        help="JAVA_TOOL_OPTIONS in every Java function's environment (default: what infra sets, "
        "JavaFunction.JAVA_TOOL_OPTIONS; '' for none)",
    )
    parser.add_argument(
        "--baseline-java-tool-options",
        help="JAVA_TOOL_OPTIONS of the baseline runs instead (runs the same packages as a baseline "
        "when --baseline-packages is not given): compares JVM options alternating in one run",
    )
    parser.add_argument(
        "--class-data-archive",
        action="store_true",
        help="also run each Java function with an application class-data archive (AppCDS) made "
        "by a training process of the same JVM: what an archive would give, not deployable "
        "(docs/COLD-STARTS.md, 'A class-data archive')",
    )
    parser.add_argument("--json", help="also write the raw figures here")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    # Stopped from outside: still stop the emulators and the function (finally blocks below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="bench-coldstart-"))
    home = work / "home"
    home.mkdir()
    tls = Tls(work, args.java) if args.tls else None
    emulators = Emulators(work, args.s3proxy_classpath, args.java, tls)
    api = RuntimeApi()
    api.emulator_pids = {"s3proxy": emulators.processes[0].pid, "moto": emulators.processes[1].pid}
    try:
        data = Data(emulators)
        subjects = []
        variants = [("", args.packages, False, args.java_tool_options)]
        if args.baseline_packages or args.baseline_java_tool_options is not None:
            variants.append(
                (
                    " (baseline)",
                    args.baseline_packages or args.packages,
                    False,
                    args.java_tool_options
                    if args.baseline_java_tool_options is None
                    else args.baseline_java_tool_options,
                )
            )
        if args.snapstart:
            variants += [
                (suffix + SNAPSTART, packages, True, options)
                for suffix, packages, _, options in variants
            ]
        for suffix, packages, snapstart, java_tool_options in variants:
            for name in args.functions.split(","):
                if snapstart and name in PACKAGES:
                    continue  # the floor has no priming: nothing to snapshot
                jar = Path(packages) / f"{PACKAGES.get(name, name)}.jar"
                task = unpack(jar, work / "task" / (name + suffix.replace(" (", "-").replace(")", "")))
                if name in PACKAGES:
                    compile_floor(args.java, task)
                env = lambda_env(
                    name, args.memory, task, api.address, emulators, home, "AWS_Lambda_java25"
                )
                if java_tool_options:
                    env["JAVA_TOOL_OPTIONS"] = java_tool_options
                if snapstart:
                    env = snapstart_env(env, api.address)
                command = java_command(args, name, snapstart, tls)
                subjects.append(
                    SUBJECTS[name](f"java {name}{suffix}", command, str(task), env, args.warm)
                )
        if args.class_data_archive:
            for name in args.functions.split(","):
                if name not in PACKAGES:
                    subjects.append(
                        class_data_archive_subject(args, name, work, api, data, emulators, home, tls)
                    )
        if not args.no_seed:
            task = work / "task" / "seed"
            task.mkdir(parents=True)
            shutil.copy(HERE / "seed_delete.py", task / "seed_delete.py")
            env = lambda_env("seed-delete", args.memory, task, api.address, emulators, home,
                             "AWS_Lambda_python3.11")
            env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p and "site-packages" in p)
            if tls:
                env["AWS_CA_BUNDLE"] = str(tls.python_bundle)
            command = [sys.executable, str(HERE / "python_runtime.py"), "seed_delete.lambda_handler"]
            subjects.append(
                SeedDeleteSubject("python seed delete", command, str(task), env, args.warm)
            )

        results = {subject.name: [] for subject in subjects}
        rounds = args.warmup + args.runs
        for round_number in range(rounds):
            # Alternate, and rotate the order so no subject always follows the same one.
            shift = round_number % len(subjects)
            for subject in subjects[shift:] + subjects[:shift]:
                figures = run_once(subject, api, data, args.timeout)
                if round_number >= args.warmup:
                    results[subject.name].append(figures)
            print(f"round {round_number + 1}/{rounds}", file=sys.stderr)
    finally:
        emulators.stop()
        api.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{args.runs} fresh processes each, {args.memory} MB, ms: median (min–max)")
    header = ["init", "first invoke", "init + first", "second invoke", "warm invoke",
              "CPU to 1st answer"]
    snapstart_header = ["init + priming", "after restore", "first invoke", "to 1st answer",
                        "second invoke", "warm invoke", "CPU after restore"]
    totals, cpus = {}, {}
    width = max(len(name) for name in results) + 2
    for snapstart in (False, True):
        names = [name for name in results if name.endswith(SNAPSTART) == snapstart]
        if not names:
            continue
        if snapstart:
            print("\nAs SnapStart versions: init and priming ran at publishing; a user waits for the")
            print("restore (Restore Duration, not reproduced here), 'after restore' and the first invoke.")
        headers = snapstart_header if snapstart else header
        print(f"{'function':<{width}}" + "".join(f"{h:>19}" for h in headers))
        for name in names:
            runs = results[name]
            columns = {"init": [r["init"] for r in runs]}
            if snapstart:
                columns["restored"] = [r["restored"] for r in runs]
                columns["first"] = [r["first"] for r in runs]
                columns["cold"] = [r["restored"] + r["first"] for r in runs]
            else:
                columns["first"] = [r["first"] for r in runs]
                columns["cold"] = [r["init"] + r["first"] for r in runs]
            columns["second"] = [r["second"] for r in runs]
            columns["warm"] = [r["warm"] for r in runs if r["warm"] is not None]
            columns["cpu"] = [
                r["cpu_first_response"] for r in runs if r["cpu_first_response"] is not None
            ]
            totals[name] = columns["cold"]
            cpus[name] = columns["cpu"]
            cells = [summary(values) if values else "n/a" for values in columns.values()]
            print(f"{name:<{width}}" + "".join(f"{cell:>19}" for cell in cells))
    seed = "python seed delete"
    if seed in totals:
        print("\nJava / Python seed delete, init + first invoke (SnapStart: after restore + first):")
        for name in totals:
            if not name.startswith("java"):
                continue
            wall = statistics.median(totals[name]) / statistics.median(totals[seed])
            # Runs of one round ran back to back, under the same machine load.
            paired = statistics.median(j / p for j, p in zip(totals[name], totals[seed]))
            line = f"  {name:<{width}} wall {wall:.2f}x (medians), {paired:.2f}x (median of per-round ratios)"
            if cpus[name] and cpus[seed]:
                line += f", CPU time {statistics.median(cpus[name]) / statistics.median(cpus[seed]):.2f}x"
            print(line)
        warm_seed = [r["warm"] for r in results[seed] if r["warm"] is not None]
        if warm_seed:
            print(f"\nWarm invoke (median of {args.warm} per process, then of the processes):")
            for name, runs in results.items():
                warm = [r["warm"] for r in runs if r["warm"] is not None]
                if warm and (name.startswith("java delete") or name == seed):
                    cpu = [r["warm_cpu"] for r in runs if r["warm_cpu"] is not None]
                    line = (f"  {name:<{width}} {statistics.median(warm):5.1f} ms wall "
                            f"({statistics.median(warm) / statistics.median(warm_seed):.2f}x the seed's)")
                    if cpu:
                        line += f", {statistics.median(cpu):4.1f} ms CPU of the function's process"
                    emulators_cpu = []
                    for emulator in ("s3proxy", "moto"):
                        spent = [r["warm_emulators_cpu"][emulator] for r in runs
                                 if emulator in r.get("warm_emulators_cpu", {})]
                        if spent:
                            emulators_cpu.append(f"{emulator} {statistics.median(spent):.1f} ms")
                    if emulators_cpu:
                        line += "; emulators' CPU: " + ", ".join(emulators_cpu)
                    print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
