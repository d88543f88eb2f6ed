#include "formats/parquet/parquet_schema.h"

#include <cmath>
#include <cstring>

#include "common/error.h"

namespace tributary::parquet {

namespace {

struct Node {
  int element = 0;
  std::vector<Node> children;
};

Node parse_tree(const std::vector<SchemaElement>& elements, size_t* cursor, int depth) {
  if (depth > 64) throw Error(ErrorCode::SOURCE_ERROR, "Parquet schema is nested deeper than 64 levels");
  if (*cursor >= elements.size()) throw Error(ErrorCode::SOURCE_ERROR, "Parquet schema ends inside a group");
  Node node;
  node.element = static_cast<int>((*cursor)++);
  const SchemaElement& e = elements[node.element];
  if (!e.type) {
    if (e.num_children < 0 || static_cast<size_t>(e.num_children) > elements.size() - *cursor) {
      throw Error(ErrorCode::SOURCE_ERROR, "Parquet schema group '" + e.name + "' declares " +
                                               std::to_string(e.num_children) + " children that are not present");
    }
    for (int i = 0; i < e.num_children; i++) node.children.push_back(parse_tree(elements, cursor, depth + 1));
  }
  return node;
}

bool has(const SchemaElement& e, int32_t converted) { return e.converted_type && *e.converted_type == converted; }

// Maps one primitive leaf; returns a non-empty reason when the engine cannot represent it.
std::string map_leaf(const SchemaElement& e, LeafDescriptor* d) {
  const LogicalType& lt = e.logical_type;
  d->physical = *e.type;
  d->type_length = e.type_length;
  bool is_decimal = lt.kind == LogicalType::DECIMAL || has(e, converted::DECIMAL);
  int precision = lt.kind == LogicalType::DECIMAL ? lt.decimal_precision : e.precision;
  int scale = lt.kind == LogicalType::DECIMAL ? lt.decimal_scale : e.scale;
  auto decimal = [&](Conversion c) -> std::string {
    if (precision <= 0 || precision > 38 || scale < 0 || scale > precision) {
      return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) +
             ") is outside the engine's decimal range (precision 1..38)";
    }
    d->conversion = c;
    d->type = Type::decimal(precision, scale);
    return "";
  };
  switch (*e.type) {
    case PhysicalKind::BOOLEAN:
      d->conversion = Conversion::BOOL;
      d->type = Type::boolean();
      return "";
    case PhysicalKind::INT32: {
      if (is_decimal) return decimal(Conversion::DECIMAL_INT32);
      if (lt.kind == LogicalType::DATE || has(e, converted::DATE)) {
        d->conversion = Conversion::DATE;
        d->type = Type::date();
        return "";
      }
      if (lt.kind == LogicalType::TIME || has(e, converted::TIME_MILLIS)) {
        d->conversion = Conversion::TIME_MILLIS;
        d->type = Type::bigint();
        return "";
      }
      int bits = 32;
      bool is_signed = true;
      if (lt.kind == LogicalType::INTEGER) {
        bits = lt.bit_width;
        is_signed = lt.is_signed;
      } else if (e.converted_type) {
        switch (*e.converted_type) {
          case converted::INT_8: bits = 8; break;
          case converted::INT_16: bits = 16; break;
          case converted::UINT_8: bits = 8, is_signed = false; break;
          case converted::UINT_16: bits = 16, is_signed = false; break;
          case converted::UINT_32: bits = 32, is_signed = false; break;
          default: break;
        }
      }
      d->conversion = Conversion::INT32;
      if (is_signed) {
        d->type = bits == 8 ? Type::tinyint() : bits == 16 ? Type::smallint() : Type::integer();
      } else if (bits == 8) {
        d->type = Type::smallint();
      } else if (bits == 16) {
        d->type = Type::integer();
      } else {
        d->conversion = Conversion::UINT32;
        d->type = Type::bigint();
      }
      return "";
    }
    case PhysicalKind::INT64: {
      if (is_decimal) return decimal(Conversion::DECIMAL_INT64);
      TimeUnit unit = lt.unit;
      if (lt.kind == LogicalType::TIMESTAMP || has(e, converted::TIMESTAMP_MILLIS) ||
          has(e, converted::TIMESTAMP_MICROS)) {
        if (lt.kind != LogicalType::TIMESTAMP) {
          unit = has(e, converted::TIMESTAMP_MILLIS) ? TimeUnit::MILLIS : TimeUnit::MICROS;
        }
        if (unit == TimeUnit::MILLIS) {
          d->conversion = Conversion::TIMESTAMP_MILLIS;
          d->type = Type::timestamp(3);
        } else {
          d->conversion = unit == TimeUnit::NANOS ? Conversion::TIMESTAMP_NANOS : Conversion::TIMESTAMP_MICROS;
          d->type = Type::timestamp(6);
        }
        return "";
      }
      if (lt.kind == LogicalType::TIME || has(e, converted::TIME_MICROS)) {
        d->conversion = lt.kind == LogicalType::TIME && unit == TimeUnit::NANOS ? Conversion::TIME_NANOS
                                                                                 : Conversion::TIME_MICROS;
        d->type = Type::bigint();
        return "";
      }
      if ((lt.kind == LogicalType::INTEGER && !lt.is_signed) || has(e, converted::UINT_64)) {
        d->conversion = Conversion::UINT64;
        d->type = Type::decimal(20, 0);
        return "";
      }
      d->conversion = Conversion::INT64;
      d->type = Type::bigint();
      return "";
    }
    case PhysicalKind::INT96:
      d->conversion = Conversion::INT96_TIMESTAMP;
      d->type = Type::timestamp(6);
      return "";
    case PhysicalKind::FLOAT:
      d->conversion = Conversion::FLOAT;
      d->type = Type::real();
      return "";
    case PhysicalKind::DOUBLE:
      d->conversion = Conversion::DOUBLE;
      d->type = Type::double_();
      return "";
    case PhysicalKind::BYTE_ARRAY:
      if (is_decimal) return decimal(Conversion::DECIMAL_BYTES);
      d->conversion = Conversion::STRING;
      if (lt.kind == LogicalType::STRING || lt.kind == LogicalType::ENUM || lt.kind == LogicalType::JSON ||
          has(e, converted::UTF8) || has(e, converted::ENUM) || has(e, converted::JSON)) {
        d->type = Type::varchar();
      } else {
        d->type = Type::varbinary();
      }
      return "";
    case PhysicalKind::FIXED_LEN_BYTE_ARRAY:
      if (e.type_length < 0) return "FIXED_LEN_BYTE_ARRAY with negative length";
      if (is_decimal) {
        if (e.type_length > 16) return "decimal stored in " + std::to_string(e.type_length) + " bytes exceeds 16";
        return decimal(Conversion::DECIMAL_BYTES);
      }
      d->conversion = Conversion::STRING;
      d->type = Type::varbinary();
      return "";
  }
  return "unknown physical type";
}

int def_of(const SchemaElement& e) {
  return e.repetition_type && (*e.repetition_type == repetition::OPTIONAL || *e.repetition_type == repetition::REPEATED);
}
int rep_of(const SchemaElement& e) { return e.repetition_type && *e.repetition_type == repetition::REPEATED; }

struct Walker {
  const std::vector<SchemaElement>& elements;
  Schema& schema;

