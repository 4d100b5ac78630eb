#include "app/gui/tree_edit.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <set>

#include "models/names.h"

namespace thornwood::gui {

namespace {

using models::AttackNode;
using models::AttackNodeKind;
using models::AttackTree;
using models::FaultGateKind;
using models::ProjectFaultTree;

TreeEditOutcome refuse(std::string why) { return TreeEditOutcome{{}, std::move(why)}; }
TreeEditOutcome made(std::string node) { return TreeEditOutcome{std::move(node), {}}; }
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

template <class T>
T* byId(std::vector<T>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& e) { return e.id == id; });
  return it == items.end() ? nullptr : &*it;
}

/// A fresh id within a tree, from a stem: "step", "step_2", ...
template <class Used>
std::string freshId(const std::string& stem, const Used& used) {
  if (!used(stem)) return stem;
  for (int n = 2;; ++n) {
    const std::string id = stem + "_" + std::to_string(n);
    if (!used(id)) return id;
  }
}

bool isGate(AttackNodeKind k) { return k != AttackNodeKind::Leaf && k != AttackNodeKind::TreeRef; }

/// The fewest and most inputs a fault gate of this kind takes (validate's arity rule).
std::pair<std::size_t, std::size_t> arity(FaultGateKind k) {
  switch (k) {
    case FaultGateKind::Not: return {1, 1};
    case FaultGateKind::Inhibit:
    case FaultGateKind::Iff: return {2, 2};
    default: return {1, SIZE_MAX};
  }
}

bool attackIdUsed(const AttackTree& t, const std::string& id) { return byId(const_cast<AttackTree&>(t).nodes, id) != nullptr; }

bool faultIdUsed(const ProjectFaultTree& t, const std::string& id) {
  auto& m = const_cast<ProjectFaultTree&>(t);
  return byId(m.gates, id) || byId(m.events, id) || byId(m.houseEvents, id);
}

AttackNode newLeaf(const AttackTree& t) {
  AttackNode leaf;
  leaf.id = freshId("step", [&](const std::string& id) { return attackIdUsed(t, id); });
  leaf.name = QCoreApplication::translate("thornwood::gui::Trees", "New attack step").toStdString();
  return leaf;
}

models::FaultEvent newEvent(const ProjectFaultTree& t) {
  models::FaultEvent e;
  e.id = freshId("event", [&](const std::string& id) { return faultIdUsed(t, id); });
  // No probability yet: the problems panel asks for one rather than the tool inventing it.
  e.name = QCoreApplication::translate("thornwood::gui::Trees", "New basic event").toStdString();
  return e;
}

/// Ids reachable from `root` through children (attack) or inputs (fault).
template <class Children>
std::set<std::string> reachable(const std::string& root, Children children) {
  std::set<std::string> seen;
  std::vector<std::string> stack{root};
  while (!stack.empty()) {
    const std::string id = stack.back();
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    for (const std::string& c : children(id)) stack.push_back(c);
  }
  return seen;
}

}  // namespace

