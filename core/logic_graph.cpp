#include "core/logic_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <cassert>
#include <utility>

namespace thornwood::core {

std::string_view toString(GateKind kind) {
  switch (kind) {
    case GateKind::And:
      return "and";
    case GateKind::Or:
      return "or";
    case GateKind::AtLeast:
      return "atleast";
    case GateKind::Not:
      return "not";
    case GateKind::Xor:
      return "xor";
    case GateKind::Nand:
      return "nand";
    case GateKind::Nor:
      return "nor";
    case GateKind::Inhibit:
      return "inhibit";
    case GateKind::Iff:
      return "iff";
    case GateKind::Imply:
      return "imply";
    case GateKind::Cardinality:
      return "cardinality";
    case GateKind::Null:
      return "null";
  }
  return "and";
}

NodeId LogicGraph::addVariable(std::string name, std::optional<double> probability) {
  const auto id = static_cast<NodeId>(m_nodes.size());
  m_byName.emplace(name, id);
  m_nodes.push_back(Node{NodeKind::Variable, std::move(name), probability, false, 0});
  return id;
}

NodeId LogicGraph::addConstant(std::string name, bool value) {
  const auto id = static_cast<NodeId>(m_nodes.size());
  m_byName.emplace(name, id);
  m_nodes.push_back(Node{NodeKind::Constant, std::move(name), std::nullopt, value, 0});
  return id;
}

NodeId LogicGraph::addGate(std::string name) {
  const auto id = static_cast<NodeId>(m_nodes.size());
  m_byName.emplace(name, id);
  m_nodes.push_back(Node{NodeKind::Gate, std::move(name), std::nullopt, false,
                         static_cast<std::uint32_t>(m_gates.size())});
  m_gates.emplace_back();
  return id;
}

void LogicGraph::defineGate(NodeId gate, GateKind kind, std::vector<NodeId> children, int min,
                            int max) {
  assert(m_nodes[gate].kind == NodeKind::Gate && "defineGate on a non-gate");
  Gate& g = m_gates[m_nodes[gate].gateIndex];
  g.kind = kind;
  g.children = std::move(children);
  g.min = min;
  g.max = max;
  g.defined = true;
}

void LogicGraph::setProbability(NodeId variable, double probability) {
  assert(m_nodes[variable].kind == NodeKind::Variable && "probability on a non-variable");
  m_nodes[variable].probability = probability;
}

const Gate& LogicGraph::gate(NodeId id) const {
  assert(m_nodes[id].kind == NodeKind::Gate && "gate() on a non-gate");
  return m_gates[m_nodes[id].gateIndex];
}

std::optional<NodeId> LogicGraph::find(std::string_view name) const {
  const auto it = m_byName.find(std::string(name));
  if (it == m_byName.end()) return std::nullopt;
  return it->second;
}

std::vector<NodeId> LogicGraph::roots() const {
  std::vector<bool> used(m_nodes.size(), false);
  for (const Gate& g : m_gates) {
    for (NodeId c : g.children) used[c] = true;
  }
  std::vector<NodeId> out;
  for (NodeId id = 0; id < m_nodes.size(); ++id) {
    if (m_nodes[id].kind == NodeKind::Gate && !used[id]) out.push_back(id);
  }
  return out;
}

namespace {

using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Records the first back edge found; depth_first_search is iterative, so deep graphs are safe.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<std::size_t>* parent;
  std::pair<std::size_t, std::size_t>* backEdge;
  bool* found;
  void tree_edge(Digraph::edge_descriptor e, const Digraph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Digraph::edge_descriptor e, const Digraph& g) const {
    if (*found) return;
    *found = true;
    *backEdge = {boost::source(e, g), boost::target(e, g)};
  }
};

}  // namespace

std::vector<Diagnostic> LogicGraph::validate() const {
  std::vector<Diagnostic> out;
  for (NodeId id = 0; id < m_nodes.size(); ++id) {
    if (m_nodes[id].kind != NodeKind::Gate) continue;
    const Gate& g = gate(id);
    const std::string& name = m_nodes[id].name;
    if (!g.defined) {
      out.push_back(error(ErrorCode::Malformed, name, "gate \"" + name + "\" is used but never defined"));
      continue;
    }
    const auto n = static_cast<int>(g.children.size());
    const std::string kind(toString(g.kind));
    if (n == 0) {
      out.push_back(error(ErrorCode::Malformed, name, kind + " gate \"" + name + "\" has no inputs"));
      continue;
    }
    auto arity = [&](int want) {
      if (n != want) {
        out.push_back(error(ErrorCode::Malformed, name,
                            kind + " gate \"" + name + "\" takes " + std::to_string(want) +
                                " input" + (want == 1 ? "" : "s") + ", not " + std::to_string(n)));
      }
    };
    switch (g.kind) {
      case GateKind::Not:
      case GateKind::Null:
        arity(1);
        break;
      case GateKind::Inhibit:
      case GateKind::Iff:
      case GateKind::Imply:
        arity(2);
        break;
      case GateKind::AtLeast:
        if (g.min < 1 || g.min > n) {
          out.push_back(error(ErrorCode::Malformed, name,
                              "atleast gate \"" + name + "\" needs k in [1, " + std::to_string(n) +
                                  "], not " + std::to_string(g.min)));
        }
        break;
      case GateKind::Cardinality:
        if (g.min < 0 || g.max < g.min || g.max > n) {
          out.push_back(error(ErrorCode::Malformed, name,
                              "cardinality gate \"" + name + "\" needs 0 <= min <= max <= " +
                                  std::to_string(n) + ", not min " + std::to_string(g.min) +
                                  " max " + std::to_string(g.max)));
        }
        break;
      case GateKind::And:
      case GateKind::Or:
      case GateKind::Xor:
      case GateKind::Nand:
      case GateKind::Nor:
        break;
    }
  }

  Digraph graph(m_nodes.size());
  for (NodeId id = 0; id < m_nodes.size(); ++id) {
    if (m_nodes[id].kind != NodeKind::Gate) continue;
    for (NodeId c : gate(id).children) boost::add_edge(id, c, graph);
  }
  std::vector<std::size_t> parent(m_nodes.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  std::pair<std::size_t, std::size_t> backEdge{0, 0};
  bool found = false;
  CycleFinder finder;
  finder.parent = &parent;
  finder.backEdge = &backEdge;
  finder.found = &found;
  boost::depth_first_search(graph, boost::visitor(finder));
  if (found) {
    // The back edge u -> v closes the path v -> ... -> u of tree edges.
    std::vector<std::string> path;
    for (std::size_t n = backEdge.first;; n = parent[n]) {
      path.push_back(m_nodes[n].name);
      if (n == backEdge.second || parent[n] == n) break;
    }
    std::reverse(path.begin(), path.end());
    std::string cycle;
    for (const auto& p : path) cycle += "\"" + p + "\" -> ";
    cycle += "\"" + m_nodes[backEdge.second].name + "\"";
    out.push_back(error(ErrorCode::Malformed, m_nodes[backEdge.second].name,
                        "cycle in the logic: " + cycle));
  }
  return out;
}

}  // namespace thornwood::core