  // Appends descriptors of every leaf below `node`; `path` holds the element indexes from the top.
  void collect(const Node& node, std::vector<int>& path, std::vector<std::vector<int>>& leaf_paths) {
    path.push_back(node.element);
    if (node.children.empty() && elements[node.element].type) {
      leaf_paths.push_back(path);
    }
    for (const Node& child : node.children) collect(child, path, leaf_paths);
    path.pop_back();
  }

  void add_top(const Node& top) {
    const SchemaElement& te = elements[top.element];
    ColumnInfo info;
    info.name = te.name;
    std::vector<int> path;
    std::vector<std::vector<int>> leaf_paths;
    collect(top, path, leaf_paths);
    int first_leaf = static_cast<int>(schema.leaves.size());
    std::string leaf_problem;
    for (const auto& lp : leaf_paths) {
      LeafDescriptor d;
      for (size_t i = 0; i < lp.size(); i++) {
        const SchemaElement& e = elements[lp[i]];
        d.path += (i ? "." : "") + e.name;
        d.max_def += def_of(e);
        d.max_rep += rep_of(e);
      }
      std::string problem = map_leaf(elements[lp.back()], &d);
      if (leaf_problem.empty()) leaf_problem = problem;
      schema.leaves.push_back(std::move(d));
    }
    int leaf = -1;
    if (leaf_paths.size() != 1) {
      info.unsupported = leaf_paths.empty() ? "group without columns"
                         : (te.logical_type.kind == LogicalType::MAP || has(te, converted::MAP))
                             ? "MAP columns are not supported"
                             : "struct (group) columns are not supported";
    } else {
      LeafDescriptor& d = schema.leaves[first_leaf];
      info.max_definition_level = d.max_def;
      info.max_repetition_level = d.max_rep;
      if (!leaf_problem.empty()) {
        info.unsupported = leaf_problem;
      } else if (d.max_rep == 0) {
        if (!top.children.empty()) {
          info.unsupported = "struct (group) columns are not supported";
        } else {
          info.type = d.type;
          leaf = first_leaf;
        }
      } else if (d.max_rep > 1) {
        info.unsupported = "nested lists are not supported";
      } else {
        // One repeated node on the path: a list (3-level, 2-level legacy, or a bare repeated field).
        const auto& lp = leaf_paths[0];
        int def = 0;
        d.top_def = -1;
        for (size_t i = 0; i < lp.size(); i++) {
          const SchemaElement& e = elements[lp[i]];
          def += def_of(e);
          if (i == 0) d.top_def = rep_of(e) ? 0 : def;
          if (rep_of(e)) {
            d.element_def = def;
            break;
          }
        }
        info.is_list = true;
        info.element_type = d.type;
        info.type = Type::varchar();
        leaf = first_leaf;
      }
    }
    if (!info.unsupported.empty()) info.type = Type::varchar();
    schema.columns.push_back(std::move(info));
    schema.leaf_of_column.push_back(leaf);
    schema.first_leaf.push_back(first_leaf);
    schema.leaf_count.push_back(static_cast<int>(leaf_paths.size()));
  }
};

}  // namespace

