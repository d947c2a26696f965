// HttpServer over cpp-httplib: the only file of the project that includes httplib.h.
#include <dirent.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "core/json.h"
#include "mock/http_server.h"

namespace sg::mock {

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpReply HttpReply::Json(int status, std::string body) {
  HttpReply reply;
  reply.status = status;
  reply.pieces.push_back(std::move(body));
  return reply;
}

namespace {

int PortOf(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

// httplib does not hand the connection's socket to handlers, so find it among this
// process's descriptors by its two ports. The connection belongs to the calling handler's
// thread, so it cannot be closed or reused while we look.
int FindConnectionSocket(int local_port, int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof(local), peer_len = sizeof(peer);
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0)
      continue;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0)
      continue;
    if (PortOf(local) == local_port && PortOf(peer) == remote_port) {
      found = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

// Aborts the connection: SO_LINGER 0 makes the close send a TCP RST, and dup2 swaps an
// unconnected socket into the descriptor so httplib's later writes fail and its own close
// is harmless.
void ResetConnection(const httplib::Request& req) {
  int fd = FindConnectionSocket(req.local_port, req.remote_port);
  if (fd < 0) return;
  linger abort_linger{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_linger, sizeof(abort_linger));
  int placeholder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (placeholder < 0) {
    shutdown(fd, SHUT_RDWR);
    return;
  }
  dup2(placeholder, fd);
  close(placeholder);
}

std::string ErrorJson(int status, const std::string& message) {
  return Json{{"error",
               {{"message", message},
                {"type", status >= 500 ? "server_error" : "invalid_request_error"},
                {"param", nullptr},
                {"code", nullptr}}}}
      .dump();
}

class HttplibServer final : public HttpServer {
 public:
  HttplibServer(int threads, Handler handler) : handler_(std::move(handler)) {
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_keep_alive_max_count(100000);
    // Remember the listening socket: httplib listens with a backlog of 5, too short for
    // dozens of clients connecting at once (the overflow waits for SYN retransmits).
    server_.set_socket_options([this](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      // Accepted sockets inherit TCP_NODELAY on Linux. httplib sends the headers and the
      // body in separate writes; with Nagle's algorithm the body then waits for the
      // client's delayed ACK (about 40 ms) on every reply.
      setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      listen_socket_ = sock;
    });
    auto route = [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); };
    server_.Get(".*", route);
    server_.Post(".*", route);
    server_.Put(".*", route);
    server_.Delete(".*", route);
    server_.Patch(".*", route);
    server_.Options(".*", route);
    // httplib's own refusals (bad request line, oversized headers) get a JSON body too.
    server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.has_header("Content-Type")) {
        res.set_content(ErrorJson(res.status, "the request could not be read as HTTP (status " +
                                                  std::to_string(res.status) + ")"),
                        "application/json");
      }
    });
    server_.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                     std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      res.status = 500;
      res.set_content(ErrorJson(500, "mock server internal error: " + what), "application/json");
    });
  }

  ~HttplibServer() override { Stop(); }

  Status Bind(const std::string& host, int port) {
    if (port == 0) {
      port_ = server_.bind_to_any_port(host);
      if (port_ <= 0) return Error(ErrorCode::kNetwork, "cannot bind " + host + " to a free port");
    } else {
      if (!server_.bind_to_port(host, port)) {
        return Error(
            ErrorCode::kNetwork,
            fmt::format("cannot bind {}:{} (in use? try --port 0 for a free port)", host, port));
      }
      port_ = port;
    }
    if (listen_socket_ >= 0) ::listen(listen_socket_, kListenBacklog);  // widens the queue
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      listen_returned_ = true;
    });
    // httplib's stop() only works once the accept loop runs: wait for it, so that a server
    // stopped right after it started does not leave its thread blocked in accept().
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running()) {
      if (listen_returned_ || std::chrono::steady_clock::now() > deadline) {
        if (!listen_returned_ && listen_socket_ >= 0) ::shutdown(listen_socket_, SHUT_RDWR);
        Stop();
        return Error(ErrorCode::kNetwork,
                     fmt::format("the server on {}:{} did not start accepting", host, port_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Ok();
  }

  int port() const override { return port_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    HttpRequest request;
    request.method = req.method;
    request.path = req.path;
    request.body = req.body;
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      request.headers.emplace(std::move(lower), value);
    }
    HttpReply reply = handler_(request);
    if (reply.reset) {
      // Recorded before the reset: a client that sees the reset may call again at once, and
      // the log and counters must already hold this request.
      if (reply.on_finished) reply.on_finished(false);
      ResetConnection(req);
      res.status = 500;
      return;
    }
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);

    auto pieces = std::make_shared<std::vector<std::string>>(std::move(reply.pieces));
    size_t total = 0;
    for (const auto& p : *pieces) total += p.size();
    const size_t limit = reply.cut_after_bytes ? std::min(*reply.cut_after_bytes, total) : total;
    const bool cut = reply.cut_after_bytes.has_value();
    auto finished = std::make_shared<std::function<void(bool)>>(std::move(reply.on_finished));
    auto releaser = [finished](bool success) {
      if (*finished) (*finished)(success);
    };
    // Writes the pieces up to `limit` bytes; false (connection closed) when cut.
    auto write_all = [pieces, limit, cut](httplib::DataSink& sink) {
      size_t sent = 0;
      for (const auto& piece : *pieces) {
        if (sent >= limit) break;
        size_t n = std::min(piece.size(), limit - sent);
        if (n > 0 && !sink.write(piece.data(), n)) return false;
        sent += n;
      }
      if (cut) return false;
      return true;
    };
    if (reply.chunked) {
      res.set_chunked_content_provider(
          reply.content_type,
          [write_all](size_t, httplib::DataSink& sink) {
            if (!write_all(sink)) return false;
            sink.done();
            return true;
          },
          releaser);
    } else {
      res.set_content_provider(
          total, reply.content_type,
          [write_all](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset != 0) return false;  // everything is written in the first call
            return write_all(sink);
          },
          releaser);
    }
  }

  static constexpr int kListenBacklog = 1024;
  Handler handler_;
  int listen_socket_ = -1;
  std::atomic<bool> listen_returned_{false};
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Listen(const std::string& host, int port,
                                                       int threads, Handler handler) {
  // A client that hangs up mid-reply must not kill the process with SIGPIPE.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
  if (threads < 1) return InvalidArgument("mock server: threads must be at least 1");
  auto server = std::make_unique<HttplibServer>(threads, std::move(handler));
  SG_RETURN_IF_ERROR(server->Bind(host, port));
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace sg::mock
