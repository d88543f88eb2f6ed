#include "connectors/system/system_connector.h"

#include <algorithm>

#include "common/error.h"
#include "common/text.h"

namespace tributary {

namespace {

class MemoryPageSource : public PageSource {
 public:
  MemoryPageSource(std::vector<std::vector<Value>> rows, std::vector<int> columns)
      : rows_(std::move(rows)), columns_(std::move(columns)) {}
  PageStatus next(Chunk& out) override {
    size_t count = std::min(out.columns.empty() ? kChunkCapacity : out.columns[0].capacity(), rows_.size() - cursor_);
    count = std::min(count, kChunkCapacity);
    for (size_t r = 0; r < count; r++) {
      const auto& row = rows_[cursor_ + r];
      for (size_t c = 0; c < columns_.size(); c++) {
        Value v = row[columns_[c]];
        out.columns[c].set_value(r, v);
        if (!v.is_null && v.type.is_string()) bytes_ += v.s.size();
      }
    }
    out.size = count;
    cursor_ += count;
    return cursor_ >= rows_.size() ? PageStatus::FINISHED : PageStatus::HAVE_DATA;
  }
  uint64_t bytes_read() const override { return bytes_; }

 private:
  std::vector<std::vector<Value>> rows_;
  std::vector<int> columns_;
  size_t cursor_ = 0;
  uint64_t bytes_ = 0;
};

class SingleSplit : public Split {
 public:
  std::string describe() const override { return "system"; }
};

class SystemConnector : public Connector {
 public:
  explicit SystemConnector(std::function<std::vector<CatalogEntry>()> catalogs) : catalogs_(std::move(catalogs)) {}
  std::string type() const override { return "system"; }
  std::vector<std::string> list_schemas() override { return {"information_schema"}; }
  std::vector<std::string> list_tables(const std::string& schema) override {
    if (to_lower_ascii(schema) != "information_schema") return {};
    return {"columns", "schemata", "tables"};
  }
  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    if (to_lower_ascii(schema) != "information_schema") return std::nullopt;
    TableMetadata t;
    t.schema = "information_schema";
    t.name = to_lower_ascii(table);
    auto v = Type::varchar();
    if (t.name == "schemata") {
      t.columns = {{"catalog_name", v}, {"schema_name", v}};
    } else if (t.name == "tables") {
      t.columns = {{"table_catalog", v}, {"table_schema", v}, {"table_name", v}, {"table_type", v}};
    } else if (t.name == "columns") {
      t.columns = {{"table_catalog", v},   {"table_schema", v}, {"table_name", v}, {"column_name", v},
                   {"ordinal_position", Type::bigint()}, {"is_nullable", v}, {"data_type", v}};
    } else {
      return std::nullopt;
    }
    return t;
  }
  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    return {std::make_shared<SingleSplit>()};
  }
  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    std::vector<std::vector<Value>> rows;
    auto s = [](const std::string& x) { return Value::string(x); };
    // Narrow by the pushed-down catalog/schema/table equality to avoid listing every source.
    auto wanted = [&](int column) -> std::optional<std::string> {
      auto it = request.constraint.columns.find(column);
      if (it == request.constraint.columns.end()) return std::nullopt;
      if (it->second.ranges.size() == 1 && it->second.ranges[0].is_single_value())
        return it->second.ranges[0].low.s;
      return std::nullopt;
    };
    auto want_catalog = wanted(0), want_schema = wanted(1), want_table = wanted(2);
    for (const auto& entry : catalogs_()) {
      if (want_catalog && *want_catalog != entry.name) continue;
      std::vector<std::string> schemas;
      try {
        schemas = entry.connector->list_schemas();
      } catch (const Error&) {
        continue;  // a source that is down does not break information_schema
      }
      std::sort(schemas.begin(), schemas.end());
      for (const auto& schema : schemas) {
        if (table.name == "schemata") {
          rows.push_back({s(entry.name), s(schema)});
          continue;
        }
        if (want_schema && *want_schema != to_lower_ascii(schema)) continue;
        std::vector<std::string> tables;
        try {
          tables = entry.connector->list_tables(schema);
        } catch (const Error&) {
          continue;
        }
        std::sort(tables.begin(), tables.end());
        for (const auto& name : tables) {
          if (want_table && *want_table != to_lower_ascii(name)) continue;
          if (table.name == "tables") {
            rows.push_back({s(entry.name), s(schema), s(name), s("BASE TABLE")});
            continue;
          }
          std::optional<TableMetadata> metadata;
          try {
            metadata = entry.connector->get_table(schema, name);
          } catch (const Error&) {
            continue;
          }
          if (!metadata) continue;
          for (size_t i = 0; i < metadata->columns.size(); i++) {
            const auto& c = metadata->columns[i];
            rows.push_back({s(entry.name), s(schema), s(name), s(to_lower_ascii(c.name)), Value::integer((int64_t)i + 1),
                            s(c.nullable ? "YES" : "NO"), s(c.type.to_string())});
          }
        }
      }
    }
    return std::make_unique<MemoryPageSource>(std::move(rows), request.columns);
  }

 private:
  std::function<std::vector<CatalogEntry>()> catalogs_;
};

}  // namespace

std::shared_ptr<Connector> make_system_connector(std::function<std::vector<CatalogEntry>()> catalogs) {
  return std::make_shared<SystemConnector>(std::move(catalogs));
}

std::unique_ptr<PageSource> make_memory_page_source(std::vector<std::vector<Value>> rows, std::vector<int> columns) {
  return std::make_unique<MemoryPageSource>(std::move(rows), std::move(columns));
}

}  // namespace tributary
