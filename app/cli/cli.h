#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace thornwood::cli {

/// Runs `thornwood-cli ARGS...` (args without the program name), writing results to out and
/// diagnostics to err. Returns the exit status: 0 success, 1 a limit stopped the analysis,
/// 2 bad input or usage.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace thornwood::cli
