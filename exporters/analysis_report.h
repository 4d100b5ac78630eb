#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/fault_tree_analysis.h"
#include "core/logic_graph.h"

namespace thornwood::exporters {

/// One analysed top event with its wall time.
struct TopResult {
  core::AnalysisResult result;
  double timeMs = 0.0;
};

/// Everything `thornwood-cli analyse` reports about one model.
struct AnalysisReport {
  std::vector<std::string> files;
  std::optional<double> missionTime;
  core::AnalysisOptions options;
  std::vector<TopResult> results;
  std::vector<core::Diagnostic> diagnostics;
};

/// The public JSON contract of `analyse` (docs/cli.md): keys may be added, never renamed or
/// removed. Cut sets are listed by order, then names; numbers print in the shortest form
/// that reads back to the same double, so equal input gives byte-identical output.
nlohmann::json toJson(const AnalysisReport& report, const core::LogicGraph* graph);

/// A plain-text summary for people.
std::string toText(const AnalysisReport& report, const core::LogicGraph* graph);

nlohmann::json toJson(const core::Diagnostic& d);

/// One entry of `results`: a top event's probability, approximations, cut sets and stats.
nlohmann::json toJson(const TopResult& result, const core::LogicGraph* graph);

}  // namespace thornwood::exporters
