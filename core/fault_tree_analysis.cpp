#include "core/fault_tree_analysis.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <queue>
#include <string>
#include <thread>
#include <utility>

#include "core/bdd.h"
#include "core/pdag.h"
#include "core/sifting.h"
#include "core/zbdd.h"

namespace thornwood::core {

namespace {

constexpr int kInfOrder = std::numeric_limits<int>::max() / 4;
constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();
// Above this many sets in one order, choosing the first by name would enumerate too much.
constexpr std::uint64_t kExactSelectionLimit = 5'000'000;
// Steps (ZBDD nodes visited) allowed to an enumeration that has a cheaper fallback: the
// selection by name and the direct MCUB sum.
constexpr std::uint64_t kEnumerationSteps = 10'000'000;
// MCUB is taken from the listed sets up to this count, from power sums beyond it.
constexpr std::uint64_t kMcubEnumerationLimit = 1'000'000;
// A probability cut-off is applied by enumeration; it stops at this many sets.
constexpr std::uint64_t kCutOffEnumerationLimit = 200'000'000;

std::uint64_t addSat(std::uint64_t a, std::uint64_t b, bool& saturated) {
  std::uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) {
    saturated = true;
    return kMaxCount;
  }
  return r;
}

std::uint64_t mulSat(std::uint64_t a, std::uint64_t b, bool& saturated) {
  std::uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) {
    saturated = true;
    return kMaxCount;
  }
  return r;
}

/// The min-cut upper bound 1 - prod(1 - P) from sum(log(1 - P)): -expm1 keeps its digits
/// near 0, and it is +0, not -0, when there is no set.
double mcubFromLogComplement(double logComplement) {
  return 0.0 - std::expm1(logComplement);
}

/// What a BDD level stands for: a variable of the graph, or the proxy of a module.
struct Level {
  bool isModule = false;
  std::uint32_t pdagNode = 0;
};

/// Polynomials in the order of a set: coefficient i belongs to sets of i events. One per
/// ZBDD node that matters, truncated at the order limit.
template <class T>
using Poly = std::vector<T>;

/// The `capacity` smallest sets by (order, names) among those offered, names compared by
/// their rank in name order: a bounded max-heap, so memory stays at `capacity` sets.
class FirstByName {
 public:
  FirstByName(const std::vector<std::uint32_t>& rankOfLevel, std::size_t capacity)
      : m_rank(rankOfLevel), m_capacity(capacity) {}

  void offer(const std::vector<std::uint32_t>& levels) {
    if (m_capacity == 0) return;
    Key key{levels.size(), {}};
    for (std::uint32_t l : levels) key.second.push_back(m_rank[l]);
    std::sort(key.second.begin(), key.second.end());
    if (m_heap.size() < m_capacity) {
      m_heap.emplace(std::move(key), levels);
    } else if (key < m_heap.top().first) {
      m_heap.pop();
      m_heap.emplace(std::move(key), levels);
    }
  }

  /// The kept sets (as levels), in no particular order; empties the selection.
  std::vector<std::vector<std::uint32_t>> take() {
    std::vector<std::vector<std::uint32_t>> out;
    for (; !m_heap.empty(); m_heap.pop()) out.push_back(m_heap.top().second);
    return out;
  }

 private:
  using Key = std::pair<std::size_t, std::vector<std::uint32_t>>;
  const std::vector<std::uint32_t>& m_rank;
  std::size_t m_capacity;
  std::priority_queue<std::pair<Key, std::vector<std::uint32_t>>> m_heap;
};

Diagnostic cancelledError() {
  return error(ErrorCode::Cancelled, "", "the analysis was cancelled");
}

class FaultTreeSolver {
 public:
  /// `restructured`, when given, is the normal form already restructured at `preprocessing`
  /// (attempts that share one rewrite); otherwise the solver makes and restructures its own.
  FaultTreeSolver(const LogicGraph& graph, NodeId top, const AnalysisOptions& options,
                  VariableOrdering ordering, Pdag::Preprocessing preprocessing,
                  const std::atomic<std::uint64_t>* workLimit, const Pdag* restructured = nullptr)
      : m_graph(graph),
        m_options(options),
        m_ordering(ordering),
        m_preprocessing(preprocessing),
        m_workLimit(workLimit),
        m_pdag(restructured ? *restructured : Pdag(graph, top)),
        m_restructured(restructured != nullptr) {
    m_result.top = top;
  }

  /// Builds the BDD and the ZBDD: everything that depends on the variable order. Fails
  /// with a Limit error on the node budget, or stops when the work limit is passed.
  Result<bool> buildDiagrams();
  /// Probabilities, counts and lists from the diagrams.
  AnalysisResult finish();
  /// BDD and ZBDD nodes made so far: the deterministic measure of an order's cost.
  std::uint64_t work() const;

 private:
  void orderVariables(VariableOrdering ordering);
  void orderGatesFirst();
  void makeManagers();
  Result<Edge> buildBdd();
  void computeProbabilities(Edge topEdge);
  Result<ZEdge> buildZbdd(Edge topEdge);
  /// Method::Zbdd: the minimal cut sets straight from the formula, module families too.
  Result<ZEdge> buildZbddDirect();
  /// Per node of `order` (gates, children first), the order at which its family can be cut
  /// under the order limit; -1 where no set of it can matter.
  void cutOrders(const std::vector<std::uint32_t>& order, std::vector<int>& cut) const;
  /// m_levelProb of every variable; false (with a note) when some has no probability.
  bool levelProbabilities();
  void computeOrders();
  void countCutSets(ZEdge root);
  void listCutSets(ZEdge root);
  void applyCutOff(ZEdge root);
  void computeMcub(ZEdge root);
  void finishConstant(bool value);
  /// Optimum of one objective over the family `root` (module proxies expanded), with a set.
  Optimum optimise(ZEdge root, const Objective& objective) const;
  /// Non-dominated (first, second) points over the family, each with a set; nothing if a
  /// node's front grows past the limit.
  std::optional<std::vector<FrontPoint>> front(ZEdge root, const Objective& first,
                                               const Objective& second) const;
  /// The best value of `objective` over each needed node's family; some[e] is 0 when the
  /// family is empty. high[e] says whether the best takes the high branch.
  void bestValues(ZEdge root, const Objective& objective, std::vector<double>& best,
                  std::vector<char>& some, std::vector<char>& high) const;
  /// The maxCutSets best sets by `objective`, best first (no modules).
  void listRanked(ZEdge root, const Objective& objective);
  /// Nodes `root` needs, module ZBDDs included, ascending (children first).
  std::vector<ZEdge> needed(ZEdge root) const;
  std::vector<NodeId> byName(std::vector<NodeId> set) const;
  std::vector<NodeId> toVariables(const std::vector<std::uint32_t>& levels) const;
  /// Per level, the rank of its variable's name among all variables' names.
  std::vector<std::uint32_t> nameRanks() const;
  void sortList();

  template <class T, class Weight>
  Poly<T> weightedPoly(ZEdge root, Weight weightOfLevel, int maxDegree, bool& saturated) const;

  /// Depth-first enumeration of the sets of `root` with orders in [minOrder, maxOrder],
  /// expanding module proxies; `emit(levels, probability)` returns false to stop. With
  /// stepBudget, gives up after that many steps and returns false; a step is one ZBDD
  /// node visited, so the budget bounds the cost whatever the shape of the ZBDD.
  template <class Emit>
  bool enumerate(ZEdge root, int minOrder, int maxOrder, Emit emit,
                 std::uint64_t stepBudget = ~std::uint64_t{0}) const;

  const LogicGraph& m_graph;
  const AnalysisOptions& m_options;
  VariableOrdering m_ordering;
  Pdag::Preprocessing m_preprocessing;
  const std::atomic<std::uint64_t>* m_workLimit;
  Pdag m_pdag;
  bool m_restructured = false;
  bool m_constant = false;
  Edge m_topEdge = kFalse;
  ZEdge m_root = kEmpty;
  std::unique_ptr<Bdd> m_bdd;  // made by buildDiagrams
  Bdd& bdd() { return *m_bdd; }
  std::unique_ptr<Zbdd> m_zbdd;
  Zbdd& zbdd() { return *m_zbdd; }
  const Zbdd& zbdd() const { return *m_zbdd; }
  AnalysisResult m_result;

  std::vector<bool> m_isModule;          // per pdag node
  std::vector<std::uint32_t> m_levelOf;  // per pdag node, for variables and modules
  std::vector<Level> m_levels;
  std::size_t m_reorderings = 0;
  std::vector<Edge> m_moduleFn;              // per pdag node: module function, normalised
  std::vector<bool> m_moduleFlipped;         // per pdag node: proxy stands for the negation
  std::vector<std::uint32_t> m_moduleOrder;  // module gates, inner first
  std::vector<ZEdge> m_moduleZ;              // per level: ZBDD of the module's minimal solutions
  std::vector<double> m_levelProb;           // per level
  bool m_haveProbabilities = true;
  int m_maxDegree = kInfOrder;
  // Per ZBDD node: smallest and largest set order, largest set probability.
  std::vector<int> m_minOrd, m_maxOrd;
  std::vector<double> m_maxProb;
};

