#pragma once

// Turns a project's attack and fault trees into the engine's logic graphs with their numbers.
// The project must have passed validate(); a broken reference still gives a Malformed result,
// never undefined behaviour.

#include <set>
#include <string>

#include "core/logic_graph.h"
#include "core/result.h"
#include "models/project.h"

namespace thornwood::models {

/// Which mitigations act on the trees: none (the risk before mitigation), those in place
/// (implemented or verified: the residual risk), or every one (the risk once all are done).
enum class MitigationScope { None, InPlace, All };

std::string_view toString(MitigationScope scope);

/// The engine's connective for a fault-tree gate kind.
core::GateKind toCore(FaultGateKind kind);

struct CompiledTree {
  core::LogicGraph graph;
  core::NodeId top = 0;
};

/// A fault tree's logic. Basic events carry their probability over the mission time (a rate
/// λ becomes 1 - exp(-λ T)), divided by the factors of the mitigations in scope that lower it;
/// an event a mitigation removes is the constant false. An event that stands for an attack
/// tree is that tree's logic (nodes named "tree/node"), so shared attack steps stay one
/// variable and the result is exact.
core::Result<CompiledTree> compileFaultTree(const Project& project, const std::string& id, MitigationScope scope);

/// An attack tree's logic: the tree's own nodes under their ids, embedded trees' nodes as
/// "tree/node", SAND as AND. A node blocked by a mitigation in scope is the constant false.
/// Leaves carry their success probability when they have one.
core::Result<CompiledTree> compileAttackTree(const Project& project, const std::string& id, MitigationScope scope);

/// The same with exactly the mitigations named in `active` acting, whatever their status.
core::Result<CompiledTree> compileAttackTree(const Project& project, const std::string& id,
                                             const std::set<std::string>& active);

}  // namespace thornwood::models