TreeEditOutcome addChild(TreesState& s, const std::string& tree, const std::string& node) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    AttackNode* n = byId(t->nodes, node);
    if (!n) return refuse("no node " + quoted(node) + " in " + quoted(tree));
    if (n->kind == AttackNodeKind::TreeRef) return refuse("a reference to another tree has no children here; open that tree");
    AttackNode leaf = newLeaf(*t);
    const std::string added = leaf.id;
    if (isGate(n->kind)) {
      n->children.push_back(added);
      t->nodes.push_back(std::move(leaf));
      return made(added);
    }
    // Refine a leaf: it becomes an OR over a copy of itself and the new step.
    AttackNode copy = *n;
    copy.id = freshId(n->id + "_a", [&](const std::string& id) { return attackIdUsed(*t, id) || id == added; });
    n->kind = AttackNodeKind::Or;
    n->cost = n->time = n->skill = n->probability = std::nullopt;
    n->source.clear();
    n->children = {copy.id, added};
    for (auto& m : s.mitigations) {
      for (auto& e : m.effects) {
        if (e.kind == models::EffectKind::Blocks && e.tree == tree && e.element == node) e.element = copy.id;
      }
    }
    t->nodes.push_back(std::move(copy));
    t->nodes.push_back(std::move(leaf));
    return made(added);
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    models::FaultEvent event = newEvent(*t);
    const std::string added = event.id;
    if (models::FaultGate* g = byId(t->gates, node)) {
      if (g->inputs.size() + 1 > arity(g->kind).second) {
        return refuse(std::string(models::nameOf(g->kind)) + " gate " + quoted(node) + " takes " +
                      std::to_string(arity(g->kind).second) + " input(s); change its kind first");
      }
      g->inputs.push_back(added);
      t->events.push_back(std::move(event));
      return made(added);
    }
    if (!byId(t->events, node) && !byId(t->houseEvents, node)) return refuse("no node " + quoted(node) + " in " + quoted(tree));
    // Refine an event: an OR gate takes its place in every gate, over it and the new event.
    models::FaultGate gate;
    gate.id = freshId(node + "_or", [&](const std::string& id) { return faultIdUsed(*t, id) || id == added; });
    gate.name = QCoreApplication::translate("thornwood::gui::Trees", "Refined: %1").arg(QString::fromStdString(node)).toStdString();
    gate.kind = FaultGateKind::Or;
    gate.inputs = {node, added};
    for (auto& g : t->gates) std::replace(g.inputs.begin(), g.inputs.end(), node, gate.id);
    t->gates.push_back(std::move(gate));
    t->events.push_back(std::move(event));
    return made(added);
  }
  return refuse("no tree " + quoted(tree));
}

TreeEditOutcome addSibling(TreesState& s, const std::string& tree, const std::string& node) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    for (AttackNode& p : t->nodes) {
      const auto it = std::find(p.children.begin(), p.children.end(), node);
      if (it == p.children.end()) continue;
      AttackNode leaf = newLeaf(*t);
      const std::string added = leaf.id;
      p.children.insert(it + 1, added);
      t->nodes.push_back(std::move(leaf));
      return made(added);
    }
    return refuse(node == t->root ? "the root has no siblings" : "node " + quoted(node) + " has no parent");
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    for (models::FaultGate& g : t->gates) {
      const auto it = std::find(g.inputs.begin(), g.inputs.end(), node);
      if (it == g.inputs.end()) continue;
      if (g.inputs.size() + 1 > arity(g.kind).second) {
        return refuse(std::string(models::nameOf(g.kind)) + " gate " + quoted(g.id) + " takes " +
                      std::to_string(arity(g.kind).second) + " input(s)");
      }
      models::FaultEvent event = newEvent(*t);
      const std::string added = event.id;
      g.inputs.insert(it + 1, added);
      t->events.push_back(std::move(event));
      return made(added);
    }
    return refuse(node == t->top ? "the top event has no siblings" : "node " + quoted(node) + " has no parent");
  }
  return refuse("no tree " + quoted(tree));
}

TreeEditOutcome setGateKind(TreesState& s, const std::string& tree, const std::string& node, const std::string& kind) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    AttackNode* n = byId(t->nodes, node);
    if (!n) return refuse("no node " + quoted(node));
    const auto k = models::parseName<AttackNodeKind>(kind);
    if (!k || !isGate(*k)) return refuse(quoted(kind) + " is not a gate of attack trees (and, or, sand, atleast)");
    if (!isGate(n->kind)) return refuse("a leaf becomes a gate by adding a child to it");
    n->kind = *k;
    if (*k == AttackNodeKind::AtLeast) n->k = std::max(1, static_cast<int>((n->children.size() + 1) / 2));
    return made(node);
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    models::FaultGate* g = byId(t->gates, node);
    if (!g) return refuse(quoted(node) + " is not a gate");
    const auto k = models::parseName<FaultGateKind>(kind);
    if (!k) return refuse(quoted(kind) + " is not a fault-tree gate");
    const auto [low, high] = arity(*k);
    if (g->inputs.size() < low || g->inputs.size() > high) {
      return refuse(kind + " takes " + (low == high ? std::to_string(low) : "at least " + std::to_string(low)) + " input(s); " +
                    quoted(node) + " has " + std::to_string(g->inputs.size()));
    }
    g->kind = *k;
    if (*k == FaultGateKind::AtLeast) g->k = std::max(1, static_cast<int>((g->inputs.size() + 1) / 2));
    return made(node);
  }
  return refuse("no tree " + quoted(tree));
}

