#pragma once

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

  /// Rewrites the graph into an equivalent one with more modules, so that more of the work
  /// is done in small, separate diagrams: the inputs of each AND and OR that share nothing
  /// with its other inputs or with the rest of the graph are grouped under a new gate of the
  /// same kind, which is a module (Dutuit & Rauzy's timings tell which; SCRAM calls this
  /// creating new modules). The function of every node reachable from the top is unchanged.
  /// (Coalescing AND into AND and OR into OR first was tried: it halves the diagrams of
  /// some models and doubles others; see docs/performance.md.)
  void restructure();

 private:
  /// The visit numbers of one depth-first walk from the top (Dutuit & Rauzy 1996): first
  /// and last visit of every node, leaving of every gate, and per gate the earliest first
  /// visit and latest last visit among its descendants.
  struct Timings {
    std::vector<std::uint32_t> enter, exit, last, lo, hi;
  };
  Timings timings() const;
  Lit combine(const Gate& gate, std::vector<Lit> inputs);
  Lit makeGate(Kind kind, std::vector<Lit> inputs, int k = 0);
  Lit newGate(Kind kind, std::vector<Lit> inputs, int k);
  void groupModularInputs();

  const LogicGraph& m_graph;
  std::vector<Node> m_nodes;
  std::vector<std::optional<Lit>> m_memo;  // per LogicGraph node
  Lit m_top;
};

}  // namespace thornwood::core
