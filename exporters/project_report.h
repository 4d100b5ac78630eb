#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"
#include "models/project_analysis.h"

namespace thornwood::exporters {

/// `analyse` on a project: the MEF contract (docs/cli.md) extended. `results` holds one entry
/// per fault tree with the mitigations in place, in the MEF entry's shape plus "fault_tree";
/// `fault_trees` and `attack_trees` hold each tree before and after mitigation; `hazards`
/// each hazard's risk class, stated and as computed from its fault tree.
nlohmann::json toJson(const models::Project& project, const models::ProjectAnalysis& analysis,
                      const std::string& file, const std::vector<core::Diagnostic>& diagnostics);

std::string toText(const models::Project& project, const models::ProjectAnalysis& analysis, const std::string& file);

}  // namespace thornwood::exporters
