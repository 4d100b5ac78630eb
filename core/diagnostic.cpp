#include "core/diagnostic.h"

#include <utility>

namespace thornwood::core {

Diagnostic error(ErrorCode code, std::string place, std::string problem) {
  return Diagnostic{Severity::Error, code, {}, std::move(place), std::move(problem)};
}

Diagnostic warning(std::string place, std::string problem) {
  return Diagnostic{Severity::Warning, ErrorCode::Malformed, {}, std::move(place),
                    std::move(problem)};
}

std::string format(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) out += d.file + ":";
  if (!d.place.empty()) out += d.place + ":";
  if (!out.empty()) out += " ";
  out += d.problem;
  return out;
}

std::string_view toString(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
  }
  return "error";
}

std::string_view toString(ErrorCode c) {
  switch (c) {
    case ErrorCode::Malformed:
      return "malformed";
    case ErrorCode::Unsupported:
      return "unsupported";
    case ErrorCode::Limit:
      return "limit";
    case ErrorCode::Io:
      return "io";
    case ErrorCode::Cancelled:
      return "cancelled";
  }
  return "malformed";
}

}  // namespace thornwood::core