void FaultTreeSolver::makeManagers() {
  m_bdd = std::make_unique<Bdd>(m_options.nodeBudget);
  m_zbdd = std::make_unique<Zbdd>(m_options.nodeBudget);
  m_bdd->setWorkLimit(m_workLimit, 0);
  m_bdd->setCancel(m_options.cancel);
  m_zbdd->setCancel(m_options.cancel);
}

void FaultTreeSolver::orderGatesFirst() {
  // Post-order: a gate's gate inputs are numbered (recursively) before its variable
  // inputs, and a module's proxy when the module is finished.
  const auto& nodes = m_pdag.nodes();
  const std::uint32_t top = m_pdag.top().node;
  std::vector<bool> seen(nodes.size(), false);
  auto number = [&](std::uint32_t n) {
    m_levelOf[n] = static_cast<std::uint32_t>(m_levels.size());
    m_levels.push_back(Level{nodes[n].isGate, n});
  };
  if (!nodes[top].isGate) {
    number(top);
    return;
  }
  // Inputs with more parents first (stable), as SCRAM orders them.
  std::vector<std::uint32_t> parentCount(nodes.size(), 0);
  for (std::uint32_t g : m_pdag.postOrder()) {
    for (const auto& c : nodes[g].children) ++parentCount[c.node];
  }
  auto sortedChildren = [&](std::uint32_t g) {
    std::vector<std::uint32_t> out;
    for (const auto& c : nodes[g].children) {
      if (c.node != 0) out.push_back(c.node);
    }
    std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
      return parentCount[a] > parentCount[b];
    });
    return out;
  };
  struct Frame {
    std::uint32_t gate;
    std::vector<std::uint32_t> children;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{top, sortedChildren(top)});
  seen[top] = true;
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < f.children.size()) {
      const std::uint32_t c = f.children[f.next++];
      if (nodes[c].isGate && !seen[c]) {
        seen[c] = true;
        stack.push_back(Frame{c, sortedChildren(c)});
      }
      continue;
    }
    for (std::uint32_t c : f.children) {
      if (!nodes[c].isGate && !seen[c]) {
        seen[c] = true;
        number(c);
      }
    }
    if (m_isModule[f.gate] && f.gate != top) number(f.gate);
    stack.pop_back();
  }
}

void FaultTreeSolver::orderVariables(VariableOrdering ordering) {
  const auto& nodes = m_pdag.nodes();
  m_levelOf.assign(nodes.size(), 0);
  std::vector<bool> seen(nodes.size(), false);
  if (ordering == VariableOrdering::GatesFirst || ordering == VariableOrdering::Sifting) {
    orderGatesFirst();
    return;
  }
  // Weight of a node: the number of variable occurrences below it, counting shared nodes
  // once per path (capped); a cheap stand-in for the size of its support.
  std::vector<double> weight(nodes.size(), 1.0);
  const bool weighted =
      ordering == VariableOrdering::Ascending || ordering == VariableOrdering::Descending;
  if (weighted) {
    for (std::uint32_t g : m_pdag.postOrder()) {
      double w = 0;
      for (const auto& c : nodes[g].children) w += weight[c.node];
      weight[g] = std::min(w, 1e12);
    }
  }
  auto visitOrder = [&](std::uint32_t g) {
    std::vector<std::uint32_t> children;
    for (const auto& c : nodes[g].children) {
      if (c.node != 0) children.push_back(c.node);
    }
    if (ordering == VariableOrdering::Ascending) {
      std::stable_sort(children.begin(), children.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return weight[a] < weight[b]; });
    }
    if (ordering == VariableOrdering::Descending) {
      std::stable_sort(children.begin(), children.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return weight[a] > weight[b]; });
    }
    return children;
  };
  const std::uint32_t top = m_pdag.top().node;
  std::vector<std::pair<std::vector<std::uint32_t>, std::size_t>> stack;
  auto enter = [&](std::uint32_t n) {
    seen[n] = true;
    if (!nodes[n].isGate || (m_isModule[n] && n != top)) {
      m_levelOf[n] = static_cast<std::uint32_t>(m_levels.size());
      m_levels.push_back(Level{nodes[n].isGate, n});
    }
    if (nodes[n].isGate) stack.emplace_back(visitOrder(n), 0);
  };
  enter(top);
  while (!stack.empty()) {
    auto& [children, next] = stack.back();
    if (next == children.size()) {
      stack.pop_back();
      continue;
    }
    const std::uint32_t c = children[next++];
    if (!seen[c]) enter(c);
  }
}

