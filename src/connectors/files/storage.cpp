#include "connectors/files/storage.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>

#include "aws/aws_client.h"
#include "aws/s3_client.h"
#include "common/error.h"

namespace tributary::files {

namespace {

bool hidden(const std::string& name) { return name.empty() || name[0] == '.' || name[0] == '_'; }

class LocalStorage : public Storage {
  std::atomic<uint64_t> next_temporary_{0};

  static void make_folders(const std::string& folder) {
    if (folder.empty()) return;
    struct stat st;
    if (::stat(folder.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw_error(ErrorCode::SOURCE_ERROR, "'" + folder + "' is not a folder");
      return;
    }
    make_folders(folder.substr(0, folder.find_last_of('/')));
    if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST)
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot create folder '" + folder + "': " + std::strerror(errno));
  }

 public:
  std::vector<StorageEntry> list(const std::string& folder) override {
    std::vector<StorageEntry> entries;
    DIR* dir = ::opendir(folder.c_str());
    if (!dir) return entries;
    while (dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (hidden(name)) continue;
      struct stat st;
      if (::stat((folder + "/" + name).c_str(), &st) != 0) continue;
      StorageEntry entry;
      entry.name = name;
      if (S_ISDIR(st.st_mode)) {
        entry.directory = true;
      } else if (S_ISREG(st.st_mode)) {
        entry.size = (uint64_t)st.st_size;
        entry.mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
      } else {
        continue;
      }
      entries.push_back(entry);
    }
    ::closedir(dir);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return entries;
  }
  std::optional<StorageEntry> stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    StorageEntry entry;
    entry.name = path.substr(path.find_last_of('/') + 1);
    entry.size = (uint64_t)st.st_size;
    entry.mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    return entry;
  }
  bool is_folder(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  std::unique_ptr<ByteInput> open(const std::string& path, uint64_t offset) override {
    return open_local_input(path, offset);
  }
  std::string read_range(const std::string& path, uint64_t offset, uint64_t length) override {
    auto input = open_local_input(path, offset);
    std::string out(length, '\0');
    size_t filled = 0;
    while (filled < length) {
      size_t got = input->read(out.data() + filled, length - filled);
      if (got == 0) break;
      filled += got;
    }
    out.resize(filled);
    return out;
  }
  void write(const std::string& path, const std::string& data) override {
    make_folders(path.substr(0, path.find_last_of('/')));
    // Hidden ('.'-prefixed) until renamed, so no reader lists a half-written file.
    size_t slash = path.find_last_of('/');
    std::string temporary = path.substr(0, slash + 1) + "." + path.substr(slash + 1) + ".tmp-" +
                            std::to_string(::getpid()) + "-" + std::to_string(next_temporary_++);
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_error(ErrorCode::SOURCE_ERROR, "Cannot create '" + path + "': " + std::strerror(errno));
    size_t written = 0;
    while (written < data.size()) {
      ssize_t n = ::write(fd, data.data() + written, data.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        throw_error(ErrorCode::SOURCE_ERROR, "Cannot write '" + path + "': " + std::strerror(error));
      }
      written += (size_t)n;
    }
    if (::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temporary.c_str());
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot write '" + path + "': " + std::strerror(error));
    }
  }
  void remove(const std::string& path) override { ::unlink(path.c_str()); }
  bool has_any(const std::string& folder) override {
    DIR* dir = ::opendir(folder.c_str());
    if (!dir) return false;
    bool any = false;
    while (dirent* e = ::readdir(dir)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      std::string child = folder + "/" + e->d_name;
      struct stat st;
      if (::lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? has_any(child) : true) {
        any = true;
        break;
      }
    }
    ::closedir(dir);
    return any;
  }
  std::string read_all(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_error(ErrorCode::NOT_FOUND, "Cannot read '" + path + "'");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
};

// S3 object read front to back in blocks of ranged GETs, the next block fetched while the
// current one is consumed.
class S3Input : public ByteInput {
 public:
  static constexpr uint64_t kBlock = 8u << 20;
  S3Input(std::shared_ptr<aws::S3Client> client, aws::S3Location location, uint64_t offset, uint64_t size)
      : client_(std::move(client)), location_(std::move(location)), next_offset_(offset), size_(size) {
    prefetch();
  }
  ~S3Input() override {
    if (pending_.valid()) pending_.wait();
  }
  size_t read(char* buffer, size_t n) override {
    while (position_ == block_.size()) {
      if (!pending_.valid()) return 0;
      block_ = pending_.get();
      position_ = 0;
      bytes_ += block_.size();
      prefetch();
      if (block_.empty()) return 0;
    }
    size_t take = std::min(n, block_.size() - position_);
    std::memcpy(buffer, block_.data() + position_, take);
    position_ += take;
    return take;
  }
  uint64_t source_bytes() const override { return bytes_; }

