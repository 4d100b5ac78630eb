#pragma once

// What the commands of thornwood-cli share: exit statuses, how problems are printed, and
// the parsing of numeric options.

#include <iosfwd>
#include <optional>
#include <string>

#include "core/diagnostic.h"

namespace thornwood::cli::detail {

inline constexpr int kOk = 0;
inline constexpr int kLimit = 1;
inline constexpr int kBadInput = 2;

/// `file:place: problem`, warnings marked as such.
void printDiagnostic(std::ostream& err, const core::Diagnostic& d);
/// Prints the problem and the usage; returns kBadInput.
int usageError(std::ostream& err, const std::string& problem);
std::optional<double> parseNumber(const std::string& text);
std::optional<long long> parseInteger(const std::string& text);

}  // namespace thornwood::cli::detail