Result<Edge> FaultTreeSolver::buildBdd() {
  const auto& nodes = m_pdag.nodes();
  const std::uint32_t top = m_pdag.top().node;
  const std::vector<std::uint32_t> order = m_pdag.postOrder();
  std::vector<Edge> gateFn(nodes.size(), kFalse);
  m_moduleFn.assign(nodes.size(), kFalse);
  m_moduleFlipped.assign(nodes.size(), false);
  // A gate's BDD is dropped once its last parent has used it, so that garbage collection
  // can reclaim it; module proxies are variables and hold nothing.
  std::vector<std::uint32_t> parentsLeft(nodes.size(), 0);
  std::vector<bool> live(nodes.size(), false);
  auto isInlineGate = [&](std::uint32_t n) {
    return nodes[n].isGate && !(m_isModule[n] && n != top);
  };
  // Each input of gate g once, though a gate may take both x and NOT x: counting x twice
  // on the way down dropped its diagram while another parent still needed it.
  std::vector<std::uint32_t> visitStamp(nodes.size(), 0);
  std::uint32_t stamp = 0;
  auto forEachDistinctInput = [&](std::uint32_t g, auto fn) {
    ++stamp;
    for (const auto& c : nodes[g].children) {
      if (visitStamp[c.node] == stamp) continue;
      visitStamp[c.node] = stamp;
      fn(c.node);
    }
  };
  for (std::uint32_t g : order) {
    forEachDistinctInput(g, [&](std::uint32_t c) {
      if (isInlineGate(c)) ++parentsLeft[c];
    });
  }
  auto edgeOf = [&](const Pdag::Lit& l) {
    Edge e;
    if (!nodes[l.node].isGate) {
      e = bdd().variable(m_levelOf[l.node]);
    } else if (m_isModule[l.node] && l.node != top) {
      e = bdd().variable(m_levelOf[l.node]);
      if (m_moduleFlipped[l.node]) e = negate(e);
    } else {
      e = gateFn[l.node];
    }
    return l.negated ? negate(e) : e;
  };
  // Collect when the table has grown to twice what survived the last collection.
  std::size_t gcThreshold = std::max<std::size_t>(1u << 20, m_options.nodeBudget / 8);
  // With sifting, the variables are reordered at a collection once the live nodes pass siftAt.
  std::size_t siftAt = m_ordering == VariableOrdering::Sifting
                           ? std::max<std::size_t>(m_options.siftThreshold, 1)
                           : 0;
  if (siftAt != 0) gcThreshold = std::min(gcThreshold, siftAt);
  // While sifting, an operation that passes the threshold is paused, collected (and
  // sifted) mid-way and run again, as in CUDD: a single AND can otherwise grow the diagrams
  // tenfold before the next collection (nus9601: 0.3 to 4.9 million live nodes in one step).
  if (siftAt != 0) bdd().setPauseAt(gcThreshold);
  auto maybeCollect = [&](std::vector<Edge>& extra) {
    const bool paused = bdd().paused();
    if (paused) {
      bdd().resume();
    } else if (bdd().nodeCount() < gcThreshold) {
      return;
    }
    std::vector<Edge> roots;
    std::vector<std::uint32_t> owners;
    for (std::uint32_t g : order) {
      if (live[g]) {
        roots.push_back(gateFn[g]);
        owners.push_back(g);
      }
      // Built modules keep their functions for the probability and the ZBDD.
      if (m_isModule[g] && g != top && m_moduleFn[g] != kFalse) {
        roots.push_back(m_moduleFn[g]);
        owners.push_back(g | 0x80000000u);
      }
    }
    const std::size_t fixed = roots.size();
    roots.insert(roots.end(), extra.begin(), extra.end());
    roots = bdd().collectGarbage(std::move(roots));
    if (siftAt != 0 && bdd().nodeCount() > siftAt) {
      // Every edge the build holds is among the roots, so all of them follow the new order;
      // levels, and which variable each stands for, move with it.
      SiftOptions siftOptions;
      siftOptions.cancel = m_options.cancel;
      const SiftResult sifted =
          sift(bdd(), roots, static_cast<std::uint32_t>(m_levels.size()), siftOptions);
      std::vector<Level> levels(m_levels.size());
      for (std::size_t l = 0; l < m_levels.size(); ++l) levels[sifted.newLevel[l]] = m_levels[l];
      m_levels = std::move(levels);
      for (std::uint32_t& l : m_levelOf) l = sifted.newLevel[l];
      siftAt = 2 * bdd().nodeCount();
      ++m_reorderings;
    }
    for (std::size_t i = 0; i < fixed; ++i) {
      if (owners[i] & 0x80000000u) {
        m_moduleFn[owners[i] & 0x7fffffffu] = roots[i];
      } else {
        gateFn[owners[i]] = roots[i];
      }
    }
    std::copy(roots.begin() + static_cast<std::ptrdiff_t>(fixed), roots.end(), extra.begin());
    // After a pause at least double: the operation run again may need all of that, and
    // collecting its partial results each time would never let it finish.
    gcThreshold = std::max(paused ? 2 * gcThreshold : gcThreshold, 2 * bdd().nodeCount());
    if (siftAt != 0) bdd().setPauseAt(gcThreshold);
  };
  // Runs op until it is not paused, collecting (and sifting) in between; `operands` holds
  // every edge op reads, and is renumbered by the collection.
  auto unpaused = [&](std::vector<Edge>& operands, auto op) {
    Edge r = op();
    while (bdd().paused()) {
      maybeCollect(operands);
      r = op();
    }
    return r;
  };
  auto limitError = [&]() {
    if (bdd().cancelled()) return cancelledError();
    return error(ErrorCode::Limit, m_graph.name(m_result.top),
                 "BDD node budget of " + std::to_string(m_options.nodeBudget) +
                     " exceeded while building the BDD of \"" + m_graph.name(m_result.top) +
                     (m_ordering == VariableOrdering::Sifting
                          ? "\"; raise it with --node-budget or analyse a smaller tree"
                          : "\"; raise it with --node-budget, try --ordering sifting, or analyse a "
                            "smaller tree"));
  };
  // BDD size of each gate's function, once asked for (0: not yet); a variable's is 2.
  std::vector<std::size_t> gateSize(nodes.size(), 0);
  auto sizeOf = [&](const Pdag::Lit& l) -> std::size_t {
    if (!isInlineGate(l.node)) return 2;
    if (gateSize[l.node] == 0) gateSize[l.node] = bdd().size(gateFn[l.node]);
    return gateSize[l.node];
  };
  auto combine = [&](Pdag::Kind kind, Edge a, Edge b) {
    switch (kind) {
      case Pdag::Kind::And:
        return bdd().andOp(a, b);
      case Pdag::Kind::Or:
        return bdd().orOp(a, b);
      case Pdag::Kind::Xor:
        return bdd().xorOp(a, b);
      case Pdag::Kind::AtLeast:
        break;
    }
    return kFalse;
  };
  std::vector<Edge> work;  // the pending operands of the current gate
  std::vector<std::size_t> workSize;
  for (std::uint32_t g : order) {
    const Pdag::Node& n = nodes[g];
    work.clear();
    workSize.clear();
    for (const auto& c : n.children) {
      work.push_back(edgeOf(c));
      if (n.kind != Pdag::Kind::AtLeast && n.children.size() > 2) workSize.push_back(sizeOf(c));
    }
    forEachDistinctInput(g, [&](std::uint32_t c) {
      if (isInlineGate(c) && live[c] && --parentsLeft[c] == 0) live[c] = false;
    });
    Edge r = kFalse;
    if (n.kind == Pdag::Kind::AtLeast) {
      r = unpaused(work, [&] { return bdd().atLeast(work, n.k); });
    } else if (work.empty()) {
      r = n.kind == Pdag::Kind::And ? kTrue : kFalse;
    } else {
      // The two smallest operands first, as in Huffman coding, until one is left: the
      // intermediate diagrams stay small. Over the benchmark set this made 0.28 to 1.01 times
      // the nodes of combining in file order (edf9202: 16,916 instead of 61,044; das9701:
      // 8.8 million instead of 13.0; docs/performance.md). Ties go to the earlier operand,
      // and a new result goes last, so the order is fixed by the graph.
      while (work.size() > 1) {
        std::size_t first = 0, second = 1;
        if (!workSize.empty()) {
          if (workSize[second] < workSize[first]) std::swap(first, second);
          for (std::size_t i = 2; i < work.size(); ++i) {
            if (workSize[i] < workSize[first]) {
              second = first;
              first = i;
            } else if (workSize[i] < workSize[second]) {
              second = i;
            }
          }
        }
        const Edge result =
            unpaused(work, [&] { return combine(n.kind, work[first], work[second]); });
        if (bdd().exceeded()) return fail(limitError());
        const std::size_t hi = std::max(first, second), lo = std::min(first, second);
        work.erase(work.begin() + static_cast<std::ptrdiff_t>(hi));
        work.erase(work.begin() + static_cast<std::ptrdiff_t>(lo));
        work.push_back(result);
        if (!workSize.empty()) {
          workSize.erase(workSize.begin() + static_cast<std::ptrdiff_t>(hi));
          workSize.erase(workSize.begin() + static_cast<std::ptrdiff_t>(lo));
          // The last result's size is only needed if a parent asks.
          workSize.push_back(work.size() > 1 ? bdd().size(result) : 0);
        }
        maybeCollect(work);
      }
      r = work.back();
    }
    if (bdd().exceeded()) return fail(limitError());
    gateFn[g] = r;
    live[g] = parentsLeft[g] > 0 || g == top;
    if (m_isModule[g] && g != top) {
      // The proxy must be false when all variables are false (see docs/engine.md): then the
      // minimal solutions of the parent compose with those of the module.
      m_moduleFlipped[g] = bdd().valueAtZero(r);
      m_moduleFn[g] = m_moduleFlipped[g] ? negate(r) : r;
      m_moduleOrder.push_back(g);
    }
    work.clear();
    maybeCollect(work);
  }
  bdd().setPauseAt(Bdd::kNever);  // what follows reads the diagrams or builds new ones whole
  return edgeOf(m_pdag.top());
}

bool FaultTreeSolver::levelProbabilities() {
  const auto& nodes = m_pdag.nodes();
  m_levelProb.assign(m_levels.size(), 0.0);
  std::vector<std::string> missing;
  for (std::size_t l = 0; l < m_levels.size(); ++l) {
    if (m_levels[l].isModule) continue;
    const NodeId v = nodes[m_levels[l].pdagNode].variable;
    const auto p = m_graph.probability(v);
    if (!p) {
      missing.push_back(m_graph.name(v));
      continue;
    }
    m_levelProb[l] = *p;
  }
  if (missing.empty()) return true;
  m_haveProbabilities = false;
  std::sort(missing.begin(), missing.end());
  std::string list;
  for (std::size_t i = 0; i < missing.size() && i < 5; ++i) {
    list += (i ? ", \"" : "\"") + missing[i] + "\"";
  }
  if (missing.size() > 5) list += " and " + std::to_string(missing.size() - 5) + " more";
  m_result.notes.push_back(
      warning(m_graph.name(m_result.top), std::to_string(missing.size()) +
                                              " basic event(s) have no probability (" + list +
                                              "); only cut sets are computed"));
  return false;
}

void FaultTreeSolver::computeProbabilities(Edge topEdge) {
  if (!levelProbabilities()) return;
  for (std::uint32_t g : m_moduleOrder) {
    m_levelProb[m_levelOf[g]] = bdd().probability(m_moduleFn[g], m_levelProb);
  }
  m_result.probability = bdd().probability(topEdge, m_levelProb);
}

Result<ZEdge> FaultTreeSolver::buildZbdd(Edge topEdge) {
  // A module proxy counts as one variable here, though its sets have one or more: the
  // pruning keeps every set that may fit, and the polynomials cut the rest exactly.
  const int limit = m_options.limitOrder ? std::max(0, *m_options.limitOrder) : Zbdd::kNoOrderLimit;
  zbdd().setWorkLimit(m_workLimit, bdd().stats().made);
  m_moduleZ.assign(m_levels.size(), kEmpty);
  for (std::uint32_t g : m_moduleOrder) {
    m_moduleZ[m_levelOf[g]] = zbdd().minimalSolutions(bdd(), m_moduleFn[g], limit);
  }
  const ZEdge root = zbdd().minimalSolutions(bdd(), topEdge, limit);
  if (zbdd().cancelled()) return fail(cancelledError());
  if (zbdd().exceeded()) {
    return fail(error(ErrorCode::Limit, m_graph.name(m_result.top),
                      "ZBDD node budget of " + std::to_string(m_options.nodeBudget) +
                          " exceeded while computing the cut sets of \"" +
                          m_graph.name(m_result.top) + "\"; raise it with --node-budget"));
  }
  return root;
}

