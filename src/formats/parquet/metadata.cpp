#include "formats/parquet/metadata.h"

#include "formats/parquet/thrift_compact.h"

namespace tributary::parquet {

namespace {

TimeUnit decode_time_unit(CompactReader& r) {
  TimeUnit unit = TimeUnit::NONE;
  r.read_struct([&](int16_t id, uint8_t type) {
    if (id == 1) unit = TimeUnit::MILLIS;
    else if (id == 2) unit = TimeUnit::MICROS;
    else if (id == 3) unit = TimeUnit::NANOS;
    r.skip(type);  // the members are empty structs
  });
  return unit;
}

// TimestampType and TimeType share their layout.
void decode_time_like(CompactReader& r, LogicalType* out) {
  r.read_struct([&](int16_t id, uint8_t type) {
    if (id == 1) out->is_adjusted_to_utc = r.read_bool(type);
    else if (id == 2 && type == ctype::STRUCT) out->unit = decode_time_unit(r);
    else r.skip(type);
  });
}

LogicalType decode_logical_type(CompactReader& r) {
  LogicalType out;
  r.read_struct([&](int16_t id, uint8_t type) {
    if (type != ctype::STRUCT) {
      r.skip(type);
      return;
    }
    switch (id) {
      case 1: out.kind = LogicalType::STRING; r.skip(type); break;
      case 2: out.kind = LogicalType::MAP; r.skip(type); break;
      case 3: out.kind = LogicalType::LIST; r.skip(type); break;
      case 4: out.kind = LogicalType::ENUM; r.skip(type); break;
      case 5:
        out.kind = LogicalType::DECIMAL;
        r.read_struct([&](int16_t fid, uint8_t ftype) {
          if (fid == 1) out.decimal_scale = r.read_i32(ftype);
          else if (fid == 2) out.decimal_precision = r.read_i32(ftype);
          else r.skip(ftype);
        });
        break;
      case 6: out.kind = LogicalType::DATE; r.skip(type); break;
      case 7: out.kind = LogicalType::TIME; decode_time_like(r, &out); break;
      case 8: out.kind = LogicalType::TIMESTAMP; decode_time_like(r, &out); break;
      case 10:
        out.kind = LogicalType::INTEGER;
        r.read_struct([&](int16_t fid, uint8_t ftype) {
          if (fid == 1) out.bit_width = r.read_i32(ftype);
          else if (fid == 2) out.is_signed = r.read_bool(ftype);
          else r.skip(ftype);
        });
        break;
      case 11: out.kind = LogicalType::UNKNOWN; r.skip(type); break;
      case 12: out.kind = LogicalType::JSON; r.skip(type); break;
      case 13: out.kind = LogicalType::BSON; r.skip(type); break;
      case 14: out.kind = LogicalType::UUID; r.skip(type); break;
      case 15: out.kind = LogicalType::FLOAT16; r.skip(type); break;
      default: out.kind = LogicalType::OTHER; r.skip(type); break;
    }
  });
  return out;
}

SchemaElement decode_schema_element(CompactReader& r) {
  SchemaElement e;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: {
        int32_t t = r.read_i32(type);
        if (t < 0 || t > 7) r.fail("unknown Parquet physical type " + std::to_string(t));
        e.type = static_cast<PhysicalKind>(t);
        break;
      }
      case 2: e.type_length = r.read_i32(type); break;
      case 3: e.repetition_type = r.read_i32(type); break;
      case 4: e.name = r.read_string(type); break;
      case 5: e.num_children = r.read_i32(type); break;
      case 6: e.converted_type = r.read_i32(type); break;
      case 7: e.scale = r.read_i32(type); break;
      case 8: e.precision = r.read_i32(type); break;
      case 9: e.field_id = r.read_i32(type); break;
      case 10:
        if (type == ctype::STRUCT) e.logical_type = decode_logical_type(r);
        else r.skip(type);
        break;
      default: r.skip(type);
    }
  });
  return e;
}

Statistics decode_statistics(CompactReader& r) {
  Statistics s;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: s.max = r.read_string(type); break;
      case 2: s.min = r.read_string(type); break;
      case 3: s.null_count = r.read_i64(type); break;
      case 4: s.distinct_count = r.read_i64(type); break;
      case 5: s.max_value = r.read_string(type); break;
      case 6: s.min_value = r.read_string(type); break;
      default: r.skip(type);
    }
  });
  return s;
}

