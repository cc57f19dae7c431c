// The scan that picks a program's sandbox kind (see sandbox_kind.h).
#include "backend/sandbox_kind.h"

#include <algorithm>
#include <string>

namespace playground::backend {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// Does `line` (an import statement, possibly with more on it) name one of
// kDataModules as a whole word?
bool names_data_module(std::string_view line) {
  for (std::string_view module : kDataModules) {
    for (size_t at = line.find(module); at != std::string_view::npos;
         at = line.find(module, at + 1)) {
      const size_t end = at + module.size();
      if ((at == 0 || !is_word_char(line[at - 1])) &&
          (end == line.size() || !is_word_char(line[end]))) {
        return true;
      }
    }
  }
  return false;
}

// The code with every string literal and comment blanked out (newlines
// kept), as far as a lexer that knows quotes, triple quotes, backslashes
// and '#' can tell: a mention of pandas in a comment or a docstring is not
// an import. (Prefixes like r, b and f need nothing: a backslash never ends
// a literal in any of them, and an f-string's braces are left blank too.)
std::string code_only(std::string_view code) {
  std::string out(code);
  size_t i = 0;
  while (i < out.size()) {
    const char c = out[i];
    if (c == '#') {
      for (; i < out.size() && out[i] != '\n'; ++i) out[i] = ' ';
      continue;
    }
    if (c != '\'' && c != '"') {
      ++i;
      continue;
    }
    const bool triple = out.compare(i, 3, std::string(3, c)) == 0;
    const size_t quote = triple ? 3 : 1;
    size_t j = i + quote;
    while (j < out.size()) {
      if (out[j] == '\\') {
        j += 2;
      } else if (out.compare(j, quote, std::string(quote, c)) == 0) {
        j += quote;
        break;
      } else if (!triple && out[j] == '\n') {
        break;  // an unterminated literal ends at its line
      } else {
        ++j;
      }
    }
    j = std::min(j, out.size());
    for (; i < j; ++i) {
      if (out[i] != '\n') out[i] = ' ';
    }
  }
  return out;
}

bool imports_data_module(std::string_view code) {
  // Most programs name neither: no copy, no lexing for them.
  if (!names_data_module(code)) return false;
  const std::string text = code_only(code);
  std::string_view rest = text;
  // Statements start a line or follow a ';'.
  while (!rest.empty()) {
    const size_t end = rest.find_first_of("\n;");
    std::string_view statement = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view()
                                         : rest.substr(end + 1);
    while (!statement.empty() &&
           (statement.front() == ' ' || statement.front() == '\t')) {
      statement.remove_prefix(1);
    }
    if ((statement.starts_with("import ") || statement.starts_with("from ")) &&
        names_data_module(statement)) {
      return true;
    }
  }
  return false;
}

// A file Python could import from the working directory: a module, an
// extension, or anything in a directory (a package, or a namespace one).
bool could_shadow_a_module(std::string_view name) {
  return name.find('/') != std::string_view::npos || name.ends_with(".py") ||
         name.ends_with(".pyc") || name.ends_with(".so");
}

}  // namespace

SandboxKind kind_for(const protocol::EvalRequest& request) {
  for (const protocol::ProgramFile& f : request.files) {
    if (could_shadow_a_module(f.name)) return SandboxKind::plain;
  }
  return imports_data_module(request.code) ? SandboxKind::data
                                           : SandboxKind::plain;
}

std::string_view to_string(SandboxKind kind) {
  return kind == SandboxKind::data ? "data" : "plain";
}

}  // namespace playground::backend
