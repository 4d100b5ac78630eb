#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/logic_graph.h"

namespace thornwood::core {

/// The normal form the BDD is built from: gates AND, OR, ATLEAST k and XOR over signed edges
/// (a NOT is a mark on the edge). Built from a LogicGraph by propagating constants, turning
/// NAND/NOR/IFF/IMPLY/INHIBIT/CARDINALITY into those four kinds, removing pass-through and
/// single-input gates and duplicate inputs. Shared subformulas stay shared.
class Pdag {
 public:
  enum class Kind { And, Or, AtLeast, Xor };

  /// A signed reference to a node. Node 0 is the constant true; {0, true} is false.
  struct Lit {
    std::uint32_t node = 0;
    bool negated = false;
    bool operator==(const Lit&) const = default;
    Lit operator!() const { return Lit{node, !negated}; }
    /// One number per literal, ordered by node then sign; fromKey inverts it.
    std::uint64_t key() const { return std::uint64_t{node} * 2 + (negated ? 1 : 0); }
    static Lit fromKey(std::uint64_t k) { return Lit{static_cast<std::uint32_t>(k / 2), (k & 1) != 0}; }
  };

  struct Node {
    bool isGate = false;
    Kind kind = Kind::And;
    int k = 0;                  ///< of AtLeast
    std::vector<Lit> children;  ///< of a gate
    NodeId variable = 0;        ///< the LogicGraph variable, for a non-gate
  };

  /// Translates the formula under `top`; the graph must have passed validate().
  Pdag(const LogicGraph& graph, NodeId top);

  Lit top() const { return m_top; }
  const std::vector<Node>& nodes() const { return m_nodes; }
  bool isConstant(Lit l) const { return l.node == 0; }
  /// True when no edge is negated and there is no XOR: the formula is monotone.
  bool coherent() const;
  /// Gates reachable from the top, children before parents.
  std::vector<std::uint32_t> postOrder() const;
  /// Gates that share no descendant with the rest of the graph (Dutuit & Rauzy 1996), indexed
  /// by node; the top gate is one by definition.
  std::vector<bool> modules() const;

  /// How much restructure() does.
  enum class Preprocessing {
    /// Only new modules: the inputs of each AND and OR that share nothing with its other
    /// inputs or with the rest of the graph are grouped under a new gate of the same kind,
    /// which is a module (Dutuit & Rauzy's timings tell which).
    ModulesOnly,
    /// SCRAM's preprocessing (Rakhimov's phase II, twice): merging identical gates, new
    /// modules, coalescing, merging common inputs, distributivity, redundancy elimination
    /// (Boolean optimization) and decomposition of common nodes.
    Full
  };

  /// Rewrites the graph into an equivalent one in which more of the work is done in small,
  /// separate diagrams (modules) and shared events occur fewer times. The function of the
  /// top is unchanged (tests/core/pdag_test.cpp checks it by truth tables); nodes no
  /// longer reachable stay in nodes() but are never visited.
  /// Stops early, leaving an equivalent graph, when *cancel is set or the rewrites have
  /// walked kRewriteBudget nodes and edges recomputing the graph's parents and modules: the
  /// rewrites are quadratic at worst, and a live analysis must stay cancellable. (nus9601,
  /// the largest benchmark, needs 3% of the budget: 6.6 million, 0.5 s.)
  void restructure(Preprocessing level = Preprocessing::Full, const std::atomic<bool>* cancel = nullptr);
  static constexpr std::size_t kRewriteBudget = 200'000'000;

 private:
  /// The visit numbers of one depth-first walk from the top (Dutuit & Rauzy 1996): first
  /// and last visit of every node, leaving of every gate, and per gate the earliest first
  /// visit and latest last visit among its descendants.
  struct Timings {
    std::vector<std::uint32_t> enter, exit, last, lo, hi;
  };
  /// Given postOrder().
  Timings timings(const std::vector<std::uint32_t>& order) const;
  Lit combine(const Gate& gate, std::vector<Lit> inputs);
  /// The gate `kind` over `inputs`, simplified (constants, duplicates, single inputs); a
  /// gate that remains is written into node `reuse` when it is not 0, else appended.
  Lit makeGate(Kind kind, std::vector<Lit> inputs, int k = 0, std::uint32_t reuse = 0);
  Lit newGate(Kind kind, std::vector<Lit> inputs, int k, std::uint32_t reuse = 0);
  /// Per node reachable from the top, the gates that have it as an input (each once), into
  /// `out`, given postOrder(); the lists keep their storage from the last call.
  void parents(const std::vector<std::uint32_t>& order, std::vector<std::vector<std::uint32_t>>& out) const;
  /// modules(), given postOrder().
  std::vector<bool> modules(const std::vector<std::uint32_t>& order) const;
  /// Simplifies every gate reachable from the top again after rewrites that left constants,
  /// single inputs or duplicates behind, and merges gates with the same kind and inputs.
  void simplify(bool mergeIdentical);
  /// SCRAM's "multiple definitions": simplify, merging gates with the same kind and inputs.
  void mergeIdenticalGates() { simplify(true); }
  void groupModularInputs();
  /// SCRAM's "Boolean optimization" (Rauzy's redundancy elimination) of coherent graphs.
  void removeRedundantOccurrences();
  /// One common node of removeRedundantOccurrences; true when the graph changed.
  bool removeRedundantOccurrences(std::uint32_t node);
  /// SCRAM's decomposition of common nodes: below an AND (OR) parent of a shared node x,
  /// x is true (false) wherever else it occurs in what only that parent reaches.
  void decomposeCommonNodes();
  bool decomposeCommonNode(std::uint32_t node);
  bool decomposeBelow(std::uint32_t node, std::uint32_t parent, const std::vector<std::vector<std::uint32_t>>& parents,
                      std::vector<char> above);
  /// Merges an AND input of an AND (OR of an OR) into it when it has no other parent and
  /// is not a module.
  void coalesce();
  /// SCRAM's merging of common arguments: inputs that several AND (OR) gates share go
  /// under one new AND (OR) gate that those gates take instead.
  void mergeCommonInputs();
  bool mergeCommonInputs(Kind kind);
  /// SCRAM's distributivity: an AND (OR) input of an OR (AND) gate that shares an input with
  /// the gate, or includes another such input, is absorbed; inputs of that kind sharing
  /// inputs are factored: (a AND b) OR (a AND c) = a AND (b OR c).
  void distribute();
  /// Common nodes breadth-first from the top: gates, then variables.
  std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> commonNodes();

  /// Parents and modules of the current graph, computed when first asked for after a change.
  struct Structure {
    std::vector<std::vector<std::uint32_t>> parents;
    std::vector<bool> modules;
  };
  const Structure& structure();
  void changed() { m_structureValid = false; }

  bool spent() const {
    return (m_cancel && m_cancel->load(std::memory_order_relaxed)) || m_rewriteWork > kRewriteBudget;
  }

  Structure m_structure;
  bool m_structureValid = false;
  std::size_t m_rewriteWork = 0;
  const std::atomic<bool>* m_cancel = nullptr;
  const LogicGraph& m_graph;
  std::vector<Node> m_nodes;
  std::vector<std::optional<Lit>> m_memo;  // per LogicGraph node
  Lit m_top;
};

}  // namespace thornwood::core
