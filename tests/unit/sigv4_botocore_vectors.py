#!/usr/bin/env python3
"""Prints the SigV4 known answers that tests/unit/test_sigv4_verifier.cpp embeds.

Each vector is a request exactly as it arrived at a local HTTP server: the request line
(raw path and query) and the headers and body as botocore (the AWS CLI's signer) put them
on the wire, signed by botocore with fixed credentials at a fixed time. The first three
go through a real botocore Athena client (what `aws athena ...` and boto3 send); the
others sign an AWSRequest with botocore.auth.SigV4Auth and send it with botocore's own
HTTP session, to cover what the Athena client never sends (a query string, dot segments
and encoded characters in the path, a Date header instead of X-Amz-Date).

Run: python3 tests/unit/sigv4_botocore_vectors.py   (prints C++; paste it into the test)
The User-Agent header is left out of the output: it is never signed and names versions.
"""
import datetime
import socket
import threading
from unittest import mock

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session

FIXED = datetime.datetime(2025, 3, 14, 15, 9, 26, tzinfo=datetime.timezone.utc)
KEY, SECRET = "AKIDTRIBUTARYTEST01", "tributary/Secret+Key/For/SigV4/Tests000"
TOKEN = "FQoGZXIvYXdzEXAMPLE//////////wEaDM+TributarySessionToken/Example=="
RESPONSE = b'{"QueryExecutionId":"01234567-89ab-cdef-0123-456789abcdef","WorkGroups":[],"QueryExecution":{}}'


class CaptureServer:
    """Accepts one connection at a time, records the raw request, answers 200 with JSON."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            conn, _ = self.sock.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, body = data.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                headers = [tuple(part.strip() if i else part for i, part in enumerate(line.split(":", 1)))
                           for line in lines[1:]]
                length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests.append((lines[0], headers, body))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                             b"Connection: close\r\nContent-Length: " + str(len(RESPONSE)).encode() +
                             b"\r\n\r\n" + RESPONSE)


def cpp_string(data):
    """A C++ narrow string literal holding exactly `data` (bytes)."""
    out, previous_was_hex = '"', False
    for byte in data:
        char = chr(byte)
        if char in '"\\':
            piece = "\\" + char
        elif 0x20 <= byte < 0x7F:
            piece = ('" "' if previous_was_hex and char in "0123456789abcdefABCDEF" else "") + char
        else:
            piece = "\\x%02x" % byte
        out += piece
        previous_was_hex = piece.startswith("\\x")
    return out + '"'


def athena_client(server, token=None):
    session = botocore.session.get_session()
    return session.create_client("athena", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{server.port}",
                                 aws_access_key_id=KEY, aws_secret_access_key=SECRET, aws_session_token=token)


def send_signed(server, method, path_and_query, headers, body, token=None, region="eu-west-1"):
    request = AWSRequest(method=method, url=f"http://127.0.0.1:{server.port}{path_and_query}", headers=headers,
                         data=body)
    botocore.auth.SigV4Auth(Credentials(KEY, SECRET, token), "athena", region).add_auth(request)
    URLLib3Session().send(request.prepare())


def main():
    server = CaptureServer()
    names = []
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
        client = athena_client(server)
        client.start_query_execution(QueryString="SELECT 'café ✓ 東京' AS greeting, \"naïve\" FROM t",
                                     ClientRequestToken="tributary-sigv4-vector-0000000000001",
                                     WorkGroup="primary")
        names.append("StartQueryExecution")
        athena_client(server, token=TOKEN).list_work_groups(MaxResults=5)
        names.append("ListWorkGroupsWithSessionToken")
        client.get_query_execution(QueryExecutionId="01234567-89ab-cdef-0123-456789abcdef")
        names.append("GetQueryExecution")
        send_signed(server, "POST", "/", {"Content-Type": "application/x-amz-json-1.1",
                                          "X-Amz-Target": "AmazonAthena.StartQueryExecution",
                                          "X-Custom-Spaces": "  two   inner   runs  "},
                    '{"QueryString":"SELECT \'café ✓\'"}'.encode("utf-8"))
        names.append("RawUtf8BodyOtherRegion")
        send_signed(server, "GET", "/a%20b/./c/../d//e%2Ff?zeta=x%20y&alpha=1%2F2&Caps=%E2%9C%93&alpha=0&empty=",
                    {"X-Amz-Target": "AmazonAthena.ListWorkGroups"}, b"")
        names.append("QueryStringAndPath")
        send_signed(server, "POST", "/", {"Date": "placeholder", "X-Amz-Target": "AmazonAthena.ListDataCatalogs",
                                          "Content-Type": "application/x-amz-json-1.1"}, b"{}")
        names.append("DateHeaderInsteadOfXAmzDate")

    print(f"// Generated by tests/unit/sigv4_botocore_vectors.py (botocore {botocore.__version__}),")
    print(f"// signed at {FIXED.strftime('%Y%m%dT%H%M%SZ')} = {int(FIXED.timestamp())} with {KEY}.")
    print("const BotocoreVector kBotocoreVectors[] = {")
    for name, (request_line, headers, body) in zip(names, server.requests):
        method, target, _ = request_line.split(" ")
        path, _, query = target.partition("?")
        print(f"    {{{cpp_string(name.encode())},")
        print(f"     {{{cpp_string(method.encode())}, {cpp_string(path.encode())}, {cpp_string(query.encode())},")
        print("      {")
        for header_name, value in headers:
            if header_name.lower() == "user-agent":
                continue
            print(f"          {{{cpp_string(header_name.encode())}, {cpp_string(value.encode('latin-1'))}}},")
        print("      },")
        print(f"      {cpp_string(body)}}}}},")
    print("};")


if __name__ == "__main__":
    main()
