#pragma once

#include <string>
#include <string_view>

namespace thornwood::core {

enum class Severity { Error, Warning };

/// What the caller should do about a problem: fix the file (Malformed), use a newer Thornwood
/// or drop the feature (Unsupported), raise a budget (Limit), or look at the file system (Io).
enum class ErrorCode { Malformed, Unsupported, Limit, Io, Cancelled };

struct Diagnostic {
  Severity severity = Severity::Error;
  ErrorCode code = ErrorCode::Malformed;
  std::string file;   ///< may be empty when the problem is not tied to a file
  std::string place;  ///< line:column, a JSON pointer or an element id; may be empty
  std::string problem;

  bool operator==(const Diagnostic&) const = default;
};

Diagnostic error(ErrorCode code, std::string place, std::string problem);
Diagnostic warning(std::string place, std::string problem);

/// `file:place: problem`, leaving out the parts that are empty.
std::string format(const Diagnostic& d);

std::string_view toString(Severity s);
std::string_view toString(ErrorCode c);

}  // namespace thornwood::core
