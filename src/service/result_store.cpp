#include "service/result_store.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/s3_client.h"
#include "common/error.h"
#include "service/secure_random.h"

namespace tributary::service {

namespace {

bool is_s3(const std::string& uri) { return uri.rfind("s3://", 0) == 0; }

std::string local_path(const std::string& uri) {
  if (uri.rfind("file://", 0) == 0) return uri.substr(7);
  return uri;
}

void append_csv_field(std::string& out, const std::string& value) {
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

size_t StoredResult::memory_bytes() const {
  size_t bytes = sizeof(*this);
  for (const auto& row : rows) {
    bytes += sizeof(row) + row.capacity() * sizeof(std::optional<std::string>);
    for (const auto& cell : row)
      if (cell) bytes += cell->capacity();
  }
  return bytes;
}

ResultColumn result_column(const std::string& name, const Type& type) {
  ResultColumn column;
  column.name = name;
  switch (type.id) {
    case TypeId::UNKNOWN: column.type = "unknown"; break;
    case TypeId::BOOLEAN: column.type = "boolean"; break;
    case TypeId::TINYINT: column.type = "tinyint"; column.precision = 3; break;
    case TypeId::SMALLINT: column.type = "smallint"; column.precision = 5; break;
    case TypeId::INTEGER: column.type = "integer"; column.precision = 10; break;
    case TypeId::BIGINT: column.type = "bigint"; column.precision = 19; break;
    case TypeId::REAL: column.type = "float"; column.precision = 17; break;
    case TypeId::DOUBLE: column.type = "double"; column.precision = 17; break;
    case TypeId::DECIMAL:
      column.type = "decimal";
      column.precision = type.precision;
      column.scale = type.scale;
      break;
    case TypeId::VARCHAR:
      column.type = "varchar";
      column.precision = type.precision > 0 ? type.precision : 2147483647;
      column.case_sensitive = true;
      break;
    case TypeId::VARBINARY: column.type = "varbinary"; column.precision = 1073741824; break;
    case TypeId::DATE: column.type = "date"; break;
    case TypeId::TIMESTAMP: column.type = "timestamp"; column.precision = type.precision; break;
    case TypeId::INTERVAL_DAY_TIME: column.type = "interval day to second"; break;
    case TypeId::INTERVAL_YEAR_MONTH: column.type = "interval year to month"; break;
  }
  return column;
}

StoredResult to_stored_result(const engine::StatementResult& result, bool tabular) {
  StoredResult stored;
  stored.tabular = tabular;
  stored.update_count = std::max<int64_t>(result.update_count, 0);
  for (size_t c = 0; c < result.names.size(); c++) stored.columns.push_back(result_column(result.names[c], result.types[c]));
  stored.rows.reserve(result.row_count());
  for (const auto& chunk : result.chunks) {
    for (size_t r = 0; r < chunk.size; r++) {
      std::vector<std::optional<std::string>> row;
      row.reserve(chunk.columns.size());
      for (const auto& column : chunk.columns) {
        if (column.is_null(r))
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(column.get_value(r).to_string());
      }
      stored.rows.push_back(std::move(row));
    }
  }
  return stored;
}

std::string render_csv(const StoredResult& result) {
  std::string out;
  for (size_t c = 0; c < result.columns.size(); c++) {
    if (c) out += ',';
    append_csv_field(out, result.columns[c].name);
  }
  if (!result.columns.empty()) out += '\n';
  for (const auto& row : result.rows) {
    for (size_t c = 0; c < row.size(); c++) {
      if (c) out += ',';
      if (row[c]) append_csv_field(out, *row[c]);
    }
    out += '\n';
  }
  return out;
}

std::string render_txt(const StoredResult& result) {
  std::string out;
  for (const auto& row : result.rows) {
    for (size_t c = 0; c < row.size(); c++) {
      if (c) out += '\t';
      if (row[c]) out += *row[c];
    }
    out += '\n';
  }
  return out;
}

std::string render_metadata(const StoredResult& result) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : result.columns)
    columns.push_back({{"name", c.name}, {"type", c.type}, {"precision", c.precision}, {"scale", c.scale},
                       {"caseSensitive", c.case_sensitive}});
  nlohmann::json doc = {{"format", "tributary-result-metadata/1"},
                        {"tabular", result.tabular},
                        {"rows", result.rows.size()},
                        {"updateCount", result.update_count},
                        {"columns", columns}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StoredResult parse_stored_result(const std::string& body, const std::string& metadata, bool tabular) {
  StoredResult result;
  result.tabular = tabular;
  try {
    auto doc = nlohmann::json::parse(metadata);
    result.update_count = doc.value("updateCount", (int64_t)0);
    for (const auto& c : doc.at("columns")) {
      ResultColumn column;
      column.name = c.at("name").get<std::string>();
      column.type = c.at("type").get<std::string>();
      column.precision = c.value("precision", 0);
      column.scale = c.value("scale", 0);
      column.case_sensitive = c.value("caseSensitive", false);
      result.columns.push_back(column);
    }
  } catch (const nlohmann::json::exception& e) {
    throw_error(ErrorCode::INTERNAL_ERROR, std::string("The result metadata is not valid: ") + e.what());
  }
  size_t width = result.columns.size();
  if (!tabular) {
    size_t start = 0;
    while (start < body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      std::vector<std::optional<std::string>> row;
      size_t field = start;
      while (true) {
        size_t tab = body.find('\t', field);
        if (tab == std::string::npos || tab > end) tab = end;
        row.emplace_back(body.substr(field, tab - field));
        if (tab == end) break;
        field = tab + 1;
      }
      // Only the last column may hold tabs (SHOW CREATE VIEW text); fold extras into it.
      while (width && row.size() > width) {
        auto last = *row.back();
        row.pop_back();
        *row.back() += "\t" + last;
      }
      result.rows.push_back(std::move(row));
      start = end + 1;
    }
    return result;
  }
  // RFC 4180 with Athena's NULL: an empty unquoted field.
  size_t i = 0;
  bool header = true;
  while (i < body.size()) {
    std::vector<std::optional<std::string>> row;
    while (true) {
      if (i < body.size() && body[i] == '"') {
        std::string value;
        i++;
        while (true) {
          if (i >= body.size()) throw_error(ErrorCode::INTERNAL_ERROR, "The stored result ends inside a quoted field");
          if (body[i] == '"') {
            if (i + 1 < body.size() && body[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value += body[i++];
        }
        row.emplace_back(std::move(value));
      } else {
        size_t end = i;
        while (end < body.size() && body[end] != ',' && body[end] != '\n') end++;
        if (end == i)
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(body.substr(i, end - i));
        i = end;
      }
      if (i < body.size() && body[i] == ',') {
        i++;
        continue;
      }
      if (i < body.size() && body[i] == '\n') i++;
      break;
    }
    if (header) {
      header = false;
      continue;
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

ResultStore::ResultStore(ResultStoreOptions options) : options_(std::move(options)) {}
ResultStore::~ResultStore() = default;

std::string ResultStore::normalize_folder(const std::string& location) {
  if (!is_s3(location) && location.rfind("file://", 0) != 0 && location.rfind("/", 0) != 0)
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "The output location '" + location + "' is not an s3://bucket/prefix/, file:///dir/ or /dir/ location");
  if (is_s3(location)) aws::parse_s3_uri(location);  // validates the bucket
  std::string folder = location;
  if (folder.back() != '/') folder += '/';
  return folder;
}

aws::S3Client& ResultStore::s3() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!s3_) {
    aws::S3Client::Options o;
    o.region = aws::resolve_region(options_.region, "");
    o.endpoint = options_.s3_endpoint;
    if (!options_.credentials.access_key_id.empty())
      o.credentials = options_.credentials;
    else
      o.credentials = aws::resolve_credentials("", "", "", "");
    o.error_context = "result store";
    s3_ = std::make_unique<aws::S3Client>(o);
  }
  return *s3_;
}

void ResultStore::write(const std::string& uri, const std::string& body) {
  if (is_s3(uri)) {
    auto location = aws::parse_s3_uri(uri);
    s3().put_object(location.bucket, location.key, body, uri.size() > 4 && uri.ends_with(".csv") ? "text/csv" : "");
    return;
  }
  namespace fs = std::filesystem;
  fs::path path = local_path(uri);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_error(ErrorCode::SOURCE_ERROR, "Cannot create the folder " + path.parent_path().string() + ": " + ec.message());
  fs::path temporary = path.parent_path() / ("." + path.filename().string() + ".tmp-" + random_string("0123456789abcdef", 12));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(body.data(), (std::streamsize)body.size());
    out.flush();
    if (!out) {
      fs::remove(temporary, ec);
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot write " + temporary.string());
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw_error(ErrorCode::SOURCE_ERROR, "Cannot rename the result to " + path.string() + ": " + ec.message());
  }
}

std::string ResultStore::read(const std::string& uri) {
  if (is_s3(uri)) {
    auto location = aws::parse_s3_uri(uri);
    return s3().get_object(location.bucket, location.key);
  }
  std::ifstream in(local_path(uri), std::ios::binary);
  if (!in) throw_error(ErrorCode::NOT_FOUND, "The result object " + uri + " does not exist");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool ResultStore::exists(const std::string& uri) {
  if (is_s3(uri)) {
    auto location = aws::parse_s3_uri(uri);
    return s3().head_object(location.bucket, location.key).has_value();
  }
  return std::filesystem::exists(local_path(uri));
}

}  // namespace tributary::service
