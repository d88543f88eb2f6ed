// Storage: where the files connector's files live — the local file system or an S3 bucket
// (any S3-API server: path-style addressing). Paths are absolute local paths or
// `s3://bucket/key` URIs; a "folder" in S3 is a key prefix ending at '/'.
//
// Thread-safe: one Storage serves every split of a catalog. Errors are Error(SOURCE_ERROR)
// naming the path (NOT_FOUND for a missing object where noted).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connectors/files/compressed_input.h"

namespace tributary::files {

struct StorageEntry {
  std::string name;  // the last path component
  bool directory = false;
  uint64_t size = 0;
  int64_t mtime = 0;  // nanoseconds since the epoch (local) or 0 when unknown; used for cache keys
  std::string etag;   // S3 only
};

class Storage {
 public:
  virtual ~Storage() = default;
  // Immediate children of a folder, sorted by name; names starting with '.' or '_' (hidden
  // files, _SUCCESS, _temporary) are skipped. Empty when the folder does not exist.
  virtual std::vector<StorageEntry> list(const std::string& folder) = 0;
  // A file's size and version; nullopt when it does not exist.
  virtual std::optional<StorageEntry> stat(const std::string& path) = 0;
  // True when `path` is an existing folder (S3: any object has the prefix `path/`).
  virtual bool is_folder(const std::string& path) = 0;
  // Sequential reader of the raw bytes from `offset` on.
  virtual std::unique_ptr<ByteInput> open(const std::string& path, uint64_t offset) = 0;
  // Bytes [offset, offset + length), fewer at the end of the file.
  virtual std::string read_range(const std::string& path, uint64_t offset, uint64_t length) = 0;
  // True for object stores, where a request costs a round trip: readers then merge nearby
  // ranges into one request and issue several requests at once.
  virtual bool remote() const { return false; }
  // The whole (small) file.
  virtual std::string read_all(const std::string& path) = 0;
  // Stores `data` as the file at `path` (creating missing folders), replacing any file there;
  // a local file appears whole (written beside it, then renamed). Used by CTAS / INSERT INTO.
  virtual void write(const std::string& path, const std::string& data) = 0;
  // Deletes a file; a missing one is not an error.
  virtual void remove(const std::string& path) = 0;
  // True when a file (hidden ones included) lies anywhere below the folder; empty folders do
  // not count. CTAS refuses to write into a non-empty location.
  virtual bool has_any(const std::string& folder) = 0;
  // `folder` + "/" + `name`.
  static std::string join(const std::string& folder, const std::string& name) { return folder + "/" + name; }
};

// The local file system.
std::shared_ptr<Storage> local_storage();

// True for `s3://` locations.
bool is_s3_location(const std::string& location);

// The storage of a location; S3 settings come from the catalog properties
//   s3.endpoint, s3.region, s3.access-key, s3.secret-key, s3.session-token, s3.profile,
//   s3.max-retries
// falling back to AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, the usual credential chain.
std::shared_ptr<Storage> storage_for(const std::string& location, const ConnectorProperties& properties,
                                     const std::string& catalog);

// Which local paths users may name in SQL and API calls (table LOCATION, CTAS
// external_location, query result OutputLocation, read_* table functions). s3:// is always
// allowed. A server allows only its results folder and the roots an administrator lists; the
// CLI (the user's own files) allows any path.
struct LocalPathPolicy {
  bool any = true;
  std::vector<std::string> roots;  // absolute folders
};
// Throws Error(ACCESS_DENIED, "<what> 'x' is outside the local folders this server may use
// (...)") for a local path (or file:// URI) outside the policy, and Error(INVALID_ARGUMENT) for
// a relative one. '..' and symbolic links are resolved before the check.
void check_local_location(const std::string& location, const LocalPathPolicy& policy, const std::string& what);

// The catalog property keys storage_for() reads.
const std::vector<std::string>& storage_property_keys();

}  // namespace tributary::files
