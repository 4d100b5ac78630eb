#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/logic_graph.h"
#include "core/result.h"

namespace thornwood::core {

/// How BDD variables are ordered. DepthFirst, Ascending and Descending number variables as
/// a depth-first walk from the top meets them: DepthFirst visits the inputs of a gate in file
/// order; Ascending from the input with the fewest variable occurrences below it to the
/// most; Descending the other way round. GatesFirst is SCRAM's topological order: a
/// post-order with a gate's gate inputs before its variable inputs, each from the most
/// shared to the least. No one order is best on every model (docs/performance.md), so Auto
/// (the default) races two after full preprocessing, one thread each: GatesFirst and
/// Descending; it keeps the one that made the fewest nodes, and an attempt stops as soon as
/// it has made more than a finished one. When both exceed the node budget, new modules only
/// with Ascending is tried. The choice depends on node counts only, never on timing, so
/// results are deterministic. Sifting, never chosen by Auto, starts from GatesFirst and
/// reorders the variables while the BDD is built (Rudell 1993): each time the live diagrams
/// have doubled past AnalysisOptions::siftThreshold, every variable is moved to where they
/// are smallest. It is slower on models the static orders handle, and smaller on those
/// they do not.
enum class VariableOrdering { Auto, Ascending, Descending, DepthFirst, GatesFirst, Sifting };

std::string_view toString(VariableOrdering ordering);

/// How the analysis goes. Bdd (the default): the exact probability from a BDD, and the
/// minimal cut sets as the BDD's minimal solutions (Rauzy 2001). Zbdd: the minimal cut sets
/// built bottom-up in a ZBDD with no BDD at all (the method of Aralia's and SCRAM's ZBDD
/// analyses): a variable is {{x}}, an OR the minimal union of its inputs' families, an AND
/// their minimal product, each cut at the order limit as it is made. It gives no exact
/// probability (the rare-event approximation and the min-cut upper bound come from the cut
/// sets) and takes coherent formulas only; with an order limit it reaches the low orders of
/// models whose BDD no order fits (nus9601). Its variable order is GatesFirst, or the static
/// order asked for.
enum class Method { Bdd, Zbdd };

std::string_view toString(Method method);

/// Whether gates that share nothing with the rest of the graph (modules, Dutuit & Rauzy 1996)
/// get BDDs of their own, referenced through one proxy variable in their parent's BDD.
enum class Modularisation { On, Off };

/// How a set's value is made from its variables' weights, for optimising over the minimal
/// solutions: the sum, the product, or the largest of the weights.
enum class Aggregate { Sum, Product, Max };
enum class Sense { Minimise, Maximise };

/// A measure of a set of variables to optimise over the minimal solutions (cut sets).
/// `weights` is indexed by graph node; the variables' entries are read and must be finite and
/// >= 0. Exact on shared subformulas: the optimum is taken over the sets themselves (a DP over
/// the ZBDD), not by combining values bottom-up through the gates.
struct Objective {
  Aggregate aggregate = Aggregate::Sum;
  Sense sense = Sense::Minimise;
  std::vector<double> weights;
};

struct AnalysisOptions {
  std::optional<int> limitOrder;  ///< keep cut sets with at most this many events
  double cutOff = 0.0;            ///< keep cut sets whose probability is at least this
  std::size_t maxCutSets = 1000;  ///< list at most this many cut sets (counts stay exact)
  std::size_t nodeBudget = 40'000'000;  ///< BDD and ZBDD nodes, each; beyond it: Limit error
  VariableOrdering ordering = VariableOrdering::Auto;
  Method method = Method::Bdd;
  /// With VariableOrdering::Sifting: the live BDD nodes at which the variables are first
  /// reordered; again each time the live nodes have doubled since.
  std::size_t siftThreshold = 100'000;
  Modularisation modules = Modularisation::On;
  /// Optima wanted over the minimal solutions, each with a set that attains it.
  std::vector<Objective> objectives;
  /// Pareto fronts wanted over the minimal solutions, each of two objectives.
  std::vector<std::pair<Objective, Objective>> fronts;
  /// A front with more points than this at some ZBDD node is abandoned with a note.
  std::size_t maxFrontPoints = 100000;
  /// List the maxCutSets best sets by objectives[*rankBy], best first (exact: a best-first
  /// search over the ZBDD guided by the optimum of every node), instead of the first by
  /// size and names. Runs without modules.
  std::optional<std::size_t> rankBy;
  /// The rare-event approximation and the min-cut upper bound; off saves an enumeration.
  bool approximations = true;
  /// Another thread sets it to stop the analysis, which then fails with ErrorCode::Cancelled
  /// (the GUI cancels an analysis an edit has made stale). Checked as diagrams grow.
  const std::atomic<bool>* cancel = nullptr;
};

/// The optimum of an objective and a set of variables (sorted by name) that attains it;
/// empty when there is no solution at all (the formula is false).
struct Optimum {
  std::optional<double> value;
  std::vector<NodeId> set;
};

struct FrontPoint {
  double first = 0;
  double second = 0;
  std::vector<NodeId> set;  ///< a set with these values, sorted by name
};

struct CutSets {
  /// Number of minimal cut sets within the limits. Exact unless `saturated`, when it exceeds
  /// 2^64 - 1 and holds that value.
  std::uint64_t count = 0;
  bool saturated = false;
  std::map<int, std::uint64_t> byOrder;  ///< order -> count, orders with no set left out
  /// Cut sets as variable ids, each sorted by name, the list sorted by order then names.
  std::vector<std::vector<NodeId>> list;
  bool truncated = false;  ///< the list holds fewer sets than count
  /// When the list is truncated inside an order with more than a few million sets, the
  /// sets kept from that order are the first in BDD variable order, not by name.
  bool selectionByVariableOrder = false;
  /// The list holds the best sets by the ranking objective, best first (AnalysisOptions::rankBy).
  bool rankedByObjective = false;
};

struct AnalysisStats {
  std::size_t bddNodes = 0;
  std::size_t zbddNodes = 0;
  std::size_t modules = 0;
  std::size_t variables = 0;
  VariableOrdering ordering = VariableOrdering::Ascending;
  Method method = Method::Bdd;
  /// What restructuring ran before the BDD: "full", "modules" or "none".
  std::string preprocessing = "none";
  std::uint64_t bddNodesMade = 0;  ///< garbage included: the work the BDD build did
  std::size_t bddCollections = 0;  ///< garbage collections run
  std::size_t bddReorderings = 0;  ///< times the variables were sifted (VariableOrdering::Sifting)
};

struct AnalysisResult {
  NodeId top = 0;
  bool coherent = true;
  /// Exact P(top) from the BDD; empty when some variable has no probability.
  std::optional<double> probability;
  std::optional<double> rareEvent;  ///< sum of cut-set probabilities, capped at 1
  std::optional<double> mcub;       ///< 1 - prod(1 - P(cut set))
  CutSets cutSets;
  AnalysisStats stats;
  std::vector<Diagnostic> notes;  ///< warnings: non-coherence, missing probabilities
  std::vector<Optimum> optima;    ///< one per requested objective
  /// One per requested front: the non-dominated points, best first by the first objective;
  /// empty also when the front was abandoned (see notes).
  std::vector<std::vector<FrontPoint>> fronts;
};

/// Exact analysis of the formula rooted at `top`: BDD probability and ZBDD minimal cut sets.
/// The graph must have passed validate(). Fails with a Limit diagnostic when a node budget
/// is exceeded; never aborts.
Result<AnalysisResult> analyse(const LogicGraph& graph, NodeId top, const AnalysisOptions& options);

}  // namespace thornwood::core
