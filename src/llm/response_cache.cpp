#include "llm/response_cache.h"

#include <sqlite3.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/sha256.h"
#include "llm/message_json.h"

namespace sg::llm {
namespace {

constexpr int kBusyTimeoutMs = 30'000;

// Finalizes a statement on scope exit.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

Result<CacheMode> ParseCacheMode(std::string_view text) {
  if (text == "off") return CacheMode::kOff;
  if (text == "read-write" || text == "rw") return CacheMode::kReadWrite;
  if (text == "replay") return CacheMode::kReplay;
  return InvalidArgument("unknown cache mode \"" + std::string(text) +
                         "\"; use off, read-write or replay");
}

const char* CacheModeName(CacheMode mode) {
  switch (mode) {
    case CacheMode::kOff:
      return "off";
    case CacheMode::kReadWrite:
      return "read-write";
    case CacheMode::kReplay:
      return "replay";
  }
  return "off";
}

std::string NormalizedRequestText(const ChatRequest& request, const SecretRedactor& redactor) {
  Json j = ToJson(request);
  j.erase("stream");
  // Redacted as JSON, string by string, so that a secret is found whatever escaping the
  // dump would give it. nlohmann objects keep keys sorted: the text is canonical.
  return DumpJson(redactor.RedactJson(j));
}

std::string NormalizedRequestText(const ChatRequest& request) {
  return NormalizedRequestText(request, SecretRedactor());
}

std::string CacheKey(const ChatRequest& request, const SecretRedactor& redactor) {
  return Sha256Hex(NormalizedRequestText(request, redactor));
}

std::string CacheKey(const ChatRequest& request) { return CacheKey(request, SecretRedactor()); }

std::string CacheKey(const ChatRequest& request, const SecretRedactor& redactor, int rollout) {
  if (rollout <= 0) return CacheKey(request, redactor);
  return Sha256Hex("rollout " + std::to_string(rollout) + "\n" +
                   NormalizedRequestText(request, redactor));
}

Result<std::unique_ptr<ResponseCache>> ResponseCache::Open(const std::filesystem::path& path,
                                                           CacheMode mode) {
  if (path.has_parent_path()) SG_RETURN_IF_ERROR(MakeDirs(path.parent_path()));
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return IoError("cannot open the response cache " + path.string() + ": " + message);
  }
  std::unique_ptr<ResponseCache> cache(new ResponseCache(path, mode, db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  const char* setup =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS responses ("
      "  key TEXT PRIMARY KEY,"
      "  request TEXT NOT NULL,"
      "  response TEXT NOT NULL,"
      "  created_ms INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS "
      "INTEGER)));";
  char* err = nullptr;
  if (sqlite3_exec(db, setup, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    return IoError("cannot set up the response cache " + path.string() + ": " + message +
                   " (is it an SQLite file written by skillgrad?)");
  }
  return cache;
}

ResponseCache::~ResponseCache() { sqlite3_close(db_); }

Error ResponseCache::DbError(const std::string& what) const {
  return IoError("response cache " + path_.string() + ": " + what + ": " + sqlite3_errmsg(db_));
}

Result<std::optional<ChatResponse>> ResponseCache::Lookup(const std::string& key) {
  std::string text;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Statement s;
    if (sqlite3_prepare_v2(db_, "SELECT response FROM responses WHERE key = ?1", -1, &s.stmt,
                           nullptr) != SQLITE_OK) {
      return DbError("preparing a lookup");
    }
    sqlite3_bind_text(s.stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(s.stmt);
    if (rc == SQLITE_DONE) return std::optional<ChatResponse>();
    if (rc != SQLITE_ROW) return DbError("looking up " + key);
    const unsigned char* data = sqlite3_column_text(s.stmt, 0);
    text.assign(reinterpret_cast<const char*>(data),
                static_cast<size_t>(sqlite3_column_bytes(s.stmt, 0)));
  }
  std::string what = "response cache " + path_.string() + " entry " + key;
  SG_ASSIGN_OR_RETURN(Json j, ParseJson(text, what));
  SG_ASSIGN_OR_RETURN(ChatResponse response, ChatResponseFromJson(j, what));
  return std::optional<ChatResponse>(std::move(response));
}

Status ResponseCache::Store(const std::string& key, const ChatRequest& request,
                            const ChatResponse& response, const SecretRedactor& redactor) {
  // Per-call bookkeeping is not part of the stored reply.
  ChatResponse stored = response;
  stored.attempts = 1;
  stored.latency_ms = 0;
  stored.cache_hit = false;
  stored.cost_usd.reset();
  std::string request_text = NormalizedRequestText(request, redactor);
  std::string response_text = DumpJson(redactor.RedactJson(ToJson(stored)));
  std::lock_guard<std::mutex> lock(mu_);
  Statement s;
  if (sqlite3_prepare_v2(
          db_, "INSERT OR REPLACE INTO responses(key, request, response) VALUES (?1, ?2, ?3)", -1,
          &s.stmt, nullptr) != SQLITE_OK) {
    return DbError("preparing a store");
  }
  sqlite3_bind_text(s.stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 2, request_text.data(), static_cast<int>(request_text.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 3, response_text.data(), static_cast<int>(response_text.size()),
                    SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_DONE) return DbError("storing " + key);
  return Ok();
}

}  // namespace sg::llm
