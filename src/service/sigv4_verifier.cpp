// The checks run in the order AWS's JSON services run them (recorded in dynalite, which
// mimics DynamoDB's answers), so a request with several faults gets the error AWS would
// give. Messages are AWS's wording, trailing spaces included. The canonical request is
// built from the SignedHeaders list alone (a client may sign headers our own signer
// would leave out, such as User-Agent) with the helpers the client-side signer uses, so
// both sides canonicalize paths, queries and header values the same way.
#include "service/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "aws/aws_client.h"
#include "aws/sigv4_internal.h"
#include "common/text.h"

namespace tributary::service {
namespace {

namespace sigv4 = aws::sigv4_internal;

AuthResult failure(AuthFailure kind, std::string message, std::string access_key_id = "") {
  AuthResult result;
  result.failure = kind;
  result.message = std::move(message);
  result.access_key_id = std::move(access_key_id);
  return result;
}

// All values of a header (case-insensitive name), in the order received.
std::vector<std::string> header_values(const IncomingRequest& request, const std::string& lower_name) {
  std::vector<std::string> values;
  for (const auto& [name, value] : request.headers) {
    if (sigv4::lower(name) == lower_name) values.push_back(value);
  }
  return values;
}

std::optional<std::string> first_header(const IncomingRequest& request, const std::string& lower_name) {
  for (const auto& [name, value] : request.headers) {
    if (sigv4::lower(name) == lower_name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (true) {
    size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::optional<int64_t> epoch_of(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

bool all_digits(const std::string& text, size_t begin, size_t count) {
  if (begin + count > text.size()) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(begin),
                     text.begin() + static_cast<std::ptrdiff_t>(begin + count),
                     [](unsigned char c) { return std::isdigit(c); });
}

int number_at(const std::string& text, size_t begin, size_t count) { return std::stoi(text.substr(begin, count)); }

// "20150830T123600Z".
std::optional<int64_t> parse_iso8601_basic(const std::string& text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !all_digits(text, 0, 8) || !all_digits(text, 9, 6)) {
    return std::nullopt;
  }
  return epoch_of(number_at(text, 0, 4), number_at(text, 4, 2), number_at(text, 6, 2), number_at(text, 9, 2),
                  number_at(text, 11, 2), number_at(text, 13, 2));
}

// RFC 1123 as HTTP sends it ("Sun, 30 Aug 2015 12:36:00 GMT"); botocore writes the zone
// as "-0000", so numeric zones are accepted too.
std::optional<int64_t> parse_http_date(const std::string& text) {
  static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string rest = trim_ascii(text);
  size_t comma = rest.find(',');
  if (comma != std::string::npos) rest = trim_ascii(rest.substr(comma + 1));
  std::vector<std::string> fields;
  for (const std::string& field : split(rest, ' ')) {
    if (!field.empty()) fields.push_back(field);
  }
  if (fields.size() != 5) return std::nullopt;
  const std::string& day = fields[0];
  const std::string& clock = fields[3];
  const std::string& zone = fields[4];
  std::string month_name = sigv4::lower(fields[1]);
  auto month = std::find(std::begin(months), std::end(months), month_name);
  if ((day.size() != 1 && day.size() != 2) || !all_digits(day, 0, day.size()) || month == std::end(months) ||
      fields[2].size() != 4 || !all_digits(fields[2], 0, 4) || clock.size() != 8 || clock[2] != ':' ||
      clock[5] != ':' || !all_digits(clock, 0, 2) || !all_digits(clock, 3, 2) || !all_digits(clock, 6, 2)) {
    return std::nullopt;
  }
  int offset_seconds = 0;
  if (zone == "GMT" || zone == "UTC" || zone == "UT" || zone == "Z") {
    offset_seconds = 0;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone, 1, 4)) {
    offset_seconds = (number_at(zone, 1, 2) * 3600 + number_at(zone, 3, 2) * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  auto local = epoch_of(number_at(fields[2], 0, 4), static_cast<int>(month - std::begin(months)) + 1,
                        number_at(day, 0, day.size()), number_at(clock, 0, 2), number_at(clock, 3, 2),
                        number_at(clock, 6, 2));
  if (!local) return std::nullopt;
  return *local - offset_seconds;
}

std::string iso8601_basic(int64_t epoch_seconds) {
  std::time_t time = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

bool valid_region(const std::string& region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

// The Authorization header's key=value parameters (Credential, SignedHeaders, Signature,
// separated by commas and/or spaces), or the IncompleteSignature message.
struct AuthorizationHeader {
  std::string algorithm;
  std::map<std::string, std::string> parameters;
};

std::optional<std::string> parse_authorization(const std::string& header, AuthorizationHeader& parsed) {
  std::string text = trim_ascii(header);
  size_t space = text.find_first_of(" \t");
  parsed.algorithm = text.substr(0, space);
  if (space == std::string::npos) return std::nullopt;
  std::string piece;
  auto flush = [&]() -> std::optional<std::string> {
    if (piece.empty()) return std::nullopt;
    size_t equals = piece.find('=');
    if (equals == std::string::npos) {
      return "'" + piece + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + text + "'.";
    }
    parsed.parameters[piece.substr(0, equals)] = piece.substr(equals + 1);
    piece.clear();
    return std::nullopt;
  };
  for (size_t i = space; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' || c == ' ' || c == '\t') {
      if (auto error = flush()) return error;
    } else {
      piece.push_back(c);
    }
  }
  return flush();
}

// The canonical request over exactly the signed headers. A signed header the request
// does not carry counts as empty (the signature will not match unless it was signed so).
std::string canonical_request(const IncomingRequest& request, const std::vector<std::string>& signed_headers,
                              const std::string& signed_header_list, const std::string& payload_hash,
                              bool s3_path, bool redact_security_token) {
  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string out = method + "\n" + sigv4::canonical_uri(request.path, s3_path) + "\n" +
                    sigv4::canonical_query(request.query) + "\n";
  for (const std::string& name : signed_headers) {
    std::string lower_name = sigv4::lower(name);
    std::string joined;
    for (const std::string& value : header_values(request, lower_name)) {
      if (!joined.empty()) joined += ',';
      joined += sigv4::collapse_whitespace(value);
    }
    if (redact_security_token && lower_name == "x-amz-security-token") joined = "****";
    out += name + ":" + joined + "\n";
  }
  return out + "\n" + signed_header_list + "\n" + payload_hash;
}

}  // namespace

std::string AuthResult::error_code() const {
  switch (failure) {
    case AuthFailure::None: return "";
    case AuthFailure::MissingAuthentication: return "MissingAuthenticationTokenException";
    case AuthFailure::IncompleteSignature: return "IncompleteSignatureException";
    case AuthFailure::UnrecognizedClient: return "UnrecognizedClientException";
    case AuthFailure::InvalidSignature:
    case AuthFailure::SignatureExpired: return "InvalidSignatureException";
  }
  return "InvalidSignatureException";
}

int AuthResult::http_status() const { return ok() ? 200 : 400; }

AuthResult verify_sigv4(const IncomingRequest& request, const SecretLookup& lookup_secret, int64_t now_epoch_seconds,
                        const std::string& expected_service) {
  std::optional<std::string> authorization = first_header(request, "authorization");
  if (!authorization || trim_ascii(*authorization).rfind("AWS4-", 0) != 0) {
    return failure(AuthFailure::MissingAuthentication, "Request is missing Authentication Token");
  }
  std::string header_text = trim_ascii(*authorization);
  AuthorizationHeader parsed;
  if (auto error = parse_authorization(header_text, parsed)) return failure(AuthFailure::IncompleteSignature, *error);

  std::optional<std::string> amz_date = first_header(request, "x-amz-date");
  std::optional<std::string> http_date = amz_date ? std::nullopt : first_header(request, "date");
  std::string missing;
  for (const char* name : {"Credential", "Signature", "SignedHeaders"}) {
    auto it = parsed.parameters.find(name);
    bool empty_allowed = std::string(name) == "SignedHeaders";  // then host is reported unsigned
    if (it == parsed.parameters.end() || (it->second.empty() && !empty_allowed)) {
      missing += std::string("Authorization header requires '") + name + "' parameter. ";
    }
  }
  if (!amz_date && !http_date) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) return failure(AuthFailure::IncompleteSignature, missing + "Authorization=" + header_text);

  std::string date_text = trim_ascii(amz_date ? *amz_date : *http_date);
  std::optional<int64_t> request_time = parse_iso8601_basic(date_text);
  if (!request_time && !amz_date) request_time = parse_http_date(date_text);
  if (!request_time) {
    return failure(AuthFailure::IncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" + date_text +
                                                         "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  std::string timestamp = iso8601_basic(*request_time);
  if (*request_time < now_epoch_seconds - kMaxClockSkewSeconds) {
    return failure(AuthFailure::SignatureExpired,
                   "Signature expired: " + timestamp + " is now earlier than " +
                       iso8601_basic(now_epoch_seconds - kMaxClockSkewSeconds) + " (" +
                       iso8601_basic(now_epoch_seconds) + " - 15 min.)");
  }
  if (*request_time > now_epoch_seconds + kMaxClockSkewSeconds) {
    return failure(AuthFailure::SignatureExpired,
                   "Signature not yet current: " + timestamp + " is still later than " +
                       iso8601_basic(now_epoch_seconds + kMaxClockSkewSeconds) + " (" +
                       iso8601_basic(now_epoch_seconds) + " + 15 min.)");
  }

  const std::string& signed_header_list = parsed.parameters["SignedHeaders"];
  std::vector<std::string> signed_headers;
  for (const std::string& name : split(signed_header_list, ';')) {
    if (!name.empty()) signed_headers.push_back(name);
  }
  if (std::none_of(signed_headers.begin(), signed_headers.end(),
                   [](const std::string& name) { return sigv4::lower(name) == "host"; })) {
    return failure(AuthFailure::InvalidSignature,
                   "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  if (parsed.algorithm != sigv4::kAlgorithm) {
    return failure(AuthFailure::IncompleteSignature,
                   "Unsupported AWS 'algorithm': '" + parsed.algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
  }

  std::string credential = parsed.parameters["Credential"];
  std::string scope_text = credential;
  while (!scope_text.empty() && scope_text.back() == '/') scope_text.pop_back();  // AWS ignores trailing slashes
  std::vector<std::string> scope = split(scope_text, '/');
  if (scope.size() != 5) {
    return failure(AuthFailure::IncompleteSignature,
                   "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                   "got '" + credential + "'");
  }
  const std::string& access_key_id = scope[0];
  const std::string& scope_date = scope[1];
  const std::string& region = scope[2];
  std::string scope_errors;
  if (!valid_region(region)) scope_errors += "Credential should be scoped to a valid region, not '" + region + "'. ";
  if (scope[3] != expected_service) {
    scope_errors += "Credential should be scoped to correct service: '" + expected_service + "'. ";
  }
  if (scope[4] != "aws4_request") {
    scope_errors += "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'. ";
  }
  if (scope_date != timestamp.substr(0, 8)) {
    scope_errors += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                    scope_date + "' != '" + timestamp.substr(0, 8) + "', from '" + timestamp + "'.";
  }
  if (!scope_errors.empty()) return failure(AuthFailure::InvalidSignature, scope_errors, access_key_id);

  std::optional<std::string> secret = lookup_secret(access_key_id);
  if (!secret) {
    return failure(AuthFailure::UnrecognizedClient, "The security token included in the request is invalid.",
                   access_key_id);
  }

  // A signed X-Amz-Content-SHA256 would otherwise let a replayed signature carry another
  // body, so it must be the body's hash (UNSIGNED-PAYLOAD is refused the same way).
  std::string payload_hash = aws::sha256_hex(request.body);
  if (std::optional<std::string> declared = first_header(request, "x-amz-content-sha256")) {
    std::string value = trim_ascii(*declared);
    if (sigv4::lower(value) != payload_hash) {
      return failure(AuthFailure::InvalidSignature,
                     "The provided 'x-amz-content-sha256' header does not match what was computed.", access_key_id);
    }
    payload_hash = value;
  }

  bool s3_path = expected_service == "s3";
  std::string scope_string = scope_date + "/" + region + "/" + scope[3] + "/aws4_request";
  std::string canonical =
      canonical_request(request, signed_headers, signed_header_list, payload_hash, s3_path, false);
  std::string string_to_sign = sigv4::string_to_sign(timestamp, scope_string, canonical);
  std::string expected =
      sigv4::to_hex(sigv4::hmac_sha256(sigv4::signing_key(*secret, scope_date, region, scope[3]), string_to_sign));
  std::string provided = sigv4::lower(trim_ascii(parsed.parameters["Signature"]));
  if (provided.size() != expected.size() || CRYPTO_memcmp(provided.data(), expected.data(), expected.size()) != 0) {
    // AWS shows the client what it should have signed; the session token is redacted
    // (the string to sign keeps the hash of the real canonical request).
    std::string shown = canonical_request(request, signed_headers, signed_header_list, payload_hash, s3_path, true);
    return failure(AuthFailure::InvalidSignature,
                   "The request signature we calculated does not match the signature you provided. Check your AWS "
                   "Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                   "The Canonical String for this request should have been\n'" + shown +
                       "'\n\nThe String-to-Sign should have been\n'" +
                       string_to_sign + "'\n",
                   access_key_id);
  }
  AuthResult result;
  result.access_key_id = access_key_id;
  return result;
}

}  // namespace tributary::service
