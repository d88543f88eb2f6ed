// S3Client: pure tests of URI parsing, URL building, XML extraction and error mapping
// (suite S3Client), and live tests against s3rver (suite S3ClientLive), which run when
// TRIBUTARY_S3_ENDPOINT is set:
//   export TRIBUTARY_SERVICES_DIR=/tmp/s3svc && scripts/services.sh start s3rver &&
//   eval "$(scripts/services.sh env)"
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/retry.h"
#include "aws/s3_client.h"
#include "common/error.h"

using namespace tributary;
using namespace tributary::aws;

namespace {

// Runs `action`, expecting an Error with `code`; returns its message.
template <typename Action>
std::string error_of(ErrorCode code, Action action) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error_code_name(error.code()), std::string(error_code_name(code))) << error.message();
    return error.message();
  } catch (const std::exception& other) {
    ADD_FAILURE() << "unexpected exception: " << other.what();
    return "";
  }
  ADD_FAILURE() << "expected an Error " << error_code_name(code);
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---------------------------------------------------------------------------------------
// Pure pieces.
// ---------------------------------------------------------------------------------------

TEST(S3Client, ParseS3Uri) {
  S3Location location = parse_s3_uri("s3://data-lake/orders/2024/part 1.parquet");
  EXPECT_EQ(location.bucket, "data-lake");
  EXPECT_EQ(location.key, "orders/2024/part 1.parquet");
  location = parse_s3_uri("s3://results/athena/");
  EXPECT_EQ(location.bucket, "results");
  EXPECT_EQ(location.key, "athena/");
  EXPECT_EQ(parse_s3_uri("s3://results").key, "");
  EXPECT_EQ(parse_s3_uri("s3://results/").key, "");
  EXPECT_EQ(parse_s3_uri("s3://Legacy_Bucket.v2/a//b").key, "a//b");
}

TEST(S3Client, ParseS3UriRejectsBadUris) {
  for (const std::string uri : {"", "results/key", "http://results/key", "s3:/results/key", "s3://", "s3:///key",
                                "s3://bad bucket/key", "s3://bucket?x/key"}) {
    std::string message = error_of(ErrorCode::INVALID_ARGUMENT, [&] { parse_s3_uri(uri); });
    EXPECT_TRUE(contains(message, "'" + uri + "'")) << message;
  }
}

TEST(S3Client, EncodeKeyKeepsSlashesAndUnreservedOnly) {
  EXPECT_EQ(detail::encode_key("dir one/a+b=c&d/caf\xC3\xA9~_.-(1)*.txt"),
            "dir%20one/a%2Bb%3Dc%26d/caf%C3%A9~_.-%281%29%2A.txt");
  EXPECT_EQ(detail::encode_key("100%/x"), "100%25/x");
  EXPECT_EQ(detail::encode_key("a//b/"), "a//b/");
  // Dot segments are encoded so that nothing on the way resolves them.
  EXPECT_EQ(detail::encode_key("./a/../b/.../c.d/.."), "%2E/a/%2E%2E/b/.../c.d/%2E%2E");
  EXPECT_EQ(detail::encode_query_value("a/b c+d"), "a%2Fb%20c%2Bd");
}

TEST(S3Client, ObjectUrls) {
  EXPECT_EQ(detail::object_url("http://127.0.0.1:4568", "b", "dir/my key.txt", "", true),
            "http://127.0.0.1:4568/b/dir/my%20key.txt");
  EXPECT_EQ(detail::object_url("http://127.0.0.1:4568/", "b", "", "list-type=2&prefix=x%2F", true),
            "http://127.0.0.1:4568/b?list-type=2&prefix=x%2F");
  EXPECT_EQ(detail::object_url("https://s3.eu-west-1.amazonaws.com", "b", "k/", "", false),
            "https://b.s3.eu-west-1.amazonaws.com/k/");
  EXPECT_EQ(detail::object_url("https://s3.eu-west-1.amazonaws.com", "b", "", "", false),
            "https://b.s3.eu-west-1.amazonaws.com/");
}

