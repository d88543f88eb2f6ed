// The AWS client layer: SigV4 known answers, credential/region/endpoint resolution, the
// rate limiter, JsonServiceClient retries against a scripted local HTTP server, and
// real servers from npm (dynalite for the JSON protocol, s3rver which verifies signatures).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws_client.h"
#include "common/error.h"

namespace fs = std::filesystem;
using namespace tributary;
using namespace tributary::aws;

namespace {

// ---------------------------------------------------------------------------------------
// SigV4 known answers.
//
// Every expected Authorization value below was produced by botocore 1.43 (the signer of
// the AWS CLI on this machine) with tests/unit/aws_sigv4_reference.py: SigV4Auth /
// S3SigV4Auth, credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// region us-east-1, botocore.auth.get_current_datetime patched to 2015-08-30T12:36:00Z.
// The IAM ListUsers value is also the one published in the AWS documentation's
// "create a signed request" walkthrough (signature 5d672d79...).
// ---------------------------------------------------------------------------------------

const char* kAccessKey = "AKIDEXAMPLE";
const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const char* kDate = "20150830T123600Z";
const char* kSessionToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx"
    "7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d"
    "+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

std::string header_of(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    std::string lower = key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return value;
  }
  return "";
}

std::string authorization(const std::string& method, const std::string& url,
                          std::vector<std::pair<std::string, std::string>> headers, const std::string& body,
                          const std::string& service, const std::string& token = "", bool s3 = false) {
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  request.body = body;
  sign_v4(request, Credentials{kAccessKey, kSecretKey, token}, "us-east-1", service, kDate, s3, s3);
  return header_of(request, "authorization");
}

