#include "llm/response_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "core/file_util.h"
#include "core/testing.h"
#include "llm/client.h"
#include "mock/mock_server.h"
#include "mock/scenario.h"

namespace sg::llm {
namespace {

const SecretRedactor kNoSecrets;
constexpr const char* kSecret = "sk-cache-test-secret-0123456789";

// Every byte of the cache's files (the database and, while open, its WAL).
std::string RawCacheBytes(const std::filesystem::path& path) {
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    bytes += ReadFile(path.string() + suffix).value_or("");
  }
  return bytes;
}

// The stored request and response texts of every entry, read back through SQLite (a
// string split across overflow pages would escape a search of the raw bytes).
std::string StoredTexts(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string texts;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(db, "SELECT key, request, response FROM responses", -1, &stmt, nullptr),
      SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int column = 0; column < 3; ++column) {
      texts += reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      texts += "\n";
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return texts;
}

ChatRequest Request(const std::string& text) {
  ChatRequest r;
  r.model = "gpt-4o";
  r.messages.push_back(Message::System("sys"));
  r.messages.push_back(Message::User(text));
  r.tools.push_back({"read", "Read", Json{{"type", "object"}}});
  r.sampling.temperature = 0.5;
  return r;
}

ChatResponse Reply(const std::string& text) {
  ChatResponse r;
  r.message = Message::Assistant(text, {{"c1", "read", "{}"}});
  r.finish_reason = FinishReason::kToolCalls;
  r.raw_finish_reason = "tool_calls";
  r.usage.input_tokens = 11;
  r.usage.output_tokens = 7;
  r.usage.reported = true;
  r.model = "gpt-4o-2024-08-06";
  r.id = "id-" + text;
  r.attempts = 3;
  r.cost_usd = 1.0;
  return r;
}

TEST(ResponseCacheKeyTest, IgnoresStreamButNotContent) {
  ChatRequest a = Request("hello");
  ChatRequest b = a;
  b.stream = true;
  EXPECT_EQ(CacheKey(a), CacheKey(b));
  b.sampling.temperature = 0.7;
  EXPECT_NE(CacheKey(a), CacheKey(b));
  EXPECT_NE(CacheKey(a), CacheKey(Request("hello!")));
  EXPECT_EQ(CacheKey(a).size(), 64u);
}

TEST(ResponseCacheTest, StoresAndReadsBackAcrossReopen) {
  testing::TempDir dir;
  auto path = dir.path() / "cache" / "llm.sqlite";
  ChatRequest req = Request("q");
  {
    auto cache = ResponseCache::Open(path, CacheMode::kReadWrite);
    ASSERT_TRUE(cache.ok()) << cache.error().message;
    auto miss = (*cache)->Lookup(CacheKey(req));
    ASSERT_TRUE(miss.ok());
    EXPECT_FALSE(miss->has_value());
    ASSERT_TRUE((*cache)->Store(CacheKey(req), req, Reply("a"), kNoSecrets).ok());
  }
  auto cache = ResponseCache::Open(path, CacheMode::kReplay);
  ASSERT_TRUE(cache.ok());
  auto hit = (*cache)->Lookup(CacheKey(req));
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  const ChatResponse& r = **hit;
  EXPECT_EQ(r.message.content, "a");
  ASSERT_EQ(r.message.tool_calls.size(), 1u);
  EXPECT_EQ(r.message.tool_calls[0].name, "read");
  EXPECT_EQ(r.finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(r.usage.input_tokens, 11);
  EXPECT_EQ(r.model, "gpt-4o-2024-08-06");
  EXPECT_EQ(r.attempts, 1) << "per-call bookkeeping is not cached";
  EXPECT_FALSE(r.cost_usd.has_value());
}

TEST(ResponseCacheTest, ManyThreadsShareOneCache) {
  testing::TempDir dir;
  auto cache = ResponseCache::Open(dir.path() / "c.sqlite", CacheMode::kReadWrite);
  ASSERT_TRUE(cache.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        ChatRequest req = Request(std::to_string(t) + "/" + std::to_string(i));
        ASSERT_TRUE((*cache)
                        ->Store(CacheKey(req), req, Reply(std::to_string(t * 100 + i)), kNoSecrets)
                        .ok());
        auto hit = (*cache)->Lookup(CacheKey(req));
        ASSERT_TRUE(hit.ok() && hit->has_value());
        EXPECT_EQ((*hit)->message.content, std::to_string(t * 100 + i));
      }
    });
  }
  for (auto& th : threads) th.join();
}

