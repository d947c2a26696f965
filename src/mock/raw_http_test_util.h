// A raw-socket HTTP/1.1 client for the mock's tests: it sees exactly what went over the
// wire, so resets, truncated bodies and cut streams are observable (header-only, tests only).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace sg::mock::testing {

struct RawResponse {
  bool connected = false;
  std::string raw;                             // every byte received
  int status = 0;                              // 0: no status line arrived
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;                            // de-chunked
  bool complete = false;  // Content-Length reached, or the final zero chunk seen
  bool reset = false;     // the read ended with ECONNRESET
  bool timed_out = false;

  sg::Json Json() const { return sg::Json::parse(body, nullptr, false); }
  // "data:" payloads of a server-sent event stream, in order.
  std::vector<std::string> SseData() const {
    std::vector<std::string> out;
    size_t pos = 0;
    while ((pos = body.find("data: ", pos)) != std::string::npos) {
      size_t end = body.find('\n', pos);
      out.push_back(
          body.substr(pos + 6, end == std::string::npos ? std::string::npos : end - pos - 6));
      pos = end == std::string::npos ? body.size() : end;
    }
    return out;
  }
  std::vector<std::string> SseEvents() const {
    std::vector<std::string> out;
    size_t pos = 0;
    while ((pos = body.find("event: ", pos)) != std::string::npos) {
      size_t end = body.find('\n', pos);
      out.push_back(body.substr(pos + 7, end - pos - 7));
      pos = end;
    }
    return out;
  }
};

inline void ParseRawResponse(RawResponse& r) {
  size_t head_end = r.raw.find("\r\n\r\n");
  if (head_end == std::string::npos || r.raw.compare(0, 5, "HTTP/") != 0) return;
  r.status = std::atoi(r.raw.c_str() + r.raw.find(' ') + 1);
  size_t line = r.raw.find("\r\n") + 2;
  while (line < head_end) {
    size_t eol = r.raw.find("\r\n", line);
    std::string h = r.raw.substr(line, eol - line);
    size_t colon = h.find(':');
    if (colon != std::string::npos) {
      std::string name = h.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = h.find_first_not_of(' ', colon + 1);
      r.headers[name] = v == std::string::npos ? "" : h.substr(v);
    }
    line = eol + 2;
  }
  std::string rest = r.raw.substr(head_end + 4);
  if (r.headers["transfer-encoding"] == "chunked") {
    size_t pos = 0;
    while (true) {
      size_t eol = rest.find("\r\n", pos);
      if (eol == std::string::npos) break;
      size_t size = std::stoul(rest.substr(pos, eol - pos), nullptr, 16);
      if (size == 0) {
        r.complete = true;
        break;
      }
      if (eol + 2 + size > rest.size()) {
        r.body += rest.substr(eol + 2);
        break;
      }
      r.body += rest.substr(eol + 2, size);
      pos = eol + 2 + size + 2;
    }
  } else {
    r.body = rest;
    if (r.headers.count("content-length")) {
      r.complete = r.body.size() == std::stoul(r.headers["content-length"]);
    }
  }
}

// Sends one request with "Connection: close" and reads until the server closes.
inline RawResponse RawHttp(int port, const std::string& method, const std::string& path,
                           const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {},
                           int timeout_ms = 20000) {
  RawResponse r;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return r;
  }
  r.connected = true;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") {
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  char buf[65536];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      r.raw.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == ECONNRESET) r.reset = true;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) r.timed_out = true;
    break;
  }
  close(fd);
  ParseRawResponse(r);
  return r;
}

inline RawResponse PostJson(int port, const std::string& path, const sg::Json& body,
                            const std::map<std::string, std::string>& headers = {}) {
  return RawHttp(port, "POST", path, body.dump(), headers);
}

}  // namespace sg::mock::testing