TEST(SigV4, GetRootWithoutQuery) {
  EXPECT_EQ(authorization("GET", "https://example.amazonaws.com/", {}, "", "service"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, QueryParametersAreEncodedAndSortedAndPathNormalized) {
  const std::string url =
      "https://example.amazonaws.com/a%20b/./c/../d//e?zeta=x%20y&alpha=1%2F2&Caps=%E2%9C%93&alpha=0&empty=";
  EXPECT_EQ(authorization("GET", url, {{"X-Custom", "  two   spaces  "}}, "", "service"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-custom, "
            "Signature=69e92458662f3ccf33a5049a2926e45b6f3435f4cfec971018fba4411a8b9bc5");
  // The canonical request botocore builds for the same request (its canonical_request()).
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers = {{"X-Custom", "  two   spaces  "}, {"X-Amz-Date", kDate}};
  EXPECT_EQ(canonical_request(request, sha256_hex(""), false),
            "GET\n/a%2520b/d/e\nCaps=%E2%9C%93&alpha=0&alpha=1%2F2&empty=&zeta=x%20y\n"
            "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-custom:two spaces\n\n"
            "host;x-amz-date;x-custom\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4, DynamoDbJsonPost) {
  EXPECT_EQ(authorization("POST", "https://dynamodb.us-east-1.amazonaws.com/",
                          {{"Content-Type", "application/x-amz-json-1.0"},
                           {"X-Amz-Target", "DynamoDB_20120810.ListTables"}},
                          R"({"Limit":10})", "dynamodb"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=11041d969631ff3f1d1f8d3b5fac1fe918edd3847f40dcc4423df1f26416af70");
}

TEST(SigV4, SessionTokenIsSignedAndSent) {
  HttpRequest request;
  request.url = "http://127.0.0.1:8000/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.DescribeTable"}};
  request.body = R"({"TableName":"Orders"})";
  sign_v4(request, Credentials{kAccessKey, kSecretKey, kSessionToken}, "us-east-1", "dynamodb", kDate);
  EXPECT_EQ(header_of(request, "x-amz-security-token"), kSessionToken);
  EXPECT_EQ(header_of(request, "host"), "127.0.0.1:8000");
  EXPECT_EQ(header_of(request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            "Signature=5faac49cf821fe24f56d5974f31cbdede7f8b8592e12447733a53e60a8ba103c");
  // Signing again (a retry) replaces the earlier signature headers instead of piling up.
  sign_v4(request, Credentials{kAccessKey, kSecretKey, kSessionToken}, "us-east-1", "dynamodb", kDate);
  int authorizations = 0;
  for (const auto& header : request.headers) authorizations += header.first == "Authorization";
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(request.headers.size(), 6u);
}

TEST(SigV4, S3KeyWithSpacesAndUnicode) {
  std::string expected =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
      "Signature=815a459a50eab0271b109ff4f7512f2fd1e5cd91f945085138ff537efff5a00b";
  EXPECT_EQ(authorization("GET",
                          "https://examplebucket.s3.amazonaws.com/my%20folder/caf%C3%A9%20%E2%9C%93.txt?versionId=3%2F4",
                          {{"Range", "bytes=0-9"}}, "", "s3", "", true),
            expected);
  HttpRequest request;
  request.method = "GET";
  request.url = "https://examplebucket.s3.amazonaws.com/x";
  sign_v4(request, Credentials{kAccessKey, kSecretKey, ""}, "us-east-1", "s3", kDate, true, true);
  EXPECT_EQ(header_of(request, "x-amz-content-sha256"), sha256_hex(""));
}

TEST(SigV4, PublishedIamListUsersExample) {
  EXPECT_EQ(authorization("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
                          {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, "", "iam"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, Sha256Hex) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SigV4, CurrentDateIsUsedWhenNoneGiven) {
  HttpRequest request;
  request.url = "http://localhost/";
  sign_v4(request, Credentials{kAccessKey, kSecretKey, ""}, "us-east-1", "dynamodb");
  std::string date = header_of(request, "x-amz-date");
  ASSERT_EQ(date.size(), 16u);
  EXPECT_EQ(date[8], 'T');
  EXPECT_NE(header_of(request, "authorization").find("/" + date.substr(0, 8) + "/us-east-1/dynamodb/"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Credentials, region, endpoint.
// ---------------------------------------------------------------------------------------

// Clears the AWS_* variables (and points HOME at an empty directory) for one test and
// restores everything afterwards.
class AwsEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      const char* value = std::getenv(name);
      if (value) saved_[name] = value;
      unsetenv(name);
    }
    directory_ = fs::temp_directory_path() / ("tributary_aws_" + std::to_string(getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_ / "home");
    setenv("HOME", (directory_ / "home").c_str(), 1);
  }
  void TearDown() override {
    for (const char* name : kVariables) {
      auto it = saved_.find(name);
      if (it == saved_.end()) {
        unsetenv(name);
      } else {
        setenv(name, it->second.c_str(), 1);
      }
    }
    fs::remove_all(directory_);
  }
  std::string write(const std::string& name, const std::string& text) {
    fs::path path = directory_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  static constexpr const char* kVariables[] = {
      "HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
      "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE",
      "AWS_CONFIG_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_KINESIS"};
  std::map<std::string, std::string> saved_;
  fs::path directory_;
};

TEST_F(AwsEnvironment, ExplicitCredentialsWin) {
  setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
  Credentials credentials = resolve_credentials("CATALOGKEY", "catalogsecret", "token", "");
  EXPECT_EQ(credentials.access_key_id, "CATALOGKEY");
  EXPECT_EQ(credentials.secret_access_key, "catalogsecret");
  EXPECT_EQ(credentials.session_token, "token");
}

TEST_F(AwsEnvironment, CredentialsFromEnvironment) {
  setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
  setenv("AWS_SESSION_TOKEN", "envtoken", 1);
  Credentials credentials = resolve_credentials("", "", "", "");
  EXPECT_EQ(credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(credentials.secret_access_key, "envsecret");
  EXPECT_EQ(credentials.session_token, "envtoken");
}

TEST_F(AwsEnvironment, CredentialsFromSharedFileProfiles) {
  std::string file = write("credentials",
                           "# comment\n"
                           "[default]\n"
                           "aws_access_key_id = DEFAULTKEY\n"
                           "aws_secret_access_key=defaultsecret\n"
                           "\n"
                           "[analytics]\n"
                           "  AWS_ACCESS_KEY_ID = ANALYTICSKEY  \n"
                           "aws_secret_access_key = analytics/secret+x=\n"
                           "aws_session_token = analyticstoken\n");
  setenv("AWS_SHARED_CREDENTIALS_FILE", file.c_str(), 1);
  Credentials by_default = resolve_credentials("", "", "", "");
  EXPECT_EQ(by_default.access_key_id, "DEFAULTKEY");
  EXPECT_EQ(by_default.secret_access_key, "defaultsecret");
  EXPECT_EQ(by_default.session_token, "");

  Credentials explicit_profile = resolve_credentials("", "", "", "analytics");
  EXPECT_EQ(explicit_profile.access_key_id, "ANALYTICSKEY");
  EXPECT_EQ(explicit_profile.secret_access_key, "analytics/secret+x=");
  EXPECT_EQ(explicit_profile.session_token, "analyticstoken");

  setenv("AWS_PROFILE", "analytics", 1);
  EXPECT_EQ(resolve_credentials("", "", "", "").access_key_id, "ANALYTICSKEY");
  EXPECT_EQ(resolve_credentials("", "", "", "default").access_key_id, "DEFAULTKEY");
}

TEST_F(AwsEnvironment, CredentialsFromHomeDirectory) {
  write("home/.aws/credentials", "[default]\naws_access_key_id=HOMEKEY\naws_secret_access_key=homesecret\n");
  EXPECT_EQ(resolve_credentials("", "", "", "").access_key_id, "HOMEKEY");
}

TEST_F(AwsEnvironment, MissingCredentialsNameWhereItLookedWithoutSecrets) {
  std::string file = write("credentials", "[other]\naws_access_key_id=K\naws_secret_access_key=S3CR3T\n");
  setenv("AWS_SHARED_CREDENTIALS_FILE", file.c_str(), 1);
  try {
    resolve_credentials("", "", "", "missing");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::INVALID_ARGUMENT);
    EXPECT_NE(error.message().find("'missing'"), std::string::npos) << error.message();
    EXPECT_NE(error.message().find(file), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("AWS_ACCESS_KEY_ID"), std::string::npos) << error.message();
    EXPECT_EQ(error.message().find("S3CR3T"), std::string::npos);
  }
}

TEST_F(AwsEnvironment, RegionOrder) {
  std::string config = write("config",
                             "[default]\nregion = eu-west-1\n"
                             "[profile analytics]\nregion = ap-southeast-2\n");
  setenv("AWS_CONFIG_FILE", config.c_str(), 1);
  EXPECT_EQ(resolve_region("", ""), "eu-west-1");
  EXPECT_EQ(resolve_region("", "analytics"), "ap-southeast-2");
  setenv("AWS_PROFILE", "analytics", 1);
  EXPECT_EQ(resolve_region("", ""), "ap-southeast-2");
  setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
  EXPECT_EQ(resolve_region("", ""), "us-west-1");
  setenv("AWS_REGION", "us-west-2", 1);
  EXPECT_EQ(resolve_region("", ""), "us-west-2");
  EXPECT_EQ(resolve_region("sa-east-1", ""), "sa-east-1");
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  unsetenv("AWS_CONFIG_FILE");
  EXPECT_EQ(resolve_region("", ""), "us-east-1");
}

TEST_F(AwsEnvironment, EndpointOrder) {
  EXPECT_EQ(resolve_endpoint("", "DYNAMODB", "dynamodb", "eu-west-1"), "https://dynamodb.eu-west-1.amazonaws.com");
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566", 1);
  EXPECT_EQ(resolve_endpoint("", "DYNAMODB", "dynamodb", "eu-west-1"), "http://127.0.0.1:4566");
  setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", 1);
  EXPECT_EQ(resolve_endpoint("", "DYNAMODB", "dynamodb", "eu-west-1"), "http://127.0.0.1:8000");
  EXPECT_EQ(resolve_endpoint("", "KINESIS", "kinesis", "eu-west-1"), "http://127.0.0.1:4566");
  EXPECT_EQ(resolve_endpoint("http://explicit:1", "DYNAMODB", "dynamodb", "eu-west-1"), "http://explicit:1");
}

// ---------------------------------------------------------------------------------------
// RateLimiter.
// ---------------------------------------------------------------------------------------

TEST(RateLimiter, SpreadsRequestsAtTheConfiguredRate) {
  RateLimiter limiter(100);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) limiter.acquire();
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_GE(elapsed.count(), 80);
  EXPECT_LT(elapsed.count(), 1000);
}

TEST(RateLimiter, UnlimitedNeverWaits) {
  RateLimiter limiter(0);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) limiter.acquire();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

// ---------------------------------------------------------------------------------------
// A scripted HTTP/1.1 server on 127.0.0.1:<ephemeral> (keep-alive, Content-Length bodies).
// ---------------------------------------------------------------------------------------

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

struct ScriptedResponse {
  int status = 200;
  std::string body;
};

class ScriptedServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&, int call_index)>;

  explicit ScriptedServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(listener_, 16) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~ScriptedServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& connection : connections_) connection.join();
    close(listener_);
  }

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_; }
  std::vector<RecordedRequest> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  int connections_accepted() const { return accepted_; }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd descriptor{listener_, POLLIN, 0};
      if (poll(&descriptor, 1, 20) <= 0) continue;
      int connection = accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      ++accepted_;
      connections_.emplace_back([this, connection] { serve(connection); });
    }
  }

  // Reads until `buffer` holds `wanted` bytes; false when the peer closed or we stop.
  bool fill(int connection, std::string& buffer, const std::function<bool()>& complete) {
    char chunk[4096];
    while (!complete()) {
      pollfd descriptor{connection, POLLIN, 0};
      int ready = poll(&descriptor, 1, 20);
      if (stop_) return false;
      if (ready <= 0) continue;
      ssize_t received = recv(connection, chunk, sizeof(chunk), 0);
      if (received <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(received));
    }
    return true;
  }

  void serve(int connection) {
    std::string buffer;
    while (true) {
      if (!fill(connection, buffer, [&] { return buffer.find("\r\n\r\n") != std::string::npos; })) break;
      size_t header_end = buffer.find("\r\n\r\n");
      RecordedRequest request;
      std::string head = buffer.substr(0, header_end);
      buffer.erase(0, header_end + 4);
      size_t line_end = head.find("\r\n");
      std::string request_line = head.substr(0, line_end);
      request.method = request_line.substr(0, request_line.find(' '));
      request.path = request_line.substr(request.method.size() + 1,
                                         request_line.rfind(' ') - request.method.size() - 1);
      size_t position = line_end == std::string::npos ? head.size() : line_end + 2;
      while (position < head.size()) {
        size_t next = head.find("\r\n", position);
        if (next == std::string::npos) next = head.size();
        std::string line = head.substr(position, next - position);
        size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers[name] = value;
        position = next + 2;
      }
      size_t length = request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
      if (!fill(connection, buffer, [&] { return buffer.size() >= length; })) break;
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);
      int index = calls_++;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      ScriptedResponse response = handler_(request, index);
      std::string reply = "HTTP/1.1 " + std::to_string(response.status) + " Scripted\r\n" +
                          "Content-Type: application/x-amz-json-1.0\r\n" +
                          "X-Amzn-RequestId: TEST\r\n"
                          "Content-Length: " +
                          std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
      if (send(connection, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
    }
    close(connection);
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;  // touched only by the acceptor thread and the destructor
  std::mutex mutex_;
  std::vector<RecordedRequest> requests_;  // GUARDED_BY(mutex_)
};

std::string error_json(const std::string& code, const std::string& message, const char* message_key = "message") {
  return nlohmann::json{{"__type", "com.amazonaws.dynamodb.v20120810#" + code}, {message_key, message}}.dump();
}

JsonServiceClient::Options dynamodb_options(const std::string& endpoint) {
  JsonServiceClient::Options options;
  options.endpoint = endpoint;
  options.region = "us-east-1";
  options.signing_service = "dynamodb";
  options.target_prefix = "DynamoDB_20120810";
  options.credentials = Credentials{"AKIDTEST", "secret", ""};
  options.retry.max_attempts = 4;
  options.retry.base_delay_ms = 1;
  options.retry.max_delay_ms = 5;
  options.retry.timeout_ms = 5000;
  options.error_context = "dynamodb catalog 'ddb'";
  return options;
}

// A port nothing listens on (bound once, then released).
int unused_port() {
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  close(probe);
  return ntohs(address.sin_port);
}

TEST(JsonServiceClient, ThrottlingIsRetriedAndCounted) {
  ScriptedServer server([](const RecordedRequest&, int call) {
    if (call < 2) return ScriptedResponse{400, error_json("ThrottlingException", "Rate exceeded")};
    return ScriptedResponse{200, R"({"TableNames":["Orders"]})"};
  });
  JsonServiceClient client(dynamodb_options(server.endpoint()));
  EXPECT_EQ(client.call("ListTables", "{}"), R"({"TableNames":["Orders"]})");
  EXPECT_EQ(client.stats().requests.load(), 3u);
  EXPECT_EQ(client.stats().retries.load(), 2u);
  EXPECT_EQ(client.stats().throttled.load(), 2u);
  EXPECT_EQ(client.stats().bytes_received.load(), 2 * error_json("ThrottlingException", "Rate exceeded").size() + 25);

  std::vector<RecordedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/");
    EXPECT_EQ(request.body, "{}");
    EXPECT_EQ(request.headers.at("x-amz-target"), "DynamoDB_20120810.ListTables");
    EXPECT_EQ(request.headers.at("content-type"), "application/x-amz-json-1.0");
    EXPECT_EQ(request.headers.at("authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/", 0), 0u);
    EXPECT_EQ(request.headers.count("expect"), 0u);
  }
  // Keep-alive: all three calls went over one connection.
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(JsonServiceClient, ServerErrorsAreRetried) {
  ScriptedServer server([](const RecordedRequest&, int call) {
    if (call == 0) return ScriptedResponse{500, error_json("InternalServerError", "boom")};
    if (call == 1) return ScriptedResponse{400, error_json("ProvisionedThroughputExceededException", "slow down")};
    return ScriptedResponse{200, "{}"};
  });
  JsonServiceClient client(dynamodb_options(server.endpoint()));
  EXPECT_EQ(client.call("Scan", R"({"TableName":"t"})"), "{}");
  EXPECT_EQ(client.stats().retries.load(), 2u);
  EXPECT_EQ(client.stats().throttled.load(), 1u);
}

TEST(JsonServiceClient, GivesUpAfterMaxAttempts) {
  ScriptedServer server(
      [](const RecordedRequest&, int) { return ScriptedResponse{400, error_json("ThrottlingException", "Rate exceeded")}; });
  JsonServiceClient client(dynamodb_options(server.endpoint()));
  try {
    client.call("Scan", "{}");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::SOURCE_ERROR);
    EXPECT_NE(error.message().find("ThrottlingException: Rate exceeded"), std::string::npos) << error.message();
  }
  EXPECT_EQ(server.calls(), 4);
  EXPECT_EQ(client.stats().retries.load(), 3u);
}

TEST(JsonServiceClient, ValidationErrorIsNotRetried) {
  ScriptedServer server([](const RecordedRequest&, int) {
    return ScriptedResponse{400, error_json("ValidationException", "One or more parameter values were invalid",
                                            "Message")};
  });
  JsonServiceClient client(dynamodb_options(server.endpoint()));
  try {
    client.call("Query", "{}");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::SOURCE_ERROR);
    EXPECT_EQ(error.message(),
              "dynamodb catalog 'ddb': ValidationException: One or more parameter values were invalid");
  }
  EXPECT_EQ(server.calls(), 1);
  EXPECT_EQ(client.stats().retries.load(), 0u);
}

TEST(JsonServiceClient, ResourceNotFoundBecomesNotFound) {
  ScriptedServer server([](const RecordedRequest&, int) {
    return ScriptedResponse{400, error_json("ResourceNotFoundException", "Requested resource not found")};
  });
  JsonServiceClient client(dynamodb_options(server.endpoint()));
  try {
    client.call("DescribeTable", R"({"TableName":"missing"})");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::NOT_FOUND);
    EXPECT_NE(error.message().find("ResourceNotFoundException: Requested resource not found"), std::string::npos);
  }
}

