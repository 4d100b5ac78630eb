#include "models/project_compile.h"

#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace thornwood::models {

namespace {

core::Diagnostic broken(std::string place, std::string problem) {
  return core::error(core::ErrorCode::Malformed, std::move(place), std::move(problem));
}

bool inScope(const Mitigation& m, MitigationScope scope) {
  switch (scope) {
    case MitigationScope::None: return false;
    case MitigationScope::InPlace: return inPlace(m);
    case MitigationScope::All: return true;
  }
  return false;
}

}  // namespace

core::GateKind toCore(FaultGateKind k) {
  switch (k) {
    case FaultGateKind::And: return core::GateKind::And;
    case FaultGateKind::Or: return core::GateKind::Or;
    case FaultGateKind::AtLeast: return core::GateKind::AtLeast;
    case FaultGateKind::Not: return core::GateKind::Not;
    case FaultGateKind::Xor: return core::GateKind::Xor;
    case FaultGateKind::Nand: return core::GateKind::Nand;
    case FaultGateKind::Nor: return core::GateKind::Nor;
    case FaultGateKind::Inhibit: return core::GateKind::Inhibit;
    case FaultGateKind::Iff: return core::GateKind::Iff;
  }
  return core::GateKind::And;
}

namespace {

/// Builds one graph from fault and attack trees, without recursion: every node is declared
/// first and defined afterwards, so depth costs nothing.
class Builder {
 public:
  /// With the mitigations `active` says are acting.
  template <class Active>
  Builder(const Project& p, Active active) : m_p(p) {
    for (const Mitigation& m : p.mitigations) {
      if (!active(m)) continue;
      for (const Effect& e : m.effects) {
        switch (e.kind) {
          case EffectKind::Blocks: m_blocked.insert({e.tree, e.element}); break;
          case EffectKind::Removes: m_removed.insert({e.tree, e.element}); break;
          case EffectKind::Lowers: {
            const auto [it, fresh] = m_factor.emplace(Key{e.tree, e.element}, e.factor);
            if (!fresh) it->second *= e.factor;
            break;
          }
        }
      }
    }
    for (const AttackTree& t : p.attackTrees) m_attackTrees.emplace(t.id, &t);
  }

  core::LogicGraph graph;

  /// Adds an attack tree and every tree it embeds; returns the node standing for its root.
  core::Result<core::NodeId> addAttackTree(const std::string& id, bool qualified) {
    // The trees to add: this one and those it reaches through tree references.
    std::vector<std::pair<const AttackTree*, bool>> pending;
    const auto first = m_attackTrees.find(id);
    if (first == m_attackTrees.end()) return core::fail(broken(id, "unknown attack tree \"" + id + "\""));
    pending.emplace_back(first->second, qualified);
    for (std::size_t i = 0; i < pending.size(); ++i) {
      for (const AttackNode& n : pending[i].first->nodes) {
        if (n.kind != AttackNodeKind::TreeRef) continue;
        const auto it = m_attackTrees.find(n.tree);
        if (it == m_attackTrees.end()) return core::fail(broken(n.id, "unknown attack tree \"" + n.tree + "\""));
        const bool seen = std::any_of(pending.begin(), pending.end(),
                                      [&](const auto& p) { return p.first == it->second && p.second; });
        if (!seen) pending.emplace_back(it->second, true);
      }
    }
    // Declare every node of every tree first, then define the gates: a tree reference may
    // point at a tree listed after it.
    std::vector<std::tuple<core::NodeId, const AttackNode*, std::string, const AttackTree*>> gates;
    for (const auto& [tree, q] : pending) {
      const std::string prefix = q ? tree->id + "/" : "";
      if (!m_addedTrees.insert(prefix + tree->id).second) continue;
      for (const AttackNode& n : tree->nodes) {
        const std::string name = prefix + n.id;
        if (m_blocked.count({tree->id, n.id})) {
          graph.addConstant(name, false);
          continue;
        }
        switch (n.kind) {
          case AttackNodeKind::Leaf: graph.addVariable(name, n.probability); break;
          case AttackNodeKind::TreeRef:
          case AttackNodeKind::And:
          case AttackNodeKind::Or:
          case AttackNodeKind::Sand:
          case AttackNodeKind::AtLeast: gates.emplace_back(graph.addGate(name), &n, prefix, tree); break;
        }
      }
    }
    for (const auto& [gate, n, prefix, tree] : gates) {
      if (n->kind == AttackNodeKind::TreeRef) {
        const auto root = graph.find(n->tree + "/" + rootOf(n->tree));
        if (!root) return core::fail(broken(n->id, "attack tree \"" + n->tree + "\" has no root"));
        graph.defineGate(gate, core::GateKind::Null, {*root});
        continue;
      }
      std::vector<core::NodeId> inputs;
      for (const std::string& c : n->children) {
        const auto child = graph.find(prefix + c);
        if (!child) return core::fail(broken(n->id, "unknown node \"" + c + "\" in attack tree \"" + tree->id + "\""));
        inputs.push_back(*child);
      }
      const core::GateKind kind = n->kind == AttackNodeKind::Or        ? core::GateKind::Or
                                  : n->kind == AttackNodeKind::AtLeast ? core::GateKind::AtLeast
                                                                       : core::GateKind::And;
      graph.defineGate(gate, kind, std::move(inputs), n->k);
    }
    const std::string rootName = (qualified ? id + "/" : "") + rootOf(id);
    const auto root = graph.find(rootName);
    if (!root) return core::fail(broken(id, "attack tree \"" + id + "\" has no root \"" + rootOf(id) + "\""));
    return *root;
  }

