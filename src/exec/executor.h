// Executor: turns an optimized plan into physical operators, cuts them into
// pipelines at sinks (hash build, aggregate, sort, window, set operation,
// result), and runs each pipeline on up to `threads` worker threads pulling
// morsels (splits / chunks) from the pipeline's source. Dependencies run first.
// The first error cancels the other threads and is rethrown to the caller.
#pragma once
#include <functional>
#include <vector>

#include "exec/exec_context.h"
#include "planner/plan.h"

namespace tributary::exec {

// Runs `plan` to completion and returns its rows in the plan's column layout.
// Throws tributary::Error (CANCELLED when context.cancelled was set).
std::vector<Chunk> execute_plan(const planner::PlanPtr& plan, ExecContext& context);
// Streams the result instead: `consumer` gets the chunks in the order execute_plan() would
// return them, one call at a time, from the pipeline threads as the rows are produced (a
// CREATE TABLE AS writes them without holding the result). An exception from it fails the query.
void execute_plan(const planner::PlanPtr& plan, ExecContext& context, const std::function<void(Chunk&)>& consumer);

}  // namespace tributary::exec
