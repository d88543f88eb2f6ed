// The dynamodb connector (`connector.name=dynamodb`): every DynamoDB table of one
// endpoint/region appears in schema `default`, its name lower-cased (resolved to the real
// name via ListTables). See docs/connectors/dynamodb.md for properties, the type mapping,
// access paths and EXPLAIN output.
//
// Thread-safety: the connector is thread-safe (one shared JsonServiceClient; metadata
// caches behind a mutex); each page source is used by one thread at a time.
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

struct DynamodbConfig {
  std::string catalog;
  std::string endpoint;  // resolved
  std::string region;    // resolved
  std::string access_key, secret_key, session_token, profile;
  double requests_per_second = 0;
  int max_retries = 8;
  int sample_size = 100;
  int scan_segments = 0;  // 0 = chosen from table size and cores
  bool pushdown = true;
  std::map<std::string, std::string> explicit_columns;  // lower-case table -> "name type, ..."
};

// Validates the catalog properties. Throws Error(INVALID_ARGUMENT) naming the catalog for
// unknown keys (with a suggestion) and bad values; secrets never appear in messages.
DynamodbConfig make_dynamodb_config(const std::string& catalog, const ConnectorProperties& properties);

// Counters of one catalog since start-up (all page sources together).
struct DynamodbStatistics {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> items_read{0};
  std::atomic<uint64_t> type_mismatches{0};  // values read as NULL because they did not fit
  std::atomic<uint64_t> consumed_capacity_milli{0};  // ConsumedCapacity (TOTAL) x 1000
  std::atomic<uint64_t> unprocessed_key_retries{0};
};

std::shared_ptr<Connector> make_dynamodb_connector(const std::string& catalog_name,
                                                   const ConnectorProperties& properties);

// The statistics of a connector made by make_dynamodb_connector (nullptr for others).
const DynamodbStatistics* dynamodb_statistics(const Connector& connector);

void register_dynamodb_connector();

}  // namespace tributary
