// HttpClient: blocking HTTP/1.1 over libcurl easy handles. Each handle keeps its own
// connection cache, so returning handles to a pool (instead of creating one per request)
// is what gives keep-alive reuse; a handle is used by one thread at a time.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "common/error.h"

namespace tributary::aws {
namespace {

// Idle handles kept beyond this are closed (each may hold an open connection).
constexpr size_t kMaxIdleHandles = 64;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw_error(ErrorCode::INTERNAL_ERROR, "libcurl global initialization failed");
    }
  });
}

// "host:port" of an absolute URL, with the scheme's default port filled in; only this
// (never the path or query, which may carry signatures) goes into error messages.
std::string host_and_port(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  std::string scheme = url.substr(0, scheme_end);
  size_t begin = scheme_end + 3;
  size_t end = url.find_first_of("/?#", begin);
  std::string authority = url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  size_t at = authority.rfind('@');
  if (at != std::string::npos) authority = authority.substr(at + 1);
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) return authority;
  return authority + (scheme == "https" ? ":443" : ":80");
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool has_header(const HttpRequest& request, const std::string& lower_name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return lower(header.first) == lower_name; });
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after "100 Continue", say): only the final response's headers count.
    response->headers.clear();
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  std::string value = line.substr(colon + 1);
  size_t first = value.find_first_not_of(" \t");
  size_t last = value.find_last_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  response->headers.emplace_back(lower(line.substr(0, colon)), value);
  return size * count;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) throw_error(ErrorCode::INTERNAL_ERROR, "out of memory building HTTP headers");
    list = next;
  }
};

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return "";
}

struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;  // GUARDED_BY(mutex)

  CURL* acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw_error(ErrorCode::INTERNAL_ERROR, "curl_easy_init failed");
    return handle;
  }

  void release(CURL* handle) {
    // Reset clears the options but keeps the handle's live connections for reuse.
    curl_easy_reset(handle);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (idle.size() < kMaxIdleHandles) {
        idle.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  ~Pool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
};

HttpClient::HttpClient() : pool_(std::make_unique<Pool>()) { global_init(); }

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request, int timeout_ms) {
  CURL* handle = pool_->acquire();
  struct Release {
    Pool* pool;
    CURL* handle;
    ~Release() { pool->release(handle); }
  } release{pool_.get(), handle};

  HttpResponse response;
  HeaderList headers;
  for (const auto& [name, value] : request.headers) headers.add(name + ": " + value);
  // curl would otherwise add "Expect: 100-continue" (a round trip) and, for bodies,
  // a form Content-Type the caller never asked for.
  if (!has_header(request, "expect")) headers.add("Expect:");
  if (!has_header(request, "content-type")) headers.add("Content-Type:");

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
  if (timeout_ms > 0) {
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_ms, 10000)));
  }
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response);

  const std::string& method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && request.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    // POSTFIELDS sends the body with a Content-Length (also 0, as a body-less PUT needs);
    // CUSTOMREQUEST then names the real method.
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    if (method != "POST") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  CURLcode result = curl_easy_perform(handle);
  if (result != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(result);
    throw_error(ErrorCode::SOURCE_ERROR,
                "HTTP " + method + " to " + host_and_port(request.url) + " failed: " + detail);
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace tributary::aws
