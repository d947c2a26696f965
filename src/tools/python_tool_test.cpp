#include "tools/python_tool.h"

#include <gtest/gtest.h>

#include "core/testing.h"
#include "sandbox/process_sandbox.h"
#include "tools/answer_tool.h"
#include "tools/shell_tool.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;

TEST(PythonToolTest, StateIsKeptBetweenCallsLikeANotebook) {
  testing::TempDir tmp;
  PythonTool python(testing_util::MakeSandbox(tmp.path()));
  auto a = python.Invoke({{"code", "import math\nx = 21"}});
  EXPECT_FALSE(a.is_error) << a.content;
  EXPECT_EQ(a.content, "(no output)");
  auto b = python.Invoke({{"code", "print(x * 2)\nmath.sqrt(16)"}});
  EXPECT_FALSE(b.is_error) << b.content;
  EXPECT_EQ(b.content, "42\n4.0\n");
  EXPECT_EQ(python.starts(), 1);
}

TEST(PythonToolTest, ErrorsComeBackAsTracebacksOfTheCell) {
  testing::TempDir tmp;
  PythonTool python(testing_util::MakeSandbox(tmp.path()));
  auto out = python.Invoke({{"code", "print('before')\ndef f():\n    return 1 / 0\nf()"}});
  EXPECT_TRUE(out.is_error);
  EXPECT_NE(out.content.find("before"), std::string::npos) << out.content;
  EXPECT_NE(out.content.find("ZeroDivisionError"), std::string::npos) << out.content;
  EXPECT_NE(out.content.find("return 1 / 0"), std::string::npos) << out.content;
  EXPECT_EQ(out.content.find("_run"), std::string::npos) << out.content;  // no driver frames
  auto syntax = python.Invoke({{"code", "def ("}});
  EXPECT_TRUE(syntax.is_error);
  EXPECT_NE(syntax.content.find("SyntaxError"), std::string::npos) << syntax.content;
  auto exit = python.Invoke({{"code", "import sys\nsys.exit(3)"}});
  EXPECT_NE(exit.content.find("SystemExit"), std::string::npos) << exit.content;
  auto still = python.Invoke({{"code", "1 + 1"}});
  EXPECT_EQ(still.content, "2\n");
  EXPECT_EQ(python.starts(), 1);
}

TEST(PythonToolTest, InterpreterDeathIsReportedAndRecovered) {
  testing::TempDir tmp;
  PythonTool python(testing_util::MakeSandbox(tmp.path()));
  auto died = python.Invoke({{"code", "import os\nos._exit(5)"}});
  EXPECT_TRUE(died.is_error);
  EXPECT_NE(died.content.find("died"), std::string::npos) << died.content;
  auto next = python.Invoke({{"code", "print('back')"}});
  EXPECT_FALSE(next.is_error) << next.content;
  EXPECT_NE(next.content.find("back"), std::string::npos);
  EXPECT_NE(next.content.find("fresh interpreter"), std::string::npos);
  EXPECT_EQ(python.starts(), 2);
}

TEST(PythonToolTest, OpensWorkbooksWithOpenpyxlAndPandasInTheWorkspace) {
  testing::TempDir tmp;
  fs::path sample =
      testing::SamplesDir() / "spreadsheetbench" / "spreadsheet" / "13284" / "initial.xlsx";
  ASSERT_TRUE(fs::exists(sample));
  fs::copy_file(sample, tmp.path() / "input.xlsx");
  PythonTool python(testing_util::MakeSandbox(tmp.path()));
  std::string code =
      "import openpyxl, pandas as pd, os\nwb = openpyxl.load_workbook('input.xlsx')\n"
      "print(os.getcwd() == '" +
      fs::canonical(tmp.path()).string() +
      "')\n"
      "print(len(wb.sheetnames) > 0)\nws = wb.active\nws['A1'] = 'x'\n"
      "wb.save('output.xlsx')\nprint(type(pd.read_excel('output.xlsx')).__name__)";
  auto out = python.Invoke({{"code", code}});
  EXPECT_FALSE(out.is_error) << out.content;
  EXPECT_EQ(out.content, "True\nTrue\nDataFrame\n");
  EXPECT_TRUE(fs::exists(tmp.path() / "output.xlsx"));
}