 private:
  void prefetch() {
    if (next_offset_ >= size_) return;
    uint64_t offset = next_offset_, length = std::min(kBlock, size_ - next_offset_);
    next_offset_ += length;
    pending_ = std::async(std::launch::async, [client = client_, location = location_, offset, length] {
      return client->get_object_range(location.bucket, location.key, offset, length);
    });
  }
  std::shared_ptr<aws::S3Client> client_;
  aws::S3Location location_;
  uint64_t next_offset_;
  uint64_t size_;
  std::future<std::string> pending_;
  std::string block_;
  size_t position_ = 0;
  uint64_t bytes_ = 0;
};

class S3Storage : public Storage {
 public:
  explicit S3Storage(std::shared_ptr<aws::S3Client> client) : client_(std::move(client)) {}

  std::vector<StorageEntry> list(const std::string& folder) override {
    auto location = aws::parse_s3_uri(folder);
    std::string prefix = location.key;
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    std::vector<StorageEntry> entries;
    std::string token;
    do {
      auto page = client_->list_objects_v2(location.bucket, prefix, "/", token, 1000);
      for (const auto& p : page.common_prefixes) {
        std::string name = p.substr(prefix.size());
        if (!name.empty() && name.back() == '/') name.pop_back();
        if (hidden(name)) continue;
        entries.push_back({name, true, 0, 0, ""});
      }
      for (const auto& object : page.objects) {
        std::string name = object.key.substr(prefix.size());
        if (name.empty() || hidden(name)) continue;  // the folder marker itself
        entries.push_back({name, false, object.size, 0, object.etag});
      }
      token = page.truncated ? page.next_continuation_token : "";
    } while (!token.empty());
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return entries;
  }
  std::optional<StorageEntry> stat(const std::string& path) override {
    auto location = aws::parse_s3_uri(path);
    auto info = client_->head_object(location.bucket, location.key);
    if (!info) return std::nullopt;
    StorageEntry entry;
    entry.name = location.key.substr(location.key.find_last_of('/') + 1);
    entry.size = info->size;
    entry.etag = info->etag;
    return entry;
  }
  bool is_folder(const std::string& path) override {
    auto location = aws::parse_s3_uri(path);
    std::string prefix = location.key;
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    auto page = client_->list_objects_v2(location.bucket, prefix, "/", "", 1);
    return !page.objects.empty() || !page.common_prefixes.empty();
  }
  std::unique_ptr<ByteInput> open(const std::string& path, uint64_t offset) override {
    auto info = stat(path);
    if (!info) throw_error(ErrorCode::NOT_FOUND, "The object " + path + " does not exist");
    return std::make_unique<S3Input>(client_, aws::parse_s3_uri(path), offset, info->size);
  }
  std::string read_range(const std::string& path, uint64_t offset, uint64_t length) override {
    auto location = aws::parse_s3_uri(path);
    return client_->get_object_range(location.bucket, location.key, offset, length);
  }
  bool remote() const override { return true; }
  std::string read_all(const std::string& path) override {
    auto location = aws::parse_s3_uri(path);
    return client_->get_object(location.bucket, location.key);
  }
  void write(const std::string& path, const std::string& data) override {
    auto location = aws::parse_s3_uri(path);
    client_->put_object(location.bucket, location.key, data);
  }
  void remove(const std::string& path) override {
    auto location = aws::parse_s3_uri(path);
    client_->delete_object(location.bucket, location.key);
  }
  bool has_any(const std::string& folder) override {
    auto location = aws::parse_s3_uri(folder);
    std::string prefix = location.key;
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    return !client_->list_objects_v2(location.bucket, prefix, "", "", 1).objects.empty();
  }

