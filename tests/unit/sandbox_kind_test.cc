// Which programs get a data sandbox (backend/sandbox_kind.h): a scan of the
// text, never a run.
#include "backend/sandbox_kind.h"

#include <gtest/gtest.h>

namespace playground::backend {
namespace {

SandboxKind kind_of(std::string code,
                    std::vector<protocol::ProgramFile> files = {}) {
  return kind_for({.code = std::move(code), .files = std::move(files)});
}

TEST(SandboxKind, ImportsOfNumpyOrPandasAreDataSnippets) {
  for (const char* code :
       {"import pandas as pd\nprint(pd.__version__)", "import numpy",
        "from numpy.linalg import inv", "import os, numpy as np",
        "x = 1; import pandas", "def f():\n    import pandas\n",
        "from pandas import (\n    DataFrame,\n)\n",
        "s = 'a'  # text\nimport numpy"}) {
    EXPECT_EQ(kind_of(code), SandboxKind::data) << code;
  }
}

TEST(SandboxKind, MentionsInCommentsAndStringsAreNotImports) {
  for (const char* code :
       {"print('hello')", "# import pandas\nprint(1)", "print('import pandas')",
        "s = \"\"\"\nimport numpy\n\"\"\"\n",
        "s = '''\nfrom pandas import x\n'''",
        "x = 'it\\'s'; y = '# import numpy'", "import pandasql",
        "import numpy_financial", "import mypandas",
        "pandas = 1\nprint(pandas)", "print(f'{1}import pandas')",
        "r\"\\\"\" \nprint('import pandas')"}) {
    EXPECT_EQ(kind_of(code), SandboxKind::plain) << code;
  }
}

TEST(SandboxKind, FilesThatCouldShadowAModuleKeepItPlain) {
  const std::string code = "import pandas";
  EXPECT_EQ(kind_of(code, {{"data.csv", "a\n1\n"}}), SandboxKind::data);
  for (const char* name : {"pandas.py", "decimal.py", "helper.pyc", "ext.so",
                           "pkg/__init__.py", "data/in.csv"}) {
    EXPECT_EQ(kind_of(code, {{name, ""}}), SandboxKind::plain) << name;
  }
}

}  // namespace
}  // namespace playground::backend
