// Credential, region and endpoint resolution, following the AWS CLI's order for the
// sources this engine supports (explicit catalog properties, environment, shared files).
// Secrets read here are never put into error messages.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "aws/aws_client.h"
#include "common/error.h"
#include "common/text.h"

namespace tributary::aws {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

std::string home_path(const std::string& relative) {
  std::string home = env("HOME");
  if (home.empty()) return "";
  return home + "/" + relative;
}

// One INI file: section name -> key -> value. Comment lines start with '#' or ';'.
// Keys are lower-cased (the AWS CLI treats them case-insensitively); values are trimmed.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

IniFile read_ini(const std::string& path) {
  IniFile sections;
  std::ifstream in(path);
  if (!in) return sections;
  std::string line;
  std::string section;
  while (std::getline(in, line)) {
    std::string text = trim_ascii(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text.front() == '[') {
      size_t close = text.find(']');
      section = trim_ascii(text.substr(1, close == std::string::npos ? std::string::npos : close - 1));
      sections[section];
      continue;
    }
    size_t equals = text.find('=');
    if (equals == std::string::npos || section.empty()) continue;
    std::string key = trim_ascii(text.substr(0, equals));
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    sections[section][key] = trim_ascii(text.substr(equals + 1));
  }
  return sections;
}

std::string effective_profile(const std::string& profile) {
  if (!profile.empty()) return profile;
  std::string from_env = env("AWS_PROFILE");
  if (!from_env.empty()) return from_env;
  from_env = env("AWS_DEFAULT_PROFILE");
  if (!from_env.empty()) return from_env;
  return "default";
}

std::string credentials_file_path() {
  std::string path = env("AWS_SHARED_CREDENTIALS_FILE");
  return path.empty() ? home_path(".aws/credentials") : path;
}

std::string config_file_path() {
  std::string path = env("AWS_CONFIG_FILE");
  return path.empty() ? home_path(".aws/config") : path;
}

// The profile's section in ~/.aws/config: "[default]" or "[profile name]" (the CLI also
// accepts a bare "[name]" there, so we do too).
const std::map<std::string, std::string>* config_section(const IniFile& config, const std::string& profile) {
  for (const std::string& name : {"profile " + profile, profile}) {
    auto it = config.find(name);
    if (it != config.end()) return &it->second;
  }
  return nullptr;
}

std::string lookup(const std::map<std::string, std::string>& section, const std::string& key) {
  auto it = section.find(key);
  return it == section.end() ? std::string() : it->second;
}

}  // namespace

Credentials resolve_credentials(const std::string& access_key_id, const std::string& secret_access_key,
                                const std::string& session_token, const std::string& profile) {
  if (!access_key_id.empty()) {
    if (secret_access_key.empty()) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "AWS access key id '" + access_key_id +
                                                   "' was given without a secret access key");
    }
    return Credentials{access_key_id, secret_access_key, session_token};
  }
  std::string env_key = env("AWS_ACCESS_KEY_ID");
  std::string env_secret = env("AWS_SECRET_ACCESS_KEY");
  if (!env_key.empty() && !env_secret.empty()) return Credentials{env_key, env_secret, env("AWS_SESSION_TOKEN")};
  std::string name = effective_profile(profile);
  std::string credentials_path = credentials_file_path();
  std::string config_path = config_file_path();
  IniFile credentials_file = read_ini(credentials_path);
  auto section = credentials_file.find(name);
  if (section != credentials_file.end()) {
    std::string key = lookup(section->second, "aws_access_key_id");
    std::string secret = lookup(section->second, "aws_secret_access_key");
    if (!key.empty() && !secret.empty()) {
      return Credentials{key, secret, lookup(section->second, "aws_session_token")};
    }
  }
  // ~/.aws/config may hold static keys as well.
  IniFile config_file = read_ini(config_path);
  if (const auto* config = config_section(config_file, name)) {
    std::string key = lookup(*config, "aws_access_key_id");
    std::string secret = lookup(*config, "aws_secret_access_key");
    if (!key.empty() && !secret.empty()) return Credentials{key, secret, lookup(*config, "aws_session_token")};
  }
  throw_error(ErrorCode::INVALID_ARGUMENT,
              "no AWS credentials found: looked at the catalog properties, AWS_ACCESS_KEY_ID/"
              "AWS_SECRET_ACCESS_KEY, and profile '" +
                  name + "' in " + (credentials_path.empty() ? "~/.aws/credentials" : credentials_path) +
                  " and " + (config_path.empty() ? "~/.aws/config" : config_path));
}

std::string resolve_region(const std::string& explicit_region, const std::string& profile) {
  if (!explicit_region.empty()) return explicit_region;
  std::string region = env("AWS_REGION");
  if (!region.empty()) return region;
  region = env("AWS_DEFAULT_REGION");
  if (!region.empty()) return region;
  std::string config_path = config_file_path();
  if (!config_path.empty()) {
    IniFile config_file = read_ini(config_path);
    if (const auto* config = config_section(config_file, effective_profile(profile))) {
      region = lookup(*config, "region");
      if (!region.empty()) return region;
    }
  }
  return "us-east-1";
}

std::string resolve_endpoint(const std::string& explicit_endpoint, const std::string& service_env_suffix,
                             const std::string& service_host_prefix, const std::string& region) {
  if (!explicit_endpoint.empty()) return explicit_endpoint;
  if (!service_env_suffix.empty()) {
    std::string suffix = service_env_suffix;
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) {
      return c == '-' || c == ' ' ? '_' : static_cast<char>(std::toupper(c));
    });
    std::string endpoint = env(("AWS_ENDPOINT_URL_" + suffix).c_str());
    if (!endpoint.empty()) return endpoint;
  }
  std::string endpoint = env("AWS_ENDPOINT_URL");
  if (!endpoint.empty()) return endpoint;
  return "https://" + service_host_prefix + "." + region + ".amazonaws.com";
}

}  // namespace tributary::aws
