#pragma once

// Fault trees as Open-PSA Model Exchange Format XML, for other tools (SCRAM, XFTA) and for
// review. What is written is the logic Thornwood analyses: the project's fault tree compiled
// with the chosen mitigations, an event that stands for an attack tree written as that tree's
// gates, and a failure rate as its probability over the mission time. Reading the file back
// with the MEF importer gives the same probability and cut sets (tested). Names that MEF does
// not allow (MEF names have no '/', '.' or spaces) are rewritten and the original kept in a
// <label>; names stay unique across the trees of one file.

#include <string>
#include <vector>

#include "core/logic_graph.h"
#include "core/result.h"
#include "models/project.h"
#include "models/project_compile.h"

namespace thornwood::exporters {

struct MefTree {
  std::string name;   ///< the fault tree's id
  std::string label;  ///< its title, may be empty
  const core::LogicGraph* graph = nullptr;
  core::NodeId top = 0;
};

/// One MEF document with a define-fault-tree per tree (gates in it, events in model-data).
/// `labels` gives a person's name for graph node names (gate, event ids), written as <label>.
std::string toMef(const std::vector<MefTree>& trees, const std::string& documentLabel,
                  const std::vector<std::pair<std::string, std::string>>& labels = {});

/// The project's fault trees (all, or the one named) compiled with `scope` as MEF.
core::Result<std::string> projectToMef(const models::Project& project, models::MitigationScope scope,
                                       const std::string& tree = {});

}  // namespace thornwood::exporters
