// The redactor's environment secrets, JSON form and merge (the basic case is in
// core_test.cpp).
#include "core/redact.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace sg {
namespace {

TEST(SecretRedactor, KnowsCredentialVariablesOfTheEnvironment) {
  EXPECT_TRUE(IsSecretVariableName("OPENAI_API_KEY"));
  EXPECT_TRUE(IsSecretVariableName("AZURE_OPENAI_API_KEY"));
  EXPECT_TRUE(IsSecretVariableName("anthropic_api_key"));
  EXPECT_TRUE(IsSecretVariableName("GITHUB_TOKEN"));
  EXPECT_FALSE(IsSecretVariableName("PATH"));
  EXPECT_FALSE(IsSecretVariableName("OPENAI_BASE_URL"));
  setenv("SG_REDACT_TEST_API_KEY", "sk-from-the-environment-42", 1);
  SecretRedactor redactor;
  redactor.AddEnvironmentSecrets();
  unsetenv("SG_REDACT_TEST_API_KEY");
  EXPECT_EQ(redactor.Redact("got sk-from-the-environment-42."), "got [REDACTED].");
}

TEST(SecretRedactor, RedactsEveryStringOfAJsonValueAndMerges) {
  SecretRedactor a;
  a.AddSecret("secret-one-123");
  SecretRedactor b;
  b.Merge(a);
  Json value = {{"k", "x secret-one-123"}, {"list", {1, "secret-one-123"}}, {"n", 3}};
  Json redacted = b.RedactJson(value);
  EXPECT_EQ(redacted["k"], "x [REDACTED]");
  EXPECT_EQ(redacted["list"][1], "[REDACTED]");
  EXPECT_EQ(redacted["n"], 3);
  EXPECT_EQ(SecretRedactor().RedactJson(value), value);
}

}  // namespace
}  // namespace sg
