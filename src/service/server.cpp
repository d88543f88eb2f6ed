#include "service/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <csignal>
#include <thread>
#include <condition_variable>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/error.h"
#include "connectors/files/files_connector.h"
#include "engine/engine.h"
#include "service/athena_api.h"
#include "service/catalogs.h"
#include "service/metastore.h"
#include "service/query_manager.h"
#include "service/result_store.h"
#include "service/secure_random.h"
#include "service/sigv4_verifier.h"

namespace tributary::service {

namespace {


void send(httplib::Response& res, const ApiResponse& answer, const std::string& request_id) {
  res.status = answer.status;
  res.set_header("x-amzn-RequestId", request_id);
  if (!answer.error_type.empty()) res.set_header("x-amzn-ErrorType", answer.error_type);
  res.set_content(answer.body, "application/x-amz-json-1.1");
}

}  // namespace

int run_server(const ServerOptions& options) {
  namespace fs = std::filesystem;
  if (options.data_dir.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "--data-dir is required");
  // SIGTERM and SIGINT are taken by one thread (sigwait) that stops the HTTP server; every
  // other thread, created after this point, has them blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGUSR2);  // sent to itself when the server stops another way
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  fs::create_directories(options.data_dir);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  Metastore metastore((fs::path(options.data_dir) / "metastore.db").string());
  int recovered = metastore.recover_interrupted(
      "The server stopped while the query was queued or running (it was restarted); run the query again");
  if (recovered) spdlog::warn("event=recovered queries={} state=FAILED", recovered);

  engine::EngineOptions engine_options;
  engine_options.threads = options.threads;
  engine::Engine engine(engine_options);
  engine.set_view_store(std::make_shared<MetastoreViewStore>(metastore));
  // Local paths API users may name: the default results folder and the --local-root folders.
  files::LocalPathPolicy local_paths;
  local_paths.any = false;
  local_paths.roots.push_back(fs::absolute(fs::path(options.data_dir) / "results").lexically_normal().string());
  for (const auto& root : options.local_roots) {
    if (root.find(':') != std::string::npos)
      throw_error(ErrorCode::INVALID_ARGUMENT, "--local-root '" + root + "': a folder name with ':' is not supported");
    local_paths.roots.push_back(fs::absolute(root).lexically_normal().string());
  }
  if (options.results_location.rfind("file://", 0) == 0) local_paths.roots.push_back(options.results_location.substr(7));
  {
    std::string roots;
    for (const auto& root : local_paths.roots) roots += (roots.empty() ? "" : ":") + root;
    engine.add_catalog("$path", make_path_connector("$path", {{"local.allowed-roots", roots}}));
  }
  ServiceCatalogs catalogs(metastore, engine, options.config_dir, local_paths);
  catalogs.sync();

  ResultStoreOptions store_options;
  store_options.s3_endpoint = options.s3_endpoint;
  ResultStore results(store_options);

  QueryManagerOptions query_options;
  query_options.max_concurrent_queries = options.max_concurrent_queries;
  query_options.local_paths = local_paths;
  query_options.default_output_location =
      options.results_location.empty()
          ? "file://" + fs::absolute(fs::path(options.data_dir) / "results").lexically_normal().string() + "/"
          : options.results_location;
  QueryManager queries(metastore, engine, catalogs, results, query_options);
  AthenaApi api(metastore, engine, catalogs, queries);

  httplib::Server server;
  server.set_keep_alive_max_count(100000);
  server.set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay between them
  server.set_keep_alive_timeout(30);
  server.set_payload_max_length(16u << 20);
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };

  auto lookup_secret = [&](const std::string& access_key_id) -> std::optional<std::string> {
    auto user = metastore.find_user_by_access_key(access_key_id);
    if (!user) return std::nullopt;
    return user->secret_access_key;
  };

  server.Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
    std::string request_id = random_uuid();
    std::string target = req.get_header_value("X-Amz-Target");
    if (options.auth) {
      IncomingRequest incoming;
      incoming.method = req.method;
      size_t q = req.target.find('?');
      incoming.path = req.target.substr(0, q);
      incoming.query = q == std::string::npos ? "" : req.target.substr(q + 1);
      for (const auto& [name, value] : req.headers) incoming.headers.emplace_back(name, value);
      incoming.body = req.body;
      auto auth = verify_sigv4(incoming, lookup_secret, (int64_t)std::time(nullptr), "athena");
      if (auth.failure != AuthFailure::None) {
        spdlog::warn("request={} action={} event=auth_failed code={} key={}", request_id, target, auth.error_code(),
                     auth.access_key_id);
        send(res, api_error(auth.failure == AuthFailure::MissingAuthentication ? 403 : 400, auth.error_code(),
                            auth.message),
             request_id);
        return;
      }
    }
    auto answer = api.handle(target, req.body);
    if (answer.status >= 500)
      spdlog::error("request={} action={} status={} body={}", request_id, target, answer.status, answer.body);
    send(res, answer, request_id);
  });
  server.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(queries.metrics_text(), "text/plain; version=0.0.4");
  });
  server.Get("/ping", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\",\"running\":" + std::to_string(queries.running_count()) +
                        ",\"queued\":" + std::to_string(queries.queued_count()) + "}",
                    "application/json");
  });

  int port = options.http_port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "Cannot listen on " << options.host << ":" << options.http_port << " (is the port in use?)\n";
    return 1;
  }
  {
    std::ofstream out(fs::path(options.data_dir) / "server.port");
    out << port << "\n";
  }
  // On SIGTERM/SIGINT: cancel the queued and running queries (recorded as CANCELLED), stop
  // accepting, and give open keep-alive connections a moment before the process ends.
  std::mutex exit_mutex;
  std::condition_variable exited;
  bool listen_returned = false;
  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    if (signal_number == SIGUSR2) return;
    spdlog::info("event=stopping signal={} running={} queued={}", signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
                 queries.running_count(), queries.queued_count());
    // Stop accepting first, so a statement that ignores cancellation cannot keep the
    // server answering; then give running statements a grace period.
    server.stop();
    if (!queries.shutdown()) {
      spdlog::warn("event=stopped (statements that ignored cancellation were recorded CANCELLED and abandoned)");
      spdlog::default_logger()->flush();  // not shutdown(): an abandoned worker may still log
      std::_Exit(0);
    }
    std::unique_lock<std::mutex> lock(exit_mutex);
    if (!exited.wait_for(lock, std::chrono::seconds(2), [&] { return listen_returned; })) {
      spdlog::info("event=stopped (idle keep-alive connections closed)");
      spdlog::shutdown();
      std::_Exit(0);
    }
  });
  spdlog::info("event=listening endpoint=http://{}:{} auth={} data_dir={} results={}", options.host, port,
               options.auth ? "sigv4" : "none", options.data_dir, query_options.default_output_location);
  server.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(exit_mutex);
    listen_returned = true;
  }
  exited.notify_all();
  // listen returned (a signal, or a failure): wake the signal thread if it still waits.
  pthread_kill(signal_thread.native_handle(), SIGUSR2);
  signal_thread.join();
  queries.shutdown();
  spdlog::info("event=stopped");
  return 0;
}

}  // namespace tributary::service
