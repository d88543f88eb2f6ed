#include "connectors/files/files_connector.h"

#include "connectors/files/table_writer.h"

#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/file_set.h"
#include "connectors/files/file_table_connector.h"
#include "connectors/files/storage.h"

namespace tributary {

namespace {

using files::FileSet;
using files::FileTableConnector;


// Splits "a int, b decimal(10,2)" at commas outside parentheses.
std::vector<std::string> split_column_list(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

// The catalog's properties checked in the order users fix them: `location` first, then
// unknown keys, then the values of the csv.* options.
files::FileReadOptions checked_options(const std::string& catalog, const ConnectorProperties& properties) {
  require_property(properties, "location", catalog);
  static const std::vector<std::string> known = [] {
    std::vector<std::string> keys = {"connector.name", "location"};
    for (const auto& key : files::read_option_keys()) keys.push_back(key);
    for (const auto& key : files::storage_property_keys()) keys.push_back(key);
    return keys;
  }();
  for (const auto& [key, value] : properties)
    if (key.rfind("table.", 0) == 0 && (key.size() < 8 || key.compare(key.size() - 8, 8, ".columns") != 0))
      throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog + "': property '" + key +
                                                   "' is not of the form table.<schema>.<table>.columns");
  check_property_keys(properties, known, "Catalog '" + catalog + "'",
                      [](const std::string& key) { return key.rfind("table.", 0) == 0; });
  return files::read_options(properties, catalog);
}

// A `files` catalog: <location>/<schema>/<table>.<ext> or <location>/<schema>/<table>/.
class FilesConnector : public FileTableConnector {
 public:
  FilesConnector(const std::string& catalog, const ConnectorProperties& properties)
      : FileTableConnector(catalog, checked_options(catalog, properties)) {
    location_ = require_property(properties, "location", catalog_);
    while (location_.size() > 1 && location_.back() == '/') location_.pop_back();
    for (const auto& [key, value] : properties)
      if (key.rfind("table.", 0) == 0) table_columns_[to_lower_ascii(key.substr(6, key.size() - 14))] = value;
    try {
      storage_ = files::storage_for(location_, properties, catalog_);
    } catch (const Error& e) {
      invalid(e.message());
    }
    if (files::is_s3_location(location_)) {
      // Checked at the first query instead: the bucket may be created after the catalog.
    } else if (!storage_->is_folder(location_)) {
      invalid("property 'location' must name an existing directory, got '" + location_ + "'");
    }
  }

  std::string type() const override { return "files"; }

  std::vector<std::string> list_schemas() override {
    std::vector<std::string> schemas;
    for (const auto& e : storage_->list(location_))
      if (e.directory) schemas.push_back(to_lower_ascii(e.name));
    std::sort(schemas.begin(), schemas.end());
    schemas.erase(std::unique(schemas.begin(), schemas.end()), schemas.end());
    return schemas;
  }

  // CREATE TABLE AS: a folder <location>/<schema>/<table>/ of new files (the schema folder is
  // created when missing); Hive partition folders for partitioned_by.
  std::unique_ptr<TableWriteSession> begin_create_table_as(const TableDefinition& table,
                                                           const WriteContext& context) override {
    std::string key = catalog_ + "." + table.schema + "." + table.name;
    if (locate(table.schema, table.name)) throw_error(ErrorCode::ALREADY_EXISTS, "Table '" + key + "' already exists");
    std::string dir = schema_dir(table.schema);
    if (dir.empty()) dir = location_ + "/" + table.schema;
    std::string folder = dir + "/" + table.name;
    if (!table.location.empty())
      throw_error(ErrorCode::NOT_SUPPORTED, "A files catalog writes its tables under its location ('" + folder +
                                                "'): leave out external_location");
    // Claimed until the session ends: a second CREATE TABLE AS of the table meanwhile is refused.
    auto claim = files::claim_write_location(folder);
    if (storage_->has_any(folder))
      throw_error(ErrorCode::ALREADY_EXISTS, "Target directory for table '" + key + "' already exists: " + folder);
    files::WriteOptions options;
    options.format = files::parse_write_format(table.format, "CREATE TABLE AS");
    if (options.format == files::WriteFormat::TEXTFILE)
      throw_error(ErrorCode::NOT_SUPPORTED, "A files catalog reads text by extension: use format 'CSV' (or PARQUET, JSON)");
    check_property_keys(table.properties, {"write_compression", "format", "partitioned_by"}, "CREATE TABLE AS");
    auto compression = table.properties.find("write_compression");
    options.compression =
        files::checked_compression(options.format, compression == table.properties.end() ? "" : compression->second);
    std::vector<std::string> names;
    std::vector<Type> types;
    for (const auto* list : {&table.columns, &table.partition_columns})
      for (const auto& c : *list) {
        names.push_back(c.name);
        types.push_back(parse_type_name(c.type));
      }
    auto writer = std::make_unique<files::TableFileWriter>(*storage_, folder, names, types,
                                                           table.partition_columns.size(), options, context.query_id);
    return std::make_unique<files::FilesWriteSession>(storage_, std::move(writer), nullptr, nullptr, claim);
  }

