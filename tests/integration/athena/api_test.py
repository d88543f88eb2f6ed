#!/usr/bin/env python3
"""The Athena API of `tributary serve` through boto3 (a real AWS SDK): paging of a
10,000-row result, error shapes, workgroup settings (disabled, concurrency limit, bytes
cutoff), named queries, idempotency, execution parameters, metadata calls, runtime
statistics, 50 concurrent submissions, SIGTERM (running query CANCELLED) and kill -9 with
restart (the interrupted query FAILED, earlier ones intact).

    api_test.py TRIBUTARY_BINARY

Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

TRIBUTARY = os.path.realpath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="tributary-api-")
DATA = os.path.join(WORK, "data")
CONFIG = os.path.join(WORK, "config")
passed = failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n     expected: {expected!r}\n     actual:   {actual!r}")


def check_true(name, condition, detail=""):
    check(name + (f" ({detail})" if detail and not condition else ""), True, bool(condition))


def error_of(call):
    """(code, message, response) of the ClientError `call` raises, or None."""
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", ""), e.response
    return None


class Server:
    def __init__(self, *extra):
        self.extra = extra
        self.process = None

    def start(self):
        port_file = os.path.join(DATA, "server.port")
        if os.path.exists(port_file):
            os.remove(port_file)
        log = open(os.path.join(DATA, "server.log"), "ab")
        self.process = subprocess.Popen([TRIBUTARY, "serve", "--data-dir", DATA, "--config-dir", CONFIG,
                                         "--http-port", "0", *self.extra], stdout=log, stderr=log)
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + open(os.path.join(DATA, "server.log")).read())
            time.sleep(0.05)
        self.endpoint = "http://127.0.0.1:" + open(port_file).read().strip()

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=60)
        return self.process.returncode


def client(endpoint, key, secret):
    return boto3.client("athena", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}, max_pool_connections=64))


def wait(athena, query_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]["State"]
        if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return state
        time.sleep(0.02)
    return "TIMEOUT"


def run(athena, sql, **kwargs):
    query_id = athena.start_query_execution(QueryString=sql, **kwargs)["QueryExecutionId"]
    return query_id, wait(athena, query_id)


def main():
    os.makedirs(DATA)
    os.makedirs(os.path.join(CONFIG, "catalog"))
    # A files catalog with a ~12 MB CSV (for the bytes-scanned cutoff, whose minimum is 10 MB).
    lake = os.path.join(WORK, "lake", "sales")
    os.makedirs(lake)
    with open(os.path.join(lake, "big.csv"), "w") as f:
        f.write("id,amount,note\n")
        for i in range(300000):
            f.write(f"{i},{i % 1000}.25,note number {i} padded to make the file larger\n")
    with open(os.path.join(CONFIG, "catalog", "lake.properties"), "w") as f:
        f.write(f"connector.name=files\nlocation={os.path.join(WORK, 'lake')}\n")
    # A connector function from a file, with a property its connector does not know.
    os.makedirs(os.path.join(CONFIG, "function"))
    with open(os.path.join(CONFIG, "function", "broken-connector.properties"), "w") as f:
        f.write("connector.name=files\nlocation=/tmp\nlocaton=/typo\n")

    out = subprocess.run([TRIBUTARY, "user", "add", "tester", "--data-dir", DATA], capture_output=True, text=True,
                         check=True).stdout
    key = out.split("aws_access_key_id = ")[1].split()[0]
    secret = out.split("aws_secret_access_key = ")[1].split()[0]
    check_true("user add prints a TRB key", key.startswith("TRB") and len(key) == 20 and len(secret) == 40)

    server = Server("--auth", "sigv4", "--max-concurrent-queries", "8")
    server.start()
    athena = client(server.endpoint, key, secret)

    # --- authentication ----------------------------------------------------------------
    err = error_of(lambda: client(server.endpoint, key, "x" * 40).list_work_groups())
    check("wrong secret", "InvalidSignatureException", err and err[0])
    err = error_of(lambda: client(server.endpoint, "TRBUNKNOWNUNKNOWN000", secret).list_work_groups())
    check("unknown access key", "UnrecognizedClientException", err and err[0])

    # --- paging a 10,000-row result --------------------------------------------------
    sql = ("WITH d(x) AS (VALUES 0, 1, 2, 3, 4, 5, 6, 7, 8, 9) "
           "SELECT a.x * 1000 + b.x * 100 + c.x * 10 + e.x AS n, 'row ' || CAST(a.x * 1000 + b.x * 100 + c.x * 10 + e.x AS varchar) AS label "
           "FROM d a, d b, d c, d e ORDER BY n")
    big_id, state = run(athena, sql)
    check("10k query succeeded", "SUCCEEDED", state)
    rows, pages = [], 0
    for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=big_id,
                                                                   PaginationConfig={"PageSize": 1000}):
        pages += 1
        rows.extend([d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"])
        columns = page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    check("10k pages of 1000 (header counts)", 11, pages)
    check("10k header row first", ["n", "label"], rows[0])
    check("10k rows in order", [[str(i), f"row {i}"] for i in range(10000)], rows[1:])
    check("column info", [("n", "integer", 10), ("label", "varchar", 2147483647)],
          [(c["Name"], c["Type"], c["Precision"]) for c in columns])
    first = athena.get_query_results(QueryExecutionId=big_id, MaxResults=3)
    second = athena.get_query_results(QueryExecutionId=big_id, MaxResults=3, NextToken=first["NextToken"])
    check("MaxResults=3 then NextToken (the header took a place on page 1)", [["2", "row 2"], ["3", "row 3"], ["4", "row 4"]],
          [[d.get("VarCharValue") for d in r["Data"]] for r in second["ResultSet"]["Rows"]])
    err = error_of(lambda: athena.get_query_results(QueryExecutionId=big_id, NextToken="bm90IGEgdG9rZW4"))
    check("bad NextToken", "InvalidRequestException", err and err[0])

    # --- error shapes ------------------------------------------------------------------
    err = error_of(lambda: athena.get_query_execution(QueryExecutionId="00000000-0000-0000-0000-000000000000"))
    check("unknown query id", ("InvalidRequestException", "QueryExecution 00000000-0000-0000-0000-000000000000 was not found"),
          err and err[:2])
    check("AthenaErrorCode present", "INVALID_INPUT", err and err[2].get("AthenaErrorCode"))
    err = error_of(lambda: athena.start_query_execution(QueryString="SELECT 1", WorkGroup="nope"))
    check("unknown workgroup", ("InvalidRequestException", "WorkGroup nope is not found."), err and err[:2])
    bad_id, state = run(athena, "SELECT nme FROM (VALUES 1) t(name)")
    check("bad SQL fails", "FAILED", state)
    status = athena.get_query_execution(QueryExecutionId=bad_id)["QueryExecution"]["Status"]
    check_true("bad SQL reason has line:column and a suggestion",
               "line 1:8" in status["StateChangeReason"] and "name" in status["StateChangeReason"],
               status.get("StateChangeReason"))
    check("bad SQL AthenaError", (2, 1000, False),
          (status["AthenaError"]["ErrorCategory"], status["AthenaError"]["ErrorType"], status["AthenaError"]["Retryable"]))
    err = error_of(lambda: athena.get_query_results(QueryExecutionId=bad_id))
    check("results of a failed query", "InvalidRequestException", err and err[0])
    check("server still serves after a failure", "SUCCEEDED", run(athena, "SELECT 1")[1])
    err = error_of(lambda: athena.list_prepared_statements(WorkGroup="primary"))
    check("unsupported action", "UnknownOperationException", err and err[0])
    err = error_of(lambda: athena.get_data_catalog(Name="mysql_catalgo"))
    check("unknown catalog", "InvalidRequestException", err and err[0])

    # --- idempotency and parameters ----------------------------------------------------
    a = athena.start_query_execution(QueryString="SELECT 42", ClientRequestToken="token-00000000000000000000000000001")
    b = athena.start_query_execution(QueryString="SELECT 42", ClientRequestToken="token-00000000000000000000000000001")
    check("same ClientRequestToken, same id", a["QueryExecutionId"], b["QueryExecutionId"])
    param_id, state = run(athena, "SELECT ? + 1 AS a, ? AS b", ExecutionParameters=["41", "'x'"])
    check("execution parameters", [["a", "b"], ["42", "x"]],
          [[d.get("VarCharValue") for d in r["Data"]]
           for r in athena.get_query_results(QueryExecutionId=param_id)["ResultSet"]["Rows"]])
    # A parameter is a literal, never a query (it would run outside the workgroup's limits).
    bad_param, state = run(athena, "SELECT ?", ExecutionParameters=["(SELECT count(*) FROM lake.sales.big)"])
    check("a subquery as execution parameter fails", "FAILED", state)
    check_true("its reason says literals only", "only literals are allowed" in
               athena.get_query_execution(QueryExecutionId=bad_param)["QueryExecution"]["Status"]["StateChangeReason"])
    err = error_of(lambda: athena.start_query_execution(QueryString="SELECT ?", ExecutionParameters=["1" * 1025]))
    check("a 1025-character parameter is refused", "InvalidRequestException", err and err[0])

    # --- statistics, runtime statistics, history --------------------------------------
    scan_id, state = run(athena, "SELECT count(*), sum(amount) FROM lake.sales.big WHERE id < 1000")
    check("files scan", "SUCCEEDED", state)
    stats = athena.get_query_execution(QueryExecutionId=scan_id)["QueryExecution"]["Statistics"]
    check_true("DataScannedInBytes > 10 MB", stats["DataScannedInBytes"] > 10_000_000, stats["DataScannedInBytes"])
    runtime = athena.get_query_runtime_statistics(QueryExecutionId=scan_id)["QueryRuntimeStatistics"]
    check("runtime statistics rows", (300000, 1), (runtime["Rows"]["InputRows"], runtime["Rows"]["OutputRows"]))
    check_true("runtime statistics plan", len(runtime["OutputStage"]["QueryStagePlan"]["Children"]) > 0)
    ids = athena.list_query_executions(MaxResults=2)
    check_true("ListQueryExecutions newest first with NextToken", ids["QueryExecutionIds"][0] == scan_id and "NextToken" in ids)
    batch = athena.batch_get_query_execution(QueryExecutionIds=[scan_id, "missing-id"])
    check("BatchGetQueryExecution", ([scan_id], ["missing-id"]),
          ([q["QueryExecutionId"] for q in batch["QueryExecutions"]],
           [u["QueryExecutionId"] for u in batch["UnprocessedQueryExecutionIds"]]))

    # --- workgroups ----------------------------------------------------------------------
    athena.create_work_group(Name="capped", Configuration={"BytesScannedCutoffPerQuery": 10_000_000})
    capped_id, state = run(athena, "SELECT count(*) FROM lake.sales.big", WorkGroup="capped")
    status = athena.get_query_execution(QueryExecutionId=capped_id)["QueryExecution"]["Status"]
    check("bytes cutoff cancels", ("CANCELLED", True), (state, "Bytes scanned limit" in status.get("StateChangeReason", "")))
    athena.update_work_group(WorkGroup="capped", State="DISABLED")
    err = error_of(lambda: athena.start_query_execution(QueryString="SELECT 1", WorkGroup="capped"))
    check("disabled workgroup", ("InvalidRequestException", "WorkGroup capped is disabled."), err and err[:2])
    athena.update_work_group(WorkGroup="capped", State="ENABLED",
                             ConfigurationUpdates={"RemoveBytesScannedCutoffPerQuery": True})
    check("cutoff removed", "SUCCEEDED", run(athena, "SELECT count(*) FROM lake.sales.big", WorkGroup="capped")[1])
    wg = athena.get_work_group(WorkGroup="capped")["WorkGroup"]
    check("GetWorkGroup", ("capped", "ENABLED", False), (wg["Name"], wg["State"], "BytesScannedCutoffPerQuery" in wg["Configuration"]))

    athena.create_work_group(Name="serial", Configuration={"AdditionalConfiguration": '{"MaxConcurrentQueries": 1}'})
    slow = ("WITH d(x) AS (VALUES 0, 1, 2, 3, 4, 5, 6, 7, 8, 9) "
            "SELECT count(*) FROM d a, d b, d c, d e, d f, d g, d h, d i")
    slow_id = athena.start_query_execution(QueryString=slow, WorkGroup="serial")["QueryExecutionId"]
    fast_id = athena.start_query_execution(QueryString="SELECT 1", WorkGroup="serial")["QueryExecutionId"]
    time.sleep(0.2)
    check("second query of a 1-query workgroup stays QUEUED", "QUEUED",
          athena.get_query_execution(QueryExecutionId=fast_id)["QueryExecution"]["Status"]["State"])
    athena.stop_query_execution(QueryExecutionId=slow_id)
    check("stopped query CANCELLED", "CANCELLED", wait(athena, slow_id))
    check("queued query then runs", "SUCCEEDED", wait(athena, fast_id))
    err = error_of(lambda: athena.delete_work_group(WorkGroup="primary"))
    check("primary cannot be deleted", "InvalidRequestException", err and err[0])

    # --- sources that cannot serve --------------------------------------------------------
    athena.create_data_catalog(Name="downdb", Type="FEDERATED", Parameters={
        "connector.name": "mysql", "connection-url": "jdbc:mysql://127.0.0.1:1/x", "connection-user": "u",
        "connection-password": "hunter2secret"})
    down_id, state = run(athena, "SELECT * FROM downdb.x.t")
    status = athena.get_query_execution(QueryExecutionId=down_id)["QueryExecution"]["Status"]
    check_true("source down: FAILED naming the source, retryable, no password",
               state == "FAILED" and "downdb" in status["StateChangeReason"] and "127.0.0.1:1" in status["StateChangeReason"]
               and status["AthenaError"]["ErrorCategory"] == 3 and status["AthenaError"]["Retryable"]
               and "hunter2secret" not in status["StateChangeReason"], status)
    shown = athena.get_data_catalog(Name="downdb")["DataCatalog"]["Parameters"]
    check("catalog passwords are not shown", ("****", "mysql"), (shown["connection-password"], shown["connector.name"]))
    athena.create_data_catalog(Name="brokencat", Type="LAMBDA", Parameters={
        "function": "arn:aws:lambda:us-east-1:000000000000:function:broken-connector"})
    broken_id, state = run(athena, "SELECT * FROM brokencat.x.t")
    reason = athena.get_query_execution(QueryExecutionId=broken_id)["QueryExecution"]["Status"].get("StateChangeReason", "")
    check_true("broken connector function: the reason says why", state == "FAILED" and "brokencat" in reason
               and "locaton" in reason, reason)
    err = error_of(lambda: athena.create_data_catalog(Name="nofunc", Type="LAMBDA", Parameters={
        "function": "arn:aws:lambda:us-east-1:000000000000:function:athena-mysql-conector"}))
    check_true("LAMBDA catalog with an unknown function", err and err[0] == "InvalidRequestException"
               and "athena-mysql-conector" in err[1], err)
    check("server serves after source failures", "SUCCEEDED", run(athena, "SELECT 1")[1])

    # --- metrics of a workgroup that publishes them -----------------------------------------
    athena.create_work_group(Name="published", Configuration={"PublishCloudWatchMetricsEnabled": True})
    run(athena, "SELECT count(*) FROM lake.sales.big", WorkGroup="published")
    metrics = urllib.request.urlopen(server.endpoint + "/metrics").read().decode()
    check_true("metrics: per-workgroup counters", 'tributary_queries_total{workgroup="published",state="SUCCEEDED"} 1'
               in metrics and 'workgroup="primary"' not in metrics, metrics)

    # --- named queries -------------------------------------------------------------------
    nq = athena.create_named_query(Name="daily", Database="default", QueryString="SELECT 1")["NamedQueryId"]
    check("GetNamedQuery", "daily", athena.get_named_query(NamedQueryId=nq)["NamedQuery"]["Name"])
    check("ListNamedQueries", [nq], athena.list_named_queries()["NamedQueryIds"])
    batch = athena.batch_get_named_query(NamedQueryIds=[nq, "missing"])
    check("BatchGetNamedQuery", (1, ["missing"]),
          (len(batch["NamedQueries"]), [u["NamedQueryId"] for u in batch["UnprocessedNamedQueryIds"]]))
    athena.delete_named_query(NamedQueryId=nq)
    err = error_of(lambda: athena.get_named_query(NamedQueryId=nq))
    check("deleted named query", "InvalidRequestException", err and err[0])

    # --- metadata --------------------------------------------------------------------------
    check("ListDatabases", ["sales"], [d["Name"] for d in athena.list_databases(CatalogName="lake")["DatabaseList"]])
    tables = athena.list_table_metadata(CatalogName="lake", DatabaseName="sales")["TableMetadataList"]
    check("ListTableMetadata", [("big", ["id", "amount", "note"])], [(t["Name"], [c["Name"] for c in t["Columns"]]) for t in tables])
    meta = athena.get_table_metadata(CatalogName="lake", DatabaseName="sales", TableName="big")["TableMetadata"]
    check("GetTableMetadata types", ["bigint", "double", "varchar"], [c["Type"] for c in meta["Columns"]])
    err = error_of(lambda: athena.get_table_metadata(CatalogName="lake", DatabaseName="salez", TableName="big"))
    check_true("unknown database suggests", err and err[0] == "MetadataException" and "sales" in err[1], err)
    catalogs = [(c["CatalogName"], c["Type"]) for c in athena.list_data_catalogs()["DataCatalogsSummary"]]
    check("ListDataCatalogs", [("AwsDataCatalog", "GLUE"), ("brokencat", "LAMBDA"), ("downdb", "FEDERATED"),
                               ("lake", "FEDERATED")], catalogs)
    check("ListEngineVersions", "AUTO", athena.list_engine_versions()["EngineVersions"][0]["SelectedEngineVersion"])

    # --- views live in the metastore -----------------------------------------------------
    check("CREATE VIEW", "SUCCEEDED", run(athena, "CREATE VIEW default.small AS SELECT id FROM lake.sales.big WHERE id < 3")[1])
    show_id, state = run(athena, "SHOW VIEWS IN default")
    check("SHOW VIEWS", [["small"]], [[d.get("VarCharValue") for d in r["Data"]]
                                      for r in athena.get_query_results(QueryExecutionId=show_id)["ResultSet"]["Rows"]])

    # --- 50 queries at once --------------------------------------------------------------
    def submit(i):
        c = client(server.endpoint, key, secret)
        query_id = c.start_query_execution(QueryString=f"SELECT {i} AS v")["QueryExecutionId"]
        state = wait(c, query_id)
        value = c.get_query_results(QueryExecutionId=query_id)["ResultSet"]["Rows"][1]["Data"][0]["VarCharValue"]
        return state, value

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(submit, range(50)))
    check("50 concurrent queries", [("SUCCEEDED", str(i)) for i in range(50)], results)

    # --- SIGTERM cancels the running query -------------------------------------------------
    slow_id = athena.start_query_execution(QueryString=slow)["QueryExecutionId"]
    time.sleep(0.3)
    check("SIGTERM exit code", 0, server.stop(signal.SIGTERM))
    server.start()
    athena = client(server.endpoint, key, secret)
    check("running query CANCELLED by shutdown", "CANCELLED",
          athena.get_query_execution(QueryExecutionId=slow_id)["QueryExecution"]["Status"]["State"])
    check("view survives restart", "SUCCEEDED", run(athena, "SELECT * FROM default.small")[1])

    # --- kill -9 mid-query, restart ------------------------------------------------------
    slow_id = athena.start_query_execution(QueryString=slow)["QueryExecutionId"]
    time.sleep(0.3)
    server.stop(signal.SIGKILL)
    server.start()
    athena = client(server.endpoint, key, secret)
    status = athena.get_query_execution(QueryExecutionId=slow_id)["QueryExecution"]["Status"]
    check_true("killed query FAILED with a reason", status["State"] == "FAILED" and "restarted" in status["StateChangeReason"],
               status)
    last_page = list(athena.get_paginator("get_query_results").paginate(QueryExecutionId=big_id))[-1]
    check("earlier results intact (read back from the result object)", ["9999", "row 9999"],
          [d.get("VarCharValue") for d in last_page["ResultSet"]["Rows"][-1]["Data"]])
    check("earlier states intact", ("SUCCEEDED", "FAILED"),
          (athena.get_query_execution(QueryExecutionId=scan_id)["QueryExecution"]["Status"]["State"],
           athena.get_query_execution(QueryExecutionId=bad_id)["QueryExecution"]["Status"]["State"]))
    server.stop()


try:
    main()
except Exception:
    failed += 1
    traceback.print_exc()
finally:
    log = os.path.join(DATA, "server.log")
    if failed and os.path.exists(log):
        print("--- server log (tail) ---")
        print("".join(open(log).readlines()[-30:]))
    shutil.rmtree(WORK, ignore_errors=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