TEST(S3Client, EndpointAndRegionAreResolvedWhenEmpty) {
  S3Client::Options options;
  options.region = "eu-central-1";
  const char* saved = std::getenv("AWS_ENDPOINT_URL_S3");
  std::string saved_value = saved ? saved : "";
  const char* saved_generic = std::getenv("AWS_ENDPOINT_URL");
  std::string saved_generic_value = saved_generic ? saved_generic : "";
  unsetenv("AWS_ENDPOINT_URL_S3");
  unsetenv("AWS_ENDPOINT_URL");
  EXPECT_EQ(S3Client(options).options().endpoint, "https://s3.eu-central-1.amazonaws.com");
  setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9", 1);
  EXPECT_EQ(S3Client(options).options().endpoint, "http://127.0.0.1:9");
  if (saved) {
    setenv("AWS_ENDPOINT_URL_S3", saved_value.c_str(), 1);
  } else {
    unsetenv("AWS_ENDPOINT_URL_S3");
  }
  if (saved_generic) setenv("AWS_ENDPOINT_URL", saved_generic_value.c_str(), 1);
}

TEST(S3Client, XmlDecode) {
  EXPECT_EQ(detail::xml_decode("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"), "a & b <c> \"d\" 'e'");
  EXPECT_EQ(detail::xml_decode("caf&#233; &#x2713; &#X1F600;"), "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80");
  // Not entities: kept as written.
  EXPECT_EQ(detail::xml_decode("AT&T &unknown; & &#xZZ; &amp"), "AT&T &unknown; & &#xZZ; &amp");
  EXPECT_EQ(detail::xml_decode("&amp;lt;"), "&lt;");  // decoded once only
}

TEST(S3Client, XmlElementsMatchWholeTagNames) {
  std::string xml =
      "<R xmlns=\"x\"><KeyCount>2</KeyCount><Key>a</Key><Prefix/><Key attr=\"1\">b</Key><Keys>c</Keys></R>";
  EXPECT_EQ(detail::xml_element(xml, "Key").value(), "a");
  EXPECT_EQ(detail::xml_element(xml, "KeyCount").value(), "2");
  EXPECT_EQ(detail::xml_element(xml, "Prefix").value(), "");
  EXPECT_FALSE(detail::xml_element(xml, "Missing").has_value());
  EXPECT_FALSE(detail::xml_element("<Key>unterminated", "Key").has_value());
  std::vector<std::string_view> keys = detail::xml_elements(xml, "Key");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], "a");
  EXPECT_EQ(keys[1], "b");
}

// The shape of a real AWS answer (trimmed), with entities in keys and a common prefix.
const char* kListPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>lake</Name><Prefix>t/</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <ContinuationToken>abc</ContinuationToken>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&amp;x</NextContinuationToken>
  <Contents><Key>t/a &amp; b &lt;1&gt;.csv</Key><LastModified>2024-05-01T12:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1234</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>t/caf&#233;.json</Key><LastModified>2024-05-02T00:00:00.000Z</LastModified>
    <ETag>"d41d8cd98f00b204e9800998ecf8427e-2"</ETag><Size>18446744073709551615</Size></Contents>
  <CommonPrefixes><Prefix>t/year=2024/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>t/year=2025/</Prefix></CommonPrefixes>
</ListBucketResult>)";

TEST(S3Client, ParseListObjectsV2) {
  ListPage page = detail::parse_list_objects_v2(kListPage);
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "t/a & b <1>.csv");
  EXPECT_EQ(page.objects[0].size, 1234u);
  EXPECT_EQ(page.objects[0].etag, "9b2cf535f27731c974343645a3985328");
  EXPECT_EQ(page.objects[0].last_modified, "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(page.objects[1].key, "t/caf\xC3\xA9.json");
  EXPECT_EQ(page.objects[1].size, 18446744073709551615ull);
  EXPECT_EQ(page.objects[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2");
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"t/year=2024/", "t/year=2025/"}));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&x");
}