Result<ZEdge> FaultTreeSolver::buildZbddDirect() {
  const auto& nodes = m_pdag.nodes();
  const std::uint32_t top = m_pdag.top().node;
  const std::vector<std::uint32_t> order = m_pdag.postOrder();
  zbdd().setWorkLimit(m_workLimit, 0);
  m_moduleZ.assign(m_levels.size(), kEmpty);
  // Each gate's family is cut at its own order (cutOrders); module proxies count as one
  // variable in the families, which keeps more sets, never fewer, and the polynomials cut
  // the rest exactly at the end.
  std::vector<int> cut(nodes.size(), Zbdd::kNoOrderLimit);
  if (m_options.limitOrder) cutOrders(order, cut);
  std::vector<ZEdge> family(nodes.size(), kEmpty);
  auto familyOf = [&](const Pdag::Lit& l) {
    if (l.node == 0) return kBase;  // the constant true; coherent formulas hold no false
    if (!nodes[l.node].isGate || (m_isModule[l.node] && l.node != top)) {
      return zbdd().single(m_levelOf[l.node]);
    }
    return family[l.node];
  };
  for (std::uint32_t g : order) {
    const Pdag::Node& n = nodes[g];
    const int limit = cut[g];
    auto make = [&]() -> ZEdge {
      switch (n.kind) {
        case Pdag::Kind::And: {
          ZEdge r = kBase;
          for (const auto& c : n.children) r = zbdd().minimalProduct(r, familyOf(c), limit);
          return r;
        }
        case Pdag::Kind::Or: {
          ZEdge r = kEmpty;
          for (const auto& c : n.children) r = zbdd().minimalUnion(r, familyOf(c));
          return zbdd().truncate(r, limit);  // an input may be cut looser for another parent
        }
        case Pdag::Kind::AtLeast: {
          // atLeast[j]: the minimal sets that make j of the inputs seen so far true.
          std::vector<ZEdge> atLeast(static_cast<std::size_t>(n.k) + 1, kEmpty);
          atLeast[0] = kBase;
          for (const auto& c : n.children) {
            const ZEdge f = familyOf(c);
            for (std::size_t j = atLeast.size() - 1; j >= 1; --j) {
              atLeast[j] =
                  zbdd().minimalUnion(atLeast[j], zbdd().minimalProduct(atLeast[j - 1], f, limit));
            }
          }
          return atLeast.back();
        }
        case Pdag::Kind::Xor:
          break;  // not coherent: refused before
      }
      return kEmpty;
    };
    const ZEdge r = limit < 0 ? kEmpty : make();  // below 0 no set of g can count
    if (zbdd().cancelled()) return fail(cancelledError());
    if (zbdd().exceeded()) {
      return fail(error(ErrorCode::Limit, m_graph.name(m_result.top),
                        "ZBDD node budget of " + std::to_string(m_options.nodeBudget) +
                            " exceeded while computing the cut sets of \"" +
                            m_graph.name(m_result.top) +
                            "\"; raise it with --node-budget or lower --limit-order"));
    }
    family[g] = r;
    if (m_isModule[g] && g != top) {
      m_moduleZ[m_levelOf[g]] = r;
      m_moduleOrder.push_back(g);
    }
  }
  return familyOf(m_pdag.top());
}

void FaultTreeSolver::cutOrders(const std::vector<std::uint32_t>& order,
                                std::vector<int>& cut) const {
  // With an order limit L, a gate's sets matter only up to L less what the inputs it is
  // ANDed with on the way up must add: the smallest orders of a group of them whose
  // variables are disjoint from its own and from each other's (inputs that share variables
  // may add nothing). The most over its parents. A set within the limit is made of sets
  // within their gates' cuts, and so is any smaller set that makes it non-minimal; every set
  // kept is an implicant of its gate, so none removes a minimal set. Sets over their cut that
  // slip through (a gate cut more loosely for another parent) are cut at the end.
  const auto& nodes = m_pdag.nodes();
  constexpr int kFar = 1 << 20;  // an order no limit reaches
  std::fill(cut.begin(), cut.end(), -1);
  cut[m_pdag.top().node] = std::max(0, *m_options.limitOrder);
  // The variables under each node, as bits; when that would take over 128 MB every input is
  // taken to share variables with every other, and each gate gets its parents' cut.
  std::vector<std::uint32_t> bitOf(nodes.size(), 0);
  std::uint32_t variables = 0;
  for (std::uint32_t n = 1; n < nodes.size(); ++n) {
    if (!nodes[n].isGate) bitOf[n] = variables++;
  }
  const std::size_t words = (variables + 63) / 64;
  const bool disjointness = words * nodes.size() <= (std::size_t{16} << 20);
  std::vector<std::uint64_t> support(disjointness ? words * nodes.size() : 0, 0);
  auto bits = [&](std::uint32_t n) { return &support[static_cast<std::size_t>(n) * words]; };
  std::vector<int> minOrder(nodes.size(), 1);  // a variable's
  minOrder[0] = 0;                             // the constant true
  for (std::uint32_t n = 1; n < nodes.size() && disjointness; ++n) {
    if (!nodes[n].isGate) bits(n)[bitOf[n] / 64] |= std::uint64_t{1} << (bitOf[n] % 64);
  }
  for (std::uint32_t g : order) {
    std::vector<int> inputs;
    for (const auto& c : nodes[g].children) {
      inputs.push_back(minOrder[c.node]);
      if (disjointness) {
        for (std::size_t w = 0; w < words; ++w) bits(g)[w] |= bits(c.node)[w];
      }
    }
    std::sort(inputs.begin(), inputs.end());
    // A set of an AND has a set of every input, of an ATLEAST of k inputs, of an OR of one;
    // the smallest is at least the largest of those, and exactly their sum when disjoint.
    const std::size_t needed = nodes[g].kind == Pdag::Kind::And ? inputs.size()
                               : nodes[g].kind == Pdag::Kind::AtLeast
                                   ? static_cast<std::size_t>(nodes[g].k)
                                   : 1;
    int least = 0;
    for (std::size_t i = 0; i < needed && i < inputs.size(); ++i)
      least = std::max(least, inputs[i]);
    minOrder[g] = std::min(kFar, least);
  }
  std::vector<std::uint64_t> taken(words);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::uint32_t g = *it;
    if (cut[g] < 0) continue;
    const Pdag::Node& n = nodes[g];
    for (const auto& child : n.children) {
      int others = 0;
      // Greedily, the inputs with the largest orders first; quadratic in the inputs, so
      // not for the widest ANDs, which then get their parents' cut.
      if (n.kind == Pdag::Kind::And && disjointness && n.children.size() <= 256) {
        std::vector<std::pair<int, std::uint32_t>> rest;
        for (const auto& o : n.children) {
          if (o.node != child.node) rest.emplace_back(minOrder[o.node], o.node);
        }
        std::sort(rest.begin(), rest.end(), std::greater<>());
        std::copy(bits(child.node), bits(child.node) + words, taken.begin());
        for (const auto& [size, o] : rest) {
          const std::uint64_t* b = bits(o);
          bool disjoint = true;
          for (std::size_t w = 0; w < words && disjoint; ++w) disjoint = (taken[w] & b[w]) == 0;
          if (!disjoint) continue;
          for (std::size_t w = 0; w < words; ++w) taken[w] |= b[w];
          others = std::min(kFar, others + size);
        }
      }
      cut[child.node] = std::max(cut[child.node], cut[g] - others);
    }
  }
}

void FaultTreeSolver::computeOrders() {
  // Ascending index order is topological, and every module's ZBDD was made before any node
  // that refers to its proxy, so one pass settles every node.
  const std::size_t n = zbdd().nodeCount();
  m_minOrd.assign(n, kInfOrder);
  m_maxOrd.assign(n, -kInfOrder);
  m_maxProb.assign(n, 0.0);
  m_minOrd[kBase] = 0;
  m_maxOrd[kBase] = 0;
  m_maxProb[kBase] = 1.0;
  for (ZEdge e = 2; e < n; ++e) {
    const std::uint32_t l = zbdd().var(e);
    int wMin = 1, wMax = 1;
    double wProb = m_haveProbabilities ? m_levelProb[l] : 1.0;
    if (m_levels[l].isModule) {
      const ZEdge m = m_moduleZ[l];
      wMin = m_minOrd[m];
      wMax = m_maxOrd[m];
      wProb = m_maxProb[m];
    }
    const ZEdge lo = zbdd().low(e);
    const ZEdge hi = zbdd().high(e);
    m_minOrd[e] = std::min(m_minOrd[lo], std::min(kInfOrder, wMin + m_minOrd[hi]));
    m_maxOrd[e] = std::max(m_maxOrd[lo], wMax + m_maxOrd[hi]);
    m_maxProb[e] = std::max(m_maxProb[lo], wProb * m_maxProb[hi]);
  }
}

