// `tributary shell`: interactive SQL with history (~/.tributary_history),
// keyword/name completion (libedit), multi-line statements ending with ';',
// aligned output with timing, and Ctrl-C cancelling the running query.
#pragma once
#include "engine/engine.h"

namespace tributary::cli {

int run_shell(engine::Engine& engine, planner::Session& session);

}  // namespace tributary::cli