TreeEditOutcome deleteNode(TreesState& s, const std::string& tree, const std::string& node) {
  auto dropEffects = [&](const std::set<std::string>& gone) {
    for (auto& m : s.mitigations) {
      std::erase_if(m.effects, [&](const models::Effect& e) { return e.tree == tree && gone.count(e.element) > 0; });
    }
  };
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    if (!byId(t->nodes, node)) return refuse("no node " + quoted(node));
    if (node == t->root) return refuse("the root is deleted with the tree");
    for (const AttackNode& p : t->nodes) {
      const auto uses = std::count(p.children.begin(), p.children.end(), node);
      if (uses > 0 && uses == static_cast<long>(p.children.size())) {
        return refuse(quoted(node) + " is the only child of " + quoted(p.id) + ": delete that instead, or add another child first");
      }
      if (p.kind == AttackNodeKind::AtLeast && std::count(p.children.begin(), p.children.end(), node) > 0 &&
          static_cast<int>(p.children.size()) - 1 < p.k) {
        return refuse(quoted(p.id) + " needs " + std::to_string(p.k) + " children; lower its k first");
      }
    }
    auto childrenOf = [&](const std::string& id) {
      const AttackNode* n = byId(t->nodes, id);
      return n ? n->children : std::vector<std::string>{};
    };
    const std::set<std::string> before = reachable(t->root, childrenOf);
    for (AttackNode& p : t->nodes) std::erase(p.children, node);
    const std::set<std::string> after = reachable(t->root, childrenOf);
    std::set<std::string> gone;
    for (const auto& id : before) {
      if (!after.count(id)) gone.insert(id);
    }
    std::erase_if(t->nodes, [&](const AttackNode& n) { return gone.count(n.id) > 0; });
    dropEffects(gone);
    return made(t->root);
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    if (!faultIdUsed(*t, node)) return refuse("no node " + quoted(node));
    if (node == t->top) return refuse("the top event is deleted with the tree");
    for (const models::FaultGate& g : t->gates) {
      const auto uses = static_cast<std::size_t>(std::count(g.inputs.begin(), g.inputs.end(), node));
      if (uses > 0 && g.inputs.size() - uses < arity(g.kind).first) {
        return refuse(quoted(node) + " is a required input of " + quoted(g.id) + ": delete that instead, or add another input first");
      }
      if (uses > 0 && g.kind == FaultGateKind::AtLeast && static_cast<int>(g.inputs.size() - uses) < g.k) {
        return refuse(quoted(g.id) + " needs " + std::to_string(g.k) + " inputs; lower its k first");
      }
    }
    auto inputsOf = [&](const std::string& id) {
      const models::FaultGate* g = byId(t->gates, id);
      return g ? g->inputs : std::vector<std::string>{};
    };
    const std::set<std::string> before = reachable(t->top, inputsOf);
    for (models::FaultGate& g : t->gates) std::erase(g.inputs, node);
    const std::set<std::string> after = reachable(t->top, inputsOf);
    std::set<std::string> gone;
    for (const auto& id : before) {
      if (!after.count(id)) gone.insert(id);
    }
    std::erase_if(t->gates, [&](const auto& e) { return gone.count(e.id) > 0; });
    std::erase_if(t->events, [&](const auto& e) { return gone.count(e.id) > 0; });
    std::erase_if(t->houseEvents, [&](const auto& e) { return gone.count(e.id) > 0; });
    dropEffects(gone);
    return made(t->top);
  }
  return refuse("no tree " + quoted(tree));
}

TreeEditOutcome renameNode(TreesState& s, const std::string& tree, const std::string& node, const std::string& name) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    if (AttackNode* n = byId(t->nodes, node)) {
      n->name = name;
      return made(node);
    }
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    if (auto* g = byId(t->gates, node)) g->name = name;
    else if (auto* e = byId(t->events, node)) e->name = name;
    else if (auto* h = byId(t->houseEvents, node)) h->name = name;
    else return refuse("no node " + quoted(node));
    return made(node);
  }
  return refuse("no node " + quoted(node) + " in " + quoted(tree));
}