TEST(JsonServiceClient, ConnectionRefusedNamesHostAndPortAfterRetries) {
  int port = unused_port();
  JsonServiceClient::Options options = dynamodb_options("http://127.0.0.1:" + std::to_string(port));
  options.retry.max_attempts = 3;
  JsonServiceClient client(options);
  try {
    client.call("ListTables", "{}");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::SOURCE_ERROR);
    EXPECT_NE(error.message().find("127.0.0.1:" + std::to_string(port)), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("dynamodb catalog 'ddb'"), std::string::npos) << error.message();
    EXPECT_EQ(error.message().find("secret"), std::string::npos) << error.message();
  }
  EXPECT_EQ(client.stats().requests.load(), 3u);
  EXPECT_EQ(client.stats().retries.load(), 2u);
}

TEST(HttpClient, TimeoutIsATransportError) {
  ScriptedServer server([](const RecordedRequest&, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return ScriptedResponse{200, "{}"};
  });
  HttpClient client;
  HttpRequest request;
  request.url = server.endpoint() + "/";
  try {
    client.send(request, 50);
    FAIL() << "expected a timeout";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::SOURCE_ERROR);
    EXPECT_NE(error.message().find("127.0.0.1:" + std::to_string(server.port())), std::string::npos);
  }
}

TEST(HttpClient, ResponseHeadersAreLowerCasedAndStatusesReturned) {
  ScriptedServer server([](const RecordedRequest& request, int) {
    return ScriptedResponse{404, request.method + " " + request.path + " " + request.body};
  });
  HttpClient client;
  HttpRequest request;
  request.method = "PUT";
  request.url = server.endpoint() + "/bucket/key?x=1";
  request.body = "data";
  HttpResponse response = client.send(request, 5000);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "PUT /bucket/key?x=1 data");
  EXPECT_EQ(response.header("x-amzn-requestid"), "TEST");
  EXPECT_EQ(response.header("content-length"), std::to_string(response.body.size()));
  // A body-less PUT still says Content-Length: 0 and no form Content-Type.
  request.body.clear();
  client.send(request, 5000);
  RecordedRequest last = server.requests().back();
  EXPECT_EQ(last.headers["content-length"], "0");
  EXPECT_EQ(last.headers.count("content-type"), 0u);
}