  // INSERT INTO a folder table: new files beside the others, in the table's format.
  std::unique_ptr<TableWriteSession> begin_insert(const std::string& schema, const std::string& table,
                                                  const WriteContext& context) override {
    std::string key = catalog_ + "." + to_lower_ascii(schema) + "." + to_lower_ascii(table);
    auto located = locate(schema, table);
    auto metadata = get_table(schema, table);
    if (!located || !metadata) throw_error(ErrorCode::NOT_FOUND, "Table '" + key + "' does not exist");
    if (!storage_->is_folder(located->files.path))
      throw_error(ErrorCode::NOT_SUPPORTED, "INSERT INTO '" + key + "' is not supported: the table is one file (" +
                                                located->files.path + "); tables that are folders take new files");
    files::WriteOptions options;
    auto family = located->files.family.value_or(files::FormatFamily::PARQUET);
    options.format = family == files::FormatFamily::PARQUET ? files::WriteFormat::PARQUET
                     : family == files::FormatFamily::JSON  ? files::WriteFormat::JSON
                                                            : files::WriteFormat::CSV;
    if (options.format == files::WriteFormat::CSV &&
        (options_.csv.delimiter != ',' || !options_.csv.header || !options_.csv.null_string.empty()))
      throw_error(ErrorCode::NOT_SUPPORTED, "INSERT INTO '" + key + "' is not supported: the catalog's csv.* settings "
                                                "differ from the CSV it writes (',' with a header, NULL as empty)");
    options.compression = files::checked_compression(options.format, "NONE");
    options.write_empty_file = false;
    std::vector<std::string> names;
    std::vector<Type> types;
    for (const auto& c : metadata->columns) {
      names.push_back(to_lower_ascii(c.name));
      types.push_back(c.type);
    }
    auto writer = std::make_unique<files::TableFileWriter>(*storage_, located->files.path, names, types,
                                                           located->files.partition_keys.size(), options,
                                                           context.query_id);
    return std::make_unique<files::FilesWriteSession>(storage_, std::move(writer));
  }

  std::vector<std::string> list_tables(const std::string& schema) override {
    std::string dir = schema_dir(schema);
    if (dir.empty()) return {};
    std::set<std::string> names;
    for (const auto& e : storage_->list(dir)) {
      if (e.directory) {
        if (files::holds_table(storage_->list(dir + "/" + e.name))) names.insert(to_lower_ascii(e.name));
      } else if (auto name = file_table_name(e)) {
        names.insert(*name);
      }
    }
    return {names.begin(), names.end()};
  }

 protected:
  std::optional<LocatedTable> locate(const std::string& schema, const std::string& table) override {
    std::string dir = schema_dir(schema);
    if (dir.empty()) return std::nullopt;
    auto entries = storage_->list(dir);
    std::set<std::string> names;
    for (const auto& e : entries)
      if (!e.directory) names.insert(e.name);
    // The first entry by name that is a table of this name wins.
    for (const auto& e : entries) {
      std::string full = dir + "/" + e.name;
      LocatedTable located;
      located.schema = to_lower_ascii(schema);
      located.name = to_lower_ascii(table);
      if (e.directory) {
        if (to_lower_ascii(e.name) != located.name) continue;
        auto inner = storage_->list(full);
        if (!files::holds_table(inner)) continue;
        located.files = files::discover_folder(storage_, full, inner, std::nullopt);
        if (names.count(e.name + ".schema")) located.sidecar = full + ".schema";
      } else {
        auto name = file_table_name(e);
        if (!name || *name != located.name) continue;
        auto file = files::data_file(dir, e, std::nullopt);
        located.files.path = full;
        located.files.storage = storage_;
        located.files.family = files::family_of(file->format);
        located.files.files.push_back(*file);
        // The sidecar keeps the file's own spelling of the stem: Orders.csv -> Orders.schema.
        std::string base = e.name.substr(0, name->size());
        if (names.count(base + ".schema")) located.sidecar = dir + "/" + base + ".schema";
      }
      std::string key = located.schema + "." + located.name;
      auto property = table_columns_.find(key);
      if (property != table_columns_.end()) {
        located.column_items = split_column_list(property->second);
        located.column_origin = "property 'table." + key + ".columns'";
      }
      return located;
    }
    return std::nullopt;
  }

  std::string describe_table(const std::string& schema, const std::string& table) const override {
    return "Catalog '" + catalog_ + "', table '" + catalog_ + "." + to_lower_ascii(schema) + "." + to_lower_ascii(table) + "'";
  }

 private:
  // The table name a data file gives (its name without extensions), if it is a data file.
  static std::optional<std::string> file_table_name(const files::StorageEntry& e) {
    files::FileFormat format;
    files::Compression compression;
    std::string stem;
    if (!files::classify_file(e.name, &format, &compression, &stem) || stem.empty()) return std::nullopt;
    return stem;
  }

  std::string schema_dir(const std::string& schema) const {
    for (const auto& e : storage_->list(location_))
      if (e.directory && to_lower_ascii(e.name) == to_lower_ascii(schema)) return location_ + "/" + e.name;
    return "";
  }

  std::string location_;
  std::shared_ptr<files::Storage> storage_;
  std::map<std::string, std::string> table_columns_;  // "schema.table" -> column list
};

}  // namespace

std::shared_ptr<Connector> make_files_connector(const std::string& catalog_name, const ConnectorProperties& properties) {
  return std::make_shared<FilesConnector>(catalog_name, properties);
}

uint64_t files_rejected_values(const Connector& connector) {
  const auto* files = dynamic_cast<const files::FileTableConnector*>(&connector);
  return files ? files->rejected_values() : 0;
}

void register_files_connector() { register_connector_factory("files", make_files_connector); }

}  // namespace tributary