template <class T, class Weight>
Poly<T> FaultTreeSolver::weightedPoly(ZEdge root, Weight weightOfLevel, int maxDegree,
                                      bool& saturated) const {
  // What root needs, module ZBDDs included; ascending order is topological.
  const std::vector<ZEdge> need = needed(root);
  std::vector<std::uint32_t> slot(zbdd().nodeCount(), 0);
  std::vector<Poly<T>> polys(need.size());
  for (std::size_t i = 0; i < need.size(); ++i) {
    const ZEdge e = need[i];
    slot[e] = static_cast<std::uint32_t>(i);
    Poly<T>& out = polys[i];
    if (e == kEmpty) continue;
    if (e == kBase) {
      out.assign(1, T{1});
      continue;
    }
    const int degree = std::min(maxDegree, m_maxOrd[e]);
    if (degree < 0 || m_minOrd[e] > maxDegree) continue;
    out.assign(static_cast<std::size_t>(degree) + 1, T{0});
    const Poly<T>& lo = polys[slot[zbdd().low(e)]];
    for (std::size_t d = 0; d < lo.size() && d < out.size(); ++d) out[d] = lo[d];
    const std::uint32_t l = zbdd().var(e);
    const Poly<T>& hi = polys[slot[zbdd().high(e)]];
    const Poly<T> single = m_levels[l].isModule ? Poly<T>{} : weightOfLevel(l);
    const Poly<T>& w = m_levels[l].isModule ? polys[slot[m_moduleZ[l]]] : single;
    for (std::size_t a = 0; a < w.size(); ++a) {
      if (w[a] == T{0}) continue;
      for (std::size_t b = 0; b < hi.size() && a + b < out.size(); ++b) {
        if constexpr (std::is_same_v<T, std::uint64_t>) {
          out[a + b] = addSat(out[a + b], mulSat(w[a], hi[b], saturated), saturated);
        } else {
          out[a + b] += w[a] * hi[b];
        }
      }
    }
  }
  return polys[slot[root]];
}

std::vector<ZEdge> FaultTreeSolver::needed(ZEdge root) const {
  std::vector<ZEdge> need;
  std::vector<bool> seen(zbdd().nodeCount(), false);
  std::vector<ZEdge> stack{root};
  while (!stack.empty()) {
    const ZEdge e = stack.back();
    stack.pop_back();
    if (seen[e]) continue;
    seen[e] = true;
    need.push_back(e);
    if (zbdd().isTerminal(e)) continue;
    stack.push_back(zbdd().low(e));
    stack.push_back(zbdd().high(e));
    const std::uint32_t l = zbdd().var(e);
    if (m_levels[l].isModule) stack.push_back(m_moduleZ[l]);
  }
  std::sort(need.begin(), need.end());
  return need;
}

std::vector<NodeId> FaultTreeSolver::byName(std::vector<NodeId> set) const {
  std::sort(set.begin(), set.end(),
            [this](NodeId a, NodeId b) { return m_graph.name(a) < m_graph.name(b); });
  return set;
}

namespace {

/// The semiring of an objective: how a weight joins a set's value, and which value is better.
struct Algebra {
  Aggregate aggregate;
  Sense sense;
  double identity() const {
    switch (aggregate) {
      case Aggregate::Sum:
        return 0.0;
      case Aggregate::Product:
        return 1.0;
      case Aggregate::Max:
        return 0.0;  // weights are >= 0
    }
    return 0.0;
  }
  double join(double a, double b) const {
    switch (aggregate) {
      case Aggregate::Sum:
        return a + b;
      case Aggregate::Product:
        return a * b;
      case Aggregate::Max:
        return std::max(a, b);
    }
    return a;
  }
  bool better(double a, double b) const { return sense == Sense::Minimise ? a < b : a > b; }
};

}  // namespace

void FaultTreeSolver::bestValues(ZEdge root, const Objective& objective, std::vector<double>& best,
                                 std::vector<char>& some, std::vector<char>& high) const {
  const Algebra alg{objective.aggregate, objective.sense};
  const auto& nodes = m_pdag.nodes();
  const std::vector<ZEdge> need = needed(root);
  best.assign(zbdd().nodeCount(), 0.0);
  some.assign(zbdd().nodeCount(), 0);
  high.assign(zbdd().nodeCount(), 0);
  auto weight = [&](std::uint32_t l) -> std::pair<bool, double> {
    if (m_levels[l].isModule) return {some[m_moduleZ[l]] != 0, best[m_moduleZ[l]]};
    const NodeId v = nodes[m_levels[l].pdagNode].variable;
    return {true, v < objective.weights.size() ? objective.weights[v] : 0.0};
  };
  for (const ZEdge e : need) {
    if (e == kEmpty) continue;
    if (e == kBase) {
      some[e] = 1;
      best[e] = alg.identity();
      continue;
    }
    const ZEdge lo = zbdd().low(e);
    const ZEdge hi = zbdd().high(e);
    const auto [hasWeight, w] = weight(zbdd().var(e));
    if (some[lo]) {
      some[e] = 1;
      best[e] = best[lo];
    }
    if (hasWeight && some[hi]) {
      const double viaHigh = alg.join(w, best[hi]);
      if (!some[e] || alg.better(viaHigh, best[e])) {
        some[e] = 1;
        best[e] = viaHigh;
        high[e] = 1;
      }
    }
  }
}

void FaultTreeSolver::listRanked(ZEdge root, const Objective& objective) {
  CutSets& cs = m_result.cutSets;
  cs.rankedByObjective = true;
  std::vector<double> best;
  std::vector<char> some, high;
  bestValues(root, objective, best, some, high);
  const Algebra alg{objective.aggregate, objective.sense};
  const auto& nodes = m_pdag.nodes();
  // A* over root-to-base paths: a partial path's priority joins what it has chosen with the
  // exact best completion, so complete paths come out best first. Chosen variables are kept
  // as linked trails, not copied.
  struct Entry {
    double priority;
    std::uint64_t seq;
    ZEdge node;
    double acc;
    std::int64_t trail;
  };
  auto worse = [&](const Entry& a, const Entry& b) {
    if (a.priority != b.priority) return alg.better(b.priority, a.priority);
    return a.seq > b.seq;
  };
  std::vector<Entry> heap;
  std::vector<std::pair<NodeId, std::int64_t>> trails;
  std::uint64_t seq = 0;
  auto push = [&](Entry e) {
    heap.push_back(e);
    std::push_heap(heap.begin(), heap.end(), worse);
  };
  if (some[root]) push(Entry{best[root], seq++, root, alg.identity(), -1});
  while (!heap.empty() && cs.list.size() < m_options.maxCutSets) {
    std::pop_heap(heap.begin(), heap.end(), worse);
    const Entry e = heap.back();
    heap.pop_back();
    if (e.node == kBase) {
      std::vector<NodeId> set;
      for (std::int64_t t = e.trail; t >= 0; t = trails[static_cast<std::size_t>(t)].second) {
        set.push_back(trails[static_cast<std::size_t>(t)].first);
      }
      cs.list.push_back(byName(std::move(set)));
      continue;
    }
    const ZEdge lo = zbdd().low(e.node);
    const ZEdge hi = zbdd().high(e.node);
    if (some[lo]) push(Entry{alg.join(e.acc, best[lo]), seq++, lo, e.acc, e.trail});
    if (some[hi]) {
      const std::uint32_t l = zbdd().var(e.node);
      const NodeId v = nodes[m_levels[l].pdagNode].variable;
      const double acc = alg.join(v < objective.weights.size() ? objective.weights[v] : 0.0, e.acc);
      trails.emplace_back(v, e.trail);
      push(Entry{alg.join(acc, best[hi]), seq++, hi, acc,
                 static_cast<std::int64_t>(trails.size()) - 1});
    }
  }
  cs.truncated = cs.saturated || cs.list.size() < cs.count;
}

Optimum FaultTreeSolver::optimise(ZEdge root, const Objective& objective) const {
  const auto& nodes = m_pdag.nodes();
  std::vector<double> best;
  std::vector<char> some, high;
  bestValues(root, objective, best, some, high);
  Optimum out;
  if (!some[root]) return out;
  out.value = best[root];
  // Walk the choices down, into modules where a proxy was taken.
  std::vector<ZEdge> stack{root};
  while (!stack.empty()) {
    ZEdge e = stack.back();
    stack.pop_back();
    while (!zbdd().isTerminal(e)) {
      if (!high[e]) {
        e = zbdd().low(e);
        continue;
      }
      const std::uint32_t l = zbdd().var(e);
      if (m_levels[l].isModule)
        stack.push_back(m_moduleZ[l]);
      else
        out.set.push_back(nodes[m_levels[l].pdagNode].variable);
      e = zbdd().high(e);
    }
  }
  out.set = byName(std::move(out.set));
  return out;
}

