#include "formats/parquet/thrift_compact_writer.h"

#include "formats/parquet/thrift_compact.h"

namespace tributary::parquet {

void CompactWriter::varint(uint64_t value) {
  while (value >= 0x80) {
    out_->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_->push_back(static_cast<char>(value));
}

void CompactWriter::field_header(int16_t id, uint8_t type) {
  int delta = id - last_ids_.back();
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | type));
  } else {
    out_->push_back(static_cast<char>(type));
    zigzag(id);
  }
  last_ids_.back() = id;
}

void CompactWriter::field_bool(int16_t id, bool value) { field_header(id, value ? ctype::BOOL_TRUE : ctype::BOOL_FALSE); }

void CompactWriter::field_i8(int16_t id, int8_t value) {
  field_header(id, ctype::BYTE);
  out_->push_back(static_cast<char>(value));
}

void CompactWriter::field_i32(int16_t id, int32_t value) {
  field_header(id, ctype::I32);
  zigzag(value);
}

void CompactWriter::field_i64(int16_t id, int64_t value) {
  field_header(id, ctype::I64);
  zigzag(value);
}

void CompactWriter::field_binary(int16_t id, std::string_view value) {
  field_header(id, ctype::BINARY);
  list_binary(value);
}

void CompactWriter::list_binary(std::string_view value) {
  varint(value.size());
  out_->append(value);
}

void CompactWriter::begin_struct(int16_t id) {
  field_header(id, ctype::STRUCT);
  last_ids_.push_back(0);
}

void CompactWriter::end_struct() {
  out_->push_back('\0');
  last_ids_.pop_back();
}

void CompactWriter::begin_list(int16_t id, uint8_t element_type, size_t size) {
  field_header(id, ctype::LIST);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | element_type));
  } else {
    out_->push_back(static_cast<char>(0xf0 | element_type));
    varint(size);
  }
}

void CompactWriter::begin_list_struct() { last_ids_.push_back(0); }

