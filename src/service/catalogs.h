// The service's catalogs: what the engine can query, built from the metastore's connector
// functions and data catalogs (the Lambda analog), the config directory's
// `catalog/NAME.properties` and `function/NAME.properties` files, and the built-in
// AwsDataCatalog (type GLUE, our metastore: database `default` and the views stored there).
//
// sync() makes the engine's catalog set match the metastore; it runs before every query, so
// a catalog created, updated or deleted through the API is seen by the next query. A
// connector is rebuilt only when its definition (type, parameters, function properties)
// changed. Thread-safe.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connectors/files/storage.h"
#include "engine/engine.h"
#include "service/metastore.h"

namespace tributary::service {

// Athena's name of the built-in catalog (ours is the metastore).
inline constexpr const char* kAwsDataCatalog = "AwsDataCatalog";

// The function name in `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` or a bare
// NAME. Throws INVALID_ARGUMENT for another ARN shape.
std::string function_name_from_arn(const std::string& arn_or_name);

// Athena's Lambda connector parameter names mapped to ours: DefaultConnectionString ->
// default, SpillBucket -> spill_bucket, ...; keys without a mapping are kept.
std::string normalize_function_property(const std::string& key);

// The connector properties of a function: its properties plus connector.name, without the
// Lambda deployment settings (spill bucket, memory, timeout, VPC ids) that have no meaning here.
ConnectorProperties connector_properties(const ConnectorFunction& function);

// A property value fit to show: passwords and secrets (also inside connection strings such
// as `...?user=u&password=p`) replaced by ****.
std::string redact_property(const std::string& key, const std::string& value);

// Checks a LAMBDA/FEDERATED catalog definition before it is stored: the function exists
// (LAMBDA) or the connector properties are complete (FEDERATED). Throws INVALID_ARGUMENT.
void validate_data_catalog(Metastore& metastore, const DataCatalog& catalog);

class ServiceCatalogs {
 public:
  // `config_dir` may be empty. Files in config_dir/function/*.properties are upserted into
  // the metastore as connector functions at construction; config_dir/catalog/*.properties
  // are served as FEDERATED catalogs that the API cannot change.
  // `local_paths` confines the local locations of AwsDataCatalog tables and of FEDERATED files
  // catalogs created through the API (config-dir catalogs and functions are the administrator's).
  ServiceCatalogs(Metastore& metastore, engine::Engine& engine, const std::string& config_dir,
                  files::LocalPathPolicy local_paths = {});

  // Brings the engine's catalogs in line with the metastore. A catalog whose connector cannot
  // be built is left out and its error kept for error_for() (the query naming it then fails
  // with that reason).
  void sync();

  struct Entry {
    std::string name;         // as created (e.g. mysql_catalog, AwsDataCatalog)
    DataCatalogType type;
    std::string description;
    std::map<std::string, std::string> parameters;
    std::string error;        // why its connector could not be built, if so
    bool from_config = false; // a catalog/*.properties file
  };
  // Every catalog visible to the API (not `system`), ordered by lower-cased name.
  std::vector<Entry> list();
  std::optional<Entry> find(const std::string& name);
  // Catalogs whose connector could not be built (lower-cased name -> reason).
  std::map<std::string, std::string> unavailable();
  // Connector of a catalog for metadata calls; nullptr when it does not exist.
  std::shared_ptr<Connector> connector(const std::string& name);

 private:
  std::string fingerprint(const DataCatalog& catalog);
  Metastore& metastore_;
  engine::Engine& engine_;
  files::LocalPathPolicy local_paths_;
  std::mutex mutex_;
  std::map<std::string, std::string> config_catalogs_;   // lower name -> connector.name
  std::map<std::string, std::string> fingerprints_;      // lower name -> definition last built
  std::map<std::string, std::string> errors_;            // lower name -> build error
};

// Views stored in the metastore (so they survive restarts).
class MetastoreViewStore : public engine::ViewStore {
 public:
  explicit MetastoreViewStore(Metastore& metastore) : metastore_(metastore) {}
  std::optional<std::string> find(const std::string& catalog, const std::string& schema,
                                  const std::string& name) override;
  bool put(const std::string& catalog, const std::string& schema, const std::string& name, const std::string& sql,
           bool replace) override;
  bool remove(const std::string& catalog, const std::string& schema, const std::string& name) override;
  std::vector<std::string> list(const std::string& catalog, const std::string& schema) override;

 private:
  Metastore& metastore_;
};

}  // namespace tributary::service
