#include "service/lake_catalog.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/compressed_input.h"
#include "connectors/files/csv_reader.h"
#include "connectors/files/file_table_connector.h"
#include "connectors/files/partition_columns_source.h"
#include "connectors/files/partitions.h"
#include "connectors/files/json_reader.h"
#include "connectors/files/parquet_source.h"
#include "connectors/files/storage.h"
#include "connectors/files/table_writer.h"
#include "function/cast.h"

namespace tributary::service {

namespace {

enum class LakeFormat { TEXT, JSON, PARQUET };

LakeFormat lake_format(const ExternalTable& table) {
  std::string format = to_lower_ascii(table.format);
  if (format == "parquet") return LakeFormat::PARQUET;
  if (format == "json") return LakeFormat::JSON;
  return LakeFormat::TEXT;
}

std::string join_path(const std::string& folder, const std::string& name) {
  if (!folder.empty() && folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

std::string trim_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// file:///x -> /x (the files Storage takes local paths and s3:// URIs).
std::string storage_path(const std::string& location) {
  if (location.rfind("file://", 0) == 0) return trim_slash(location.substr(7));
  return trim_slash(location);
}

class LakeSplit : public Split {
 public:
  std::string path;
  uint64_t size = 0;
  uint64_t start = 0, end = UINT64_MAX;  // text: the byte range of this split
  int row_group = -1;
  std::shared_ptr<parquet::ParquetFile> parquet;
  std::vector<Value> partition_values;  // typed, one per partition column
  std::string describe() const override {
    if (row_group >= 0) return path + " row group " + std::to_string(row_group);
    if (start > 0 || end != UINT64_MAX)
      return path + " bytes " + std::to_string(start) + "-" + (end == UINT64_MAX ? std::to_string(size) : std::to_string(end));
    return path;
  }
};

// A delimiter as DDL writes it: one character, or Hive's escapes '\t', '\001' (octal) and
// '\u0001' (SHOW CREATE TABLE prints control characters that way).
char delimiter_char(const std::string& text) {
  if (text.size() >= 2 && text[0] == '\\') {
    if (text == "\\t") return '\t';
    if (text == "\\n") return '\n';
    if (text[1] == 'u' && text.size() == 6 && std::isxdigit((unsigned char)text[2]))
      return (char)std::stoi(text.substr(2), nullptr, 16);
    if (std::isdigit((unsigned char)text[1])) return (char)std::stoi(text.substr(1), nullptr, 8);
  }
  return text[0];
}

// A SQL string literal; control characters as Hive's \uXXXX (read back by delimiter_char).
std::string sql_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if ((unsigned char)c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", (unsigned char)c);
      out += buffer;
      continue;
    }
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Engine type -> the Hive type name the metastore keeps (the inverse of hive_type()).
std::string to_hive_type(const Type& type, const std::string& column) {
  switch (type.id) {
    case TypeId::BOOLEAN: return "boolean";
    case TypeId::TINYINT: return "tinyint";
    case TypeId::SMALLINT: return "smallint";
    case TypeId::INTEGER: return "int";
    case TypeId::BIGINT: return "bigint";
    case TypeId::REAL: return "float";
    case TypeId::DOUBLE: return "double";
    case TypeId::DECIMAL: return "decimal(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case TypeId::VARCHAR: return "string";  // varchar(n) from literals would only truncate later inserts
    case TypeId::VARBINARY: return "binary";
    case TypeId::DATE: return "date";
    case TypeId::TIMESTAMP: return "timestamp";
    default:
      throw_error(ErrorCode::NOT_SUPPORTED, "Column '" + column + "' of type " + type.to_string() +
                                                " cannot be stored in a table (cast it to varchar or a number)");
  }
}

class LakeCatalog : public Connector {
 public:
  LakeCatalog(Metastore& metastore, std::string catalog, files::LocalPathPolicy policy)
      : metastore_(metastore), catalog_(std::move(catalog)), policy_(std::move(policy)) {}
  std::string type() const override { return "glue"; }

  std::vector<std::string> list_schemas() override {
    std::set<std::string> schemas = {"default"};
    for (const auto& d : metastore_.list_databases(catalog_)) schemas.insert(to_lower_ascii(d.name));
    for (const auto& view : metastore_.list_views(catalog_, "", 1 << 20).items) schemas.insert(view.schema);
    return {schemas.begin(), schemas.end()};
  }
  std::vector<std::string> list_tables(const std::string& schema) override {
    std::vector<std::string> names;
    for (const auto& t : metastore_.list_tables(catalog_, to_lower_ascii(schema))) names.push_back(to_lower_ascii(t.name));
    return names;
  }
  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    auto found = metastore_.find_table(catalog_, to_lower_ascii(schema), to_lower_ascii(table));
    if (!found) return std::nullopt;
    TableMetadata meta;
    meta.schema = to_lower_ascii(schema);
    meta.name = to_lower_ascii(table);
    for (const auto& c : found->columns) meta.columns.push_back({to_lower_ascii(c.name), hive_type(c.type), true, c.comment});
    for (const auto& c : found->partition_keys)
      meta.columns.push_back({to_lower_ascii(c.name), hive_type(c.type), true, "partition key"});
    meta.location = found->location;
    return meta;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    PushdownResult result;
    auto def = definition(table);
    auto parts = partitions(def, table, request);
    size_t registered = def.partition_keys.empty() ? 0 : metastore_.list_partitions(catalog_, def.database, def.name).size();
    std::string text = "lake: " + def.location + " (" + to_lower_ascii(def.format.empty() ? "textfile" : def.format) + ")";
    if (!def.partition_keys.empty()) {
      text += ", partitions: " + std::to_string(parts.size()) + " of " + std::to_string(registered) + " after pruning";
      // Pruning decides filters on partition columns alone exactly: the engine need not re-check them.
      std::vector<int> partition_columns;
      for (size_t i = def.columns.size(); i < table.columns.size(); i++) partition_columns.push_back((int)i);
      auto exact = files::partition_pushdown(partition_columns, request);
      result.constraint_enforced = exact.constraint_enforced;
      result.expressions_enforced = exact.expressions_enforced;
    }
    result.details.push_back(text);
    return result;
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    auto def = definition(table);
    auto storage = storage_for(def);
    LakeFormat format = lake_format(def);
    std::vector<std::shared_ptr<Split>> splits;
    size_t data_columns = def.columns.size();
    std::vector<std::pair<std::string, std::pair<files::StorageEntry, std::vector<Value>>>> found;
    uint64_t total = 0;
    for (const auto& [folder, values] : partitions(def, table, request)) {
      for (const auto& entry : storage->list(folder)) {
        if (entry.directory) continue;
        found.push_back({join_path(folder, entry.name), {entry, values}});
        total += entry.size;
      }
    }
    // Large uncompressed text files are read in byte ranges by several workers, unless quoted
    // fields may hold line breaks.
    uint64_t target = files::split_target(total, max_parallelism, 32ull << 20);
    bool text_splittable = format == LakeFormat::JSON || (format == LakeFormat::TEXT && csv_options(def).quote == '\0');
    {
      for (const auto& [path, entry_values] : found) {
        const auto& [entry, values] = entry_values;
        if (format == LakeFormat::PARQUET) {
          auto footer = files::open_parquet(storage, path, entry.size);
          std::vector<ColumnMetadata> data(table.columns.begin(), table.columns.begin() + (long)data_columns);
          auto mapping = files::pruning_columns(*footer, data);
          for (size_t i = data_columns; i < table.columns.size(); i++) mapping.push_back(-1);
          for (int g = 0; g < (int)footer->row_groups().size(); g++) {
            if (!files::row_group_may_match(*footer, g, mapping, request.constraint)) continue;
            auto split = std::make_shared<LakeSplit>();
            split->path = path;
            split->size = entry.size;
            split->row_group = g;
            split->parquet = footer;
            split->partition_values = values;
            splits.push_back(split);
          }
        } else {
          bool splittable = text_splittable && files::compression_from_path(path) == files::Compression::NONE;
          for (const auto& [start, end] : files::text_byte_ranges(entry.size, target, splittable)) {
            auto split = std::make_shared<LakeSplit>();
            split->path = path;
            split->size = entry.size;
            split->start = start;
            split->end = end;
            split->partition_values = values;
            splits.push_back(split);
          }
        }
      }
    }
    return splits;
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split, const ScanRequest& request) override {
    const auto* lake = dynamic_cast<const LakeSplit*>(&split);
    if (!lake) throw_error(ErrorCode::INTERNAL_ERROR, "AwsDataCatalog was given a foreign split");
    auto def = definition(table);
    size_t data_columns = def.columns.size();
    // Output columns that come from the files, and those filled from the partition values.
    std::vector<int> data_request;
    std::vector<files::OutputColumn> outputs;
    bool only_data = true;
    for (int c : request.columns) {
      if ((size_t)c < data_columns) {
        outputs.push_back({(int)data_request.size(), Value()});
        data_request.push_back(c);
      } else {
        outputs.push_back({-1, lake->partition_values.at((size_t)c - data_columns)});
        only_data = false;
      }
    }
    std::vector<Type> data_types;
    for (int c : data_request) data_types.push_back(table.columns.at(c).type);
    std::unique_ptr<PageSource> data;
    auto storage = storage_for(def);
    try {
      switch (lake_format(def)) {
        case LakeFormat::PARQUET: {
          std::vector<ColumnMetadata> wanted;
          for (int c : data_request) wanted.push_back(table.columns.at(c));
          auto mapping = files::map_parquet_columns(*lake->parquet, wanted);
          for (size_t i = 0; i < mapping.size(); i++)
            if (mapping[i] >= 0 && !(lake->parquet->columns()[mapping[i]].type == data_types[i]) &&
                !(data_types[i].id == lake->parquet->columns()[mapping[i]].type.id &&
                  (data_types[i].id == TypeId::VARCHAR || data_types[i].id == TypeId::TIMESTAMP)))
              throw_error(ErrorCode::TYPE_MISMATCH, "column '" + wanted[i].name + "' is " +
                                                        lake->parquet->columns()[mapping[i]].type.to_string() + " in '" +
                                                        lake->path + "' but " + data_types[i].to_string() +
                                                        " in the table");
          auto filters = compile_domain_filters(request.constraint, data_request, data_types);
          for (size_t i = 0; i < mapping.size(); i++)  // only where the file holds the table's exact type
            if (mapping[i] < 0 || !(lake->parquet->columns()[mapping[i]].type == data_types[i])) filters[i].reset();
          data = files::make_parquet_page_source(lake->parquet, lake->row_group, mapping, data_types, std::move(filters));
          break;
        }
        case LakeFormat::JSON: {
          files::JsonScan scan;
          scan.range = files::TextRange{lake->path, files::compression_from_path(lake->path), lake->start, lake->end, storage};
          for (int c : data_request) scan.names.push_back(table.columns.at(c).name);
          scan.types = data_types;
          data = files::make_json_page_source(std::move(scan));
          break;
        }
        case LakeFormat::TEXT: {
          files::CsvScan scan;
          scan.range = files::TextRange{lake->path, files::compression_from_path(lake->path), lake->start, lake->end, storage};
          scan.options = csv_options(def);
          scan.skip_header = scan.options.header && lake->start == 0;
          scan.field_indexes = data_request;
          scan.types = data_types;
          data = files::make_csv_page_source(std::move(scan));
          break;
        }
      }
    } catch (const Error& e) {
      throw_error(e.code(), "Table '" + def.database + "." + def.name + "': " + e.message());
    }
    if (only_data) return data;
    return files::add_partition_columns(std::move(data), data_types, std::move(outputs));
  }

  // --- DDL ---------------------------------------------------------------------------------
  void create_schema(const std::string& schema, const std::string& location,
                     const std::map<std::string, std::string>& properties, bool if_not_exists) override {
    if (schema == "default" || schema == "information_schema") {
      if (if_not_exists) return;
      throw_error(ErrorCode::ALREADY_EXISTS, "Database '" + schema + "' already exists");
    }
    Database database{catalog_, schema, "", location, properties, 0};
    metastore_.create_database(database, if_not_exists);
  }
  void drop_schema(const std::string& schema, bool if_exists, bool cascade) override {
    if (schema == "default") throw_error(ErrorCode::INVALID_ARGUMENT, "Database 'default' cannot be dropped");
    metastore_.drop_database(catalog_, schema, if_exists, cascade);
  }
  void create_table(const TableDefinition& table, bool if_not_exists) override {
    require_database(table.schema);
    check_location(table.location);
    ExternalTable external;
    external.catalog = catalog_;
    external.database = table.schema;
    external.name = table.name;
    for (const auto& c : table.columns) {
      hive_type(c.type);  // validates
      external.columns.push_back({c.name, c.type, c.comment});
    }
    for (const auto& c : table.partition_columns) {
      hive_type(c.type);
      external.partition_keys.push_back({c.name, c.type, c.comment});
    }
    external.location = table.location;
    std::string format = table.format;
    std::string serde = to_lower_ascii(table.serde);
    if (format.empty()) format = serde.find("json") != std::string::npos ? "JSON"
                                 : serde.find("parquet") != std::string::npos ? "PARQUET" : "TEXTFILE";
    if (format != "PARQUET" && format != "TEXTFILE" && format != "JSON")
      throw_error(ErrorCode::NOT_SUPPORTED, "STORED AS " + format + " is not supported (PARQUET, TEXTFILE, JSON)");
    if (format == "TEXTFILE" && serde.find("json") != std::string::npos) format = "JSON";
    external.format = format;
    external.serde_properties = table.serde_properties;
    if (!table.serde.empty()) external.serde_properties["serde"] = table.serde;
    external.properties = table.properties;
    external.comment = table.comment;
    metastore_.create_table(external, if_not_exists);
  }
  // --- CREATE TABLE AS / INSERT INTO ------------------------------------------------------
  std::unique_ptr<TableWriteSession> begin_create_table_as(const TableDefinition& table,
                                                           const WriteContext& context) override {
    auto database = require_database(table.schema);
    if (metastore_.find_table(catalog_, table.schema, table.name))
      throw_error(ErrorCode::ALREADY_EXISTS, "Table '" + table.schema + "." + table.name + "' already exists");
    ExternalTable external;
    external.catalog = catalog_;
    external.database = table.schema;
    external.name = table.name;
    external.comment = table.comment;
    external.format = table.format.empty() ? "PARQUET" : table.format;
    files::WriteOptions options;
    options.format = files::parse_write_format(external.format, "CREATE TABLE AS");
    if (options.format == files::WriteFormat::CSV) {  // Athena's CSV is a TEXTFILE with ',' and quotes
      options.format = files::WriteFormat::TEXTFILE;
      options.delimiter = ',';
      external.format = "TEXTFILE";
    }
    static const std::vector<std::string> known = {"write_compression", "parquet_compression", "field_delimiter",
                                                   "compression_level", "is_external",         "table_type",
                                                   "bucketed_by",       "bucket_count",        "format",
                                                   "external_location", "partitioned_by"};
    check_property_keys(table.properties, known, "CREATE TABLE AS");
    for (const auto& [key, value] : table.properties) {
      if (key == "bucketed_by" || key == "bucket_count")
        throw_error(ErrorCode::NOT_SUPPORTED, "Bucketed tables (" + key + ") are not supported; use partitioned_by");
      if (key == "table_type" && to_lower_ascii(value) != "hive")
        throw_error(ErrorCode::NOT_SUPPORTED, "table_type '" + value + "' is not supported (HIVE tables only)");
      if (key == "is_external" && to_lower_ascii(value) == "false")
        throw_error(ErrorCode::NOT_SUPPORTED, "Managed tables (is_external = false) are not supported");
    }
    auto property = [&](const char* key) {
      auto it = table.properties.find(key);
      return it == table.properties.end() ? std::string() : it->second;
    };
    std::string compression = property("write_compression");
    if (compression.empty()) compression = property("parquet_compression");
    options.compression = files::checked_compression(options.format, compression);
    if (options.format != files::WriteFormat::PARQUET) {
      std::string delimiter = property("field_delimiter");
      if (options.format == files::WriteFormat::JSON && !delimiter.empty())
        throw_error(ErrorCode::INVALID_ARGUMENT, "field_delimiter applies to TEXTFILE tables only");
      if (!delimiter.empty()) delimiter = std::string(1, delimiter_char(delimiter));
      if (delimiter.size() > 1) throw_error(ErrorCode::INVALID_ARGUMENT, "field_delimiter must be one character");
      if (!delimiter.empty()) options.delimiter = delimiter[0];
      if (options.delimiter == '\n' || options.delimiter == '\r' || options.delimiter == '"')
        throw_error(ErrorCode::INVALID_ARGUMENT, "field_delimiter cannot be a line break or '\"'");
    }
    // Where: external_location, else Athena's <results>/tables/<query id>/, else <database location>/<table>.
    std::string location = table.location;
    if (location.empty()) location = context.default_location;
    if (location.empty() && !database.location.empty()) location = join_path(database.location, table.name);
    if (location.empty())
      throw_error(ErrorCode::INVALID_ARGUMENT, "CREATE TABLE AS needs WITH (external_location = 's3://bucket/path/'): "
                                               "the database has no location and no query result location is set");
    check_location(location);
    if (location.back() != '/') location += '/';
    std::string folder = storage_path(location);
    auto storage = files::storage_for(folder, {}, "AwsDataCatalog");
    // Two CTAS into one location at once would each see it empty: the second is refused.
    auto claim = files::claim_write_location(folder);
    if (storage->has_any(folder))
      throw_error(ErrorCode::ALREADY_EXISTS, "Target directory for table '" + table.schema + "." + table.name +
                                                 "' already exists: " + location +
                                                 " (CREATE TABLE AS writes into an empty location)");
    std::vector<std::string> names;
    std::vector<Type> types;
    for (const auto& c : table.columns) {
      Type type = parse_type_name(c.type);
      external.columns.push_back({c.name, to_hive_type(type, c.name), ""});
      names.push_back(c.name);
      types.push_back(type);
    }
    for (const auto& c : table.partition_columns) {
      Type type = parse_type_name(c.type);
      external.partition_keys.push_back({c.name, to_hive_type(type, c.name), ""});
      names.push_back(c.name);
      types.push_back(type);
    }
    external.location = location;
    set_write_properties(external, options);
    // Hive's `timestamp` reads back as timestamp(3): store what it will read (Athena writes millis).
    std::vector<size_t> rounded;
    for (size_t c = 0; c < types.size(); c++) {
      if (types[c].id != TypeId::TIMESTAMP || types[c].precision == 3) continue;
      rounded.push_back(c);
      types[c] = Type::timestamp(3);
    }
    std::function<Chunk(const Chunk&)> prepare;
    if (!rounded.empty())
      prepare = [rounded](const Chunk& rows) {
        Chunk out = rows;
        for (size_t c : rounded) {
          Vector cast(Type::timestamp(3), std::max<size_t>(rows.size, 1));
          cast_vector(rows.columns[c], cast, rows.size, false);
          out.columns[c] = std::move(cast);
        }
        return out;
      };
    auto writer = std::make_unique<files::TableFileWriter>(*storage, folder, names, types,
                                                           table.partition_columns.size(), options, context.query_id);
    auto on_commit = [this, external](const files::WriteOutcome& outcome) {
      metastore_.create_table(external, false);
      try {
        register_partitions(external, outcome);
      } catch (...) {
        try {
          metastore_.drop_table(catalog_, external.database, external.name, true);
        } catch (...) {
        }
        throw;
      }
    };
    return std::make_unique<files::FilesWriteSession>(storage, std::move(writer), on_commit, prepare, claim);
  }

  std::unique_ptr<TableWriteSession> begin_insert(const std::string& schema, const std::string& table,
                                                  const WriteContext& context) override {
    auto def = require_table(schema, table);
    files::WriteOptions options;
    switch (lake_format(def)) {
      case LakeFormat::PARQUET: options.format = files::WriteFormat::PARQUET; break;
      case LakeFormat::JSON: options.format = files::WriteFormat::JSON; break;
      case LakeFormat::TEXT: {
        options.format = files::WriteFormat::TEXTFILE;
        auto csv = csv_options(def);
        if (csv.header)
          throw_error(ErrorCode::NOT_SUPPORTED, "INSERT INTO '" + def.database + "." + def.name +
                                                    "' is not supported: its files have a header line "
                                                    "(skip.header.line.count)");
        options.delimiter = csv.delimiter;
        options.quote = csv.quote;
        options.null_text = csv.null_string;
        break;
      }
    }
    auto compression = def.properties.find("write_compression");
    options.compression = files::checked_compression(
        options.format, compression == def.properties.end() ? "" : compression->second);
    check_location(def.location);
    // Registered partitions by their values as the writer spells them (CAST(v AS varchar) of the
    // typed value), so a partition registered as '01' of an int key takes the rows of 1.
    auto registered = std::make_shared<std::map<std::vector<std::string>, std::string>>();
    for (const auto& p : metastore_.list_partitions(catalog_, def.database, def.name)) {
      std::vector<std::string> canonical;
      for (size_t i = 0; i < p.values.size() && i < def.partition_keys.size(); i++) {
        Value typed = files::partition_value(p.values[i], hive_type(def.partition_keys[i].type));
        canonical.push_back(typed.is_null ? std::string(files::kHiveDefaultPartition)
                                            : cast_value(typed, Type::varchar()).to_string());
      }
      registered->emplace(canonical, p.location);
    }
    options.partition_folder = [this, registered](const std::vector<std::string>& values) {
      auto it = registered->find(values);
      if (it == registered->end()) return std::string();
      check_location(it->second);
      return storage_path(it->second);
    };
    options.write_empty_file = false;
    std::vector<std::string> names;
    std::vector<Type> types;
    for (const auto& c : def.columns) {
      names.push_back(to_lower_ascii(c.name));
      types.push_back(hive_type(c.type));
    }
    for (const auto& c : def.partition_keys) {
      names.push_back(to_lower_ascii(c.name));
      types.push_back(hive_type(c.type));
    }
    std::string folder = storage_path(def.location);
    auto storage = storage_for(def);
    auto writer = std::make_unique<files::TableFileWriter>(*storage, folder, names, types, def.partition_keys.size(),
                                                           options, context.query_id);
    auto on_commit = [this, def, registered](const files::WriteOutcome& outcome) {
      files::WriteOutcome added = outcome;  // only partitions not registered yet
      added.partitions.clear();
      for (const auto& p : outcome.partitions)
        if (!registered->count(p.values)) added.partitions.push_back(p);
      register_partitions(def, added);
    };
    return std::make_unique<files::FilesWriteSession>(storage, std::move(writer), on_commit);
  }

  void drop_table(const std::string& schema, const std::string& table, bool if_exists) override {
    metastore_.drop_table(catalog_, schema, table, if_exists);
  }
  std::string show_create_table(const std::string& schema, const std::string& table) override {
    auto def = require_table(schema, table);
    auto quoted = sql_quoted;
    auto columns = [&](const std::vector<TableColumn>& list) {
      std::string out = "(\n";
      for (size_t i = 0; i < list.size(); i++) {
        out += "  `" + list[i].name + "` " + list[i].type;
        if (!list[i].comment.empty()) out += " COMMENT " + quoted(list[i].comment);
        out += i + 1 < list.size() ? ",\n" : ")";
      }
      return out;
    };
    auto properties = [&](const std::map<std::string, std::string>& map) {
      std::string out = "(\n";
      size_t i = 0;
      for (const auto& [k, v] : map) out += "  " + quoted(k) + "=" + quoted(v) + (++i < map.size() ? ",\n" : ")");
      return out;
    };
    std::string ddl = "CREATE EXTERNAL TABLE `" + def.database + "`.`" + def.name + "`" + columns(def.columns);
    if (!def.comment.empty()) ddl += "\nCOMMENT " + quoted(def.comment);
    if (!def.partition_keys.empty()) ddl += "\nPARTITIONED BY " + columns(def.partition_keys);
    auto serde_properties = def.serde_properties;
    std::string serde;
    if (auto it = serde_properties.find("serde"); it != serde_properties.end()) {
      serde = it->second;
      serde_properties.erase(it);
    }
    if (!serde.empty()) {
      ddl += "\nROW FORMAT SERDE " + quoted(serde);
      if (!serde_properties.empty()) ddl += "\nWITH SERDEPROPERTIES " + properties(serde_properties);
    } else if (def.format == "JSON") {
      ddl += "\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'";
    } else if (!serde_properties.empty()) {
      ddl += "\nROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\nWITH SERDEPROPERTIES " +
             properties(serde_properties);
    }
    if (def.format != "JSON") ddl += "\nSTORED AS " + def.format;
    ddl += "\nLOCATION\n  " + quoted(def.location);
    if (!def.properties.empty()) ddl += "\nTBLPROPERTIES " + properties(def.properties);
    return ddl;
  }

  std::vector<std::string> list_partitions(const std::string& schema, const std::string& table) override {
    auto def = require_table(schema, table);
    std::vector<std::string> out;
    for (const auto& p : metastore_.list_partitions(catalog_, def.database, def.name)) {
      std::string text;
      for (size_t i = 0; i < p.values.size(); i++)
        text += (i ? "/" : "") + to_lower_ascii(def.partition_keys[i].name) + "=" + p.values[i];
      out.push_back(text);
    }
    return out;
  }
  int repair_table(const std::string& schema, const std::string& table) override {
    auto def = require_table(schema, table);
    if (def.partition_keys.empty()) return 0;
    auto storage = storage_for(def);
    std::vector<TablePartition> found;
    std::function<void(const std::string&, size_t, std::vector<std::string>&)> walk =
        [&](const std::string& folder, size_t level, std::vector<std::string>& values) {
          if (level == def.partition_keys.size()) {
            found.push_back({values, folder + "/", 0});
            return;
          }
          std::string key = to_lower_ascii(def.partition_keys[level].name);
          for (const auto& entry : storage->list(folder)) {
            auto partition = entry.directory ? files::parse_partition_folder(entry.name) : std::nullopt;
            if (!partition || partition->key != key) continue;
            values.push_back(partition->value);
            walk(join_path(folder, entry.name), level + 1, values);
            values.pop_back();
          }
        };
    std::vector<std::string> values;
    walk(storage_path(def.location), 0, values);
    return metastore_.add_partitions(catalog_, def.database, def.name, found, true);
  }
  int add_partitions(const std::string& schema, const std::string& table,
                     const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>>& partitions,
                     bool if_not_exists) override {
    auto def = require_table(schema, table);
    std::vector<TablePartition> rows;
    for (const auto& [values, location] : partitions) {
      check_location(location);
      auto ordered = ordered_values(def, values);
      std::string folder = location;
      if (folder.empty()) {
        folder = storage_path(def.location);
        for (size_t i = 0; i < ordered.size(); i++) folder += "/" + files::escape_path_name(to_lower_ascii(def.partition_keys[i].name)) + "=" +
                    files::escape_path_name(ordered[i]);
        folder += "/";
      }
      rows.push_back({ordered, folder, 0});
    }
    return metastore_.add_partitions(catalog_, def.database, def.name, rows, if_not_exists);
  }
  int drop_partitions(const std::string& schema, const std::string& table,
                      const std::vector<std::vector<std::pair<std::string, std::string>>>& partitions,
                      bool if_exists) override {
    auto def = require_table(schema, table);
    std::vector<std::vector<std::string>> values;
    for (const auto& p : partitions) values.push_back(ordered_values(def, p));
    return metastore_.drop_partitions(catalog_, def.database, def.name, values, if_exists);
  }

 private:
  Database require_database(const std::string& schema) {
    if (schema == "default" && !metastore_.find_database(catalog_, "default"))
      metastore_.create_database({catalog_, "default", "", "", {}, 0}, true);
    auto database = metastore_.find_database(catalog_, schema);
    if (!database) {
      std::vector<std::string> names = list_schemas();
      throw_error(ErrorCode::NOT_FOUND, "Database '" + schema + "' does not exist." + did_you_mean(schema, names));
    }
    return *database;
  }

  // Where tables may live (see make_lake_catalog).
  void check_location(const std::string& location) { files::check_local_location(location, policy_, "Location"); }

  // The SerDe settings of files this catalog writes, so its reader (and Athena's) reads them back.
  static void set_write_properties(ExternalTable& table, const files::WriteOptions& options) {
    if (options.format == files::WriteFormat::TEXTFILE) {
      table.serde_properties["field.delim"] = std::string(1, options.delimiter);
      table.serde_properties["serialization.null.format"] = "\\N";
      table.serde_properties["quoteChar"] = "\"";
    }
    table.properties["write_compression"] = options.compression;
  }

  // Records written files in the metastore; when that fails, deletes them so nothing half-done remains.
  void register_partitions(const ExternalTable& table, const files::WriteOutcome& outcome) {
    if (outcome.partitions.empty()) return;
    std::vector<TablePartition> partitions;
    for (const auto& p : outcome.partitions) partitions.push_back({p.values, p.folder, 0});
    metastore_.add_partitions(catalog_, table.database, table.name, partitions, /*if_not_exists=*/true);
  }

  ExternalTable require_table(const std::string& schema, const std::string& table) {
    auto found = metastore_.find_table(catalog_, schema, table);
    if (!found) {
      std::vector<std::string> names;
      for (const auto& t : metastore_.list_tables(catalog_, schema)) names.push_back(t.name);
      throw_error(ErrorCode::NOT_FOUND, "Table '" + schema + "." + table + "' does not exist." + did_you_mean(table, names));
    }
    return *found;
  }
  // The table's definition, which must still have the columns the query was planned with
  // (a DROP and CREATE during the query fails it instead of misreading).
  ExternalTable definition(const TableMetadata& table) {
    auto def = require_table(table.schema, table.name);
    if (def.columns.size() + def.partition_keys.size() != table.columns.size())
      throw_error(ErrorCode::SOURCE_ERROR,
                  "Table '" + def.database + "." + def.name + "' was redefined while the query ran; run it again");
    return def;
  }

  std::vector<std::string> ordered_values(const ExternalTable& def,
                                          const std::vector<std::pair<std::string, std::string>>& values) {
    if (values.size() != def.partition_keys.size())
      throw_error(ErrorCode::INVALID_ARGUMENT, "Table '" + def.database + "." + def.name + "' is partitioned by " +
                                                   std::to_string(def.partition_keys.size()) + " keys, got " +
                                                   std::to_string(values.size()) + " values");
    std::vector<std::string> ordered;
    for (const auto& key : def.partition_keys) {
      bool found = false;
      for (const auto& [k, v] : values)
        if (to_lower_ascii(k) == to_lower_ascii(key.name)) {
          ordered.push_back(v);
          found = true;
        }
      if (!found) throw_error(ErrorCode::INVALID_ARGUMENT, "Partition key '" + key.name + "' has no value");
    }
    return ordered;
  }

  // The folders to read with their typed partition values: the table location when it is not
  // partitioned, else the registered partitions that the constraint does not rule out.
  std::vector<std::pair<std::string, std::vector<Value>>> partitions(const ExternalTable& def,
                                                                     const TableMetadata& table,
                                                                     const ScanRequest& request) {
    std::vector<std::pair<std::string, std::vector<Value>>> out;
    if (request.constraint.none) return out;
    if (def.partition_keys.empty()) {
      out.emplace_back(storage_path(def.location), std::vector<Value>{});
      return out;
    }
    size_t data_columns = def.columns.size();
    for (const auto& p : metastore_.list_partitions(catalog_, def.database, def.name)) {
      std::vector<Value> values;
      std::map<int, Value> by_column;
      for (size_t i = 0; i < p.values.size(); i++) {
        values.push_back(files::partition_value(p.values[i], table.columns[data_columns + i].type));
        by_column[(int)(data_columns + i)] = values.back();
      }
      if (!files::partition_may_match(by_column, request)) continue;
      check_location(p.location);
      out.emplace_back(storage_path(p.location), values);
    }
    return out;
  }

  files::CsvOptions csv_options(const ExternalTable& def) {
    files::CsvOptions options;
    auto get = [&](const std::map<std::string, std::string>& m, const char* key) -> std::optional<std::string> {
      auto it = m.find(key);
      if (it == m.end()) return std::nullopt;
      return it->second;
    };
    auto delimiter = get(def.serde_properties, "field.delim");
    if (!delimiter) delimiter = get(def.serde_properties, "separatorChar");
    options.delimiter = delimiter && !delimiter->empty() ? delimiter_char(*delimiter) : ',';
    auto quote = get(def.serde_properties, "quoteChar");
    options.quote = quote && !quote->empty() ? (*quote)[0] : (delimiter ? '\0' : '"');
    if (to_lower_ascii(def.serde_properties.count("serde") ? def.serde_properties.at("serde") : "").find("opencsv") !=
        std::string::npos)
      options.quote = quote && !quote->empty() ? (*quote)[0] : '"';
    auto header = get(def.properties, "skip.header.line.count");
    options.header = header && *header != "0";
    auto null_format = get(def.serde_properties, "serialization.null.format");
    options.null_string = null_format ? *null_format : "";
    return options;
  }

  std::shared_ptr<files::Storage> storage_for(const ExternalTable& def) {
    check_location(def.location);
    return files::storage_for(storage_path(def.location), {}, "AwsDataCatalog");
  }

  // Marks a location as being written by a CTAS of this process until destroyed.

  Metastore& metastore_;
  std::string catalog_;
  files::LocalPathPolicy policy_;
};

}  // namespace

Type hive_type(const std::string& text) {
  std::string t = to_lower_ascii(trim_ascii(text));
  if (t.rfind("array", 0) == 0 || t.rfind("map", 0) == 0 || t.rfind("struct", 0) == 0 || t.rfind("uniontype", 0) == 0)
    throw_error(ErrorCode::NOT_SUPPORTED, "Column type '" + text + "' is not supported yet (no ARRAY/MAP/ROW types)");
  if (t == "string") return Type::varchar();
  if (t == "int") return Type::integer();
  if (t == "float") return Type::real();
  if (t == "binary") return Type::varbinary();
  return parse_type_name(t);
}

std::shared_ptr<Connector> make_lake_catalog(Metastore& metastore, const std::string& catalog,
                                             const files::LocalPathPolicy& policy) {
  return std::make_shared<LakeCatalog>(metastore, catalog, policy);
}

}  // namespace tributary::service
