#include "models/validate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/logic_graph.h"
#include "models/compliance.h"
#include "models/project_compile.h"

namespace thornwood::models {

namespace {

constexpr std::size_t kMaxIdLength = 128;

std::string at(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

bool validIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

bool isReference(std::string_view text, std::string_view prefix) {
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(prefix.size()), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

class Checker {
 public:
  Checker(const Project& p, const std::string& file) : m_p(p), m_file(file) {}

  std::vector<core::Diagnostic> run() {
    indexIds();
    checkSettings();
    checkRiskMatrix();
    checkSystem();
    checkThreats();
    checkAttackTrees();
    checkFaultTrees();
    checkHazards();
    checkMitigations();
    checkLayout();
    return std::move(m_out);
  }

 private:
  void error(const std::string& place, std::string problem) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, place, std::move(problem));
    d.file = m_file;
    m_out.push_back(std::move(d));
  }
  void warn(const std::string& place, std::string problem) {
    core::Diagnostic d = core::warning(place, std::move(problem));
    d.file = m_file;
    m_out.push_back(std::move(d));
  }

  /// Checks an id's spelling and records it in `scope`; reports a duplicate with both places.
  void define(std::map<std::string, std::string>& scope, const std::string& id, const std::string& place,
              std::string_view what) {
    const std::string idPlace = place + "/id";
    if (id.empty()) return error(idPlace, std::string(what) + " has an empty id");
    if (id.size() > kMaxIdLength) {
      return error(idPlace, std::string(what) + " id is " + std::to_string(id.size()) + " characters long, over " +
                                std::to_string(kMaxIdLength));
    }
    if (!validIdChar(id[0]) || id[0] == '.' || id[0] == '-' ||
        !std::all_of(id.begin(), id.end(), validIdChar)) {
      return error(idPlace, std::string(what) + " id " + quoted(id) +
                                " may use only letters, digits, '_', '-' and '.', and starts with a letter, digit or '_'");
    }
    const auto [it, inserted] = scope.emplace(id, place);
    if (!inserted) error(idPlace, std::string(what) + " id " + quoted(id) + " is already used at " + it->second);
  }

  void probability(const std::string& place, double p, std::string_view what) {
    if (!(p >= 0 && p <= 1)) error(place, std::string(what) + " is " + number(p) + ", outside [0, 1]");
  }
  void nonNegative(const std::string& place, double v, std::string_view what) {
    if (!(v >= 0)) error(place, std::string(what) + " is " + number(v) + ", below 0");
  }

  void indexIds() {
    const System& s = m_p.system;
    for (std::size_t i = 0; i < s.components.size(); ++i) {
      define(m_elements, s.components[i].id, at("/system/components", i), "component");
      m_components.insert(s.components[i].id);
    }
    for (std::size_t i = 0; i < s.flows.size(); ++i) define(m_elements, s.flows[i].id, at("/system/flows", i), "flow");
    for (std::size_t i = 0; i < s.zones.size(); ++i) {
      define(m_elements, s.zones[i].id, at("/system/zones", i), "trust zone");
      m_zones.insert(s.zones[i].id);
    }
    for (std::size_t i = 0; i < m_p.threats.size(); ++i) define(m_threats, m_p.threats[i].id, at("/threats", i), "threat");
    for (std::size_t i = 0; i < m_p.attackTrees.size(); ++i) {
      define(m_attackTrees, m_p.attackTrees[i].id, at("/attack_trees", i), "attack tree");
    }
    for (std::size_t i = 0; i < m_p.faultTrees.size(); ++i) {
      define(m_faultTrees, m_p.faultTrees[i].id, at("/fault_trees", i), "fault tree");
    }
    for (std::size_t i = 0; i < m_p.hazards.size(); ++i) define(m_hazards, m_p.hazards[i].id, at("/hazards", i), "hazard");
    for (std::size_t i = 0; i < m_p.mitigations.size(); ++i) {
      define(m_mitigations, m_p.mitigations[i].id, at("/mitigations", i), "mitigation");
    }
  }

  void checkSettings() {
    const Settings& s = m_p.settings;
    if (!(s.missionTime > 0)) error("/settings/mission_time", "mission time is " + number(s.missionTime) + " h, not above 0");
    probability("/settings/cut_off", s.cutOff, "cut-off");
    if (s.limitOrder < 0) error("/settings/limit_order", "order limit is " + std::to_string(s.limitOrder) + ", below 0");
    if (s.maxCutSets < 0) error("/settings/max_cut_sets", "cut-set limit is " + std::to_string(s.maxCutSets) + ", below 0");
    if (!s.gate.openThreatClass.empty() && !m_p.riskMatrix.classIndex(s.gate.openThreatClass)) {
      error("/settings/gate/open_threat_class", "unknown risk class " + quoted(s.gate.openThreatClass));
    }
    if (s.gate.maxTopProbability) probability("/settings/gate/max_top_probability", *s.gate.maxTopProbability, "probability");
  }

  void checkRiskMatrix() {
    const RiskMatrix& m = m_p.riskMatrix;
    std::map<std::string, std::string> likelihoods;
    std::map<std::string, std::string> severities;
    std::map<std::string, std::string> classes;
    if (m.likelihoods.empty()) error("/risk_matrix/likelihoods", "the risk matrix has no likelihood level");
    if (m.severities.empty()) error("/risk_matrix/severities", "the risk matrix has no severity level");
    if (m.classes.empty()) error("/risk_matrix/classes", "the risk matrix has no risk class");
    std::optional<double> previous;
    std::size_t banded = 0;
    for (std::size_t i = 0; i < m.likelihoods.size(); ++i) {
      const std::string place = at("/risk_matrix/likelihoods", i);
      define(likelihoods, m.likelihoods[i].id, place, "likelihood level");
      if (const auto& band = m.likelihoods[i].maxProbability) {
        ++banded;
        probability(place + "/max_probability", *band, "band limit");
        if (previous && !(*band > *previous)) {
          error(place + "/max_probability", "band limit " + number(*band) + " is not above the previous level's " +
                                                number(*previous) + " (levels go from least to most likely)");
        }
        previous = *band;
      }
    }
    if (banded != 0 && banded != m.likelihoods.size()) {
      error("/risk_matrix/likelihoods", "either every likelihood level has max_probability or none has");
    }
    for (std::size_t i = 0; i < m.severities.size(); ++i) {
      define(severities, m.severities[i].id, at("/risk_matrix/severities", i), "severity level");
    }
    for (std::size_t i = 0; i < m.classes.size(); ++i) define(classes, m.classes[i].id, at("/risk_matrix/classes", i), "risk class");
    if (m.cells.size() != m.likelihoods.size()) {
      error("/risk_matrix/cells", "the matrix has " + std::to_string(m.cells.size()) + " rows, one per likelihood level needs " +
                                      std::to_string(m.likelihoods.size()));
    }
    for (std::size_t row = 0; row < m.cells.size(); ++row) {
      const std::string place = at("/risk_matrix/cells", row);
      if (m.cells[row].size() != m.severities.size()) {
        error(place, "row has " + std::to_string(m.cells[row].size()) + " cells, one per severity level needs " +
                         std::to_string(m.severities.size()));
      }
      for (std::size_t col = 0; col < m.cells[row].size(); ++col) {
        if (!classes.count(m.cells[row][col])) error(at(place, col), "unknown risk class " + quoted(m.cells[row][col]));
      }
    }
  }

  void rating(const Rating& r, const std::string& place) {
    if (!m_p.riskMatrix.likelihoodIndex(r.likelihood)) {
      error(place + "/likelihood", "unknown likelihood level " + quoted(r.likelihood));
    }
    if (!m_p.riskMatrix.severityIndex(r.severity)) error(place + "/severity", "unknown severity level " + quoted(r.severity));
  }

  void references(const std::vector<std::string>& ids, const std::map<std::string, std::string>& scope,
                  const std::string& place, std::string_view what) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!scope.count(ids[i])) error(at(place, i), "unknown " + std::string(what) + " " + quoted(ids[i]));
    }
  }

  void checkAttributes(const Attributes& attributes, const std::string& place) {
    for (const auto& [name, value] : attributes) {
      const bool ok = !name.empty() && name.size() <= kMaxIdLength && name[0] != '.' && name[0] != '-' &&
                      std::all_of(name.begin(), name.end(), validIdChar);
      if (!ok) error(place + "/attributes/" + name, "attribute name " + quoted(name) + " may use only letters, digits, '_', '-' and '.'");
    }
  }

  void checkSystem() {
    const System& s = m_p.system;
    for (std::size_t i = 0; i < s.components.size(); ++i) checkAttributes(s.components[i].attributes, at("/system/components", i));
    for (std::size_t i = 0; i < s.flows.size(); ++i) checkAttributes(s.flows[i].attributes, at("/system/flows", i));
    for (std::size_t i = 0; i < s.flows.size(); ++i) {
      const DataFlow& f = s.flows[i];
      const std::string place = at("/system/flows", i);
      if (!m_components.count(f.source)) error(place + "/source", "flow " + quoted(f.id) + " starts at unknown component " + quoted(f.source));
      if (!m_components.count(f.target)) error(place + "/target", "flow " + quoted(f.id) + " ends at unknown component " + quoted(f.target));
      if (f.source == f.target && m_components.count(f.source)) {
        error(place + "/target", "flow " + quoted(f.id) + " starts and ends at " + quoted(f.source));
      }
    }
    std::map<std::string, std::string> memberOf;
    std::map<std::string, std::string> parentOf;
    for (std::size_t i = 0; i < s.zones.size(); ++i) {
      const TrustZone& z = s.zones[i];
      const std::string place = at("/system/zones", i);
      if (z.trust < 0 || z.trust > 100) error(place + "/trust", "trust is " + std::to_string(z.trust) + ", outside [0, 100]");
      if (!z.parent.empty()) {
        if (!m_zones.count(z.parent)) error(place + "/parent", "unknown parent zone " + quoted(z.parent));
        else parentOf[z.id] = z.parent;
      }
      for (std::size_t m = 0; m < z.members.size(); ++m) {
        const std::string& c = z.members[m];
        if (!m_components.count(c)) {
          error(at(place + "/members", m), "unknown component " + quoted(c));
          continue;
        }
        const auto [it, inserted] = memberOf.emplace(c, z.id);
        if (!inserted) {
          error(at(place + "/members", m), "component " + quoted(c) + " is already a member of zone " + quoted(it->second) +
                                               " (a component belongs to one zone, its innermost)");
        }
      }
    }
    for (std::size_t i = 0; i < s.zones.size(); ++i) {
      // Walk up the parents; more steps than zones means a cycle.
      std::string zone = s.zones[i].id;
      for (std::size_t step = 0; step <= s.zones.size(); ++step) {
        const auto it = parentOf.find(zone);
        if (it == parentOf.end()) break;
        zone = it->second;
        if (zone == s.zones[i].id) {
          error(at("/system/zones", i) + "/parent", "zone " + quoted(zone) + " is nested inside itself");
          break;
        }
      }
    }
  }

  void checkThreats() {
    std::map<std::pair<std::string, std::string>, std::string> byRule;  // (rule, target) -> first threat
    for (std::size_t i = 0; i < m_p.threats.size(); ++i) {
      const Threat& t = m_p.threats[i];
      const std::string place = at("/threats", i);
      if (!t.rule.empty()) {
        const auto [it, first] = byRule.emplace(std::make_pair(t.rule, t.target), t.id);
        if (!first) {
          warn(place + "/origin", "threat " + quoted(t.id) + " cites rule " + quoted(t.rule) + " on " + quoted(t.target) +
                                      " like threat " + quoted(it->second) + "; running the rules updates only the first");
        }
      }
      if (t.title.empty()) error(place + "/title", "threat " + quoted(t.id) + " has no title");
      if (!m_elements.count(t.target)) error(place + "/target", "unknown system element " + quoted(t.target));
      if (!m_p.riskMatrix.likelihoodIndex(t.likelihood)) error(place + "/likelihood", "unknown likelihood level " + quoted(t.likelihood));
      if (!m_p.riskMatrix.severityIndex(t.impact)) error(place + "/impact", "unknown severity level " + quoted(t.impact));
      if (!t.attackTree.empty() && !m_attackTrees.count(t.attackTree)) {
        error(place + "/attack_tree", "unknown attack tree " + quoted(t.attackTree));
      }
      references(t.mitigations, m_mitigations, place + "/mitigations", "mitigation");
      for (std::size_t k = 0; k < t.capec.size(); ++k) {
        if (!isReference(t.capec[k], "CAPEC-")) error(at(place + "/capec", k), quoted(t.capec[k]) + " is not a CAPEC id like \"CAPEC-112\"");
      }
      for (std::size_t k = 0; k < t.cwe.size(); ++k) {
        if (!isReference(t.cwe[k], "CWE-")) error(at(place + "/cwe", k), quoted(t.cwe[k]) + " is not a CWE id like \"CWE-287\"");
      }
      const bool needsReason = t.status == ThreatStatus::Accepted || t.status == ThreatStatus::Transferred ||
                               t.status == ThreatStatus::NotApplicable;
      if (needsReason && t.justification.empty()) {
        warn(place + "/justification", "threat " + quoted(t.id) + " is closed without mitigation but has no justification");
      }
    }
  }

  /// Maps diagnostics of a tree's logic graph (placed at a node's name) to pointers.
  void graphProblems(const core::LogicGraph& graph, const std::unordered_map<std::string, std::string>& places,
                     const std::string& treePlace, const std::set<std::string>& reported) {
    for (core::Diagnostic d : graph.validate()) {
      // A gate with an unknown input was left undefined; its problem is already reported.
      if (reported.count(d.place)) continue;
      const auto it = places.find(d.place);
      d.place = it == places.end() ? treePlace : it->second;
      d.file = m_file;
      m_out.push_back(std::move(d));
    }
  }

  void checkAttackTrees() {
    std::map<std::string, std::vector<std::string>> treeRefs;  // tree -> trees it embeds
    for (std::size_t t = 0; t < m_p.attackTrees.size(); ++t) {
      const AttackTree& tree = m_p.attackTrees[t];
      const std::string place = at("/attack_trees", t);
      std::map<std::string, std::string> nodes;
      for (std::size_t n = 0; n < tree.nodes.size(); ++n) define(nodes, tree.nodes[n].id, at(place + "/nodes", n), "node");
      if (tree.nodes.empty()) error(place + "/nodes", "attack tree " + quoted(tree.id) + " has no node");
      if (!nodes.count(tree.root)) error(place + "/root", "unknown root node " + quoted(tree.root));
      m_attackNodes[tree.id] = std::set<std::string>();
      core::LogicGraph graph;
      std::unordered_map<std::string, std::string> places;
      std::vector<std::pair<core::NodeId, const AttackNode*>> gates;
      for (std::size_t n = 0; n < tree.nodes.size(); ++n) {
        const AttackNode& node = tree.nodes[n];
        const std::string np = at(place + "/nodes", n);
        m_attackNodes[tree.id].insert(node.id);
        if (places.count(node.id)) continue;  // duplicate, reported
        places[node.id] = np;
        const bool leaf = node.kind == AttackNodeKind::Leaf || node.kind == AttackNodeKind::TreeRef;
        if (leaf) {
          graph.addVariable(node.id);
          if (!node.children.empty()) error(np + "/children", "a " + std::string(node.kind == AttackNodeKind::Leaf ? "leaf" : "tree reference") + " has no children");
        } else {
          gates.emplace_back(graph.addGate(node.id), &node);
        }
        if (node.kind != AttackNodeKind::Leaf &&
            (node.cost || node.time || node.skill || node.probability)) {
          error(np, "only leaves carry cost, time, skill and probability; node " + quoted(node.id) + " is not a leaf");
        }
        if (node.cost) nonNegative(np + "/cost", *node.cost, "cost");
        if (node.time) nonNegative(np + "/time", *node.time, "time");
        if (node.skill && !(*node.skill >= 0 && *node.skill <= 10)) {
          error(np + "/skill", "skill is " + number(*node.skill) + ", outside [0, 10]");
        }
        if (node.probability) probability(np + "/probability", *node.probability, "probability");
        if (node.kind == AttackNodeKind::TreeRef) {
          if (!m_attackTrees.count(node.tree)) error(np + "/tree", "unknown attack tree " + quoted(node.tree));
          else treeRefs[tree.id].push_back(node.tree);
        } else if (!node.tree.empty()) {
          error(np + "/tree", "only a node of kind \"tree\" refers to another tree");
        }
      }
      std::set<std::string> broken;
      for (const auto& [id, node] : gates) {
        std::vector<core::NodeId> children;
        bool ok = true;
        for (std::size_t c = 0; c < node->children.size(); ++c) {
          const auto childId = graph.find(node->children[c]);
          if (!childId) {
            error(at(places[node->id] + "/children", c), "unknown node " + quoted(node->children[c]) + " in tree " + quoted(tree.id));
            ok = false;
            continue;
          }
          children.push_back(*childId);
        }
        if (!ok) {
          broken.insert(node->id);
          continue;
        }
        const core::GateKind kind = node->kind == AttackNodeKind::Or        ? core::GateKind::Or
                                    : node->kind == AttackNodeKind::AtLeast ? core::GateKind::AtLeast
                                                                            : core::GateKind::And;
        graph.defineGate(id, kind, std::move(children), node->k);
      }
      graphProblems(graph, places, place, broken);
      // Nodes the root does not reach are not part of the tree's formula.
      if (const auto rootId = graph.find(tree.root)) {
        std::set<std::string> reached;
        std::vector<std::string> stack{tree.root};
        std::unordered_map<std::string, const AttackNode*> byId;
        for (const AttackNode& n : tree.nodes) byId.emplace(n.id, &n);
        while (!stack.empty()) {
          const std::string id = stack.back();
          stack.pop_back();
          if (!reached.insert(id).second) continue;
          if (const auto it = byId.find(id); it != byId.end()) {
            for (const std::string& c : it->second->children) stack.push_back(c);
          }
        }
        for (std::size_t n = 0; n < tree.nodes.size(); ++n) {
          if (!reached.count(tree.nodes[n].id)) {
            warn(at(place + "/nodes", n), "node " + quoted(tree.nodes[n].id) + " is not reached from the root " + quoted(tree.root));
          }
        }
      }
    }
    // Trees embedding each other in a circle would be an infinite formula.
    std::map<std::string, int> state;  // 1 visiting, 2 done
    for (std::size_t t = 0; t < m_p.attackTrees.size(); ++t) {
      std::vector<std::string> path;
      if (treeCycle(m_p.attackTrees[t].id, treeRefs, state, path)) {
        std::string text;
        for (const auto& p : path) text += (text.empty() ? "" : " -> ") + quoted(p);
        error(at("/attack_trees", t), "attack trees embed each other in a cycle: " + text);
        return;
      }
    }
  }

  /// Depth-first over the trees' references, without recursion (a hostile file may chain
  /// many trees). Fills `path` with the cycle when there is one.
  static bool treeCycle(const std::string& start, const std::map<std::string, std::vector<std::string>>& refs,
                        std::map<std::string, int>& state, std::vector<std::string>& path) {
    static const std::vector<std::string> kNone;
    auto next = [&](const std::string& tree) -> const std::vector<std::string>& {
      const auto it = refs.find(tree);
      return it == refs.end() ? kNone : it->second;
    };
    if (state[start] == 2) return false;
    std::vector<std::pair<std::string, std::size_t>> stack{{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
      auto& [tree, index] = stack.back();
      const auto& out = next(tree);
      if (index == out.size()) {
        state[tree] = 2;
        stack.pop_back();
        continue;
      }
      const std::string to = out[index++];
      int& s = state[to];
      if (s == 1) {
        bool inCycle = false;
        for (const auto& frame : stack) {
          inCycle = inCycle || frame.first == to;
          if (inCycle) path.push_back(frame.first);
        }
        path.push_back(to);
        return true;
      }
      if (s == 0) {
        s = 1;
        stack.emplace_back(to, 0);
      }
    }
    return false;
  }

  void checkFaultTrees() {
    for (std::size_t t = 0; t < m_p.faultTrees.size(); ++t) {
      const ProjectFaultTree& tree = m_p.faultTrees[t];
      const std::string place = at("/fault_trees", t);
      std::map<std::string, std::string> ids;
      core::LogicGraph graph;
      std::unordered_map<std::string, std::string> places;
      auto& events = m_faultEvents[tree.id];
      for (std::size_t e = 0; e < tree.events.size(); ++e) {
        const FaultEvent& ev = tree.events[e];
        const std::string ep = at(place + "/events", e);
        define(ids, ev.id, ep, "basic event");
        events.insert(ev.id);
        if (!places.count(ev.id)) {
          places[ev.id] = ep;
          graph.addVariable(ev.id);
        }
        const int given = (ev.probability ? 1 : 0) + (ev.rate ? 1 : 0) + (ev.attackTree.empty() ? 0 : 1);
        if (given != 1) {
          error(ep, "basic event " + quoted(ev.id) + " needs exactly one of probability, rate and attack_tree, not " +
                        std::to_string(given));
        }
        if (ev.probability) probability(ep + "/probability", *ev.probability, "probability");
        if (ev.rate) nonNegative(ep + "/rate", *ev.rate, "failure rate");
        if (!ev.attackTree.empty() && !m_attackTrees.count(ev.attackTree)) {
          error(ep + "/attack_tree", "unknown attack tree " + quoted(ev.attackTree));
        }
        if (ev.distribution) checkDistribution(*ev.distribution, ep + "/distribution");
      }
      for (std::size_t h = 0; h < tree.houseEvents.size(); ++h) {
        const HouseEventDef& house = tree.houseEvents[h];
        const std::string hp = at(place + "/house_events", h);
        define(ids, house.id, hp, "house event");
        if (!places.count(house.id)) {
          places[house.id] = hp;
          graph.addConstant(house.id, house.state);
        }
      }
      std::vector<std::pair<core::NodeId, std::size_t>> gates;
      for (std::size_t g = 0; g < tree.gates.size(); ++g) {
        const FaultGate& gate = tree.gates[g];
        const std::string gp = at(place + "/gates", g);
        define(ids, gate.id, gp, "gate");
        if (places.count(gate.id)) continue;
        places[gate.id] = gp;
        gates.emplace_back(graph.addGate(gate.id), g);
      }
      if (tree.gates.empty()) error(place + "/gates", "fault tree " + quoted(tree.id) + " has no gate");
      std::set<std::string> broken;
      for (const auto& [id, g] : gates) {
        const FaultGate& gate = tree.gates[g];
        std::vector<core::NodeId> inputs;
        bool ok = true;
        for (std::size_t i = 0; i < gate.inputs.size(); ++i) {
          const auto in = graph.find(gate.inputs[i]);
          if (!in) {
            error(at(at(place + "/gates", g) + "/inputs", i), "unknown event " + quoted(gate.inputs[i]) + " in tree " + quoted(tree.id));
            ok = false;
            continue;
          }
          inputs.push_back(*in);
        }
        if (ok) graph.defineGate(id, toCore(gate.kind), std::move(inputs), gate.k);
        else broken.insert(gate.id);
      }
      const auto top = graph.find(tree.top);
      if (!top || graph.kind(*top) != core::NodeKind::Gate) error(place + "/top", "the top event " + quoted(tree.top) + " is not a gate of the tree");
      graphProblems(graph, places, place, broken);
    }
  }

  void checkDistribution(const Distribution& d, const std::string& place) {
    switch (d.kind) {
      case DistributionKind::Lognormal:
        if (!(d.a > 0)) error(place + "/mean", "lognormal mean is " + number(d.a) + ", not above 0");
        if (!(d.b >= 1)) error(place + "/error_factor", "error factor is " + number(d.b) + ", below 1");
        return;
      case DistributionKind::Normal:
        if (!(d.b > 0)) error(place + "/sigma", "sigma is " + number(d.b) + ", not above 0");
        return;
      case DistributionKind::Uniform:
        if (!(d.a < d.b)) error(place + "/high", "uniform high " + number(d.b) + " is not above low " + number(d.a));
        return;
      case DistributionKind::Beta:
        if (!(d.a > 0)) error(place + "/alpha", "alpha is " + number(d.a) + ", not above 0");
        if (!(d.b > 0)) error(place + "/beta", "beta is " + number(d.b) + ", not above 0");
        return;
      case DistributionKind::Gamma:
        if (!(d.a > 0)) error(place + "/k", "k is " + number(d.a) + ", not above 0");
        if (!(d.b > 0)) error(place + "/theta", "theta is " + number(d.b) + ", not above 0");
        return;
    }
  }

  void checkHazards() {
    for (std::size_t i = 0; i < m_p.hazards.size(); ++i) {
      const Hazard& h = m_p.hazards[i];
      const std::string place = at("/hazards", i);
      if (h.title.empty()) error(place + "/title", "hazard " + quoted(h.id) + " has no title");
      rating(h.before, place + "/before");
      rating(h.after, place + "/after");
      if (!h.faultTree.empty() && !m_faultTrees.count(h.faultTree)) error(place + "/fault_tree", "unknown fault tree " + quoted(h.faultTree));
      references(h.mitigations, m_mitigations, place + "/mitigations", "mitigation");
    }
  }

  void checkMitigations() {
    for (std::size_t i = 0; i < m_p.mitigations.size(); ++i) {
      const Mitigation& m = m_p.mitigations[i];
      const std::string place = at("/mitigations", i);
      if (m.title.empty()) error(place + "/title", "mitigation " + quoted(m.id) + " has no title");
      nonNegative(place + "/cost", m.cost, "cost");
      for (std::size_t e = 0; e < m.effects.size(); ++e) {
        const Effect& effect = m.effects[e];
        const std::string ep = at(place + "/effects", e);
        const bool blocks = effect.kind == EffectKind::Blocks;
        const std::string elementKey = blocks ? "/node" : "/event";
        if (blocks) {
          const auto it = m_attackNodes.find(effect.tree);
          if (it == m_attackNodes.end()) error(ep + "/tree", "unknown attack tree " + quoted(effect.tree));
          else if (!it->second.count(effect.element)) error(ep + elementKey, "unknown node " + quoted(effect.element) + " in attack tree " + quoted(effect.tree));
        } else {
          const auto it = m_faultEvents.find(effect.tree);
          if (it == m_faultEvents.end()) error(ep + "/tree", "unknown fault tree " + quoted(effect.tree));
          else if (!it->second.count(effect.element)) error(ep + elementKey, "unknown basic event " + quoted(effect.element) + " in fault tree " + quoted(effect.tree));
        }
        if (effect.kind == EffectKind::Lowers && !(effect.factor >= 1)) {
          error(ep + "/factor", "factor is " + number(effect.factor) + ", below 1 (a mitigation divides the probability by it)");
        }
      }
      for (std::size_t r = 0; r < m.requirements.size(); ++r) {
        const RequirementRef& req = m.requirements[r];
        const std::string rp = at(place + "/requirements", r);
        if (req.baseline.empty()) error(rp + "/baseline", "empty baseline id");
        if (req.requirement.empty()) error(rp + "/requirement", "empty requirement id");
      }
    }
  }

  void checkLayout() {
    std::set<std::string> placed;
    for (std::size_t i = 0; i < m_p.layout.size(); ++i) {
      const Placement& pl = m_p.layout[i];
      const std::string place = at("/layout", i);
      if (!m_components.count(pl.element) && !m_zones.count(pl.element)) {
        error(place + "/element", "layout of unknown component or zone " + quoted(pl.element));
      }
      if (!placed.insert(pl.element).second) error(place + "/element", quoted(pl.element) + " is placed twice");
      if (pl.width < 0) error(place + "/width", "width is " + number(pl.width) + ", below 0");
      if (pl.height < 0) error(place + "/height", "height is " + number(pl.height) + ", below 0");
    }
  }

  const Project& m_p;
  const std::string& m_file;
  std::vector<core::Diagnostic> m_out;
  std::map<std::string, std::string> m_elements;
  std::set<std::string> m_components;
  std::set<std::string> m_zones;
  std::map<std::string, std::string> m_threats;
  std::map<std::string, std::string> m_attackTrees;
  std::map<std::string, std::string> m_faultTrees;
  std::map<std::string, std::string> m_hazards;
  std::map<std::string, std::string> m_mitigations;
  std::map<std::string, std::set<std::string>> m_attackNodes;
  std::map<std::string, std::set<std::string>> m_faultEvents;
};

}  // namespace

std::vector<core::Diagnostic> validate(const Project& project, const std::string& file) {
  std::vector<core::Diagnostic> out = Checker(project, file).run();
  for (core::Diagnostic& d : validateCompliance(project, file)) out.push_back(std::move(d));
  return out;
}

bool noErrors(const std::vector<core::Diagnostic>& diagnostics) {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const core::Diagnostic& d) { return d.severity == core::Severity::Error; });
}

}  // namespace thornwood::models
