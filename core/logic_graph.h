#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.h"

namespace thornwood::core {

using NodeId = std::uint32_t;

enum class NodeKind { Variable, Constant, Gate };

/// Connectives of the logic graph. Inhibit is an AND of an input and a condition; Imply(a, b)
/// is ¬a ∨ b; Cardinality(min, max) is true when between min and max inputs are true; Null is a
/// pass-through of its single input.
enum class GateKind { And, Or, AtLeast, Not, Xor, Nand, Nor, Inhibit, Iff, Imply, Cardinality, Null };

std::string_view toString(GateKind kind);

struct Gate {
  GateKind kind = GateKind::And;
  std::vector<NodeId> children;
  int min = 0;  ///< k of AtLeast, lower bound of Cardinality
  int max = 0;  ///< upper bound of Cardinality
  bool defined = false;
};

/// A Boolean formula over variables, as a DAG: a node shared by several gates is one node.
/// Variables carry an optional probability. Gates may be declared before they are defined,
/// so readers can resolve forward references; validate() reports what was never defined.
class LogicGraph {
 public:
  NodeId addVariable(std::string name, std::optional<double> probability = std::nullopt);
  NodeId addConstant(std::string name, bool value);
  NodeId addGate(std::string name);
  void defineGate(NodeId gate, GateKind kind, std::vector<NodeId> children, int min = 0,
                  int max = 0);
  void setProbability(NodeId variable, double probability);

  std::size_t size() const { return m_nodes.size(); }
  NodeKind kind(NodeId id) const { return m_nodes[id].kind; }
  const std::string& name(NodeId id) const { return m_nodes[id].name; }
  const Gate& gate(NodeId id) const;
  std::optional<double> probability(NodeId id) const { return m_nodes[id].probability; }
  bool constantValue(NodeId id) const { return m_nodes[id].value; }
  std::optional<NodeId> find(std::string_view name) const;

  /// Gates that no gate uses, in the order they were added.
  std::vector<NodeId> roots() const;

  /// Every structural problem, each placed at the gate's name: gates used but never defined,
  /// gates without inputs, wrong arity, k out of range, cycles (with the cycle spelled out).
  std::vector<Diagnostic> validate() const;

 private:
  struct Node {
    NodeKind kind;
    std::string name;
    std::optional<double> probability;
    bool value = false;
    std::uint32_t gateIndex = 0;
  };
  std::vector<Node> m_nodes;
  std::vector<Gate> m_gates;
  std::unordered_map<std::string, NodeId> m_byName;
};

}  // namespace thornwood::core