TEST(S3Client, ParseEmptyAndMalformedListPages) {
  ListPage empty = detail::parse_list_objects_v2(
      "<ListBucketResult><Name>b</Name><Prefix/><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
      "</ListBucketResult>");
  EXPECT_TRUE(empty.objects.empty());
  EXPECT_TRUE(empty.common_prefixes.empty());
  EXPECT_FALSE(empty.truncated);
  EXPECT_EQ(empty.next_continuation_token, "");
  std::string message = error_of(ErrorCode::SOURCE_ERROR, [] {
    detail::parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key><Size>12x</Size></Contents>");
  });
  EXPECT_TRUE(contains(message, "Size is '12x'")) << message;
}

TEST(S3Client, ParseErrorBodies) {
  detail::S3ErrorBody error =
      detail::parse_error_body(404,
                               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                               "<Message>The specified key does not exist.</Message><Key>a &amp; b</Key>"
                               "<RequestId>4442587FB7D0A2F9</RequestId></Error>");
  EXPECT_EQ(error.code, "NoSuchKey");
  EXPECT_EQ(error.message, "The specified key does not exist.");
  error = detail::parse_error_body(403,
                                   "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature "
                                   "we calculated does not match &apos;x&apos;</Message></Error>");
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, "The request signature we calculated does not match 'x'");
  error = detail::parse_error_body(502, "<html><body>Bad Gateway</body></html>");
  EXPECT_EQ(error.code, "HTTP 502");
  EXPECT_EQ(error.message, "<html><body>Bad Gateway</body></html>");
  error = detail::parse_error_body(404, "");  // a HEAD answer has no body
  EXPECT_EQ(error.code, "HTTP 404");
  EXPECT_EQ(error.message, "HTTP status 404");
}

TEST(S3Client, ErrorCodesAndRetries) {
  EXPECT_EQ(detail::error_code_for(404, "NoSuchKey"), ErrorCode::NOT_FOUND);
  EXPECT_EQ(detail::error_code_for(404, "NoSuchBucket"), ErrorCode::NOT_FOUND);
  EXPECT_EQ(detail::error_code_for(404, "HTTP 404"), ErrorCode::NOT_FOUND);
  EXPECT_EQ(detail::error_code_for(403, "AccessDenied"), ErrorCode::SOURCE_ERROR);
  EXPECT_EQ(detail::error_code_for(403, "InvalidAccessKeyId"), ErrorCode::SOURCE_ERROR);
  EXPECT_EQ(detail::error_code_for(403, "SignatureDoesNotMatch"), ErrorCode::SOURCE_ERROR);
  EXPECT_EQ(detail::error_code_for(409, "BucketAlreadyExists"), ErrorCode::SOURCE_ERROR);
  EXPECT_TRUE(detail::retryable(503, "SlowDown"));
  EXPECT_TRUE(detail::retryable(503, "HTTP 503"));
  EXPECT_TRUE(detail::retryable(500, "InternalError"));
  EXPECT_TRUE(detail::retryable(400, "RequestTimeout"));
  EXPECT_FALSE(detail::retryable(404, "NoSuchKey"));
  EXPECT_FALSE(detail::retryable(403, "AccessDenied"));
  EXPECT_FALSE(detail::retryable(416, "InvalidRange"));
}

TEST(S3Client, HttpDateToIso8601) {
  EXPECT_EQ(detail::http_date_to_iso8601("Wed, 01 May 2024 12:34:56 GMT"), "2024-05-01T12:34:56.000Z");
  EXPECT_EQ(detail::http_date_to_iso8601("yesterday"), "yesterday");
  EXPECT_EQ(detail::http_date_to_iso8601(""), "");
}

TEST(S3Client, BackoffCapDoublesUpToTheMaximum) {
  RetryPolicy policy;
  policy.base_delay_ms = 25;
  policy.max_delay_ms = 2000;
  EXPECT_EQ(backoff_cap_ms(policy, 0), 25);
  EXPECT_EQ(backoff_cap_ms(policy, 3), 200);
  EXPECT_EQ(backoff_cap_ms(policy, 7), 2000);
  EXPECT_EQ(backoff_cap_ms(policy, 1000), 2000);
  policy.base_delay_ms = 0;
  EXPECT_EQ(backoff_cap_ms(policy, 5), 0);
}

