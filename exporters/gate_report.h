#pragma once

// The CI gate's result (models/gate.h) in the forms pipelines read: text for people, JSON,
// SARIF 2.1.0 for code-scanning UIs (each finding at the line of its element in the model
// file) and JUnit XML (one test case per check). Byte-identical for the same input.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "models/gate.h"

namespace thornwood::exporters {

/// The line (1-based) where the value at each JSON pointer starts in `text`, for pointers
/// up to `maxDepth` levels deep. A text that is not JSON gives the pointers read before the
/// fault.
std::map<std::string, int> pointerLines(std::string_view text, int maxDepth = 4);

/// The line of a finding: its pointer's, or its nearest enclosing pointer's; 1 when none.
int lineOf(const models::GateFinding& finding, const std::map<std::string, int>& lines);

std::string toText(const models::GateResult& result, const std::string& file, const std::map<std::string, int>& lines);
nlohmann::json toJson(const models::GateResult& result, const std::string& file, const std::map<std::string, int>& lines);
nlohmann::json toSarif(const models::GateResult& result, const std::string& file, const std::map<std::string, int>& lines);
std::string toJUnit(const models::GateResult& result, const std::string& file, const std::map<std::string, int>& lines);

}  // namespace thornwood::exporters
