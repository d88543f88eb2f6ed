#include "service/catalogs.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "common/error.h"
#include "common/text.h"
#include "service/lake_catalog.h"

namespace tributary::service {

namespace {

// Lambda deployment settings of Athena's connectors: accepted in a function's properties,
// meaningless for an in-process connector.
const std::set<std::string>& lambda_only_keys() {
  static const std::set<std::string> keys = {
      "spill_bucket", "spill_prefix", "disable_spill_encryption", "LambdaFunctionName", "LambdaMemory",
      "LambdaTimeout", "LambdaRoleARN", "SecurityGroupIds", "SubnetIds", "PermissionsBoundaryARN",
      "kms_key_id", "SecretNamePrefix", "SecretName"};
  return keys;
}

std::string function_of(const DataCatalog& catalog) {
  for (const char* key : {"function", "metadata-function", "record-function"}) {
    auto it = catalog.parameters.find(key);
    if (it != catalog.parameters.end()) return function_name_from_arn(it->second);
  }
  return "";
}

}  // namespace

std::string function_name_from_arn(const std::string& arn_or_name) {
  if (arn_or_name.rfind("arn:", 0) != 0) {
    if (arn_or_name.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "The function name is empty");
    return arn_or_name;
  }
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t colon = arn_or_name.find(':', start);
    parts.push_back(arn_or_name.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 7 || parts[2] != "lambda" || parts[5] != "function" || parts[6].empty())
    throw_error(ErrorCode::INVALID_ARGUMENT,
                "'" + arn_or_name + "' is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)");
  return parts[6];
}

std::string redact_property(const std::string& key, const std::string& value) {
  std::string k = to_lower_ascii(key);
  bool secret = k.find("password") != std::string::npos || k.find("secret") != std::string::npos ||
                k.find("token") != std::string::npos;
  bool connection = k == "default" || k.find("connection") != std::string::npos;
  if (!secret && !connection) return value;
  std::string out = value;
  for (const char* marker : {"password=", "Password="}) {
    size_t pos = out.find(marker);
    while (pos != std::string::npos) {
      size_t start = pos + std::string(marker).size();
      size_t end = out.find_first_of("&;", start);
      out.replace(start, (end == std::string::npos ? out.size() : end) - start, "****");
      pos = out.find(marker, start);
    }
  }
  if (secret && out == value) return "****";
  return out;
}

std::string normalize_function_property(const std::string& key) {
  static const std::map<std::string, std::string> names = {
      {"DefaultConnectionString", "default"}, {"SpillBucket", "spill_bucket"},
      {"SpillPrefix", "spill_prefix"},         {"DisableSpillEncryption", "disable_spill_encryption"}};
  auto it = names.find(key);
  return it == names.end() ? key : it->second;
}

ConnectorProperties connector_properties(const ConnectorFunction& function) {
  ConnectorProperties properties;
  for (const auto& [key, value] : function.properties) {
    std::string name = normalize_function_property(key);
    if (!lambda_only_keys().count(name)) properties[name] = value;
  }
  properties["connector.name"] = function.connector_name;
  return properties;
}

void validate_data_catalog(Metastore& metastore, const DataCatalog& catalog) {
  if (to_lower_ascii(catalog.name) == to_lower_ascii(kAwsDataCatalog) || to_lower_ascii(catalog.name) == "system")
    throw_error(ErrorCode::INVALID_ARGUMENT, "The catalog name '" + catalog.name + "' is reserved");
  switch (catalog.type) {
    case DataCatalogType::LAMBDA: {
      std::string name = function_of(catalog);
      if (name.empty())
        throw_error(ErrorCode::INVALID_ARGUMENT,
                    "A LAMBDA catalog needs the parameter function=arn:aws:lambda:REGION:ACCOUNT:function:NAME "
                    "(or metadata-function= and record-function=)");
      if (!metastore.find_function(name)) {
        std::vector<std::string> names;
        for (const auto& f : metastore.list_functions(1 << 20).items) names.push_back(f.name);
        throw_error(ErrorCode::INVALID_ARGUMENT,
                    "Connector function '" + name + "' does not exist." + did_you_mean(name, names) +
                        " Deploy it with: tributary function create " + name + " --connector TYPE --property KEY=VALUE");
      }
      break;
    }
    case DataCatalogType::FEDERATED:
      if (!catalog.parameters.count("connector.name") && function_of(catalog).empty())
        throw_error(ErrorCode::INVALID_ARGUMENT,
                    "A FEDERATED catalog needs the parameter connector.name (mysql, postgresql, dynamodb, sqlite, "
                    "files) and that connector's properties, or function=NAME");
      break;
    case DataCatalogType::GLUE:
    case DataCatalogType::HIVE: break;
  }
}

ServiceCatalogs::ServiceCatalogs(Metastore& metastore, engine::Engine& engine, const std::string& config_dir,
                                 files::LocalPathPolicy local_paths)
    : metastore_(metastore), engine_(engine), local_paths_(std::move(local_paths)) {
  namespace fs = std::filesystem;
  engine_.add_catalog(kAwsDataCatalog, make_lake_catalog(metastore_, to_lower_ascii(kAwsDataCatalog), local_paths_));
  if (config_dir.empty()) return;
  fs::path functions = fs::path(config_dir) / "function";
  if (fs::is_directory(functions)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(functions))
      if (entry.path().extension() == ".properties") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto properties = engine::read_properties_file(file.string());
      ConnectorFunction function;
      function.name = file.stem().string();
      auto it = properties.find("connector.name");
      if (it == properties.end())
        throw_error(ErrorCode::INVALID_ARGUMENT, file.string() + ": connector.name is missing");
      function.connector_name = it->second;
      properties.erase(it);
      function.properties = properties;
      if (metastore_.find_function(function.name))
        metastore_.update_function(function);
      else
        metastore_.create_function(function);
    }
  }
  if (fs::is_directory(fs::path(config_dir) / "catalog")) {
    for (const auto& entry : fs::directory_iterator(fs::path(config_dir) / "catalog")) {
      if (entry.path().extension() != ".properties") continue;
      auto properties = engine::read_properties_file(entry.path().string());
      config_catalogs_[to_lower_ascii(entry.path().stem().string())] = properties["connector.name"];
    }
    engine_.load_config_dir(config_dir);
  }
}