TEST(S3Client, EmptyBucketOrKeyIsRejectedBeforeAnyRequest) {
  S3Client::Options options;
  options.endpoint = "http://127.0.0.1:9";
  options.region = "us-east-1";
  S3Client client(options);
  EXPECT_TRUE(contains(error_of(ErrorCode::INVALID_ARGUMENT, [&] { client.get_object("b", ""); }), "key is empty"));
  EXPECT_TRUE(contains(error_of(ErrorCode::INVALID_ARGUMENT, [&] { client.list_all(""); }), "bucket name is empty"));
  EXPECT_EQ(client.stats().requests.load(), 0u);
}

// A port nothing listens on: bound, then closed.
int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

TEST(S3Client, EndpointDownIsSourceErrorNamingHostAndPortAfterRetries) {
  int port = closed_port();
  S3Client::Options options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.region = "us-east-1";
  options.credentials = Credentials{"AKIDEXAMPLE", "VERY-SECRET-KEY", ""};
  options.retry.max_attempts = 3;
  options.retry.base_delay_ms = 1;
  options.error_context = "result writer";
  S3Client client(options);
  std::string message = error_of(ErrorCode::SOURCE_ERROR, [&] { client.get_object("results", "q/1.csv"); });
  EXPECT_TRUE(contains(message, "result writer: ")) << message;
  EXPECT_TRUE(contains(message, "127.0.0.1:" + std::to_string(port))) << message;
  EXPECT_TRUE(contains(message, "(s3://results/q/1.csv)")) << message;
  EXPECT_TRUE(contains(message, "after 3 attempts")) << message;
  EXPECT_FALSE(contains(message, "VERY-SECRET-KEY")) << message;
  EXPECT_EQ(client.stats().requests.load(), 3u);
  EXPECT_EQ(client.stats().retries.load(), 2u);
}

// ---------------------------------------------------------------------------------------
// Live tests against s3rver (path style; it accepts only the key pair S3RVER / S3RVER and
// checks the access key id, not the signature).
// ---------------------------------------------------------------------------------------

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

class S3ClientLive : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = env_or("TRIBUTARY_S3_ENDPOINT", "");
    if (endpoint_.empty()) GTEST_SKIP() << "TRIBUTARY_S3_ENDPOINT not set (scripts/services.sh start s3rver)";
    client_ = std::make_unique<S3Client>(
        options(env_or("TRIBUTARY_S3_ACCESS_KEY_ID", "S3RVER"), env_or("TRIBUTARY_S3_SECRET_ACCESS_KEY", "S3RVER")));
    // One fresh bucket per test: lower-case test name, pid and time.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    bucket_ = "t-" + name.substr(0, 30) + "-" + std::to_string(getpid()) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
    client_->create_bucket(bucket_);
  }

  S3Client::Options options(const std::string& access_key, const std::string& secret) const {
    S3Client::Options options;
    options.endpoint = endpoint_;
    options.region = "us-east-1";
    options.credentials = Credentials{access_key, secret, ""};
    options.retry.max_attempts = 3;
    options.retry.base_delay_ms = 5;
    options.error_context = "s3 test";
    return options;
  }

  std::string endpoint_;
  std::string bucket_;
  std::unique_ptr<S3Client> client_;
};

TEST_F(S3ClientLive, CreateBucketAndBucketExists) {
  EXPECT_TRUE(client_->bucket_exists(bucket_));
  EXPECT_FALSE(client_->bucket_exists(bucket_ + "-missing"));
  EXPECT_TRUE(client_->list_all(bucket_).empty());
}

TEST_F(S3ClientLive, PutGetRoundTripWithAwkwardKeys) {
  const std::vector<std::string> keys = {
      "dir one/file with spaces.txt",
      "plus+sign/a+b=c&d;e,f.csv",
      "unicode/caf\xC3\xA9 \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC.txt",
      "deep/a/b/c/d.json",
      "literal%20percent/100%.txt",
      "quotes'\"<tag>&amp;/x(1)*!~.bin",
      // s3rver keeps objects as files, so keys with "a//b" or dot segments ("a/../b")
      // cannot be checked against it (its file store resolves them); encode_key's test
      // covers how they are sent.
  };
  std::string binary("bytes\0with\xFF nul", 16);
  for (const std::string& key : keys) client_->put_object(bucket_, key, key + ":" + binary, "application/x-test");
  for (const std::string& key : keys) EXPECT_EQ(client_->get_object(bucket_, key), key + ":" + binary) << key;

  std::vector<ObjectInfo> listed = client_->list_all(bucket_);
  std::vector<std::string> listed_keys;
  for (const ObjectInfo& object : listed) listed_keys.push_back(object.key);
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed_keys, expected);
  for (const ObjectInfo& object : listed) EXPECT_EQ(object.size, object.key.size() + 1 + binary.size()) << object.key;

  client_->put_object(bucket_, keys[0], "");  // replaced, empty
  EXPECT_EQ(client_->get_object(bucket_, keys[0]), "");
}