std::optional<std::vector<FrontPoint>> FaultTreeSolver::front(ZEdge root, const Objective& first,
                                                              const Objective& second) const {
  const Algebra a1{first.aggregate, first.sense};
  const Algebra a2{second.aggregate, second.sense};
  const auto& nodes = m_pdag.nodes();
  // A point remembers where it came from, to rebuild its set: from the low front (index), or
  // from the high front (index) joined with the variable or with a point of a module's front.
  struct Point {
    double x, y;
    bool high;
    std::uint32_t child;
    std::uint32_t module;
  };
  const std::vector<ZEdge> need = needed(root);
  std::vector<std::uint32_t> slot(zbdd().nodeCount(), 0);
  std::vector<std::vector<Point>> fronts(need.size());
  auto keepNonDominated = [&](std::vector<Point>& pts) {
    std::stable_sort(pts.begin(), pts.end(), [&](const Point& p, const Point& q) {
      if (p.x != q.x) return a1.better(p.x, q.x);
      return a2.better(p.y, q.y);
    });
    std::vector<Point> kept;
    for (const Point& p : pts) {
      if (!kept.empty() && !a2.better(p.y, kept.back().y)) continue;
      kept.push_back(p);
    }
    pts = std::move(kept);
  };
  for (std::size_t i = 0; i < need.size(); ++i) {
    const ZEdge e = need[i];
    slot[e] = static_cast<std::uint32_t>(i);
    std::vector<Point>& out = fronts[i];
    if (e == kEmpty) continue;
    if (e == kBase) {
      out.push_back(Point{a1.identity(), a2.identity(), false, 0, 0});
      continue;
    }
    const auto& lo = fronts[slot[zbdd().low(e)]];
    for (std::uint32_t k = 0; k < lo.size(); ++k)
      out.push_back(Point{lo[k].x, lo[k].y, false, k, 0});
    const auto& hi = fronts[slot[zbdd().high(e)]];
    const std::uint32_t l = zbdd().var(e);
    if (m_levels[l].isModule) {
      const auto& mod = fronts[slot[m_moduleZ[l]]];
      for (std::uint32_t k = 0; k < hi.size(); ++k) {
        for (std::uint32_t m = 0; m < mod.size(); ++m) {
          out.push_back(Point{a1.join(mod[m].x, hi[k].x), a2.join(mod[m].y, hi[k].y), true, k, m});
        }
        if (out.size() > 4 * m_options.maxFrontPoints) keepNonDominated(out);
      }
    } else {
      const NodeId v = nodes[m_levels[l].pdagNode].variable;
      const double w1 = v < first.weights.size() ? first.weights[v] : 0.0;
      const double w2 = v < second.weights.size() ? second.weights[v] : 0.0;
      for (std::uint32_t k = 0; k < hi.size(); ++k)
        out.push_back(Point{a1.join(w1, hi[k].x), a2.join(w2, hi[k].y), true, k, 0});
    }
    keepNonDominated(out);
    if (out.size() > m_options.maxFrontPoints) return std::nullopt;
  }
  std::vector<FrontPoint> result;
  const auto& top = fronts[slot[root]];
  for (std::uint32_t k = 0; k < top.size(); ++k) {
    FrontPoint fp{top[k].x, top[k].y, {}};
    // Rebuild the set: (node, point index) pairs still to expand.
    std::vector<std::pair<ZEdge, std::uint32_t>> stack{{root, k}};
    while (!stack.empty()) {
      auto [e, idx] = stack.back();
      stack.pop_back();
      while (!zbdd().isTerminal(e)) {
        const Point& p = fronts[slot[e]][idx];
        if (!p.high) {
          e = zbdd().low(e);
          idx = p.child;
          continue;
        }
        const std::uint32_t l = zbdd().var(e);
        if (m_levels[l].isModule)
          stack.emplace_back(m_moduleZ[l], p.module);
        else
          fp.set.push_back(nodes[m_levels[l].pdagNode].variable);
        e = zbdd().high(e);
        idx = p.child;
      }
    }
    fp.set = byName(std::move(fp.set));
    result.push_back(std::move(fp));
  }
  return result;
}

template <class Emit>
bool FaultTreeSolver::enumerate(ZEdge root, int minOrder, int maxOrder, Emit emit,
                                std::uint64_t stepBudget) const {
  if (m_minOrd[root] > maxOrder || m_maxOrd[root] < minOrder) return true;
  bool aborted = false;
  std::vector<std::uint32_t> current;
  std::vector<ZEdge> pending;
  int pendingMin = 0;
  int pendingMax = 0;
  const double cutOff = m_haveProbabilities ? m_options.cutOff : 0.0;
  bool stop = false;
  auto fits = [&](int extraMin, int extraMax) {
    const int size = static_cast<int>(current.size());
    return size + pendingMin + extraMin <= maxOrder && size + pendingMax + extraMax >= minOrder;
  };
  // The pending nodes' order bounds are kept summed, so that fits() is O(1).
  auto push = [&](ZEdge z) {
    pending.push_back(z);
    pendingMin += m_minOrd[z];
    pendingMax += m_maxOrd[z];
  };
  auto pop = [&]() {
    const ZEdge z = pending.back();
    pending.pop_back();
    pendingMin -= m_minOrd[z];
    pendingMax -= m_maxOrd[z];
    return z;
  };
  auto recurse = [&](auto& self, double prob) -> void {
    if (stop) return;
    if (stepBudget-- == 0) {
      stop = aborted = true;
      return;
    }
    if (pending.empty()) {
      if (!emit(current, prob)) stop = true;
      return;
    }
    const ZEdge n = pop();
    if (n == kBase) {
      self(self, prob);
    } else {
      const ZEdge lo = zbdd().low(n);
      if (m_minOrd[lo] < kInfOrder && fits(m_minOrd[lo], m_maxOrd[lo])) {
        push(lo);
        self(self, prob);
        pop();
      }
      const ZEdge hi = zbdd().high(n);
      const std::uint32_t l = zbdd().var(n);
      if (m_levels[l].isModule) {
        // The proxy stands for one set of its module: continue with that, then with hi.
        const ZEdge m = m_moduleZ[l];
        if (fits(m_minOrd[hi] + m_minOrd[m], m_maxOrd[hi] + m_maxOrd[m])) {
          push(hi);
          push(m);
          self(self, prob);
          pop();
          pop();
        }
      } else {
        const double p = prob * (m_haveProbabilities ? m_levelProb[l] : 1.0);
        current.push_back(l);
        if (p >= cutOff && fits(m_minOrd[hi], m_maxOrd[hi])) {
          push(hi);
          self(self, p);
          pop();
        }
        current.pop_back();
      }
    }
    push(n);
  };
  push(root);
  recurse(recurse, 1.0);
  return !aborted;
}

std::vector<NodeId> FaultTreeSolver::toVariables(const std::vector<std::uint32_t>& levels) const {
  std::vector<NodeId> out;
  out.reserve(levels.size());
  for (std::uint32_t l : levels) out.push_back(m_pdag.nodes()[m_levels[l].pdagNode].variable);
  return out;
}

void FaultTreeSolver::sortList() {
  auto& list = m_result.cutSets.list;
  const auto byName = [this](NodeId a, NodeId b) { return m_graph.name(a) < m_graph.name(b); };
  for (auto& set : list) std::sort(set.begin(), set.end(), byName);
  std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
    if (a.size() != b.size()) return a.size() < b.size();
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), byName);
  });
}

void FaultTreeSolver::countCutSets(ZEdge root) {
  bool saturated = false;
  const auto one = [](std::uint32_t) { return Poly<std::uint64_t>{0, 1}; };
  const Poly<std::uint64_t> counts = weightedPoly<std::uint64_t>(root, one, m_maxDegree, saturated);
  CutSets& cs = m_result.cutSets;
  for (std::size_t d = 0; d < counts.size(); ++d) {
    if (counts[d] == 0) continue;
    cs.byOrder[static_cast<int>(d)] = counts[d];
    cs.count = addSat(cs.count, counts[d], saturated);
  }
  cs.saturated = saturated;
  if (m_haveProbabilities) {
    const auto prob = [this](std::uint32_t l) { return Poly<double>{0.0, m_levelProb[l]}; };
    const Poly<double> sums = weightedPoly<double>(root, prob, m_maxDegree, saturated);
    const double total = std::accumulate(sums.begin(), sums.end(), 0.0);
    m_result.rareEvent = std::min(1.0, total);
  }
}

std::vector<std::uint32_t> FaultTreeSolver::nameRanks() const {
  std::vector<std::uint32_t> rank(m_levels.size(), 0);
  std::vector<std::uint32_t> plain;
  for (std::uint32_t l = 0; l < m_levels.size(); ++l) {
    if (!m_levels[l].isModule) plain.push_back(l);
  }
  const auto nameOf = [this](std::uint32_t l) -> const std::string& {
    return m_graph.name(m_pdag.nodes()[m_levels[l].pdagNode].variable);
  };
  std::sort(plain.begin(), plain.end(),
            [&](std::uint32_t a, std::uint32_t b) { return nameOf(a) < nameOf(b); });
  for (std::uint32_t i = 0; i < plain.size(); ++i) rank[plain[i]] = i;
  return rank;
}