std::string ServiceCatalogs::fingerprint(const DataCatalog& catalog) {
  std::string text = std::string(to_string(catalog.type)) + "\n";
  for (const auto& [key, value] : catalog.parameters) text += key + "=" + value + "\n";
  std::string function = function_of(catalog);
  if (!function.empty()) {
    if (auto f = metastore_.find_function(function)) {
      text += "function " + f->name + " " + f->connector_name + "\n";
      for (const auto& [key, value] : f->properties) text += key + "=" + value + "\n";
    } else {
      text += "missing function " + function + "\n";
    }
  }
  return text;
}

void ServiceCatalogs::sync() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto catalogs = metastore_.list_data_catalogs(1 << 20).items;
  std::set<std::string> present;
  for (const auto& catalog : catalogs) {
    std::string name = to_lower_ascii(catalog.name);
    present.insert(name);
    if (catalog.type == DataCatalogType::GLUE || catalog.type == DataCatalogType::HIVE) {
      // Another name for the metastore catalog.
      std::string print = "glue";
      if (fingerprints_[name] == print) continue;
      fingerprints_[name] = print;
      engine_.add_catalog(name, make_lake_catalog(metastore_, to_lower_ascii(kAwsDataCatalog), local_paths_));
      continue;
    }
    std::string print = fingerprint(catalog);
    if (fingerprints_.count(name) && fingerprints_[name] == print) continue;
    fingerprints_[name] = print;
    errors_.erase(name);
    try {
      ConnectorProperties properties;
      std::string function = function_of(catalog);
      if (!function.empty()) {
        auto f = metastore_.find_function(function);
        if (!f) throw_error(ErrorCode::NOT_FOUND, "connector function '" + function + "' does not exist");
        properties = connector_properties(*f);
      }
      for (const auto& [key, value] : catalog.parameters)
        if (key != "function" && key != "metadata-function" && key != "record-function")
          properties[normalize_function_property(key)] = value;
      // A local path an API user chose (the catalog's own parameters, or a function whose
      // connector or path they override) is confined; a function's own path is the admin's.
      auto user_set = [&](const std::string& key) {
        for (const auto& [k, v] : catalog.parameters)
          if (normalize_function_property(k) == key) return true;
        return false;
      };
      auto connector = properties.find("connector.name");
      std::string path_key = connector == properties.end()      ? ""
                             : connector->second == "files"  ? "location"
                             : connector->second == "sqlite" ? "database"
                                                             : "";
      if (!path_key.empty() && (function.empty() || user_set(path_key) || user_set("connector.name"))) {
        auto path = properties.find(path_key);
        files::check_local_location(path == properties.end() ? "" : path->second, local_paths_,
                                    connector->second + " catalog " + path_key);
      }
      engine_.add_catalog(name, properties);
    } catch (const Error& e) {
      engine_.drop_catalog(name);
      errors_[name] = e.message();
    }
  }
  for (auto it = fingerprints_.begin(); it != fingerprints_.end();) {
    if (!present.count(it->first)) {
      engine_.drop_catalog(it->first);
      errors_.erase(it->first);
      it = fingerprints_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<ServiceCatalogs::Entry> ServiceCatalogs::list() {
  std::vector<Entry> entries;
  Entry glue;
  glue.name = kAwsDataCatalog;
  glue.type = DataCatalogType::GLUE;
  glue.description = "The tributary metastore (views and, later, external tables)";
  glue.parameters["catalog-id"] = "tributary";
  entries.push_back(glue);
  std::set<std::string> seen = {to_lower_ascii(kAwsDataCatalog)};
  for (const auto& catalog : metastore_.list_data_catalogs(1 << 20).items) {
    Entry entry;
    entry.name = catalog.name;
    entry.type = catalog.type;
    entry.description = catalog.description;
    entry.parameters = catalog.parameters;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = errors_.find(to_lower_ascii(catalog.name));
      if (it != errors_.end()) entry.error = it->second;
    }
    seen.insert(to_lower_ascii(catalog.name));
    entries.push_back(entry);
  }
  for (const auto& [name, connector_name] : config_catalogs_) {
    if (seen.count(name)) continue;
    Entry entry;
    entry.name = name;
    entry.type = DataCatalogType::FEDERATED;
    entry.description = "From the config directory (catalog/" + name + ".properties)";
    entry.parameters["connector.name"] = connector_name;
    entry.from_config = true;
    entries.push_back(entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return to_lower_ascii(a.name) < to_lower_ascii(b.name); });
  return entries;
}

std::optional<ServiceCatalogs::Entry> ServiceCatalogs::find(const std::string& name) {
  for (auto& entry : list())
    if (to_lower_ascii(entry.name) == to_lower_ascii(name)) return entry;
  return std::nullopt;
}

std::map<std::string, std::string> ServiceCatalogs::unavailable() {
  std::lock_guard<std::mutex> lock(mutex_);
  return errors_;
}

std::shared_ptr<Connector> ServiceCatalogs::connector(const std::string& name) {
  sync();
  std::string catalog = to_lower_ascii(name);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = errors_.find(catalog);
    if (it != errors_.end())
      throw_error(ErrorCode::SOURCE_ERROR, "Catalog '" + name + "' is not available: " + it->second);
  }
  return engine_.find_connector(catalog);
}

std::optional<std::string> MetastoreViewStore::find(const std::string& catalog, const std::string& schema,
                                                    const std::string& name) {
  auto view = metastore_.find_view(catalog, schema, name);
  if (!view) return std::nullopt;
  return view->sql;
}

bool MetastoreViewStore::put(const std::string& catalog, const std::string& schema, const std::string& name,
                             const std::string& sql, bool replace) {
  View view;
  view.catalog = catalog;
  view.schema = schema;
  view.name = name;
  view.sql = sql;
  try {
    metastore_.create_view(view, replace);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::ALREADY_EXISTS) return false;
    throw;
  }
  return true;
}

bool MetastoreViewStore::remove(const std::string& catalog, const std::string& schema, const std::string& name) {
  try {
    metastore_.delete_view(catalog, schema, name);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::NOT_FOUND) return false;
    throw;
  }
  return true;
}

std::vector<std::string> MetastoreViewStore::list(const std::string& catalog, const std::string& schema) {
  std::vector<std::string> names;
  for (const auto& view : metastore_.list_views(catalog, schema, 1 << 20).items) names.push_back(view.name);
  return names;
}

}  // namespace tributary::service
