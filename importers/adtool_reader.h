#pragma once

// ADTool XML attack-defence trees (ADTool 1 and 2, `<adtree>` and `<sandtree>`) into a
// project holding one attack tree and its countermeasures as mitigations. The file is
// untrusted input; what the project model cannot express is listed as warnings with places,
// never dropped in silence.

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"

namespace thornwood::importers {

struct ImportOutcome {
  std::optional<models::Project> project;  ///< set when the file could be read
  std::vector<core::Diagnostic> diagnostics;  ///< errors, and warnings for what was not carried over
};

/// How each part of an ADTool tree lands in the project:
/// - attacker nodes become attack-tree nodes: conjunctive AND, disjunctive OR, sequential
///   SAND; a node without attacker children is a leaf; leaves with the same label are one
///   node (that is how ADTool writes shared actions);
/// - a countermeasure (switchRole child) on node n becomes mitigations guarding n: a basic
///   defence one mitigation, an OR of defences one mitigation per defence, an AND of defences
///   one mitigation named after it (warning: all its defences are needed). Each guard is a
///   node "n unless d" that the mitigation blocks, so n AND NOT d holds for this occurrence
///   only; a counter-attack c on the defence adds "n despite d" = n AND c beside it, which
///   is n AND NOT (d AND NOT c) exactly. Mitigations are imported as proposed;
/// - parameters of the MinCost, MinTimeSeq/MinTimePar, MinSkill and ProbSucc domains become
///   leaf cost, time, skill and probability (a defender's cost its mitigation's cost);
///   DiffLMH(E) difficulty L/M/H/E becomes skill 0/3/6/8; other domains, derived and default
///   values, and Infinity are reported, not carried over.
ImportOutcome readAdtool(const std::string& path);
ImportOutcome parseAdtool(std::string text, const std::string& name);

}  // namespace thornwood::importers
