#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/fault_tree.h"

namespace thornwood::importers {

struct MefOptions {
  /// Overrides the mission time of the model (hours); the MEF default is 8760 h.
  std::optional<double> missionTime;
  /// Files larger than this are refused before parsing.
  std::size_t maxFileBytes = 256u * 1024u * 1024u;
};

struct MefModel {
  models::FaultTree tree;
  double missionTime = 8760.0;
};

struct MefOutcome {
  std::optional<MefModel> model;  ///< empty when any error was reported
  std::vector<core::Diagnostic> diagnostics;
};

/// Reads an Open-PSA Model Exchange Format model spread over one or more files (for example
/// the structure in one and the basic-event data in another). No DTD is loaded and no entity
/// is expanded: a document type declaration is refused. Everything the reader does not
/// support is an Unsupported error naming the element, never a silent wrong answer.
/// Every diagnostic names the file and line:column.
MefOutcome readMef(const std::vector<std::string>& files, const MefOptions& options = {});

}  // namespace thornwood::importers
