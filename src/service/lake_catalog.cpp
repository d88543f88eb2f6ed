#include "service/lake_catalog.h"

#include <algorithm>
#include <functional>
#include <set>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/compressed_input.h"
#include "connectors/files/csv_reader.h"
#include "connectors/files/json_reader.h"
#include "connectors/files/parquet_source.h"
#include "connectors/files/storage.h"
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
  int row_group = -1;
  std::shared_ptr<parquet::ParquetFile> parquet;
  std::vector<Value> partition_values;  // typed, one per partition column
  std::string describe() const override {
    return row_group >= 0 ? path + " row group " + std::to_string(row_group) : path;
  }
};

// Appends constant partition columns to a data page source's output.
class PartitionedPageSource : public PageSource {
 public:
  PartitionedPageSource(std::unique_ptr<PageSource> data, std::vector<int> output_of_data,
                        std::vector<std::pair<int, Value>> constants, std::vector<Type> data_types)
      : data_(std::move(data)), output_of_data_(std::move(output_of_data)), constants_(std::move(constants)),
        data_types_(std::move(data_types)) {}
  PageStatus next(Chunk& out) override {
    Chunk inner(data_types_, kChunkCapacity);
    PageStatus status = data_->next(inner);
    size_t n = inner.size;
    for (size_t i = 0; i < output_of_data_.size(); i++) out.columns[output_of_data_[i]] = inner.columns[i];
    for (const auto& [column, value] : constants_) {
      Vector& v = out.columns[column];
      if (v.capacity() < std::max<size_t>(n, 1)) v = Vector(v.type(), std::max<size_t>(n, 1));
      for (size_t r = 0; r < n; r++) v.set_value(r, value);
    }
    out.size = n;
    return status;
  }
  std::shared_future<void> blocked_future() override { return data_->blocked_future(); }
  uint64_t bytes_read() const override { return data_->bytes_read(); }
  SourceMetrics metrics() const override { return data_->metrics(); }
  void cancel() override { data_->cancel(); }

 private:
  std::unique_ptr<PageSource> data_;
  std::vector<int> output_of_data_;
  std::vector<std::pair<int, Value>> constants_;
  std::vector<Type> data_types_;
};

Value partition_value(const std::string& text, const Type& type) {
  if (text == "__HIVE_DEFAULT_PARTITION__") return Value::null(type);
  try {
    return cast_value(Value::string(text), type, /*try_cast=*/true);
  } catch (const Error&) {
    return Value::null(type);
  }
}

