#pragma once

// The attacker's view of an attack tree: the cheapest, quickest, least skilled and likeliest
// ways to succeed with the countermeasures in place, every minimal attack scenario ranked,
// and the Pareto fronts of (cost, probability) and (cost, time).
//
// Semantics: set semantics. An attack scenario is a minimal set of leaves whose success makes
// the root succeed (a minimal cut set of the tree's Boolean function; SAND counts as AND).
// A scenario's cost and time are the sums over its leaves (one attacker doing the steps one
// after another), its skill the highest among them, its probability their product (steps
// succeed independently). Every figure is the optimum over the scenarios themselves, from the
// ZBDD, so a leaf shared between branches is paid once: exact on DAGs, unlike bottom-up
// propagation through the gates.

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "models/project.h"
#include "models/project_compile.h"

namespace thornwood::models {

enum class AttackMetric { Cost, Time, Skill, Probability };

std::string_view toString(AttackMetric metric);

/// A scenario: leaves as "node" (this tree) or "tree/node" (an embedded tree), sorted.
struct Scenario {
  std::vector<std::string> leaves;
  std::optional<double> cost, time, skill, probability;  ///< empty where a leaf lacks the figure
};

struct MetricResult {
  AttackMetric metric = AttackMetric::Cost;
  std::optional<double> value;  ///< empty when no scenario exists or a leaf lacks the figure
  std::vector<std::string> scenario;  ///< one scenario that attains it
};

struct ParetoPoint {
  double cost = 0;
  double other = 0;  ///< probability or time
  std::vector<std::string> scenario;
};

struct AttackAnalysis {
  std::string tree;
  MitigationScope scope = MitigationScope::InPlace;
  std::uint64_t scenarioCount = 0;
  std::vector<Scenario> scenarios;  ///< ranked by the chosen metric, best first
  bool scenariosTruncated = false;  ///< more scenarios exist than were listed
  std::vector<MetricResult> metrics;             ///< cost, time, skill, probability
  std::vector<ParetoPoint> costProbability;      ///< cheapest first
  std::vector<ParetoPoint> costTime;             ///< cheapest first
  std::vector<core::Diagnostic> notes;           ///< figures missing on leaves, fronts abandoned
};

struct AttackOptions {
  MitigationScope scope = MitigationScope::InPlace;
  AttackMetric rankBy = AttackMetric::Cost;
  std::size_t maxScenarios = 1000;
  bool pareto = true;
};

/// The scenarios (of the tree with no mitigation) that one mitigation blocks on its own.
struct BlockedScenarios {
  std::string mitigation;
  std::vector<std::vector<std::string>> scenarios;
};

/// The defender's question: the cheapest set of mitigations that leaves no scenario.
struct DefencePlan {
  std::string tree;
  std::vector<std::string> candidates;  ///< every mitigation that blocks a node the tree uses
  std::uint64_t scenarioCount = 0;      ///< scenarios with no mitigation
  std::optional<double> cost;           ///< empty: no set of the candidates blocks every scenario
  std::vector<std::string> mitigations;  ///< the cheapest blocking set, by id
  std::vector<BlockedScenarios> explanation;  ///< per chosen mitigation
  bool explanationTruncated = false;     ///< the tree has more scenarios than were checked
  /// When no set blocks everything: the scenarios that survive every candidate at once.
  std::vector<std::vector<std::string>> unblockable;
};

/// Exact: "no attack succeeds" is a monotone formula over the mitigations (a node is blocked
/// when a mitigation on it acts, or when its children are blocked as its gate needs: all of
/// them for OR, any for AND/SAND, n - k + 1 for k-of-n), and its cheapest minimal solution is
/// the plan, by the engine's optimum over the ZBDD. Statuses are ignored: every candidate may
/// be chosen.
core::Result<DefencePlan> cheapestBlockingSet(const Project& project, const std::string& tree);

/// The defender's question under a budget: the mitigations, within the budget, that leave the
/// attacker the worst best attack: the highest least cost, or the lowest greatest success
/// probability. Ties go to the cheaper set, then to the set listed first.
struct BudgetPlan {
  std::string tree;
  double budget = 0;
  AttackMetric metric = AttackMetric::Cost;
  std::vector<std::string> candidates;
  std::vector<std::string> mitigations;  ///< the chosen set, by id
  double cost = 0;                       ///< its cost
  /// The attacker's best with the chosen set: least cost or greatest probability; empty
  /// when no attack is left.
  std::optional<double> attackerBest;
  std::optional<double> attackerBestWithout;  ///< the same with no mitigation
  std::size_t setsTried = 0;  ///< distinct sets of mitigations evaluated
  std::vector<BlockedScenarios> explanation;  ///< per chosen mitigation, as for the cheapest set
};

/// Exact, by branch and bound over the candidates (adding mitigations never helps the
/// attacker, so the attacker's best with every candidate not yet excluded bounds a branch).
/// Refused with a Limit error above 64 candidates or 20,000 evaluations of the tree. The
/// metric is cost or probability, and every leaf must carry it.
core::Result<BudgetPlan> bestSetUnderBudget(const Project& project, const std::string& tree, double budget,
                                            AttackMetric metric);

/// Analyses one attack tree of a project that passed validate().
core::Result<AttackAnalysis> analyseAttackTree(const Project& project, const std::string& tree,
                                               const AttackOptions& options = {});

}  // namespace thornwood::models