void FaultTreeSolver::listCutSets(ZEdge root) {
  CutSets& cs = m_result.cutSets;
  std::size_t remaining = m_options.maxCutSets;
  const std::vector<std::uint32_t> rank = nameRanks();
  for (const auto& [order, count] : cs.byOrder) {
    if (remaining == 0) break;
    if (count <= remaining) {
      enumerate(root, order, order, [&](const std::vector<std::uint32_t>& levels, double) {
        cs.list.push_back(toVariables(levels));
        return true;
      });
      remaining -= count;
      continue;
    }
    // Keep the `remaining` first by name, while the enumeration of this order stays
    // within its step budget.
    FirstByName first(rank, remaining);
    const bool exact =
        count <= kExactSelectionLimit && enumerate(
                                             root, order, order,
                                             [&](const std::vector<std::uint32_t>& levels, double) {
                                               first.offer(levels);
                                               return true;
                                             },
                                             kEnumerationSteps);
    if (exact) {
      for (const auto& levels : first.take()) cs.list.push_back(toVariables(levels));
    } else {
      cs.selectionByVariableOrder = true;
      std::size_t taken = 0;
      enumerate(root, order, order, [&](const std::vector<std::uint32_t>& levels, double) {
        cs.list.push_back(toVariables(levels));
        return ++taken < remaining;
      });
    }
    remaining = 0;
  }
  cs.truncated = cs.saturated || cs.list.size() < cs.count;
  sortList();
}

void FaultTreeSolver::applyCutOff(ZEdge root) {
  // Counts under a probability cut-off need the sets themselves: enumerate, pruning every
  // branch whose product already fell below the cut-off.
  CutSets& cs = m_result.cutSets;
  cs = CutSets{};
  double sum = 0.0;
  double logComplement = 0.0;
  std::uint64_t seen = 0;
  bool overLimit = false;
  const std::vector<std::uint32_t> rank = nameRanks();
  FirstByName first(rank, m_options.maxCutSets);
  enumerate(root, 0, m_maxDegree, [&](const std::vector<std::uint32_t>& levels, double p) {
    if (++seen > kCutOffEnumerationLimit) {
      overLimit = true;
      return false;
    }
    ++cs.byOrder[static_cast<int>(levels.size())];
    sum += p;
    logComplement += std::log1p(-p);
    first.offer(levels);
    return true;
  });
  cs.count = std::min<std::uint64_t>(seen, kCutOffEnumerationLimit);
  for (const auto& levels : first.take()) cs.list.push_back(toVariables(levels));
  cs.truncated = overLimit || cs.list.size() < cs.count;
  sortList();
  m_result.rareEvent = std::min(1.0, sum);
  m_result.mcub = mcubFromLogComplement(logComplement);
  if (overLimit) {
    m_result.notes.push_back(
        warning(m_graph.name(m_result.top),
                "the probability cut-off still leaves more than " +
                    std::to_string(kCutOffEnumerationLimit) +
                    " cut sets; counts and approximations cover the first of them only"));
  }
}

void FaultTreeSolver::computeMcub(ZEdge root) {
  const CutSets& cs = m_result.cutSets;
  if (m_maxProb[root] >= 1.0) {
    m_result.mcub = 1.0;
    return;
  }
  // Two exact ways: enumerate the sets (cost ~ sets x order), or sum the power series below
  // (cost ~ terms x ZBDD nodes x order, where the terms needed shrink as the most probable
  // set's probability does). Take the cheaper; both agree to rounding (tested).
  const int maxOrder = cs.byOrder.empty() ? 0 : cs.byOrder.rbegin()->first;
  const double pmax = m_maxProb[root];
  const double terms =
      pmax > 0 ? std::min(4000.0, std::ceil(std::log(1e-17) / std::log(pmax)) + 1) : 1.0;
  const double seriesCost = terms * static_cast<double>(zbdd().nodeCount()) * (maxOrder + 1);
  const double enumerationCost = static_cast<double>(cs.count) * (maxOrder + 1);
  if (!cs.saturated && cs.count <= kMcubEnumerationLimit && enumerationCost <= seriesCost) {
    double logComplement = 0.0;
    const bool done = enumerate(
        root, 0, m_maxDegree,
        [&](const std::vector<std::uint32_t>&, double p) {
          logComplement += std::log1p(-p);
          return true;
        },
        kEnumerationSteps);
    if (done) {
      m_result.mcub = mcubFromLogComplement(logComplement);
      return;
    }
  }
  // -log(1 - MCUB) = sum over sets of -log(1 - P) = sum_k S_k / k, with S_k the sum over sets
  // of P^k; each S_k is one pass over the ZBDD with every probability raised to the k.
  double total = 0.0;
  bool saturated = false;
  for (int k = 1; k <= 4000; ++k) {
    const auto power = [this, k](std::uint32_t l) {
      return Poly<double>{0.0, std::pow(m_levelProb[l], k)};
    };
    const Poly<double> s = weightedPoly<double>(root, power, m_maxDegree, saturated);
    const double term = std::accumulate(s.begin(), s.end(), 0.0) / k;
    total += term;
    if (term <= total * 1e-17) break;
  }
  m_result.mcub = mcubFromLogComplement(-total);
}

void FaultTreeSolver::finishConstant(bool value) {
  CutSets& cs = m_result.cutSets;
  if (value) {
    cs.count = 1;
    cs.byOrder[0] = 1;
    if (m_options.maxCutSets > 0) cs.list.push_back({});
  }
  cs.truncated = cs.list.size() < cs.count;
  cs.rankedByObjective = m_options.rankBy.has_value();
  m_result.probability = value ? 1.0 : 0.0;
  m_result.rareEvent = value ? 1.0 : 0.0;
  m_result.mcub = value ? 1.0 : 0.0;
  // True: the one solution is the empty set; false: there is none.
  for (const Objective& o : m_options.objectives) {
    Optimum opt;
    if (value) opt.value = Algebra{o.aggregate, o.sense}.identity();
    m_result.optima.push_back(std::move(opt));
  }
  for (const auto& [first, second] : m_options.fronts) {
    std::vector<FrontPoint> points;
    if (value)
      points.push_back(FrontPoint{Algebra{first.aggregate, first.sense}.identity(),
                                  Algebra{second.aggregate, second.sense}.identity(),
                                  {}});
    m_result.fronts.push_back(std::move(points));
  }
}

Result<bool> FaultTreeSolver::buildDiagrams() {
  m_result.coherent = m_pdag.coherent();
  if (m_options.limitOrder) m_maxDegree = std::max(0, *m_options.limitOrder);
  if (m_options.modules == Modularisation::On && !m_restructured)
    m_pdag.restructure(m_preprocessing, m_options.cancel);
  if (m_pdag.isConstant(m_pdag.top())) {
    m_constant = true;
    return true;
  }
  const auto& nodes = m_pdag.nodes();
  if (m_options.modules == Modularisation::On) {
    m_isModule = m_pdag.modules();
  } else {
    m_isModule.assign(nodes.size(), false);
  }
  makeManagers();
  orderVariables(m_ordering);
  m_result.stats.ordering = m_ordering;
  m_result.stats.method = m_options.method;
  m_result.stats.preprocessing =
      m_options.modules == Modularisation::Off
          ? "none"
          : (m_preprocessing == Pdag::Preprocessing::Full ? "full" : "modules");
  if (m_options.method == Method::Zbdd) {
    if (!m_pdag.coherent()) {
      return fail(error(ErrorCode::Unsupported, m_graph.name(m_result.top),
                        "the ZBDD method takes coherent formulas only (no NOT, XOR, NAND or NOR "
                        "reaching the top); use the BDD method"));
    }
    auto root = buildZbddDirect();
    if (!root) return fail(root.error());
    m_root = *root;
    return true;
  }
  auto topEdge = buildBdd();
  if (!topEdge) return fail(topEdge.error());
  auto root = buildZbdd(*topEdge);
  if (!root) return fail(root.error());
  m_topEdge = *topEdge;
  m_root = *root;
  return true;
}

std::uint64_t FaultTreeSolver::work() const {
  return m_bdd ? m_bdd->stats().made + m_zbdd->nodeCount() : 0;  // same count as the limits
}

