// Per-plan-node runtime counters (EXPLAIN ANALYZE, query statistics). Thread-safe.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace tributary::planner {

struct OperatorStats {
  std::atomic<uint64_t> output_rows{0};
  std::atomic<uint64_t> wall_nanos{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> splits{0};
  // Scans: what the sources reported (SourceMetrics), summed over splits.
  std::atomic<uint64_t> source_requests{0};
  std::atomic<uint64_t> capacity_milli{0};
  std::atomic<uint64_t> rejected_values{0};
  std::mutex access_path_mutex;
  std::string access_paths;  // distinct access paths, comma-separated (guarded by access_path_mutex)

  void add_access_path(const std::string& path) {
    if (path.empty()) return;
    std::lock_guard<std::mutex> lock(access_path_mutex);
    if (("," + access_paths + ",").find("," + path + ",") != std::string::npos) return;
    access_paths += (access_paths.empty() ? "" : ",") + path;
  }
};

}  // namespace tributary::planner
