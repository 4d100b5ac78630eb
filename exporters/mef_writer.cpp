#include "exporters/mef_writer.h"

#include <charconv>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

namespace thornwood::exporters {

namespace {

/// A double as the shortest text that reads back as the same value.
std::string exact(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

bool allowed(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

/// MEF names: letters, digits, '_' and single '-' between parts; others become '_'.
std::string mefName(const std::string& name) {
  std::string out;
  for (const char c : name) out += allowed(c) ? c : '_';
  while (out.find("--") != std::string::npos) out.replace(out.find("--"), 2, "_-");
  if (out.empty() || out.front() == '-' || std::isdigit(static_cast<unsigned char>(out.front()))) out.insert(out.begin(), '_');
  if (out.back() == '-') out.back() = '_';
  return out;
}

const char* connective(core::GateKind k) {
  switch (k) {
    case core::GateKind::And: return "and";
    case core::GateKind::Or: return "or";
    case core::GateKind::AtLeast: return "atleast";
    case core::GateKind::Not: return "not";
    case core::GateKind::Xor: return "xor";
    case core::GateKind::Nand: return "nand";
    case core::GateKind::Nor: return "nor";
    case core::GateKind::Inhibit: return "and";  // MEF has no inhibit: an AND with its condition
    case core::GateKind::Iff: return "iff";
    case core::GateKind::Imply: return "imply";
    case core::GateKind::Cardinality: return "cardinality";
    case core::GateKind::Null: return "null";
  }
  return "and";
}

class Names {
 public:
  /// The MEF name of a graph node of tree `t`, unique in the document.
  std::string of(std::size_t t, const std::string& name) {
    const auto key = std::make_pair(t, name);
    if (auto it = m_names.find(key); it != m_names.end()) return it->second;
    std::string candidate = mefName(name);
    for (int n = 2; m_used.count(candidate); ++n) candidate = mefName(name) + "_" + std::to_string(n);
    m_used.insert(candidate);
    return m_names[key] = candidate;
  }

 private:
  std::map<std::pair<std::size_t, std::string>, std::string> m_names;
  std::set<std::string> m_used;
};

}  // namespace

std::string toMef(const std::vector<MefTree>& trees, const std::string& documentLabel,
                  const std::vector<std::pair<std::string, std::string>>& labels) {
  const std::map<std::string, std::string> labelOf(labels.begin(), labels.end());
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("opsa-mef");
  if (!documentLabel.empty()) root.append_child("label").text() = documentLabel.c_str();
  Names names;
  pugi::xml_node data;
  std::set<std::string> defined;
  auto label = [&](pugi::xml_node n, const std::string& original, const std::string& written) {
    const auto it = labelOf.find(original);
    std::string text = it != labelOf.end() ? it->second : std::string();
    if (original != written) text += (text.empty() ? "" : " ") + std::string("(Thornwood id: ") + original + ")";
    if (!text.empty()) n.append_child("label").text() = text.c_str();
  };
  for (std::size_t t = 0; t < trees.size(); ++t) {
    const core::LogicGraph& g = *trees[t].graph;
    pugi::xml_node ft = root.append_child("define-fault-tree");
    ft.append_attribute("name") = mefName(trees[t].name).c_str();
    if (!trees[t].label.empty()) ft.append_child("label").text() = trees[t].label.c_str();
    // The gates reachable from the top, top first, each once.
    std::vector<core::NodeId> order{trees[t].top};
    std::set<core::NodeId> seen{trees[t].top};
    std::vector<core::NodeId> events, constants;
    for (std::size_t i = 0; i < order.size(); ++i) {
      for (core::NodeId c : g.gate(order[i]).children) {
        if (!seen.insert(c).second) continue;
        switch (g.kind(c)) {
          case core::NodeKind::Gate: order.push_back(c); break;
          case core::NodeKind::Variable: events.push_back(c); break;
          case core::NodeKind::Constant: constants.push_back(c); break;
        }
      }
    }
    for (core::NodeId id : order) {
      const core::Gate& gate = g.gate(id);
      pugi::xml_node def = ft.append_child("define-gate");
      const std::string name = names.of(t, g.name(id));
      def.append_attribute("name") = name.c_str();
      label(def, g.name(id), name);
      pugi::xml_node formula = def.append_child(connective(gate.kind));
      if (gate.kind == core::GateKind::AtLeast) formula.append_attribute("min") = gate.min;
      if (gate.kind == core::GateKind::Cardinality) {
        formula.append_attribute("min") = gate.min;
        formula.append_attribute("max") = gate.max;
      }
      for (core::NodeId c : gate.children) {
        const char* tag = g.kind(c) == core::NodeKind::Gate ? "gate" : g.kind(c) == core::NodeKind::Variable ? "basic-event" : "house-event";
        formula.append_child(tag).append_attribute("name") = names.of(t, g.name(c)).c_str();
      }
    }
    if (!data) data = root.append_child("model-data");
    for (core::NodeId id : events) {
      const std::string name = names.of(t, g.name(id));
      if (!defined.insert(name).second) continue;
      pugi::xml_node def = data.append_child("define-basic-event");
      def.append_attribute("name") = name.c_str();
      label(def, g.name(id), name);
      if (const auto p = g.probability(id)) def.append_child("float").append_attribute("value") = exact(*p).c_str();
    }
    for (core::NodeId id : constants) {
      const std::string name = names.of(t, g.name(id));
      if (!defined.insert(name).second) continue;
      pugi::xml_node def = data.append_child("define-house-event");
      def.append_attribute("name") = name.c_str();
      label(def, g.name(id), name);
      def.append_child("constant").append_attribute("value") = g.constantValue(id) ? "true" : "false";
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

core::Result<std::string> projectToMef(const models::Project& p, models::MitigationScope scope, const std::string& tree) {
  std::vector<models::CompiledTree> compiled;
  std::vector<const models::ProjectFaultTree*> chosen;
  for (const auto& t : p.faultTrees) {
    if (!tree.empty() && t.id != tree) continue;
    auto c = models::compileFaultTree(p, t.id, scope);
    if (!c) return core::fail(c.error());
    compiled.push_back(std::move(*c));
    chosen.push_back(&t);
  }
  if (!tree.empty() && chosen.empty()) {
    return core::fail(core::error(core::ErrorCode::Malformed, tree, "the project has no fault tree \"" + tree + "\""));
  }
  if (chosen.empty()) return core::fail(core::error(core::ErrorCode::Malformed, "", "the project has no fault tree to export"));
  std::vector<MefTree> trees;
  std::vector<std::pair<std::string, std::string>> labels;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    trees.push_back(MefTree{chosen[i]->id, chosen[i]->name, &compiled[i].graph, compiled[i].top});
    for (const auto& g : chosen[i]->gates) {
      if (!g.name.empty()) labels.emplace_back(g.id, g.name);
    }
    for (const auto& e : chosen[i]->events) {
      if (!e.name.empty()) labels.emplace_back(e.id, e.name);
    }
    for (const auto& h : chosen[i]->houseEvents) {
      if (!h.name.empty()) labels.emplace_back(h.id, h.name);
    }
  }
  for (const auto& at : p.attackTrees) {
    for (const auto& n : at.nodes) {
      if (!n.name.empty()) labels.emplace_back(at.id + "/" + n.id, n.name);
    }
  }
  std::string what = std::string("Thornwood ") + THORNWOOD_VERSION + ": fault trees of \"" + p.name + "\", " +
                     (scope == models::MitigationScope::None      ? "as modelled (no mitigation)"
                      : scope == models::MitigationScope::InPlace ? "with the mitigations in place"
                                                                  : "with every mitigation") +
                     "; probabilities over the mission time of " + exact(p.settings.missionTime) + " h";
  return toMef(trees, what, labels);
}

}  // namespace thornwood::exporters