TEST(ResponseCacheTest, TwoProcessesWriteOneFile) {
  testing::TempDir dir;
  auto path = dir.path() / "shared.sqlite";
  {
    auto init = ResponseCache::Open(path, CacheMode::kReadWrite);  // create the schema first
    ASSERT_TRUE(init.ok());
  }
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: its own connection (never inherit one across fork), 100 writes and reads.
      auto cache = ResponseCache::Open(path, CacheMode::kReadWrite);
      if (!cache.ok()) _exit(10);
      for (int i = 0; i < 100; ++i) {
        ChatRequest req = Request("p" + std::to_string(p) + "-" + std::to_string(i));
        if (!(*cache)->Store(CacheKey(req), req, Reply("r"), kNoSecrets).ok()) _exit(11);
        auto hit = (*cache)->Lookup(CacheKey(req));
        if (!hit.ok() || !hit->has_value()) _exit(12);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  auto cache = ResponseCache::Open(path, CacheMode::kReplay);
  ASSERT_TRUE(cache.ok());
  for (int p = 0; p < 2; ++p) {
    for (int i = 0; i < 100; ++i) {
      auto hit =
          (*cache)->Lookup(CacheKey(Request("p" + std::to_string(p) + "-" + std::to_string(i))));
      ASSERT_TRUE(hit.ok() && hit->has_value()) << p << " " << i;
    }
  }
}

TEST(ResponseCacheKeyTest, HashesTheRedactedRequest) {
  SecretRedactor redactor;
  redactor.AddSecret(kSecret);
  ChatRequest with_secret = Request(std::string("the key is ") + kSecret);
  ChatRequest with_placeholder = Request("the key is [REDACTED]");
  EXPECT_EQ(CacheKey(with_secret, redactor), CacheKey(with_placeholder));
  EXPECT_NE(CacheKey(with_secret, redactor), CacheKey(with_secret));
  EXPECT_EQ(NormalizedRequestText(with_secret, redactor).find(kSecret), std::string::npos);
}

TEST(ResponseCacheTest, StoresRequestAndResponseRedactedAndReplayStillHits) {
  testing::TempDir dir;
  auto path = dir.path() / "cache.sqlite";
  SecretRedactor redactor;
  redactor.AddSecret(kSecret);
  ChatRequest req = Request(std::string("printenv gave OPENAI_API_KEY=") + kSecret);
  req.messages.push_back(Message::ToolResult("c1", "read", std::string("key: ") + kSecret));
  ChatResponse reply = Reply(std::string("the key is ") + kSecret);
  reply.message.tool_calls[0].arguments = std::string(R"({"text": ")") + kSecret + "\"}";
  const std::string key = CacheKey(req, redactor);
  {
    auto cache = ResponseCache::Open(path, CacheMode::kReadWrite);
    ASSERT_TRUE(cache.ok()) << cache.error().message;
    ASSERT_TRUE((*cache)->Store(key, req, reply, redactor).ok());
    EXPECT_EQ(RawCacheBytes(path).find(kSecret), std::string::npos) << "in the WAL";
  }
  EXPECT_EQ(RawCacheBytes(path).find(kSecret), std::string::npos);
  std::string texts = StoredTexts(path);
  EXPECT_EQ(texts.find(kSecret), std::string::npos) << texts;
  EXPECT_NE(texts.find("OPENAI_API_KEY=[REDACTED]"), std::string::npos) << texts;
  EXPECT_NE(texts.find("the key is [REDACTED]"), std::string::npos) << texts;

  auto replay = ResponseCache::Open(path, CacheMode::kReplay);
  ASSERT_TRUE(replay.ok());
  auto hit = (*replay)->Lookup(CacheKey(req, redactor));
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value()) << "the same request hashes to the same redacted key";
  EXPECT_EQ((*hit)->message.content, "the key is [REDACTED]");
}

// The client's path: the key it sends, echoed into a prompt and a reply, is not stored,
// and a replay of the same request is a hit.
TEST(ResponseCacheTest, TheClientStoresNoKeyAndReplaysWhatItStored) {
  auto scenario = mock::ScenarioFromJson(
      Json{{"rules", Json::array({{{"reply", {{"text", std::string("echo ") + kSecret}}}}})}},
      "response_cache_test");
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  mock::MockOptions options;
  options.scenario = std::move(scenario).value();
  auto server = mock::MockServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.error().message;
  ProviderConfig config;
  config.kind = ProviderKind::kOpenAI;
  config.api_key = kSecret;
  config.base_url = (*server)->base_url() + "/v1";

  testing::TempDir dir;
  auto path = dir.path() / "cache.sqlite";
  ChatRequest req = Request(std::string("my key is ") + kSecret);
  CallContext context;
  {
    ClientParts parts;
    parts.cache =
        std::shared_ptr<ResponseCache>(ResponseCache::Open(path, CacheMode::kReadWrite)->release());
    LlmClient client(config, parts);
    auto first = client.Complete(req, context);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_FALSE(first->cache_hit);
  }
  EXPECT_EQ(RawCacheBytes(path).find(kSecret), std::string::npos);
  std::string texts = StoredTexts(path);
  EXPECT_EQ(texts.find(kSecret), std::string::npos) << texts;
  EXPECT_NE(texts.find("my key is [REDACTED]"), std::string::npos) << texts;
  EXPECT_NE(texts.find("echo [REDACTED]"), std::string::npos) << texts;

  ClientParts replay_parts;
  replay_parts.cache =
      std::shared_ptr<ResponseCache>(ResponseCache::Open(path, CacheMode::kReplay)->release());
  LlmClient replay_client(config, replay_parts);
  auto hit = replay_client.Complete(req, context);
  ASSERT_TRUE(hit.ok()) << hit.error().message;
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_EQ(hit->message.content, "echo [REDACTED]");
  EXPECT_EQ((*server)->counters().requests, 1);
}

TEST(ResponseCacheTest, ModesParseAndBadFilesFailClearly) {
  EXPECT_EQ(*ParseCacheMode("replay"), CacheMode::kReplay);
  auto bad = ParseCacheMode("sometimes");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("off, read-write or replay"), std::string::npos);
  testing::TempDir dir;
  auto path = dir.path() / "not-a-db";
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is not sqlite, just text that is long enough to look like a header......", f);
  fclose(f);
  auto cache = ResponseCache::Open(path, CacheMode::kReadWrite);
  ASSERT_FALSE(cache.ok());
  EXPECT_NE(cache.error().message.find("not-a-db"), std::string::npos);
}

}  // namespace
}  // namespace sg::llm
