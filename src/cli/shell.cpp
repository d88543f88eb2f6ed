#include "cli/shell.h"

#include <editline/readline.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <future>
#include <iostream>
#include <thread>

#include "cli/output_format.h"
#include "common/error.h"
#include "function/function.h"

namespace tributary::cli {

namespace {

std::atomic<bool> g_cancel{false};
engine::Engine* g_engine = nullptr;

void on_sigint(int) { g_cancel.store(true); }

std::vector<std::string> g_names;  // catalogs, catalog.schema and catalog.schema.table, read at start

std::vector<std::string> completion_words() {
  static const char* keywords[] = {
      "SELECT", "FROM",    "WHERE",     "GROUP",    "BY",     "ORDER",     "HAVING",   "LIMIT",   "OFFSET",
      "JOIN",   "LEFT",    "RIGHT",     "FULL",     "INNER",  "CROSS",     "OUTER",    "ON",      "USING",
      "AS",     "AND",     "OR",        "NOT",      "IN",     "EXISTS",    "BETWEEN",  "LIKE",    "IS",
      "NULL",   "DISTINCT", "UNION",    "INTERSECT", "EXCEPT", "ALL",      "WITH",     "VALUES",  "SHOW",
      "CATALOGS", "SCHEMAS", "TABLES",  "COLUMNS",  "FUNCTIONS", "DESCRIBE", "EXPLAIN", "ANALYZE", "USE",
      "CAST",   "TRY_CAST", "CASE",     "WHEN",     "THEN",   "ELSE",      "END",      "ASC",     "DESC",
      "NULLS",  "FIRST",   "LAST",      "OVER",     "PARTITION", "ROWS",   "CREATE",   "VIEW",    "DROP"};
  std::vector<std::string> words(std::begin(keywords), std::end(keywords));
  words.insert(words.end(), g_names.begin(), g_names.end());
  for (const auto& f : global_registry().scalar_names())
    if (!f.empty() && f[0] != '$') words.push_back(f);
  for (const auto& f : global_registry().aggregate_names()) words.push_back(f);
  return words;
}

void load_names(engine::Engine& engine) {
  for (const auto& catalog : engine.catalog_names()) {
    g_names.push_back(catalog);
    planner::Session session;
    try {
      auto schemas = engine.execute("SHOW SCHEMAS FROM \"" + catalog + "\"", session);
      for (const auto& chunk : schemas.chunks)
        for (size_t i = 0; i < chunk.size; i++) {
          std::string schema = chunk.columns[0].get_value(i).s;
          if (schema == "information_schema") continue;
          g_names.push_back(catalog + "." + schema);
          auto tables = engine.execute("SHOW TABLES FROM \"" + catalog + "\".\"" + schema + "\"", session);
          for (const auto& t : tables.chunks)
            for (size_t k = 0; k < t.size; k++) g_names.push_back(catalog + "." + schema + "." + t.columns[0].get_value(k).s);
        }
    } catch (const Error&) {
      // A source that is down just gets no completions.
    }
  }
}

char* completion_generator(const char* text, int state) {
  static std::vector<std::string> matches;
  static size_t index;
  if (state == 0) {
    matches.clear();
    index = 0;
    std::string prefix = text;
    for (auto& c : prefix) c = (char)std::tolower((unsigned char)c);
    for (const auto& w : completion_words()) {
      std::string lw = w;
      for (auto& c : lw) c = (char)std::tolower((unsigned char)c);
      if (lw.rfind(prefix, 0) == 0) matches.push_back(w);
    }
  }
  if (index < matches.size()) return strdup(matches[index++].c_str());
  return nullptr;
}

char** completion(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, completion_generator);
}

}  // namespace

int run_shell(engine::Engine& engine, planner::Session& session) {
  g_engine = &engine;
  std::string history = std::string(std::getenv("HOME") ? std::getenv("HOME") : ".") + "/.tributary_history";
  read_history(history.c_str());
  rl_attempted_completion_function = completion;
  rl_completer_word_break_characters = (char*)" \t\n(),;";
  load_names(engine);
  std::signal(SIGINT, on_sigint);
  std::string buffer;
  while (true) {
    std::string prompt = buffer.empty() ? "tributary> " : "        -> ";
    char* line = readline(prompt.c_str());
    if (!line) break;
    std::string text = line;
    free(line);
    if (buffer.empty() && (text == "quit" || text == "exit" || text == "\\q")) break;
    buffer += (buffer.empty() ? "" : "\n") + text;
    std::string trimmed = buffer;
    while (!trimmed.empty() && std::isspace((unsigned char)trimmed.back())) trimmed.pop_back();
    if (trimmed.empty()) {
      buffer.clear();
      continue;
    }
    if (trimmed.back() != ';') continue;
    add_history(trimmed.c_str());
    write_history(history.c_str());
    buffer.clear();
    g_cancel = false;
    std::signal(SIGINT, on_sigint);  // readline may have replaced the handler
    auto started = std::chrono::steady_clock::now();
    auto future = std::async(std::launch::async, [&] { return engine.execute(trimmed, session, &g_cancel); });
    bool progress_shown = false;
    while (future.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (seconds >= 1.0) {
        std::cerr << "\rrunning... " << (int)seconds << "s (Ctrl-C to cancel)" << std::flush;
        progress_shown = true;
      }
    }
    if (progress_shown) std::cerr << "\r\033[K";
    try {
      auto result = future.get();
      if (result.is_query) {
        write_result(result, OutputFormat::ALIGNED, std::cout);
        std::cout << "Query finished in " << (long long)result.stats.elapsed_ms << " ms, " << result.stats.rows
                  << " rows, " << result.stats.bytes_scanned << " bytes scanned\n";
        if (result.stats.rejected_values)
          std::cout << "Warning: " << result.stats.rejected_values
                    << " source values did not fit their column type and were read as NULL\n";
        std::cout << "\n";
      } else if (result.update_count >= 0) {
        std::cout << result.update_type << ": " << result.update_count << " rows (" << (long long)result.stats.elapsed_ms
                  << " ms, " << result.stats.bytes_scanned << " bytes scanned)\n\n";
      } else {
        std::cout << result.update_type << "\n\n";
      }
    } catch (const Error& e) {
      std::cerr << e.full() << "\n\n";
    } catch (const std::exception& e) {
      std::cerr << "INTERNAL_ERROR: " << e.what() << "\n\n";
    }
  }
  return 0;
}

}  // namespace tributary::cli