AnalysisResult FaultTreeSolver::finish() {
  if (!m_result.coherent) {
    m_result.notes.push_back(warning(
        m_graph.name(m_result.top),
        "the formula is non-coherent (it negates events); the probability is exact, and the cut "
        "sets are its minimal solutions, i.e. prime implicants with negated events dropped"));
  }
  if (m_constant) {
    finishConstant(!m_pdag.top().negated);
    return m_result;
  }
  if (m_options.method == Method::Zbdd) {
    levelProbabilities();
  } else {
    computeProbabilities(m_topEdge);
  }
  if (!m_haveProbabilities && m_options.cutOff > 0.0) {
    m_result.notes.push_back(warning(m_graph.name(m_result.top),
                                     "the probability cut-off is ignored: some basic events have "
                                     "no probability"));
  }
  computeOrders();
  if (m_haveProbabilities && m_options.cutOff > 0.0) {
    applyCutOff(m_root);
  } else {
    countCutSets(m_root);
    if (m_options.rankBy && *m_options.rankBy < m_options.objectives.size()) {
      listRanked(m_root, m_options.objectives[*m_options.rankBy]);
    } else {
      listCutSets(m_root);
    }
    if (m_haveProbabilities && m_options.approximations) computeMcub(m_root);
  }
  for (const Objective& o : m_options.objectives) m_result.optima.push_back(optimise(m_root, o));
  for (const auto& [first, second] : m_options.fronts) {
    auto points = front(m_root, first, second);
    if (!points) {
      m_result.notes.push_back(warning(m_graph.name(m_result.top),
                                       "a Pareto front was abandoned: it passed " +
                                           std::to_string(m_options.maxFrontPoints) + " points"));
    }
    m_result.fronts.push_back(points ? std::move(*points) : std::vector<FrontPoint>{});
  }
  const bool direct = m_options.method == Method::Zbdd;
  m_result.stats.bddNodes = direct ? 0 : bdd().nodeCount();
  m_result.stats.bddNodesMade = direct ? 0 : bdd().stats().made;
  m_result.stats.bddCollections = bdd().collections();
  m_result.stats.bddReorderings = m_reorderings;
  m_result.stats.zbddNodes = zbdd().nodeCount();
  m_result.stats.modules = m_moduleOrder.size();
  m_result.stats.variables = m_levels.size() - m_moduleOrder.size();
  return m_result;
}

/// Runs fn on a new thread with a stack large enough for BDD recursion on big models.
class BigStackThread {
 public:
  explicit BigStackThread(std::function<void()> fn) : m_fn(std::move(fn)) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, std::size_t{1} << 30);
    m_started = pthread_create(&m_thread, &attr, &BigStackThread::entry, this) == 0;
    pthread_attr_destroy(&attr);
    if (!m_started) m_fn();  // no thread to be had: run here instead
  }
  ~BigStackThread() {
    if (m_started) pthread_join(m_thread, nullptr);
  }
  BigStackThread(const BigStackThread&) = delete;
  BigStackThread& operator=(const BigStackThread&) = delete;

 private:
  static void* entry(void* self) {
    static_cast<BigStackThread*>(self)->m_fn();
    return nullptr;
  }
  std::function<void()> m_fn;
  pthread_t m_thread{};
  bool m_started = false;
};

}  // namespace

std::string_view toString(VariableOrdering ordering) {
  switch (ordering) {
    case VariableOrdering::Auto:
      return "auto";
    case VariableOrdering::Ascending:
      return "ascending";
    case VariableOrdering::Descending:
      return "descending";
    case VariableOrdering::DepthFirst:
      return "depth-first";
    case VariableOrdering::GatesFirst:
      return "gates-first";
    case VariableOrdering::Sifting:
      return "sifting";
  }
  return "auto";
}

std::string_view toString(Method method) {
  return method == Method::Zbdd ? "zbdd" : "bdd";
}

namespace {

Result<AnalysisResult> analyseHere(const LogicGraph& graph, NodeId top,
                                   const AnalysisOptions& options) {
  if (options.method == Method::Zbdd) {
    // One static order: there is no BDD to race or to sift.
    const VariableOrdering order =
        options.ordering == VariableOrdering::Auto || options.ordering == VariableOrdering::Sifting
            ? VariableOrdering::GatesFirst
            : options.ordering;
    FaultTreeSolver solver(graph, top, options, order, Pdag::Preprocessing::Full, nullptr);
    auto built = solver.buildDiagrams();
    if (!built) return fail(built.error());
    return solver.finish();
  }
  if (options.ordering != VariableOrdering::Auto) {
    FaultTreeSolver solver(graph, top, options, options.ordering, Pdag::Preprocessing::Full,
                           nullptr);
    auto built = solver.buildDiagrams();
    if (!built) return fail(built.error());
    return solver.finish();
  }
  // A race between the two orders that suit full preprocessing (SCRAM's and the descending
  // one) that stays deterministic: an attempt gives up only once it has made more nodes than
  // an attempt that already finished, and the winner is the finished attempt that made the
  // fewest (ties to the first listed). Which thread finishes first changes how long the other
  // runs, never which one wins. The two share one rewrite.
  //
  // Light preprocessing with the ascending order makes fewer nodes on a few models (cea9601
  // 1.8 million against 2.6), but racing it as well cost more than it saved everywhere: on
  // two cores a third attempt can only start once one has finished, and it then runs until
  // it passes that one (cea9601 took 1.8 s with it and 0.83 s without; docs/performance.md).
  // It stays as the fallback when both full attempts exceed the node budget.
  const VariableOrdering orders[] = {VariableOrdering::GatesFirst, VariableOrdering::Descending};
  constexpr std::size_t kOrders = std::size(orders);
  std::atomic<std::uint64_t> bestWork{std::numeric_limits<std::uint64_t>::max()};
  std::vector<std::unique_ptr<FaultTreeSolver>> solvers;
  std::vector<std::optional<Result<bool>>> outcomes(kOrders);
  std::optional<Pdag> full;
  if (options.modules == Modularisation::On) {
    full.emplace(graph, top);
    full->restructure(Pdag::Preprocessing::Full, options.cancel);
  }
  for (VariableOrdering order : orders) {
    solvers.push_back(std::make_unique<FaultTreeSolver>(
        graph, top, options, order, Pdag::Preprocessing::Full, &bestWork, full ? &*full : nullptr));
  }
  auto attempt = [&](std::size_t i) {
    outcomes[i].emplace(solvers[i]->buildDiagrams());
    if (!*outcomes[i]) return;
    const std::uint64_t mine = solvers[i]->work();
    std::uint64_t best = bestWork.load();
    while (mine < best && !bestWork.compare_exchange_weak(best, mine)) {
    }
  };
  {
    // One thread per attempt where there are cores for them; on one core the second attempt
    // runs after the first and stops as soon as it makes more nodes.
    const std::size_t workers =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kOrders);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < kOrders; i = next++) attempt(i);
    };
    std::vector<std::unique_ptr<BigStackThread>> threads;
    for (std::size_t w = 1; w < workers; ++w)
      threads.push_back(std::make_unique<BigStackThread>(work));
    work();
  }
  std::optional<std::size_t> winner;
  for (std::size_t i = 0; i < kOrders; ++i) {
    if (!*outcomes[i]) continue;
    if (!winner || solvers[i]->work() < solvers[*winner]->work()) winner = i;
  }
  if (winner) return solvers[*winner]->finish();
  for (const auto& o : outcomes) {
    if (o->error().code != ErrorCode::Limit) return fail(o->error());  // cancelled, say
  }
  if (options.modules == Modularisation::Off) return fail(outcomes[0]->error());
  solvers.clear();  // their diagrams' memory
  // Sifting is not tried here: within the budget it can run for very long on the models
  // where every static order fails (nus9601: over 30 minutes), so it is asked for by name.
  FaultTreeSolver light(graph, top, options, VariableOrdering::Ascending,
                        Pdag::Preprocessing::ModulesOnly, nullptr);
  auto built = light.buildDiagrams();
  if (!built) return fail(built.error());  // over the budget too, or cancelled meanwhile
  return light.finish();
}

}  // namespace

Result<AnalysisResult> analyse(const LogicGraph& graph, NodeId top,
                               const AnalysisOptions& requested) {
  if (requested.cancel && requested.cancel->load()) return fail(cancelledError());
  AnalysisOptions options = requested;
  if (options.rankBy) options.modules = Modularisation::Off;  // the ranked search walks one ZBDD
  auto weightsOk = [](const Objective& o) {
    return std::all_of(o.weights.begin(), o.weights.end(),
                       [](double w) { return std::isfinite(w) && w >= 0.0; });
  };
  const bool objectivesOk =
      std::all_of(options.objectives.begin(), options.objectives.end(), weightsOk) &&
      std::all_of(options.fronts.begin(), options.fronts.end(),
                  [&](const auto& f) { return weightsOk(f.first) && weightsOk(f.second); });
  if (!objectivesOk) {
    return fail(
        error(ErrorCode::Malformed, graph.name(top), "objective weights must be finite and >= 0"));
  }
  // BDD and ZBDD operations recurse once per variable level: run on a thread whose stack
  // fits the deepest model we accept, whatever the caller's stack.
  std::optional<Result<AnalysisResult>> result;
  {
    BigStackThread worker([&] { result.emplace(analyseHere(graph, top, options)); });
  }
  return std::move(*result);
}

}  // namespace thornwood::core