ColumnMetaData decode_column_metadata(CompactReader& r) {
  ColumnMetaData m;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: {
        int32_t t = r.read_i32(type);
        if (t < 0 || t > 7) r.fail("unknown Parquet physical type " + std::to_string(t));
        m.type = static_cast<PhysicalKind>(t);
        break;
      }
      case 2: {
        auto h = r.read_list_header(type);
        for (uint32_t i = 0; i < h.size; i++) m.encodings.push_back(r.read_list_i32(h.element_type));
        break;
      }
      case 3: {
        auto h = r.read_list_header(type);
        for (uint32_t i = 0; i < h.size; i++) m.path_in_schema.push_back(r.read_list_string(h.element_type));
        break;
      }
      case 4: m.codec = r.read_i32(type); break;
      case 5: m.num_values = r.read_i64(type); break;
      case 6: m.total_uncompressed_size = r.read_i64(type); break;
      case 7: m.total_compressed_size = r.read_i64(type); break;
      case 9: m.data_page_offset = r.read_i64(type); break;
      case 11: m.dictionary_page_offset = r.read_i64(type); break;
      case 12:
        if (type == ctype::STRUCT) m.statistics = decode_statistics(r);
        else r.skip(type);
        break;
      default: r.skip(type);
    }
  });
  return m;
}

ColumnChunk decode_column_chunk(CompactReader& r) {
  ColumnChunk c;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: c.file_path = r.read_string(type); break;
      case 2: c.file_offset = r.read_i64(type); break;
      case 3:
        if (type == ctype::STRUCT) c.meta_data = decode_column_metadata(r);
        else r.skip(type);
        break;
      default: r.skip(type);
    }
  });
  return c;
}

RowGroup decode_row_group(CompactReader& r) {
  RowGroup g;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: r.read_struct_list(type, [&] { g.columns.push_back(decode_column_chunk(r)); }); break;
      case 2: g.total_byte_size = r.read_i64(type); break;
      case 3: g.num_rows = r.read_i64(type); break;
      case 6: g.total_compressed_size = r.read_i64(type); break;
      default: r.skip(type);
    }
  });
  return g;
}

}  // namespace

FileMetaData decode_file_metadata(const uint8_t* data, size_t size, uint64_t base_offset) {
  CompactReader r(data, size, base_offset);
  FileMetaData f;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: f.version = r.read_i32(type); break;
      case 2: r.read_struct_list(type, [&] { f.schema.push_back(decode_schema_element(r)); }); break;
      case 3: f.num_rows = r.read_i64(type); break;
      case 4: r.read_struct_list(type, [&] { f.row_groups.push_back(decode_row_group(r)); }); break;
      case 6: f.created_by = r.read_string(type); break;
      default: r.skip(type);
    }
  });
  return f;
}

PageHeader decode_page_header(const uint8_t* data, size_t size, uint64_t base_offset, size_t* header_size) {
  CompactReader r(data, size, base_offset);
  PageHeader h;
  r.read_struct([&](int16_t id, uint8_t type) {
    switch (id) {
      case 1: h.type = r.read_i32(type); break;
      case 2: h.uncompressed_page_size = r.read_i32(type); break;
      case 3: h.compressed_page_size = r.read_i32(type); break;
      case 5:
        if (type != ctype::STRUCT) {
          r.skip(type);
          break;
        }
        h.data_page_header.emplace();
        r.read_struct([&](int16_t fid, uint8_t ftype) {
          auto& d = *h.data_page_header;
          switch (fid) {
            case 1: d.num_values = r.read_i32(ftype); break;
            case 2: d.encoding = r.read_i32(ftype); break;
            case 3: d.definition_level_encoding = r.read_i32(ftype); break;
            case 4: d.repetition_level_encoding = r.read_i32(ftype); break;
            default: r.skip(ftype);
          }
        });
        break;
      case 7:
        if (type != ctype::STRUCT) {
          r.skip(type);
          break;
        }
        h.dictionary_page_header.emplace();
        r.read_struct([&](int16_t fid, uint8_t ftype) {
          auto& d = *h.dictionary_page_header;
          switch (fid) {
            case 1: d.num_values = r.read_i32(ftype); break;
            case 2: d.encoding = r.read_i32(ftype); break;
            case 3: d.is_sorted = r.read_bool(ftype); break;
            default: r.skip(ftype);
          }
        });
        break;
      case 8:
        if (type != ctype::STRUCT) {
          r.skip(type);
          break;
        }
        h.data_page_header_v2.emplace();
        r.read_struct([&](int16_t fid, uint8_t ftype) {
          auto& d = *h.data_page_header_v2;
          switch (fid) {
            case 1: d.num_values = r.read_i32(ftype); break;
            case 2: d.num_nulls = r.read_i32(ftype); break;
            case 3: d.num_rows = r.read_i32(ftype); break;
            case 4: d.encoding = r.read_i32(ftype); break;
            case 5: d.definition_levels_byte_length = r.read_i32(ftype); break;
            case 6: d.repetition_levels_byte_length = r.read_i32(ftype); break;
            case 7: d.is_compressed = r.read_bool(ftype); break;
            default: r.skip(ftype);
          }
        });
        break;
      default: r.skip(type);
    }
  });
  *header_size = r.position();
  return h;
}

}  // namespace tributary::parquet
