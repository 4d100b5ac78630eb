#include "importers/adtool_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "importers/detail/xml_document.h"

namespace thornwood::importers {

namespace {

constexpr std::size_t kMaxBytes = 64u << 20;
constexpr int kMaxDepth = 500;

/// A label as an id: letters and digits kept, everything else '_', never empty.
std::string slug(const std::string& label) {
  std::string out;
  for (char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "node";
  if (out.size() > 100) out.resize(100);
  return out;
}

bool isCounter(const pugi::xml_node& n) {
  const std::string role = n.attribute("switchRole").value();
  return role == "yes" || role == "true";
}

std::string text(const pugi::xml_node& n, const char* child) { return n.child(child).text().as_string(); }

enum class Field { Cost, Time, Skill, Probability, Difficulty, Other };

Field fieldOfDomain(const std::string& className) {
  const auto dot = className.find_last_of('.');
  const std::string shortName = dot == std::string::npos ? className : className.substr(dot + 1);
  if (shortName == "MinCost") return Field::Cost;
  if (shortName == "MinTimeSeq" || shortName == "MinTimePar") return Field::Time;
  if (shortName == "MinSkill") return Field::Skill;
  if (shortName == "ProbSucc") return Field::Probability;
  if (shortName == "DiffLMH" || shortName == "DiffLMHE") return Field::Difficulty;
  return Field::Other;
}

class Importer {
 public:
  explicit Importer(detail::XmlDocument& doc) : m_doc(doc) {}

  ImportOutcome run() {
    ImportOutcome out;
    const pugi::xml_node root = m_doc.xml.document_element();
    const std::string rootName = root.name();
    if (rootName != "adtree" && rootName != "sandtree") {
      error(root, "expected an ADTool <adtree> or <sandtree> document, found <" + rootName + ">");
      out.diagnostics = std::move(m_out);
      return out;
    }
    for (const pugi::xml_node d : root.children("domain")) {
      const std::string id = d.attribute("id").value();
      const std::string cls = text(d, "class");
      m_domains[id] = fieldOfDomain(cls);
      m_domainClass[id] = cls;
    }
    const pugi::xml_node top = root.child("node");
    if (!top) {
      error(root, "the tree has no <node>");
      out.diagnostics = std::move(m_out);
      return out;
    }
    const std::string title = text(top, "label").empty() ? "ADTool tree" : text(top, "label");
    m_tree.id = slug(title);
    m_tree.name = title;
    const auto rootId = attackNode(top, 0);
    if (!rootId) {
      out.diagnostics = std::move(m_out);
      return out;
    }
    m_tree.root = *rootId;
    if (m_derived > 0) {
      warn(top, std::to_string(m_derived) + " derived values (computed by ADTool for inner nodes) were not imported: "
                                             "Thornwood computes its own");
    }
    models::Project p;
    p.name = title;
    p.description = "Imported from the ADTool file " + m_doc.path + ".";
    p.attackTrees.push_back(std::move(m_tree));
    p.mitigations = std::move(m_mitigations);
    out.project = std::move(p);
    out.diagnostics = std::move(m_out);
    return out;
  }

 private:
  void report(core::Severity s, const pugi::xml_node& at, std::string problem) {
    core::Diagnostic d{s, core::ErrorCode::Unsupported, m_doc.path, m_doc.placeOf(at), std::move(problem)};
    m_out.push_back(std::move(d));
  }
  void warn(const pugi::xml_node& at, std::string problem) { report(core::Severity::Warning, at, std::move(problem)); }
  void error(const pugi::xml_node& at, std::string problem) {
    core::Diagnostic d{core::Severity::Error, core::ErrorCode::Malformed, m_doc.path, m_doc.placeOf(at), std::move(problem)};
    m_out.push_back(std::move(d));
  }

  std::string uniqueNodeId(const std::string& base) {
    std::string id = base;
    for (int n = 2; m_nodeIds.count(id); ++n) id = base + "_" + std::to_string(n);
    m_nodeIds.insert(id);
    return id;
  }

  /// The figures of a node's parameters, reporting what is not carried over.
  struct Figures {
    std::optional<double> cost, time, skill, probability;
  };
  Figures figures(const pugi::xml_node& n, bool onLeaf, const std::string& label) {
    Figures f;
    for (const pugi::xml_node p : n.children("parameter")) {
      const std::string category = p.attribute("category").value();
      if (category == "derived") {
        ++m_derived;
        continue;
      }
      const std::string domain = p.attribute("domainId").value();
      const std::string value = p.text().as_string();
      const auto it = m_domains.find(domain);
      if (category == "default") {
        warn(p, "default value " + value + " of domain \"" + domain + "\" on \"" + label + "\" was not imported");
        continue;
      }
      if (it == m_domains.end() || it->second == Field::Other) {
        warn(p, "the value " + value + " of domain \"" + domain + "\"" +
                    (it == m_domains.end() ? "" : " (" + m_domainClass[domain] + ")") + " on \"" + label +
                    "\" was not imported: Thornwood has cost, time, skill and probability");
        continue;
      }
      if (!onLeaf) {
        warn(p, "\"" + label + "\" is refined further, so its value " + value + " was not imported (values sit on leaves)");
        continue;
      }
      std::optional<double> number;
      if (it->second == Field::Difficulty) {
        static const std::map<std::string, double> kSkill{{"L", 0}, {"M", 3}, {"H", 6}, {"E", 8}};
        if (const auto s = kSkill.find(value); s != kSkill.end()) {
          number = s->second;
          if (!m_difficultyNoted) {
            warn(p, "difficulty L/M/H/E is imported as skill 0/3/6/8 (layman, proficient, expert, multiple experts)");
            m_difficultyNoted = true;
          }
        } else {
          warn(p, "difficulty \"" + value + "\" on \"" + label + "\" was not imported");
          continue;
        }
      } else {
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' || !std::isfinite(v) || v < 0 || v >= 1e300) {
          warn(p, "the value \"" + value + "\" on \"" + label + "\" is not a finite number >= 0 and was not imported");
          continue;
        }
        number = v;
      }
      std::optional<double>* slot = it->second == Field::Cost ? &f.cost
                                   : it->second == Field::Time ? &f.time
                                   : it->second == Field::Probability ? &f.probability
                                                                      : &f.skill;
      if (*slot) {
        warn(p, "\"" + label + "\" has a second value for the same figure; the first is kept");
        continue;
      }
      if (it->second == Field::Probability && *number > 1) {
        warn(p, "probability " + value + " on \"" + label + "\" is above 1 and was not imported");
        continue;
      }
      *slot = number;
    }
    return f;
  }

  /// Imports an attacker node and everything below it; returns its node id.
  std::optional<std::string> attackNode(const pugi::xml_node& n, int depth) {
    if (depth > kMaxDepth) {
      error(n, "the tree nests deeper than " + std::to_string(kMaxDepth) + " levels");
      return std::nullopt;
    }
    const std::string label = text(n, "label");
    std::vector<pugi::xml_node> children;
    std::vector<pugi::xml_node> counters;
    for (const pugi::xml_node c : n.children("node")) (isCounter(c) ? counters : children).push_back(c);
    const bool leaf = children.empty();
    std::string id;
    if (leaf) {
      // Leaves with the same label are one action.
      if (const auto it = m_leafByLabel.find(label); it != m_leafByLabel.end()) {
        id = it->second;
        figures(n, true, label);  // the same figures again: checked, not stored twice
      } else {
        id = uniqueNodeId(slug(label));
        m_leafByLabel.emplace(label, id);
        models::AttackNode node;
        node.id = id;
        node.name = label.empty() ? id : label;
        node.kind = models::AttackNodeKind::Leaf;
        const Figures f = figures(n, true, label);
        node.cost = f.cost;
        node.time = f.time;
        node.skill = f.skill;
        node.probability = f.probability;
        node.source = "ADTool " + m_doc.placeOf(n);
        m_tree.nodes.push_back(std::move(node));
      }
    } else {
      id = uniqueNodeId(slug(label));
      const std::string refinement = n.attribute("refinement").value();
      models::AttackNode node;
      node.id = id;
      node.name = label.empty() ? id : label;
      node.kind = refinement == "conjunctive"  ? models::AttackNodeKind::And
                  : refinement == "sequential" ? models::AttackNodeKind::Sand
                                               : models::AttackNodeKind::Or;
      if (refinement != "conjunctive" && refinement != "sequential" && refinement != "disjunctive") {
        warn(n, "refinement \"" + refinement + "\" of \"" + label + "\" is read as disjunctive (OR)");
      }
      figures(n, false, label);
      const std::size_t index = m_tree.nodes.size();
      m_tree.nodes.push_back(std::move(node));
      std::vector<std::string> childIds;
      for (const pugi::xml_node c : children) {
        const auto childId = attackNode(c, depth + 1);
        if (!childId) return std::nullopt;
        if (std::find(childIds.begin(), childIds.end(), *childId) == childIds.end()) childIds.push_back(*childId);
      }
      m_tree.nodes[index].children = std::move(childIds);
    }
    // Each countermeasure guards this occurrence: n AND NOT d becomes a node the mitigation
    // blocks; a defence the attacker can counter (n AND NOT (d AND NOT c)) becomes
    // OR(guarded n, n AND c), which is the same function.
    std::string current = id;
    for (const pugi::xml_node c : counters) {
      for (const Unit& u : countermeasure(c, label, depth + 1)) {
        const std::string& defence = m_mitigations[u.mitigation].title;
        models::AttackNode guard;
        guard.id = uniqueNodeId(id + "_unless_" + slug(defence));
        guard.name = label + " unless " + defence;
        guard.kind = models::AttackNodeKind::Or;
        guard.children = {current};
        m_mitigations[u.mitigation].effects.push_back(models::Effect{models::EffectKind::Blocks, m_tree.id, guard.id, 1});
        m_tree.nodes.push_back(guard);
        if (u.counterAttacks.empty()) {
          current = guard.id;
          continue;
        }
        models::AttackNode despite;
        despite.id = uniqueNodeId(id + "_despite_" + slug(defence));
        despite.name = label + " despite " + defence;
        despite.kind = models::AttackNodeKind::And;
        despite.children = {current};
        if (u.counterAttacks.size() == 1) {
          despite.children.push_back(u.counterAttacks.front());
        } else {
          models::AttackNode any;
          any.id = uniqueNodeId("defeat_" + slug(defence));
          any.name = "Defeat " + defence;
          any.kind = models::AttackNodeKind::Or;
          any.children = u.counterAttacks;
          despite.children.push_back(any.id);
          m_tree.nodes.push_back(std::move(any));
        }
        models::AttackNode either;
        either.id = uniqueNodeId(id + "_against_" + slug(defence));
        either.name = label + " against " + defence;
        either.kind = models::AttackNodeKind::Or;
        either.children = {guard.id, despite.id};
        current = either.id;
        m_tree.nodes.push_back(std::move(despite));
        m_tree.nodes.push_back(std::move(either));
      }
    }
    return current;
  }

  /// One mitigation guarding a node, and the attacks that defeat it (node ids).
  struct Unit {
    std::size_t mitigation;
    std::vector<std::string> counterAttacks;
  };

  /// A countermeasure subtree: the mitigations it stands for, each with its counter-attacks.
  std::vector<Unit> countermeasure(const pugi::xml_node& d, const std::string& targetLabel, int depth) {
    std::vector<Unit> units;
    if (depth > kMaxDepth) {
      error(d, "the tree nests deeper than " + std::to_string(kMaxDepth) + " levels");
      return units;
    }
    const std::string label = text(d, "label");
    std::vector<pugi::xml_node> defences;
    std::vector<std::string> counterAttacks;
    for (const pugi::xml_node c : d.children("node")) {
      if (!isCounter(c)) {
        defences.push_back(c);
        continue;
      }
      if (const auto attack = attackNode(c, depth + 1)) counterAttacks.push_back(*attack);
    }
    const std::string refinement = d.attribute("refinement").value();
    if (!defences.empty() && refinement != "conjunctive") {
      // Any one of the defences blocks the target.
      figures(d, false, label);
      // A counter-attack on the group defeats each defence of it: n AND NOT ((d1 OR d2) AND
      // NOT c) equals n AND (NOT d1 OR c) AND (NOT d2 OR c), which the guards build.
      for (const pugi::xml_node c : defences) {
        for (Unit u : countermeasure(c, targetLabel, depth + 1)) {
          u.counterAttacks.insert(u.counterAttacks.end(), counterAttacks.begin(), counterAttacks.end());
          units.push_back(std::move(u));
        }
      }
      return units;
    }
    models::Mitigation m;
    m.title = label.empty() ? "countermeasure" : label;
    m.description = "Imported from ADTool.";
    m.status = models::MitigationStatus::Proposed;
    m.phase = models::ResiliencePhase::Anticipate;
    if (defences.empty()) {
      m.cost = figures(d, true, label).cost.value_or(0.0);
    } else {
      std::string names;
      double cost = 0;
      for (const pugi::xml_node c : defences) {
        names += (names.empty() ? "" : ", ") + text(c, "label");
        cost += figures(c, true, text(c, "label")).cost.value_or(0.0);
        for (const pugi::xml_node cc : c.children("node")) {
          warn(cc, "\"" + text(cc, "label") + "\" under the combined defence \"" + label + "\" was not imported");
        }
      }
      m.cost = cost;
      warn(d, "countermeasure \"" + label + "\" needs all of its defences (" + names +
                  "); it is imported as one mitigation whose cost is their sum");
    }
    // One mitigation per defence label; a defence countering several nodes blocks them all.
    if (const auto it = m_mitigationByLabel.find(m.title); it != m_mitigationByLabel.end()) {
      units.push_back(Unit{it->second, counterAttacks});
      return units;
    }
    std::string id = "m_" + slug(m.title);
    for (int n = 2; m_mitigationIds.count(id); ++n) id = "m_" + slug(m.title) + "_" + std::to_string(n);
    m_mitigationIds.insert(id);
    m.id = id;
    m_mitigationByLabel.emplace(m.title, m_mitigations.size());
    m_mitigations.push_back(std::move(m));
    units.push_back(Unit{m_mitigations.size() - 1, counterAttacks});
    return units;
  }

  detail::XmlDocument& m_doc;
  std::vector<core::Diagnostic> m_out;
  std::map<std::string, Field> m_domains;
  std::map<std::string, std::string> m_domainClass;
  models::AttackTree m_tree;
  std::vector<models::Mitigation> m_mitigations;
  std::map<std::string, std::string> m_leafByLabel;
  std::map<std::string, std::size_t> m_mitigationByLabel;
  std::set<std::string> m_nodeIds;
  std::set<std::string> m_mitigationIds;
  std::size_t m_derived = 0;
  bool m_difficultyNoted = false;
};

}  // namespace

ImportOutcome parseAdtool(std::string text, const std::string& name) {
  ImportOutcome out;
  detail::XmlDocument doc;
  if (!detail::parseXml(std::move(text), name, doc, out.diagnostics)) return out;
  return Importer(doc).run();
}

ImportOutcome readAdtool(const std::string& path) {
  ImportOutcome out;
  detail::XmlDocument doc;
  if (!detail::loadXml(path, kMaxBytes, doc, out.diagnostics)) return out;
  return Importer(doc).run();
}

}  // namespace thornwood::importers
