#pragma once

// The compliance coverage of a project (models/compliance.h) as JSON and as text: per
// selected baseline the counts and share met, then every requirement with its state, the
// mitigations that serve it (with their status), the threats and hazards they address, or
// the reason it does not apply. The text lists gaps first, then planned, met and not
// applicable; the JSON keeps the catalogue's order.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/compliance.h"

namespace thornwood::exporters {

nlohmann::json toJson(const models::Project& project, const std::vector<models::BaselineCoverage>& coverage,
                      const std::string& file);
std::string toText(const models::Project& project, const std::vector<models::BaselineCoverage>& coverage,
                   const std::string& file);

}  // namespace thornwood::exporters
