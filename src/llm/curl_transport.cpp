#include "llm/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <vector>

namespace sg::llm {

std::string HttpResponse::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return {};
}

struct CurlTransport::Pool {
  std::mutex mu;
  std::vector<CURL*> idle;

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        curl_easy_reset(handle);  // keeps live connections, drops options
        return handle;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* handle) {
    std::lock_guard<std::mutex> lock(mu);
    idle.push_back(handle);
  }
  ~Pool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
};

namespace {

struct Exchange {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  bool cancelled = false;
  long status = 0;  // NOLINT(runtime/int): curl's type
  int sends = 0;
};

// Called before each time the request is sent, curl's own resends included.
int OnRequestAboutToBeSent(void* user, char*, char*, int, int) {
  auto* ex = static_cast<Exchange*>(user);
  ++ex->sends;
  return CURL_PREREQFUNC_OK;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    ex->response->headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  ex->response->headers.emplace_back(std::move(name), std::string(value));
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  if (ex->status == 0) curl_easy_getinfo(ex->handle, CURLINFO_RESPONSE_CODE, &ex->status);
  bool success = ex->status >= 200 && ex->status < 300;
  if (success && ex->request->on_body_chunk) {
    if (!ex->request->on_body_chunk(std::string_view(data, n))) {
      ex->cancelled = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  ex->response->body.append(data, n);
  return n;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlTransport::CurlTransport() : pool_(std::make_unique<Pool>()) { InitCurlOnce(); }
CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::Post(const HttpRequest& request) {
  CURL* handle = pool_->Acquire();
  if (handle == nullptr) return Error(ErrorCode::kInternal, "curl_easy_init failed");
  HttpResponse response;
  Exchange ex{handle, &request, &response};

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip

  char error_buffer[CURL_ERROR_SIZE] = {0};
  long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));  // NOLINT
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min<long>(timeout_ms, 30'000));  // NOLINT
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);        // required with threads
  curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, OnRequestAboutToBeSent);
  curl_easy_setopt(handle, CURLOPT_PREREQDATA, &ex);

  CURLcode code = curl_easy_perform(handle);
  long status = 0;  // NOLINT(runtime/int)
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  pool_->Release(handle);
  if (request.sends != nullptr) *request.sends = std::max(1, ex.sends);

  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != 0 ? error_buffer : curl_easy_strerror(code);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    std::string where = "POST " + request.url;
    if (ex.cancelled) return Error(ErrorCode::kCancelled, where + ": stopped by the reader");
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return Error(ErrorCode::kTimeout, where + ": no complete answer within " +
                                            std::to_string(timeout_ms) + " ms (" + detail + ")");
    }
    return Error(ErrorCode::kNetwork, where + ": " + detail);
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sg::llm
