#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project_diff.h"

namespace thornwood::exporters {

/// `thornwood-cli diff --format json` (docs/cli.md): "model", "layout" and "risk" changes.
nlohmann::json toJson(const models::ProjectDiff& diff, const std::string& before, const std::string& after,
                      const std::vector<core::Diagnostic>& diagnostics);

/// For people and `git difftool`: one line per element, indented lines per field.
std::string toText(const models::ProjectDiff& diff, const std::string& before, const std::string& after);

}  // namespace thornwood::exporters
