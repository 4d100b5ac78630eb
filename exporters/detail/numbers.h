#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace thornwood::exporters::detail {

/// A probability or other figure for JSON: null when absent.
inline nlohmann::json optionalNumber(const std::optional<double>& v) {
  if (!v) return nullptr;
  return *v;
}

/// Six significant digits, for text meant for people.
inline std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace thornwood::exporters::detail
