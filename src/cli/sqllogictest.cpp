#include "cli/sqllogictest.h"

#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/error.h"
#include "engine/engine.h"

namespace tributary::cli {

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

std::string format_cell(const Vector& v, size_t row) {
  if (v.is_null(row)) return "NULL";
  std::string s = v.get_value(row).to_string();
  if (s.empty()) return "(empty)";
  return s;
}

struct FileRun {
  std::string path;
  int passed = 0;
  int failed = 0;
};

void run_file(FileRun& run, bool verbose) {
  std::ifstream in(run.path);
  if (!in) {
    std::cerr << run.path << ": cannot open\n";
    run.failed++;
    return;
  }
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  namespace fs = std::filesystem;
  std::string test_dir = fs::absolute(fs::path(run.path)).parent_path().string();
  fs::path tmp = fs::temp_directory_path() / ("tributary-slt-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(std::hash<std::string>()(run.path)));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  auto expand = [&](std::string s) {
    s = replace_all(s, "${TEST_DIR}", test_dir);
    s = replace_all(s, "${TMP}", tmp.string());
    // ${NAME}: an environment variable (service ports and credentials from scripts/services.sh).
    size_t pos = 0;
    while ((pos = s.find("${", pos)) != std::string::npos) {
      size_t end = s.find('}', pos);
      if (end == std::string::npos) break;
      std::string name = s.substr(pos + 2, end - pos - 2);
      const char* value = std::getenv(name.c_str());
      if (!value) throw_error(ErrorCode::INVALID_ARGUMENT, "environment variable " + name + " is not set");
      s.replace(pos, end - pos + 1, value);
      pos += std::strlen(value);
    }
    return s;
  };
  engine::EngineOptions options;
  options.threads = 2;
  engine::Engine engine(options);
  planner::Session session;
  auto fail = [&](size_t line_number, const std::string& sql, const std::string& message) {
    run.failed++;
    std::cerr << run.path << ":" << line_number << ": FAILED\n" << sql << "\n" << message << "\n\n";
  };
  size_t i = 0;
  while (i < lines.size()) {
    std::string current = lines[i];
    if (current.empty() || current[0] == '#') {
      i++;
      continue;
    }
    size_t start_line = i + 1;
    auto words = split_words(current);
    const std::string& directive = words[0];
    if (directive == "catalog") {
      if (words.size() < 3) {
        fail(start_line, current, "catalog needs a name and a connector");
        i++;
        continue;
      }
      ConnectorProperties properties;
      properties["connector.name"] = words[2];
      for (size_t k = 3; k < words.size(); k++) {
        auto eq = words[k].find('=');
        if (eq != std::string::npos) properties[words[k].substr(0, eq)] = expand(words[k].substr(eq + 1));
      }
      try {
        engine.add_catalog(words[1], properties);
      } catch (const Error& e) {
        fail(start_line, current, e.full());
      }
      i++;
      continue;
    }
    if (directive == "use") {
      auto dot = words[1].find('.');
      session.catalog = words[1].substr(0, dot);
      session.schema = dot == std::string::npos ? "" : words[1].substr(dot + 1);
      i++;
      continue;
    }
    if (directive == "exec") {
      std::string command = expand(current.substr(5));
      if (std::system(command.c_str()) != 0) fail(start_line, command, "setup command failed");
      i++;
      continue;
    }
    if (directive != "statement" && directive != "query") {
      fail(start_line, current, "unknown directive '" + directive + "'");
      i++;
      continue;
    }
    // Collect SQL until blank line or ----.
    i++;
    std::string sql;
    while (i < lines.size() && !lines[i].empty() && lines[i] != "----") {
      sql += (sql.empty() ? "" : "\n") + lines[i];
      i++;
    }
    sql = expand(sql);
    std::vector<std::string> expected;
    bool has_expected = false;
    if (i < lines.size() && lines[i] == "----") {
      has_expected = true;
      i++;
      while (i < lines.size() && !lines[i].empty()) expected.push_back(lines[i++]);
    }
    bool expect_error = words.size() > 1 && words[1] == "error";
    std::string error_substring;
    if (expect_error) {
      size_t pos = current.find("error") + 5;
      error_substring = current.substr(pos);
      error_substring.erase(0, error_substring.find_first_not_of(' '));
      if (error_substring.empty() && has_expected && !expected.empty()) error_substring = expected[0];
    }
    try {
      auto result = engine.execute(sql, session);
      if (expect_error) {
        fail(start_line, sql, "expected an error" + (error_substring.empty() ? "" : " containing: " + error_substring) +
                                  " but the statement succeeded");
        continue;
      }
      if (directive == "statement") {
        run.passed++;
        continue;
      }
      std::vector<std::string> actual;
      for (const auto& chunk : result.chunks)
        for (size_t r = 0; r < chunk.size; r++) {
          std::string row;
          for (size_t c = 0; c < chunk.columns.size(); c++) row += (c ? "\t" : "") + format_cell(chunk.columns[c], r);
          actual.push_back(row);
        }
      std::string mode = words.size() > 2 ? words[2] : "nosort";
      if (mode == "rowsort") {
        std::sort(actual.begin(), actual.end());
        std::sort(expected.begin(), expected.end());
      }
      // Expected rows may use runs of spaces instead of tabs when a value has none.
      auto normalize = [](const std::string& s) { return s; };
      bool same = actual.size() == expected.size();
      for (size_t k = 0; same && k < actual.size(); k++) {
        if (normalize(actual[k]) == normalize(expected[k])) continue;
        // Accept any whitespace run as a column separator in the expected text.
        std::string a = actual[k], e = expected[k];
        std::replace(a.begin(), a.end(), '\t', ' ');
        std::replace(e.begin(), e.end(), '\t', ' ');
        auto squeeze = [](std::string s) {
          std::string out;
          for (char c : s)
            if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
          return out;
        };
        if (squeeze(a) != squeeze(e)) same = false;
      }
      if (!same) {
        std::string message = "expected:\n";
        for (const auto& e : expected) message += "  " + e + "\n";
        message += "actual:\n";
        for (const auto& a : actual) message += "  " + a + "\n";
        fail(start_line, sql, message);
      } else {
        run.passed++;
        if (verbose) std::cerr << run.path << ":" << start_line << ": ok\n";
      }
    } catch (const Error& e) {
      if (!expect_error) {
        fail(start_line, sql, "unexpected error: " + e.full());
      } else if (!error_substring.empty() && e.full().find(error_substring) == std::string::npos) {
        fail(start_line, sql, "error message mismatch\nexpected to contain: " + error_substring + "\nactual: " + e.full());
      } else {
        run.passed++;
      }
    } catch (const std::exception& e) {
      fail(start_line, sql, std::string("internal exception: ") + e.what());
    }
  }
  fs::remove_all(tmp);
}

}  // namespace

int run_sqllogictest(const std::vector<std::string>& files, bool verbose) {
  int passed = 0, failed = 0;
  for (const auto& file : files) {
    FileRun run;
    run.path = file;
    run_file(run, verbose);
    passed += run.passed;
    failed += run.failed;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace tributary::cli