// ---------------------------------------------------------------------------------------
// Real servers from npm (node_modules in the source tree).
// ---------------------------------------------------------------------------------------

fs::path source_root() {
  if (const char* root = std::getenv("TRIBUTARY_SOURCE_DIR")) return root;
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
}

bool node_available() { return std::system("command -v node >/dev/null 2>&1") == 0; }

// A child process (an npm server) stopped by its PID when the test ends.
class ChildServer {
 public:
  ChildServer(std::vector<std::string> arguments, int port) : port_(port) {
    pid_ = fork();
    if (pid_ == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      std::vector<char*> argv;
      for (auto& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ChildServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Waits until an HTTP request on the port gets any answer.
  bool wait_ready() {
    HttpClient client;
    HttpRequest request;
    request.method = "GET";
    request.url = "http://127.0.0.1:" + std::to_string(port_) + "/";
    for (int i = 0; i < 200; ++i) {
      try {
        client.send(request, 1000);
        return true;
      } catch (const Error&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
  int port_;
};

TEST(RealServers, DynaliteListTables) {
  fs::path dynalite = source_root() / "node_modules/.bin/dynalite";
  if (!node_available() || !fs::exists(dynalite)) GTEST_SKIP() << "node or dynalite (npm) not installed";
  int port = unused_port();
  ChildServer server({dynalite.string(), "--port", std::to_string(port), "--host", "127.0.0.1", "--createTableMs", "0"},
                     port);
  ASSERT_TRUE(server.wait_ready()) << "dynalite did not start";
  JsonServiceClient client(dynamodb_options("http://127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(nlohmann::json::parse(client.call("ListTables", "{}")), nlohmann::json::parse(R"({"TableNames":[]})"));
  try {
    client.call("DescribeTable", R"({"TableName":"Orders"})");
    FAIL() << "expected NOT_FOUND";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::NOT_FOUND);
    EXPECT_NE(error.message().find("ResourceNotFoundException"), std::string::npos) << error.message();
  }
}

// s3rver 3.7 checks the access key id of a SigV4 request but not the signature itself
// (its authentication middleware says "Signature version 4 calculation is unimplemented"),
// so it proves the S3 request shapes; the signature is verified by moto below.
TEST(RealServers, S3rverAcceptsSignedS3Requests) {
  fs::path s3rver = source_root() / "node_modules/.bin/s3rver";
  if (!node_available() || !fs::exists(s3rver)) GTEST_SKIP() << "node or s3rver (npm) not installed";
  fs::path directory = fs::temp_directory_path() / ("tributary_s3rver_" + std::to_string(getpid()));
  fs::create_directories(directory);
  int port = unused_port();
  std::string endpoint = "http://127.0.0.1:" + std::to_string(port);
  {
    ChildServer server({s3rver.string(), "-d", directory.string(), "-a", "127.0.0.1", "-p", std::to_string(port)},
                       port);
    ASSERT_TRUE(server.wait_ready()) << "s3rver did not start";
    HttpClient client;
    Credentials good{"S3RVER", "S3RVER", ""};
    auto send = [&](const std::string& method, const std::string& path, const std::string& body,
                    const Credentials& credentials) {
      HttpRequest request;
      request.method = method;
      request.url = endpoint + path;
      request.body = body;
      sign_v4(request, credentials, "us-east-1", "s3", "", true, true);
      return client.send(request, 10000);
    };

    HttpResponse created = send("PUT", "/tributary-test", "", good);
    EXPECT_EQ(created.status, 200) << created.body;
    HttpResponse listed = send("GET", "/", "", good);
    EXPECT_EQ(listed.status, 200) << listed.body;
    EXPECT_NE(listed.body.find("<Name>tributary-test</Name>"), std::string::npos) << listed.body;

    const std::string key_path = "/tributary-test/my%20folder/caf%C3%A9%20%E2%9C%93.txt";
    HttpResponse put = send("PUT", key_path, "hello s3", good);
    EXPECT_EQ(put.status, 200) << put.body;
    HttpResponse got = send("GET", key_path, "", good);
    EXPECT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, "hello s3");

    HttpResponse rejected = send("GET", "/", "", Credentials{"NOT-S3RVER", "S3RVER", ""});
    EXPECT_EQ(rejected.status, 403) << rejected.body;
    EXPECT_NE(rejected.body.find("InvalidAccessKeyId"), std::string::npos) << rejected.body;
  }
  fs::remove_all(directory);
}

std::string xml_element(const std::string& xml, const std::string& name) {
  size_t begin = xml.find("<" + name + ">");
  size_t end = xml.find("</" + name + ">");
  if (begin == std::string::npos || end == std::string::npos) return "";
  begin += name.size() + 2;
  return xml.substr(begin, end - begin);
}

// moto's server (pip) recomputes the signature of every request it receives, as it came
// over the wire, once IAM authentication is switched on (/moto-api/reset-auth): the
// real-server check that our SigV4 is right for S3 (single-encoded paths, payload hash
// header) and for query-protocol services (double-encoded paths, sorted query).
TEST(RealServers, MotoVerifiesOurSignatures) {
  if (std::system("command -v moto_server >/dev/null 2>&1") != 0) GTEST_SKIP() << "moto_server (pip moto) not installed";
  int port = unused_port();
  std::string endpoint = "http://127.0.0.1:" + std::to_string(port);
  ChildServer server({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)}, port);
  ASSERT_TRUE(server.wait_ready()) << "moto_server did not start";
  HttpClient client;
  auto send = [&](const std::string& method, const std::string& path, const std::string& body,
                  const std::string& service, const Credentials& credentials) {
    HttpRequest request;
    request.method = method;
    request.url = endpoint + path;
    request.body = body;
    if (service == "iam" && method == "POST") {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    }
    bool s3 = service == "s3";
    sign_v4(request, credentials, "us-east-1", service, "", s3, s3);
    return client.send(request, 20000);
  };

  // Authentication is off while we create a user with a key and an allow-all policy.
  Credentials setup{"AKIDSETUP", "setup", ""};
  HttpResponse created_user =
      send("POST", "/", "Action=CreateUser&UserName=tributary&Version=2010-05-08", "iam", setup);
  ASSERT_EQ(created_user.status, 200) << created_user.body;
  HttpResponse key = send("POST", "/", "Action=CreateAccessKey&UserName=tributary&Version=2010-05-08", "iam", setup);
  ASSERT_EQ(key.status, 200) << key.body;
  Credentials good{xml_element(key.body, "AccessKeyId"), xml_element(key.body, "SecretAccessKey"), ""};
  ASSERT_FALSE(good.access_key_id.empty()) << key.body;
  const std::string policy =
      "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C"
      "%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
  HttpResponse attached = send("POST", "/",
                               "Action=PutUserPolicy&UserName=tributary&PolicyName=all&PolicyDocument=" + policy +
                                   "&Version=2010-05-08",
                               "iam", setup);
  ASSERT_EQ(attached.status, 200) << attached.body;
  HttpRequest enable;
  enable.method = "POST";
  enable.url = endpoint + "/moto-api/reset-auth";
  enable.body = "0";
  ASSERT_EQ(client.send(enable, 10000).status, 200);

  // From here on every request's signature is checked.
  HttpResponse created = send("PUT", "/tributary-test", "", "s3", good);
  EXPECT_EQ(created.status, 200) << created.body;
  HttpResponse listed = send("GET", "/", "", "s3", good);
  EXPECT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("<Name>tributary-test</Name>"), std::string::npos) << listed.body;
  // moto rebuilds the request it verifies from a percent-decoded URL, so it rejects
  // encoded paths and query values even from boto3 (checked with boto3 1.43 / moto 5.2);
  // those cases are covered by the botocore known answers above.
  const std::string key_path = "/tributary-test/folder/orders-2024.json";
  HttpResponse put = send("PUT", key_path, "hello s3", "s3", good);
  EXPECT_EQ(put.status, 200) << put.body;
  HttpResponse got = send("GET", key_path, "", "s3", good);
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, "hello s3");
  HttpResponse objects = send("GET", "/tributary-test?prefix=folder&max-keys=5&list-type=2", "", "s3", good);
  EXPECT_EQ(objects.status, 200) << objects.body;
  EXPECT_NE(objects.body.find("<Key>folder/orders-2024.json</Key>"), std::string::npos) << objects.body;

  // A query-protocol service (IAM, form POST; moto's IAM verifier hashes the parsed query
  // as the payload of a GET, so GET-with-query cannot be checked there).
  HttpResponse user = send("POST", "/", "Action=GetUser&UserName=tributary&Version=2010-05-08", "iam", good);
  EXPECT_EQ(user.status, 200) << user.body;
  EXPECT_NE(user.body.find("<UserName>tributary</UserName>"), std::string::npos) << user.body;

  Credentials wrong{good.access_key_id, "wrong-secret", ""};
  HttpResponse rejected = send("GET", "/", "", "s3", wrong);
  EXPECT_EQ(rejected.status, 403) << rejected.body;
  EXPECT_NE(rejected.body.find("SignatureDoesNotMatch"), std::string::npos) << rejected.body;
  HttpResponse rejected_iam = send("GET", "/?Action=ListUsers&Version=2010-05-08", "", "iam", wrong);
  EXPECT_EQ(rejected_iam.status, 403) << rejected_iam.body;
  EXPECT_NE(rejected_iam.body.find("SignatureDoesNotMatch"), std::string::npos) << rejected_iam.body;
}

}  // namespace