Schema build_schema(const std::vector<SchemaElement>& elements) {
  if (elements.empty()) throw Error(ErrorCode::SOURCE_ERROR, "Parquet schema is empty");
  size_t cursor = 0;
  Node root = parse_tree(elements, &cursor, 0);
  if (cursor != elements.size()) {
    throw Error(ErrorCode::SOURCE_ERROR, "Parquet schema has " + std::to_string(elements.size() - cursor) +
                                             " elements outside the root group");
  }
  Schema schema;
  Walker walker{elements, schema};
  for (const Node& top : root.children) walker.add_top(top);
  return schema;
}

namespace {

std::optional<Value> stat_value(const std::string& bytes, const LeafDescriptor& leaf) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  auto i32 = [&]() -> std::optional<int32_t> {
    if (bytes.size() != 4) return std::nullopt;
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  auto i64 = [&]() -> std::optional<int64_t> {
    if (bytes.size() != 8) return std::nullopt;
    int64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  const Type& t = leaf.type;
  switch (leaf.conversion) {
    case Conversion::BOOL:
      if (bytes.size() != 1) return std::nullopt;
      return Value::boolean(p[0] != 0);
    case Conversion::INT32:
    case Conversion::DATE:
      if (auto v = i32()) return Value::integer(*v, t);
      return std::nullopt;
    case Conversion::UINT32:
      if (auto v = i32()) return Value::integer(static_cast<uint32_t>(*v), t);
      return std::nullopt;
    case Conversion::TIME_MILLIS:
      if (auto v = i32()) return Value::integer(static_cast<int64_t>(*v) * 1000, t);
      return std::nullopt;
    case Conversion::DECIMAL_INT32:
      if (auto v = i32()) return Value::decimal(*v, t);
      return std::nullopt;
    case Conversion::INT64:
    case Conversion::TIMESTAMP_MICROS:
    case Conversion::TIME_MICROS:
      if (auto v = i64()) return Value::integer(*v, t);
      return std::nullopt;
    case Conversion::TIMESTAMP_MILLIS:
      if (auto v = i64()) {
        if (*v > INT64_MAX / 1000 || *v < INT64_MIN / 1000) return std::nullopt;
        return Value::integer(*v * 1000, t);
      }
      return std::nullopt;
    case Conversion::TIMESTAMP_NANOS:
    case Conversion::TIME_NANOS:
      if (auto v = i64()) return Value::integer(floor_div_1000(*v), t);
      return std::nullopt;
    case Conversion::UINT64:
      if (auto v = i64()) return Value::decimal(static_cast<int128>(static_cast<uint64_t>(*v)), t);
      return std::nullopt;
    case Conversion::DECIMAL_INT64:
      if (auto v = i64()) return Value::decimal(*v, t);
      return std::nullopt;
    case Conversion::FLOAT: {
      if (bytes.size() != 4) return std::nullopt;
      float f;
      std::memcpy(&f, p, 4);
      if (std::isnan(f)) return std::nullopt;
      return Value::floating(f, t);
    }
    case Conversion::DOUBLE: {
      if (bytes.size() != 8) return std::nullopt;
      double f;
      std::memcpy(&f, p, 8);
      if (std::isnan(f)) return std::nullopt;
      return Value::floating(f, t);
    }
    case Conversion::DECIMAL_BYTES:
      if (bytes.empty() || bytes.size() > 16) return std::nullopt;
      return Value::decimal(decimal_from_big_endian(p, bytes.size()), t);
    case Conversion::STRING: return Value::string(bytes, t);
    case Conversion::INT96_TIMESTAMP: return std::nullopt;  // INT96 statistics are unordered
  }
  return std::nullopt;
}

}  // namespace

ColumnStatistics convert_statistics(const std::optional<Statistics>& stats, const LeafDescriptor& leaf) {
  ColumnStatistics out;
  if (!stats) return out;
  out.null_count = stats->null_count;
  if (leaf.max_rep > 0) return out;
  const std::optional<std::string>* min = &stats->min_value;
  const std::optional<std::string>* max = &stats->max_value;
  if (!*min || !*max) {
    // Legacy min/max use signed byte order: only trustworthy for signed numbers.
    bool signed_order = leaf.conversion != Conversion::STRING && leaf.conversion != Conversion::DECIMAL_BYTES &&
                        leaf.conversion != Conversion::UINT32 && leaf.conversion != Conversion::UINT64;
    if (!signed_order) return out;
    min = &stats->min;
    max = &stats->max;
  }
  if (*min && *max) {
    out.min = stat_value(**min, leaf);
    out.max = stat_value(**max, leaf);
    if (!out.min || !out.max) out.min.reset(), out.max.reset();
  }
  return out;
}

}  // namespace tributary::parquet