  core::Result<core::NodeId> addFaultTree(const ProjectFaultTree& tree) {
    const double mission = m_p.settings.missionTime;
    std::vector<std::pair<core::NodeId, const FaultEvent*>> embedded;
    for (const FaultEvent& e : tree.events) {
      if (m_removed.count({tree.id, e.id})) {
        graph.addConstant(e.id, false);
        continue;
      }
      if (!e.attackTree.empty()) {
        embedded.emplace_back(graph.addGate(e.id), &e);
        continue;
      }
      std::optional<double> p = e.probability;
      if (e.rate) p = -std::expm1(-*e.rate * mission);
      if (p) {
        if (const auto f = m_factor.find({tree.id, e.id}); f != m_factor.end()) *p /= f->second;
      }
      graph.addVariable(e.id, p);
    }
    for (const HouseEventDef& h : tree.houseEvents) graph.addConstant(h.id, h.state);
    std::vector<std::pair<core::NodeId, const FaultGate*>> gates;
    for (const FaultGate& g : tree.gates) gates.emplace_back(graph.addGate(g.id), &g);
    for (const auto& [gate, g] : gates) {
      std::vector<core::NodeId> inputs;
      for (const std::string& in : g->inputs) {
        const auto child = graph.find(in);
        if (!child) return core::fail(broken(g->id, "unknown event \"" + in + "\" in fault tree \"" + tree.id + "\""));
        inputs.push_back(*child);
      }
      graph.defineGate(gate, toCore(g->kind), std::move(inputs), g->k);
    }
    for (const auto& [gate, e] : embedded) {
      auto root = addAttackTree(e->attackTree, true);
      if (!root) return core::fail(root.error());
      graph.defineGate(gate, core::GateKind::Null, {*root});
    }
    const auto top = graph.find(tree.top);
    if (!top || graph.kind(*top) != core::NodeKind::Gate) {
      return core::fail(broken(tree.id, "the top event \"" + tree.top + "\" is not a gate of the tree"));
    }
    return *top;
  }

 private:
  const std::string& rootOf(const std::string& tree) const {
    static const std::string kNone;
    const auto it = m_attackTrees.find(tree);
    return it == m_attackTrees.end() ? kNone : it->second->root;
  }

  using Key = std::pair<std::string, std::string>;  // (tree id, element id)
  const Project& m_p;
  std::set<Key> m_blocked;
  std::set<Key> m_removed;
  std::map<Key, double> m_factor;
  std::unordered_map<std::string, const AttackTree*> m_attackTrees;
  std::set<std::string> m_addedTrees;
};

core::Result<CompiledTree> finish(Builder& b, core::Result<core::NodeId> top) {
  if (!top) return core::fail(top.error());
  std::vector<core::Diagnostic> problems = b.graph.validate();
  if (!problems.empty()) return core::fail(problems.front());
  return CompiledTree{std::move(b.graph), *top};
}

}  // namespace

std::string_view toString(MitigationScope scope) {
  switch (scope) {
    case MitigationScope::None: return "none";
    case MitigationScope::InPlace: return "in place";
    case MitigationScope::All: return "all";
  }
  return "";
}

core::Result<CompiledTree> compileFaultTree(const Project& project, const std::string& id, MitigationScope scope) {
  const auto it = std::find_if(project.faultTrees.begin(), project.faultTrees.end(),
                               [&](const ProjectFaultTree& t) { return t.id == id; });
  if (it == project.faultTrees.end()) return core::fail(broken(id, "unknown fault tree \"" + id + "\""));
  Builder b(project, [scope](const Mitigation& m) { return inScope(m, scope); });
  return finish(b, b.addFaultTree(*it));
}

core::Result<CompiledTree> compileAttackTree(const Project& project, const std::string& id, MitigationScope scope) {
  Builder b(project, [scope](const Mitigation& m) { return inScope(m, scope); });
  return finish(b, b.addAttackTree(id, false));
}

core::Result<CompiledTree> compileAttackTree(const Project& project, const std::string& id,
                                             const std::set<std::string>& active) {
  Builder b(project, [&active](const Mitigation& m) { return active.count(m.id) != 0; });
  return finish(b, b.addAttackTree(id, false));
}

}  // namespace thornwood::models