namespace {

void encode_time_unit(CompactWriter& w, TimeUnit unit) {
  w.begin_struct(2);  // TimestampType.unit / TimeType.unit
  w.begin_struct(unit == TimeUnit::MILLIS ? 1 : unit == TimeUnit::NANOS ? 3 : 2);
  w.end_struct();
  w.end_struct();
}

void encode_logical_type(CompactWriter& w, const LogicalType& t) {
  w.begin_struct(10);  // SchemaElement.logicalType
  switch (t.kind) {
    case LogicalType::STRING: w.begin_struct(1), w.end_struct(); break;
    case LogicalType::DECIMAL:
      w.begin_struct(5);
      w.field_i32(1, t.decimal_scale);
      w.field_i32(2, t.decimal_precision);
      w.end_struct();
      break;
    case LogicalType::DATE: w.begin_struct(6), w.end_struct(); break;
    case LogicalType::TIME:
    case LogicalType::TIMESTAMP:
      w.begin_struct(t.kind == LogicalType::TIME ? 7 : 8);
      w.field_bool(1, t.is_adjusted_to_utc);
      encode_time_unit(w, t.unit);
      w.end_struct();
      break;
    case LogicalType::INTEGER:
      w.begin_struct(10);
      w.field_i8(1, static_cast<int8_t>(t.bit_width));
      w.field_bool(2, t.is_signed);
      w.end_struct();
      break;
    case LogicalType::JSON: w.begin_struct(12), w.end_struct(); break;
    case LogicalType::UUID: w.begin_struct(14), w.end_struct(); break;
    default: break;  // the writer uses no other logical types
  }
  w.end_struct();
}

void encode_schema_element(CompactWriter& w, const SchemaElement& e) {
  w.begin_list_struct();
  if (e.type) w.field_i32(1, static_cast<int32_t>(*e.type));
  if (e.type == PhysicalKind::FIXED_LEN_BYTE_ARRAY) w.field_i32(2, e.type_length);
  if (e.repetition_type) w.field_i32(3, *e.repetition_type);
  w.field_binary(4, e.name);
  if (!e.type) w.field_i32(5, e.num_children);
  if (e.converted_type) w.field_i32(6, *e.converted_type);
  if (e.converted_type == converted::DECIMAL || e.logical_type.kind == LogicalType::DECIMAL) {
    w.field_i32(7, e.scale);
    w.field_i32(8, e.precision);
  }
  if (e.field_id) w.field_i32(9, *e.field_id);
  if (e.logical_type.kind != LogicalType::NONE) encode_logical_type(w, e.logical_type);
  w.end_struct();
}

void encode_statistics(CompactWriter& w, const Statistics& s) {
  w.begin_struct(12);  // ColumnMetaData.statistics
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  w.end_struct();
}

void encode_column_chunk(CompactWriter& w, const ColumnChunk& c) {
  w.begin_list_struct();
  if (!c.file_path.empty()) w.field_binary(1, c.file_path);
  w.field_i64(2, c.file_offset);
  if (c.meta_data) {
    const ColumnMetaData& m = *c.meta_data;
    w.begin_struct(3);
    w.field_i32(1, static_cast<int32_t>(m.type));
    w.begin_list(2, ctype::I32, m.encodings.size());
    for (int32_t e : m.encodings) w.list_i32(e);
    w.begin_list(3, ctype::BINARY, m.path_in_schema.size());
    for (const auto& p : m.path_in_schema) w.list_binary(p);
    w.field_i32(4, m.codec);
    w.field_i64(5, m.num_values);
    w.field_i64(6, m.total_uncompressed_size);
    w.field_i64(7, m.total_compressed_size);
    w.field_i64(9, m.data_page_offset);
    if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
    if (m.statistics) encode_statistics(w, *m.statistics);
    w.end_struct();
  }
  w.end_struct();
}

void encode_row_group(CompactWriter& w, const RowGroup& g) {
  w.begin_list_struct();
  w.begin_list(1, ctype::STRUCT, g.columns.size());
  for (const ColumnChunk& c : g.columns) encode_column_chunk(w, c);
  w.field_i64(2, g.total_byte_size);
  w.field_i64(3, g.num_rows);
  if (!g.columns.empty() && g.columns[0].meta_data) {
    const ColumnMetaData& first = *g.columns[0].meta_data;
    w.field_i64(5, first.dictionary_page_offset ? *first.dictionary_page_offset : first.data_page_offset);
  }
  if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
  w.end_struct();
}

}  // namespace

void encode_file_metadata(const FileMetaData& f, std::string* out) {
  CompactWriter w(out);
  w.field_i32(1, f.version);
  w.begin_list(2, ctype::STRUCT, f.schema.size());
  size_t leaves = 0;
  for (const SchemaElement& e : f.schema) {
    encode_schema_element(w, e);
    leaves += e.type.has_value();
  }
  w.field_i64(3, f.num_rows);
  w.begin_list(4, ctype::STRUCT, f.row_groups.size());
  for (const RowGroup& g : f.row_groups) encode_row_group(w, g);
  if (!f.created_by.empty()) w.field_binary(6, f.created_by);
  w.begin_list(7, ctype::STRUCT, leaves);
  for (size_t i = 0; i < leaves; i++) {
    w.begin_list_struct();  // ColumnOrder union
    w.begin_struct(1);      // TYPE_ORDER: TypeDefinedOrder {}
    w.end_struct();
    w.end_struct();
  }
  w.stop();
}

void encode_page_header(const PageHeader& h, std::string* out) {
  CompactWriter w(out);
  w.field_i32(1, h.type);
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.begin_struct(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.encoding);
    w.field_i32(3, d.definition_level_encoding);
    w.field_i32(4, d.repetition_level_encoding);
    w.end_struct();
  }
  if (h.dictionary_page_header) {
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    w.begin_struct(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.encoding);
    if (d.is_sorted) w.field_bool(3, true);
    w.end_struct();
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    w.begin_struct(8);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, d.encoding);
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    if (!d.is_compressed) w.field_bool(7, false);
    w.end_struct();
  }
  w.stop();
}

}  // namespace tributary::parquet