 private:
  std::shared_ptr<aws::S3Client> client_;
};

}  // namespace

std::shared_ptr<Storage> local_storage() {
  static auto storage = std::make_shared<LocalStorage>();
  return storage;
}

bool is_s3_location(const std::string& location) {
  return location.rfind("s3://", 0) == 0;
}

void check_local_location(const std::string& location, const LocalPathPolicy& policy, const std::string& what) {
  if (location.empty() || is_s3_location(location)) return;
  std::string path = location.rfind("file://", 0) == 0 ? location.substr(7) : location;
  if (path.find("://") != std::string::npos)
    throw_error(ErrorCode::INVALID_ARGUMENT, what + " '" + location + "' must be an s3:// URI or a local path");
  if (path.empty() || path[0] != '/')
    throw_error(ErrorCode::INVALID_ARGUMENT, what + " '" + location + "' must be an absolute path");
  if (policy.any) return;
  std::error_code error;
  auto resolved = std::filesystem::weakly_canonical(std::filesystem::path(path), error);
  if (error) resolved = std::filesystem::path(path).lexically_normal();
  for (const auto& root : policy.roots) {
    auto base = std::filesystem::weakly_canonical(std::filesystem::path(root), error);
    if (error) continue;
    auto relative = resolved.lexically_relative(base);
    if (!relative.empty() && *relative.begin() != "..") return;
  }
  std::string allowed;
  for (const auto& root : policy.roots) allowed += (allowed.empty() ? "" : ", ") + root;
  throw_error(ErrorCode::ACCESS_DENIED, what + " '" + location + "' is outside the local folders this server may use" +
                                            (allowed.empty() ? std::string(" (none; use s3:// locations)")
                                                             : " (" + allowed + "; see tributary serve --local-root)"));
}

const std::vector<std::string>& storage_property_keys() {
  static const std::vector<std::string> keys = {"s3.endpoint",      "s3.region",  "s3.access-key", "s3.secret-key",
                                                "s3.session-token", "s3.profile", "s3.max-retries"};
  return keys;
}

std::shared_ptr<Storage> storage_for(const std::string& location, const ConnectorProperties& properties,
                                     const std::string& catalog) {
  if (!is_s3_location(location)) return local_storage();
  aws::S3Client::Options options;
  std::string profile = get_property(properties, "s3.profile", "");
  options.region = aws::resolve_region(get_property(properties, "s3.region", ""), profile);
  options.endpoint = get_property(properties, "s3.endpoint", "");
  options.credentials =
      aws::resolve_credentials(get_property(properties, "s3.access-key", ""), get_property(properties, "s3.secret-key", ""),
                               get_property(properties, "s3.session-token", ""), profile);
  std::string retries = get_property(properties, "s3.max-retries", "");
  if (!retries.empty()) {
    try {
      options.retry.max_attempts = std::max(1, std::stoi(retries) + 1);
    } catch (...) {
      throw_error(ErrorCode::INVALID_ARGUMENT,
                  "Catalog '" + catalog + "': property 's3.max-retries' must be an integer, got '" + retries + "'");
    }
  }
  options.error_context = "catalog '" + catalog + "'";
  return std::make_shared<S3Storage>(std::make_shared<aws::S3Client>(options));
}

}  // namespace tributary::files
