// Response cache in SQLite, keyed by the SHA-256 of the normalized request (model,
// messages, tools, tool choice, sampling; not the stream flag, never a key). Secrets never
// reach the file: the stored request and response are redacted, and the key is the hash of
// the redacted request, so a replay of the same request hits (two requests that differ
// only in a secret share one entry). Modes:
//   off         nothing is read or written
//   read-write  a hit is returned without a call; a miss calls and stores the reply
//   replay      a hit is returned; a miss is an error (reproduce a run exactly)
// The database runs in WAL mode with a busy timeout, so several threads (one shared
// connection behind a mutex) and several processes can use one file at once.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/redact.h"
#include "llm/message.h"

struct sqlite3;

namespace sg::llm {

enum class CacheMode { kOff, kReadWrite, kReplay };
Result<CacheMode> ParseCacheMode(std::string_view text);  // "off" | "read-write" | "replay"
const char* CacheModeName(CacheMode mode);

// The canonical text that is hashed and stored: ToJson(request) without "stream", every
// string in it redacted with `redactor`. The forms without a redactor redact nothing.
std::string NormalizedRequestText(const ChatRequest& request, const SecretRedactor& redactor);
std::string NormalizedRequestText(const ChatRequest& request);
std::string CacheKey(const ChatRequest& request, const SecretRedactor& redactor);
std::string CacheKey(const ChatRequest& request);
// The key of rollout `rollout` of a task (CallContext::rollout): the same as above for
// rollout 0, a key of its own for each later one.
std::string CacheKey(const ChatRequest& request, const SecretRedactor& redactor, int rollout);

class ResponseCache {
 public:
  static Result<std::unique_ptr<ResponseCache>> Open(const std::filesystem::path& path,
                                                     CacheMode mode);
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  CacheMode mode() const { return mode_; }
  const std::filesystem::path& path() const { return path_; }

  // nullopt on a miss; an error only when the database fails.
  Result<std::optional<ChatResponse>> Lookup(const std::string& key);
  // Stores the request and the response with every string in them redacted with
  // `redactor`; `key` should be CacheKey(request, redactor).
  Status Store(const std::string& key, const ChatRequest& request, const ChatResponse& response,
               const SecretRedactor& redactor);

 private:
  ResponseCache(std::filesystem::path path, CacheMode mode, sqlite3* db)
      : path_(std::move(path)), mode_(mode), db_(db) {}
  Error DbError(const std::string& what) const;

  std::filesystem::path path_;
  CacheMode mode_;
  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace sg::llm
