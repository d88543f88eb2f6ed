// Registers the connector types compiled into the tributary binary (files,
// sqlite) with the factory registry of connector.h. Call once at start-up,
// before create_connector(); calling it again is harmless. Not thread-safe
// against concurrent create_connector() calls during registration.
#pragma once

namespace tributary {

void register_builtin_connectors();

}  // namespace tributary
