// QueryManager: the lifecycle of Athena query executions. StartQueryExecution inserts a
// QUEUED record in the metastore and queues it; worker threads run queued queries
// (server-wide and per-workgroup concurrency limits; the rest stay QUEUED in FIFO order),
// move them to RUNNING, execute them on the engine, write the result objects and move them
// to SUCCEEDED, FAILED or CANCELLED with Athena's statistics and AthenaError. Every
// transition is written to the metastore first, so GetQueryExecution reads the metastore.
//
// Workgroup configuration honoured: ResultConfiguration.OutputLocation,
// EnforceWorkGroupConfiguration, BytesScannedCutoffPerQuery, State (DISABLED refuses new
// queries) and AdditionalConfiguration `{"MaxConcurrentQueries": N}`.
//
// Thread-safety: all methods may be called from any thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/files/storage.h"
#include "engine/engine.h"
#include "service/catalogs.h"
#include "service/metastore.h"
#include "service/result_store.h"

namespace tributary::service {

struct QueryManagerOptions {
  int max_concurrent_queries = 8;    // server-wide
  int max_queued_queries = 1000;     // beyond it StartQueryExecution is TooManyRequests
  std::string default_output_location;  // folder used when neither client nor workgroup gives one
  size_t result_cache_bytes = 256u << 20;
  files::LocalPathPolicy local_paths;   // local OutputLocations allowed (the default one is not checked)
};

struct StartQueryRequest {
  std::string query_string;
  std::string client_request_token;
  std::string workgroup;  // empty = primary
  std::string catalog;    // QueryExecutionContext
  std::string database;
  std::string output_location;  // ResultConfiguration.OutputLocation (folder)
  std::vector<std::string> execution_parameters;
};

// What GetQueryRuntimeStatistics reports.
struct RuntimeStatistics {
  QueryRecord record;
  int64_t input_rows = 0;
  int64_t input_bytes = 0;
  int64_t output_rows = 0;
  int64_t output_bytes = 0;
  std::string plan;  // the executed plan with per-operator rows (EXPLAIN ANALYZE text)
};

// How a statement is reported: Athena's StatementType and SubstatementType.
struct StatementClass {
  StatementType type = StatementType::DML;
  std::string substatement;  // SELECT, CREATE_VIEW, SHOW_TABLES, ...
  bool tabular = true;       // result as .csv with header (else .txt)
};
// Never throws: a statement that does not parse is DML/SELECT (it fails when it runs).
StatementClass classify_statement(const std::string& sql);

class QueryManager {
 public:
  QueryManager(Metastore& metastore, engine::Engine& engine, ServiceCatalogs& catalogs, ResultStore& results,
               QueryManagerOptions options);
  ~QueryManager();

  // Returns the query execution id. Throws Error: INVALID_ARGUMENT (workgroup unknown or
  // disabled, bad token reuse, bad output location), LIMIT_EXCEEDED (queue full).
  std::string start(const StartQueryRequest& request);
  // Cancels a queued or running query; a finished one is left as it is. Throws NOT_FOUND.
  void stop(const std::string& id);
  // The record with live DataScannedInBytes for a running query. Throws NOT_FOUND.
  QueryRecord get(const std::string& id);
  // The result of a SUCCEEDED query (from the cache, else read back from its location).
  // Throws NOT_FOUND, INVALID_ARGUMENT (not SUCCEEDED: message names the state).
  std::shared_ptr<const StoredResult> result(const std::string& id);
  RuntimeStatistics runtime_statistics(const std::string& id);

  // Stops taking queries, cancels queued and running ones (recorded as CANCELLED) and
  // waits for the workers up to `grace`. Returns false when a running statement ignored the
  // cancellation that long (a connector blocked in I/O): it is then recorded CANCELLED, its
  // worker is abandoned, and the caller must end the process (std::_Exit) rather than
  // destroy this object. Idempotent; the destructor calls it.
  bool shutdown(std::chrono::milliseconds grace = std::chrono::seconds(10));

  int running_count();
  int queued_count();
  // Prometheus text exposition of the per-workgroup counters (workgroups with
  // PublishCloudWatchMetricsEnabled) and the server-wide running/queued gauges.
  std::string metrics_text();

 private:
  struct Task {
    std::string id;
    std::string workgroup;
    int workgroup_limit = 0;  // 0 = only the server-wide limit
    uint64_t bytes_cutoff = 0;
    bool publish_metrics = false;
    std::atomic<bool> cancel{false};
    std::atomic<bool> user_cancel{false};
    std::atomic<uint64_t> bytes_scanned{0};
    std::atomic<bool> running{false};
  };
  struct Finished {
    int64_t input_rows = 0, input_bytes = 0, output_rows = 0, output_bytes = 0;
    std::string plan;
  };

  void worker_loop();
  std::shared_ptr<Task> next_task(std::unique_lock<std::mutex>& lock);
  void run(const std::shared_ptr<Task>& task);
  void cache_result(const std::string& id, std::shared_ptr<const StoredResult> result);

  Metastore& metastore_;
  engine::Engine& engine_;
  ServiceCatalogs& catalogs_;
  ResultStore& results_;
  QueryManagerOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                                   // GUARDED_BY(mutex_)
  bool abandoned_ = false;  // shutdown() gave up on a stuck worker (set under mutex_, then read by shutdown's caller)
  std::deque<std::shared_ptr<Task>> queue_;                  // GUARDED_BY(mutex_)
  std::map<std::string, std::shared_ptr<Task>> active_;      // queued + running; GUARDED_BY(mutex_)
  std::map<std::string, int> running_per_workgroup_;        // GUARDED_BY(mutex_)
  int running_ = 0;                                         // GUARDED_BY(mutex_)
  std::map<std::string, Finished> finished_;                // GUARDED_BY(mutex_) (bounded)
  std::deque<std::string> finished_order_;                  // GUARDED_BY(mutex_)
  std::vector<std::thread> workers_;
  struct WorkgroupMetrics {
    std::map<std::string, uint64_t> queries_by_state;
    uint64_t data_scanned_bytes = 0;
    uint64_t engine_execution_ms = 0;
    uint64_t total_execution_ms = 0;
  };
  std::map<std::string, WorkgroupMetrics> metrics_;          // GUARDED_BY(mutex_)

  std::mutex cache_mutex_;
  std::list<std::pair<std::string, std::shared_ptr<const StoredResult>>> cache_;  // most recent first
  size_t cache_bytes_ = 0;
};

}  // namespace tributary::service