TEST_F(S3ClientLive, RangedGet) {
  client_->put_object(bucket_, "digits.txt", "0123456789");
  EXPECT_EQ(client_->get_object_range(bucket_, "digits.txt", 2, 3), "234");
  EXPECT_EQ(client_->get_object_range(bucket_, "digits.txt", 0, 1), "0");
  EXPECT_EQ(client_->get_object_range(bucket_, "digits.txt", 8, 100), "89");
  EXPECT_EQ(client_->get_object_range(bucket_, "digits.txt", 9, UINT64_MAX), "9");
  EXPECT_EQ(client_->get_object_range(bucket_, "digits.txt", 5, 0), "");
  std::string message =
      error_of(ErrorCode::SOURCE_ERROR, [&] { client_->get_object_range(bucket_, "digits.txt", 10, 5); });
  EXPECT_TRUE(contains(message, "InvalidRange")) << message;
  message = error_of(ErrorCode::NOT_FOUND, [&] { client_->get_object_range(bucket_, "nope.txt", 0, 5); });
  EXPECT_TRUE(contains(message, "NoSuchKey")) << message;
}

TEST_F(S3ClientLive, HeadObject) {
  client_->put_object(bucket_, "dir/report.csv", "a,b\n1,2\n", "text/csv");
  std::optional<ObjectInfo> info = client_->head_object(bucket_, "dir/report.csv");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->key, "dir/report.csv");
  EXPECT_EQ(info->size, 8u);
  EXPECT_EQ(info->etag.size(), 32u) << info->etag;  // MD5 hex, quotes removed
  EXPECT_EQ(info->content_type, "text/csv");
  EXPECT_EQ(info->last_modified.size(), 24u) << info->last_modified;  // 2024-05-01T12:00:00.000Z
  EXPECT_EQ(info->last_modified.back(), 'Z') << info->last_modified;
  // The same facts as the listing gives.
  std::vector<ObjectInfo> listed = client_->list_all(bucket_, "dir/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].etag, info->etag);
  EXPECT_EQ(listed[0].size, info->size);
  EXPECT_EQ(listed[0].last_modified.substr(0, 19), info->last_modified.substr(0, 19));

  EXPECT_FALSE(client_->head_object(bucket_, "dir/missing.csv").has_value());
  EXPECT_FALSE(client_->head_object(bucket_ + "-missing", "dir/report.csv").has_value());
}

TEST_F(S3ClientLive, ListFollowsContinuationTokens) {
  for (int i = 0; i < 20; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "page/key-%02d", i);
    client_->put_object(bucket_, key, std::string(static_cast<size_t>(i), 'x'));
  }
  client_->put_object(bucket_, "other/key", "not listed under page/");

  std::vector<size_t> page_sizes;
  std::vector<std::string> keys;
  std::string token;
  do {
    ListPage page = client_->list_objects_v2(bucket_, "page/", "", token, 7);
    page_sizes.push_back(page.objects.size());
    for (const ObjectInfo& object : page.objects) keys.push_back(object.key);
    EXPECT_EQ(page.truncated, !page.next_continuation_token.empty());
    token = page.next_continuation_token;
  } while (!token.empty() && page_sizes.size() < 10);
  EXPECT_EQ(page_sizes, (std::vector<size_t>{7, 7, 6}));
  ASSERT_EQ(keys.size(), 20u);
  EXPECT_EQ(keys.front(), "page/key-00");
  EXPECT_EQ(keys.back(), "page/key-19");
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));

  std::vector<ObjectInfo> all = client_->list_all(bucket_, "page/");
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all[13].key, "page/key-13");
  EXPECT_EQ(all[13].size, 13u);
  EXPECT_EQ(client_->list_all(bucket_).size(), 21u);
}