class LakeCatalog : public Connector {
 public:
  LakeCatalog(Metastore& metastore, std::string catalog) : metastore_(metastore), catalog_(std::move(catalog)) {}
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
    auto parts = partitions(def, table, request.constraint);
    size_t registered = def.partition_keys.empty() ? 0 : metastore_.list_partitions(catalog_, def.database, def.name).size();
    std::string text = "lake: " + def.location + " (" + to_lower_ascii(def.format.empty() ? "textfile" : def.format) + ")";
    if (!def.partition_keys.empty())
      text += ", partitions: " + std::to_string(parts.size()) + " of " + std::to_string(registered) + " after pruning";
    result.details.push_back(text);
    return result;
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    (void)max_parallelism;
    auto def = definition(table);
    auto storage = storage_for(def);
    LakeFormat format = lake_format(def);
    std::vector<std::shared_ptr<Split>> splits;
    size_t data_columns = def.columns.size();
    for (const auto& [folder, values] : partitions(def, table, request.constraint)) {
      for (const auto& entry : storage->list(folder)) {
        if (entry.directory) continue;
        std::string path = join_path(folder, entry.name);
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
          auto split = std::make_shared<LakeSplit>();
          split->path = path;
          split->size = entry.size;
          split->partition_values = values;
          splits.push_back(split);
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
    std::vector<int> data_request, output_of_data;
    std::vector<std::pair<int, Value>> constants;
    for (size_t i = 0; i < request.columns.size(); i++) {
      int c = request.columns[i];
      if ((size_t)c < data_columns) {
        data_request.push_back(c);
        output_of_data.push_back((int)i);
      } else {
        constants.emplace_back((int)i, lake->partition_values.at((size_t)c - data_columns));
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
            if (mapping[i] >= 0 && !(lake->parquet->columns()[mapping[i]].type == data_types[i]))
              throw_error(ErrorCode::TYPE_MISMATCH, "column '" + wanted[i].name + "' is " +
                                                        lake->parquet->columns()[mapping[i]].type.to_string() + " in '" +
                                                        lake->path + "' but " + data_types[i].to_string() +
                                                        " in the table");
          data = files::make_parquet_page_source(lake->parquet, lake->row_group, mapping, data_types);
          break;
        }
        case LakeFormat::JSON: {
          files::JsonScan scan;
          scan.range = files::TextRange{lake->path, files::compression_from_path(lake->path), 0, UINT64_MAX, storage};
          for (int c : data_request) scan.names.push_back(table.columns.at(c).name);
          scan.types = data_types;
          data = files::make_json_page_source(std::move(scan));
          break;
        }
        case LakeFormat::TEXT: {
          files::CsvScan scan;
          scan.range = files::TextRange{lake->path, files::compression_from_path(lake->path), 0, UINT64_MAX, storage};
          scan.options = csv_options(def);
          scan.skip_header = scan.options.header;
          scan.field_indexes = data_request;
          scan.types = data_types;
          data = files::make_csv_page_source(std::move(scan));
          break;
        }
      }
    } catch (const Error& e) {
      throw_error(e.code(), "Table '" + def.database + "." + def.name + "': " + e.message());
    }
    if (constants.empty() && output_of_data.size() == request.columns.size()) return data;
    return std::make_unique<PartitionedPageSource>(std::move(data), output_of_data, constants, data_types);
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
    if (table.schema == "default" && !metastore_.find_database(catalog_, "default"))
      metastore_.create_database({catalog_, "default", "", "", {}, 0}, true);
    if (!metastore_.find_database(catalog_, table.schema)) {
      std::vector<std::string> names = list_schemas();
      throw_error(ErrorCode::NOT_FOUND, "Database '" + table.schema + "' does not exist." +
                                            did_you_mean(table.schema, names));
    }
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
  void drop_table(const std::string& schema, const std::string& table, bool if_exists) override {
    metastore_.drop_table(catalog_, schema, table, if_exists);
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
          std::string prefix = to_lower_ascii(def.partition_keys[level].name) + "=";
          for (const auto& entry : storage->list(folder)) {
            if (!entry.directory || to_lower_ascii(entry.name).rfind(prefix, 0) != 0) continue;
            values.push_back(entry.name.substr(prefix.size()));
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
      auto ordered = ordered_values(def, values);
      std::string folder = location;
      if (folder.empty()) {
        folder = storage_path(def.location);
        for (size_t i = 0; i < ordered.size(); i++) folder += "/" + to_lower_ascii(def.partition_keys[i].name) + "=" + ordered[i];
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
                                                                     const TupleDomain& constraint) {
    std::vector<std::pair<std::string, std::vector<Value>>> out;
    if (constraint.none) return out;
    if (def.partition_keys.empty()) {
      out.emplace_back(storage_path(def.location), std::vector<Value>{});
      return out;
    }
    size_t data_columns = def.columns.size();
    for (const auto& p : metastore_.list_partitions(catalog_, def.database, def.name)) {
      std::vector<Value> values;
      bool keep = true;
      for (size_t i = 0; i < p.values.size(); i++) {
        Value value = partition_value(p.values[i], table.columns[data_columns + i].type);
        auto domain = constraint.columns.find((int)(data_columns + i));
        if (domain != constraint.columns.end() && !domain->second.contains(value)) keep = false;
        values.push_back(value);
      }
      if (keep) out.emplace_back(storage_path(p.location), values);
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
    options.delimiter = delimiter && !delimiter->empty() ? ((*delimiter == "\\t") ? '\t' : (*delimiter)[0]) : ',';
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
    return files::storage_for(storage_path(def.location), {}, "AwsDataCatalog");
  }

  Metastore& metastore_;
  std::string catalog_;
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

std::shared_ptr<Connector> make_lake_catalog(Metastore& metastore, const std::string& catalog) {
  return std::make_shared<LakeCatalog>(metastore, catalog);
}

}  // namespace tributary::service
