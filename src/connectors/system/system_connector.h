// The `system` catalog: information_schema.schemata / tables / columns over
// every catalog the engine knows, computed at query time from the connectors'
// metadata. Tables are small; everything is materialized per scan.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connector/connector.h"

namespace tributary {

struct CatalogEntry {
  std::string name;
  std::shared_ptr<Connector> connector;
};

// `catalogs` is called on every scan to list the current catalogs (thread-safe).
std::shared_ptr<Connector> make_system_connector(std::function<std::vector<CatalogEntry>()> catalogs);

// A connector page source over rows computed in memory (also used by tests and other virtual tables).
std::unique_ptr<PageSource> make_memory_page_source(std::vector<std::vector<Value>> rows, std::vector<int> columns);

}  // namespace tributary
