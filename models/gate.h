#pragma once

// The CI gate (issue #7): a pipeline runs `thornwood-cli check` and reads an exit code and
// findings. Each check passes or fails with findings that point into the model file: open
// threats at or above a risk class, hazards whose residual risk is unacceptable, a top event
// above a probability, a baseline's coverage below a share, validation errors.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "models/compliance.h"
#include "models/project.h"
#include "models/project_analysis.h"

namespace thornwood::models {

struct GateConfig {
  /// Open threats whose risk class is this one or higher fail; empty: not checked.
  std::string openThreatClass;
  bool failOnUnacceptableResidual = true;
  std::optional<double> maxTopProbability;  ///< of any fault tree, mitigations in place
  /// The least share of applicable requirements met, per baseline id.
  std::map<std::string, double> minCoverage;
};

/// The thresholds the project's settings give (settings.gate).
GateConfig gateConfigOf(const Project& project);

/// Reads a check configuration (thornwood-check.json) over `base`: every key it gives
/// replaces the base's. Keys: open_threat_class, fail_on_unacceptable_residual,
/// max_top_probability, min_coverage ({baseline: share}). Errors name the file and key.
core::Result<GateConfig> parseGateConfig(std::string_view text, const std::string& file, GateConfig base);

enum class FindingLevel { Error, Warning, Note };
std::string_view toString(FindingLevel level);

struct GateFinding {
  std::string rule;     ///< the check's rule id, e.g. "TW002"
  FindingLevel level = FindingLevel::Error;
  std::string message;
  std::string pointer;  ///< JSON pointer of the element in the model file; may be empty
  std::string place;    ///< a line:column when the problem has no pointer (a syntax error)
};

struct GateCheck {
  std::string rule;   ///< TW001 ... TW005
  std::string name;   ///< e.g. "open-threats"
  std::string title;  ///< what it checks, with its threshold
  bool run = true;    ///< false: not configured, or the model did not load
  bool passed = true;
  std::vector<GateFinding> findings;
};

struct GateResult {
  std::vector<GateCheck> checks;  ///< always the five, in rule order
  bool passed() const;
};

/// Runs every check on a loaded project; `analysis` and `coverage` are the project's.
GateResult runGate(const Project& project, const ProjectAnalysis& analysis, const std::vector<BaselineCoverage>& coverage,
                   const GateConfig& config);

/// The gate of a file that did not load: validation fails with its problems, the rest do
/// not run.
GateResult failedToLoad(const std::vector<core::Diagnostic>& problems);

}  // namespace thornwood::models