TEST_F(S3ClientLive, DelimiterRollsUpCommonPrefixes) {
  for (const char* key : {"lake/year=2023/a.csv", "lake/year=2024/b.csv", "lake/year=2024/c.csv", "lake/top.csv",
                          "lake/with space/d.csv", "elsewhere.csv"}) {
    client_->put_object(bucket_, key, "x");
  }
  ListPage page = client_->list_objects_v2(bucket_, "lake/", "/");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "lake/top.csv");
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"lake/with space/", "lake/year=2023/", "lake/year=2024/"}));
  EXPECT_FALSE(page.truncated);
  ListPage root = client_->list_objects_v2(bucket_, "", "/");
  ASSERT_EQ(root.objects.size(), 1u);
  EXPECT_EQ(root.objects[0].key, "elsewhere.csv");
  EXPECT_EQ(root.common_prefixes, (std::vector<std::string>{"lake/"}));
}

TEST_F(S3ClientLive, DeleteObject) {
  client_->put_object(bucket_, "tmp/x y.csv", "1");
  ASSERT_TRUE(client_->head_object(bucket_, "tmp/x y.csv").has_value());
  client_->delete_object(bucket_, "tmp/x y.csv");
  EXPECT_FALSE(client_->head_object(bucket_, "tmp/x y.csv").has_value());
  EXPECT_TRUE(client_->list_all(bucket_, "tmp/").empty());
  client_->delete_object(bucket_, "tmp/x y.csv");  // already gone: not an error
}

TEST_F(S3ClientLive, MissingKeyOrBucketIsNotFoundNamingIt) {
  std::string message =
      error_of(ErrorCode::NOT_FOUND, [&] { client_->get_object(bucket_, "missing/dir/file name.csv"); });
  EXPECT_TRUE(contains(message, "s3 test: NoSuchKey: ")) << message;
  EXPECT_TRUE(contains(message, "(s3://" + bucket_ + "/missing/dir/file name.csv)")) << message;
  EXPECT_FALSE(contains(message, "after")) << message;  // not retried
  message = error_of(ErrorCode::NOT_FOUND, [&] { client_->get_object(bucket_ + "-missing", "k"); });
  EXPECT_TRUE(contains(message, "NoSuchBucket")) << message;
  message = error_of(ErrorCode::NOT_FOUND, [&] { client_->list_objects_v2(bucket_ + "-missing", "p/"); });
  EXPECT_TRUE(contains(message, "NoSuchBucket")) << message;
  EXPECT_TRUE(contains(message, "(s3://" + bucket_ + "-missing/p/)")) << message;
}

TEST_F(S3ClientLive, WrongAccessKeyIsSourceErrorWithoutSecrets) {
  S3Client wrong(options("NOT-S3RVER", "VERY-SECRET-KEY"));
  std::string message = error_of(ErrorCode::SOURCE_ERROR, [&] { wrong.get_object(bucket_, "k"); });
  EXPECT_TRUE(contains(message, "InvalidAccessKeyId")) << message;
  EXPECT_FALSE(contains(message, "VERY-SECRET-KEY")) << message;
  message = error_of(ErrorCode::SOURCE_ERROR, [&] { wrong.bucket_exists(bucket_); });
  EXPECT_TRUE(contains(message, "HTTP 403")) << message;  // a HEAD answer has no error body
}

TEST_F(S3ClientLive, EndpointDownNamesHostAndPort) {
  int port = closed_port();
  S3Client::Options down = options("S3RVER", "S3RVER");
  down.endpoint = "http://127.0.0.1:" + std::to_string(port);
  down.retry.max_attempts = 2;
  S3Client client(down);
  std::string message = error_of(ErrorCode::SOURCE_ERROR, [&] { client.put_object(bucket_, "k", "v"); });
  EXPECT_TRUE(contains(message, "127.0.0.1:" + std::to_string(port))) << message;
  EXPECT_TRUE(contains(message, "after 2 attempts")) << message;
}

}  // namespace
