#pragma once

// The analysis of a whole project: each fault tree before and after mitigation, each attack
// tree's success probability and minimal attack scenarios, and each hazard's risk class
// before and after mitigation, stated and as its fault tree's probability implies.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/fault_tree_analysis.h"
#include "core/logic_graph.h"
#include "models/project.h"
#include "models/project_compile.h"

namespace thornwood::models {

/// One tree analysed with one set of mitigations: the graph is kept so that results
/// (which name variables by graph id) can be printed.
struct TreeRun {
  MitigationScope scope = MitigationScope::None;
  core::LogicGraph graph;
  std::optional<core::AnalysisResult> result;  ///< empty when a limit stopped it
  double timeMs = 0;
};

struct FaultTreeAnalysis {
  std::string id;
  std::string top;
  TreeRun before;  ///< no mitigation
  TreeRun after;   ///< mitigations in place
};

struct AttackTreeAnalysis {
  std::string id;
  TreeRun before;
  TreeRun after;
};

/// A risk class by its index in the matrix; empty when a level is unknown.
struct RiskCell {
  std::string likelihood;
  std::string severity;
  std::optional<std::size_t> riskClass;
};

struct HazardAnalysis {
  std::string id;
  RiskCell before;  ///< as stated
  RiskCell after;   ///< as stated
  /// From the fault tree, when the hazard has one and the likelihood levels have bands:
  /// P(top) before and after mitigation and the cells they fall in (with the stated severity).
  std::optional<double> probabilityBefore;
  std::optional<double> probabilityAfter;
  std::optional<RiskCell> computedBefore;
  std::optional<RiskCell> computedAfter;
};

/// A threat's risk before and after treatment. Inherent: the stated likelihood and impact.
/// Residual, when the threat's attack tree is quantified and the matrix has likelihood bands:
/// the top of the stated likelihood's band times P(success with the mitigations in place) /
/// P(success with none), rated on the bands with the stated impact; none when no scenario is
/// left. Otherwise from the status: none when mitigated or not applicable, the inherent risk
/// when open, accepted or transferred.
struct ThreatRisk {
  std::string id;
  RiskCell inherent;
  std::optional<RiskCell> residual;  ///< empty: no residual risk (mitigated, not applicable)
  std::string basis;                 ///< "attack tree", "status"
  std::optional<double> probabilityBefore;  ///< of the attack tree, no mitigation
  std::optional<double> probabilityAfter;   ///< with the mitigations in place
};

/// How much of the risk the mitigations in place cover.
struct Coverage {
  std::size_t threats = 0;            ///< neither obsolete nor not applicable
  std::size_t threatsMitigated = 0;   ///< of those, mitigated
  std::uint64_t scenarios = 0;        ///< minimal attack scenarios of the attack trees, no mitigation
  std::uint64_t scenariosBlocked = 0;  ///< of those, made impossible by the mitigations in place
  bool scenariosExact = true;          ///< false when a tree had more scenarios than were checked
};

struct ProjectAnalysis {
  std::vector<FaultTreeAnalysis> faultTrees;
  std::vector<AttackTreeAnalysis> attackTrees;
  std::vector<HazardAnalysis> hazards;
  std::vector<ThreatRisk> threats;
  Coverage coverage;
  std::vector<core::Diagnostic> diagnostics;  ///< limits reached, notes of the engine
  bool limitReached = false;
  bool cancelled = false;  ///< options.cancel stopped it: the results are incomplete
};

struct ProjectAnalysisOptions {
  std::size_t nodeBudget = 40'000'000;
  bool timing = true;
  unsigned threads = 0;  ///< trees analysed at once; 0: one per hardware thread
  /// Set by another thread to stop: trees not yet done fail with ErrorCode::Cancelled and
  /// the result says `cancelled`. The GUI cancels an analysis that an edit has made stale.
  const std::atomic<bool>* cancel = nullptr;
};

/// Analyses every tree and hazard of a project that passed validate(). Settings (cut-off,
/// order limit, listed cut sets) come from the project. Trees are analysed on several threads;
/// the result does not depend on how many.
ProjectAnalysis analyse(const Project& project, const std::string& file, const ProjectAnalysisOptions& options = {});

}  // namespace thornwood::models