TEST(PythonToolTest, BadArgumentsAreErrorResults) {
  testing::TempDir tmp;
  PythonTool python(testing_util::MakeSandbox(tmp.path()));
  EXPECT_TRUE(python.Invoke(Json::object()).is_error);
  auto wrong = python.Invoke({{"code", 42}});
  EXPECT_TRUE(wrong.is_error);
  EXPECT_NE(wrong.content.find("'code'"), std::string::npos) << wrong.content;
  EXPECT_EQ(python.starts(), 0);  // nothing was started for a refused call
}

TEST(PythonToolTest, WorksUnderTheDegradedBackendsToo) {
  for (auto backend : {sandbox::Backend::kUnshare, sandbox::Backend::kNone}) {
    testing::TempDir tmp;
    sandbox::SandboxConfig config;
    config.workspace = tmp.path();
    config.backend = backend;
    // Refused as it is; allowed with --unsafe-sandbox's setting.
    EXPECT_FALSE(sandbox::ProcessSandbox::Create(config).ok()) << sandbox::BackendName(backend);
    config.allow_unsafe = true;
    auto created = sandbox::ProcessSandbox::Create(config);
    if (!created.ok()) continue;  // not available on this host: Create says so
    PythonTool python(std::shared_ptr<sandbox::Sandbox>(std::move(created).value()));
    auto out = python.Invoke({{"code",
                               "import subprocess\np = subprocess.Popen(['sleep', '876611'])\n"
                               "y = 5\nprint('ran')"}});
    EXPECT_FALSE(out.is_error) << sandbox::BackendName(backend) << ": " << out.content;
    EXPECT_NE(out.content.find("ran"), std::string::npos) << out.content;
    EXPECT_NE(out.content.find("killed"), std::string::npos) << out.content;
    auto state = python.Invoke({{"code", "y, p.poll()"}});
    EXPECT_EQ(state.content, "(5, -9)\n") << sandbox::BackendName(backend);
  }
}

TEST(ShellToolTest, RunsBashInTheWorkspaceAndReportsTheExitCode) {
  testing::TempDir tmp;
  testing_util::WriteText(tmp.path() / "data.csv", "a,b\n1,2\n");
  ShellTool shell(testing_util::MakeSandbox(tmp.path()));
  auto out = shell.Invoke({{"command", "wc -l < data.csv; echo oops >&2; exit 4"}});
  EXPECT_FALSE(out.is_error);
  EXPECT_EQ(out.content, "2\n[stderr]\noops\n[exit code 4]");
  EXPECT_EQ(out.payload["exit_code"], 4);
  EXPECT_TRUE(shell.Invoke({{"cmd", "ls"}}).is_error);
}

TEST(SubmitAnswerToolTest, IsTerminalAndCarriesTheAnswer) {
  auto tool = MakeSubmitAnswerTool();
  auto text = tool->Invoke({{"answer", "Paris"}});
  EXPECT_TRUE(text.terminal);
  EXPECT_FALSE(text.is_error);
  EXPECT_EQ(text.payload, Json("Paris"));
  auto list = tool->Invoke({{"answer", Json::array({"a", 2})}});
  EXPECT_TRUE(list.terminal);
  EXPECT_EQ(list.payload, Json::array({"a", 2}));
  auto bad = tool->Invoke({{"answer", Json::object({{"x", 1}})}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_FALSE(bad.terminal);
  EXPECT_TRUE(tool->Invoke(Json::object()).is_error);
}

}  // namespace
}  // namespace sg::tools