TreeEditOutcome setLeafFigures(TreesState& s, const std::string& tree, const std::string& node, const LeafFigures& f) {
  AttackTree* t = byId(s.attackTrees, tree);
  AttackNode* n = t ? byId(t->nodes, node) : nullptr;
  if (!n || n->kind != AttackNodeKind::Leaf) return refuse(quoted(node) + " is not a leaf of attack tree " + quoted(tree));
  for (const auto& v : {f.cost, f.time, f.skill}) {
    if (v && (!std::isfinite(*v) || *v < 0)) return refuse("cost, time and skill are finite and not negative");
  }
  if (f.probability && !(*f.probability >= 0 && *f.probability <= 1)) return refuse("a probability lies in [0, 1]");
  n->cost = f.cost;
  n->time = f.time;
  n->skill = f.skill;
  n->probability = f.probability;
  return made(node);
}

TreeEditOutcome setEventNumber(TreesState& s, const std::string& tree, const std::string& node, std::optional<double> probability,
                               std::optional<double> rate) {
  ProjectFaultTree* t = byId(s.faultTrees, tree);
  models::FaultEvent* e = t ? byId(t->events, node) : nullptr;
  if (!e) return refuse(quoted(node) + " is not a basic event of " + quoted(tree));
  if (probability.has_value() == rate.has_value()) return refuse("give a probability or a failure rate, one of them");
  if (probability && !(*probability >= 0 && *probability <= 1)) return refuse("a probability lies in [0, 1]");
  if (rate && !(std::isfinite(*rate) && *rate >= 0)) return refuse("a failure rate is finite and not negative");
  e->probability = probability;
  e->rate = rate;
  e->attackTree.clear();
  return made(node);
}

TreeEditOutcome setGateK(TreesState& s, const std::string& tree, const std::string& node, int k) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    AttackNode* n = byId(t->nodes, node);
    if (!n || n->kind != AttackNodeKind::AtLeast) return refuse(quoted(node) + " is not a k-of-n gate");
    if (k < 1 || k > static_cast<int>(n->children.size())) {
      return refuse("k lies between 1 and the " + std::to_string(n->children.size()) + " children of " + quoted(node));
    }
    n->k = k;
    return made(node);
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    models::FaultGate* g = byId(t->gates, node);
    if (!g || g->kind != FaultGateKind::AtLeast) return refuse(quoted(node) + " is not an atleast gate");
    if (k < 1 || k > static_cast<int>(g->inputs.size())) {
      return refuse("k lies between 1 and the " + std::to_string(g->inputs.size()) + " inputs of " + quoted(node));
    }
    g->k = k;
    return made(node);
  }
  return refuse("no tree " + quoted(tree));
}

TreeEditOutcome setNodeSource(TreesState& s, const std::string& tree, const std::string& node, const std::string& source) {
  if (AttackTree* t = byId(s.attackTrees, tree)) {
    if (AttackNode* n = byId(t->nodes, node); n && n->kind == AttackNodeKind::Leaf) {
      n->source = source;
      return made(node);
    }
  }
  if (ProjectFaultTree* t = byId(s.faultTrees, tree)) {
    if (models::FaultEvent* e = byId(t->events, node)) {
      e->source = source;
      return made(node);
    }
  }
  return refuse(quoted(node) + " is not a leaf or basic event of " + quoted(tree));
}

TreeEditOutcome setHouseState(TreesState& s, const std::string& tree, const std::string& node, bool state) {
  ProjectFaultTree* t = byId(s.faultTrees, tree);
  models::HouseEventDef* h = t ? byId(t->houseEvents, node) : nullptr;
  if (!h) return refuse(quoted(node) + " is not a house event of " + quoted(tree));
  h->state = state;
  return made(node);
}

EditTreesCommand::EditTreesCommand(ProjectDocument& document, const QString& text, const Edit& edit) : m_document(document) {
  const models::Project& p = document.project();
  m_before = TreesState{p.attackTrees, p.faultTrees, p.mitigations};
  m_after = m_before;
  m_outcome = edit(m_after);
  if (!m_outcome) m_after = m_before;
  setText(text);
}

void EditTreesCommand::apply(const TreesState& s) {
  models::Project& p = m_document.mutableProject();
  p.attackTrees = s.attackTrees;
  p.faultTrees = s.faultTrees;
  p.mitigations = s.mitigations;
  m_document.notifyListChanged();
}

void EditTreesCommand::undo() { apply(m_before); }
void EditTreesCommand::redo() { apply(m_after); }

}  // namespace thornwood::gui
