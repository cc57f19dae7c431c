// The fd 3 payload of a run (see program_payload.h).
#include "sandbox/shared/program_payload.h"

namespace playground::sandbox {

using namespace std::string_literals;

std::string encode_program(const Program& program) {
  const bool plain = program.args.empty() && program.files.empty() &&
                     (program.code.empty() || program.code.front() != '\0');
  if (plain) return program.code;
  std::string out = "\0pg1\n"s;
  out += std::to_string(program.args.size()) + " " +
         std::to_string(program.files.size()) + "\n";
  for (const std::string& arg : program.args) {
    out += std::to_string(arg.size()) + "\n" + arg;
  }
  for (const auto& [name, content] : program.files) {
    out += std::to_string(name.size()) + " " + std::to_string(content.size()) +
           "\n" + name + content;
  }
  out += program.code;
  return out;
}

}  // namespace playground::sandbox
