#!/usr/bin/env python3
"""Service overhead of `tributary serve`: a 1-row query from StartQueryExecution until
GetQueryExecution says SUCCEEDED, p50/p99 over N runs, and the throughput of 8 concurrent
clients. Two clients: boto3 (what users run; includes SigV4 signing and botocore's own
cost) and a bare keep-alive HTTP client (the server's share alone). The server runs with
--auth none in a temporary data dir.

    bench/athena_service.py TRIBUTARY_BINARY [RUNS]
"""
import concurrent.futures
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

TRIBUTARY = os.path.realpath(sys.argv[1])
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
SQL = "SELECT 1 AS one"


class Raw:
    """A minimal Athena client: one keep-alive connection, unsigned JSON requests."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, action, body):
        self.connection.request("POST", "/", json.dumps(body), {
            "X-Amz-Target": "AmazonAthena." + action, "Content-Type": "application/x-amz-json-1.1"})
        response = self.connection.getresponse()
        data = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(data)
        return data

    def run(self):
        query_id = self.call("StartQueryExecution", {"QueryString": SQL})["QueryExecutionId"]
        while True:
            state = self.call("GetQueryExecution", {"QueryExecutionId": query_id})["QueryExecution"]["Status"]["State"]
            if state == "SUCCEEDED":
                return
            if state in ("FAILED", "CANCELLED"):
                raise RuntimeError(state)


class Boto:
    def __init__(self, port):
        self.client = boto3.client("athena", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="bench", aws_secret_access_key="bench",
                                   config=botocore.config.Config(retries={"max_attempts": 1}))

    def run(self):
        query_id = self.client.start_query_execution(QueryString=SQL)["QueryExecutionId"]
        while True:
            state = self.client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]["State"]
            if state == "SUCCEEDED":
                return
            if state in ("FAILED", "CANCELLED"):
                raise RuntimeError(state)


def latency(make_client, port):
    client = make_client(port)
    for _ in range(10):
        client.run()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def throughput(make_client, port, clients=8, seconds=5.0):
    def worker(_):
        client = make_client(port)
        done = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            client.run()
            done += 1
        return done

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        total = sum(pool.map(worker, range(clients)))
    return total / seconds


def main():
    work = tempfile.mkdtemp(prefix="tributary-bench-service-")
    server = subprocess.Popen([TRIBUTARY, "serve", "--data-dir", work, "--http-port", "0", "--auth", "none",
                               "--max-concurrent-queries", "8"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(work, "server.port")
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = int(open(port_file).read())
        print(f"tributary serve: 1-row query, StartQueryExecution -> GetQueryExecution SUCCEEDED, {RUNS} runs")
        for name, make in (("raw HTTP", Raw), ("boto3", Boto)):
            p50, p99 = latency(make, port)
            qps = throughput(make, port)
            print(f"  {name:9s} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   8 clients: {qps:7.1f} queries/s")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


main()
