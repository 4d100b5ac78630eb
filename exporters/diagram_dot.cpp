#include "exporters/diagram_dot.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "exporters/detail/graphviz.h"
#include "exporters/detail/markup.h"
#include "exporters/detail/numbers.h"
#include "models/names.h"

namespace thornwood::exporters {

namespace {

using detail::escapeDot;
using detail::escapeMarkup;
using detail::number;

constexpr const char* kFont = "DejaVu Sans";
constexpr const char* kHighlightFill = "#fdebd0";
constexpr const char* kHighlightBorder = "#e67e22";
constexpr const char* kDefence = "#2e7d32";

/// The colour of each kind, as the GUI's icons have it.
const char* kindColour(models::ComponentKind k) {
  switch (k) {
    case models::ComponentKind::Device: return "#3b6ea8";
    case models::ComponentKind::Sensor: return "#2f8f5b";
    case models::ComponentKind::Actuator: return "#b5651d";
    case models::ComponentKind::Hub: return "#6a4c9c";
    case models::ComponentKind::Gateway: return "#8a3b3b";
    case models::ComponentKind::CloudService: return "#2a7f9e";
    case models::ComponentKind::WebApp: return "#5c6b73";
    case models::ComponentKind::MobileApp: return "#4d7c0f";
    case models::ComponentKind::DataStore: return "#7a5c2e";
    case models::ComponentKind::User: return "#9b3d6b";
    case models::ComponentKind::ExternalSystem: return "#555555";
  }
  return "#555555";
}

/// Zone tints by trust level: the internet pink, trusted zones green and blue.
const char* zoneTint(int trust) {
  static const char* const tints[] = {"#fce4de", "#fcf0d6", "#ecf4e2", "#e0eef6", "#e6e6f6"};
  return tints[std::clamp(trust, 0, 4)];
}

/// Lines of a name for a label, escaped, joined by <BR/>.
std::string labelLines(const std::string& text, std::size_t width, std::size_t lines) {
  std::string out;
  for (const std::string& line : detail::wrapped(text, width, lines)) {
    if (!out.empty()) out += "<BR/>";
    out += escapeMarkup(line);
  }
  return out.empty() ? std::string(" ") : out;
}

std::string quoted(const std::string& s) { return "\"" + escapeDot(s) + "\""; }

template <class T>
std::string nameOr(const T& element, const std::string& fallback) {
  return element.empty() ? fallback : element;
}

/// Each attack tree's name by id, for the boxes that refer to a tree.
std::map<std::string, std::string> attackTreeNames(const models::Project& p) {
  std::map<std::string, std::string> names;
  for (const auto& t : p.attackTrees) names[t.id] = nameOr(t.name, t.id);
  return names;
}

/// DOT for one drawing, node names n0, n1, ... in the order added.
class DotWriter {
 public:
  explicit DotWriter(std::string graphName) {
    m_out << "digraph " << quoted(graphName) << " {\n";
  }

  void graphAttributes(const std::string& attrs) { m_out << "  graph [" << attrs << "];\n"; }
  void line(const std::string& text, int depth = 1) { m_out << std::string(2 * depth, ' ') << text << "\n"; }

  /// The DOT name of an element, made on first use.
  const std::string& node(const std::string& key) {
    auto [it, made] = m_names.emplace(key, std::string());
    if (made) it->second = "n" + std::to_string(m_names.size() - 1);
    return it->second;
  }
  bool has(const std::string& key) const { return m_names.count(key) > 0; }

  std::string finish() {
    m_out << "}\n";
    return m_out.str();
  }

 private:
  std::ostringstream m_out;
  std::map<std::string, std::string> m_names;
};

void commonAttributes(DotWriter& w) {
  w.line(std::string("node [shape=plain, fontname=\"") + kFont + "\", fontsize=10];");
  w.line(std::string("edge [fontname=\"") + kFont + "\", fontsize=8, color=\"#555555\", arrowsize=0.7];");
}

// ---- the system diagram --------------------------------------------------------------------

std::string componentLabel(const models::Component& c, bool hot) {
  std::ostringstream l;
  l << "<<TABLE BORDER=\"" << (hot ? 3 : 1) << "\" COLOR=\"" << (hot ? kHighlightBorder : "#5a5a5a")
    << "\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"3\" STYLE=\"ROUNDED\" BGCOLOR=\""
    << (hot ? kHighlightFill : "white") << "\"><TR><TD BGCOLOR=\"" << kindColour(c.kind)
    << "\" WIDTH=\"8\" STYLE=\"ROUNDED\"> </TD><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><B>" << labelLines(nameOr(c.name, c.id), 22, 2)
    << "</B><BR/><FONT POINT-SIZE=\"8\" COLOR=\"#666666\">" << escapeMarkup(detail::spaced(models::nameOf(c.kind)))
    << "</FONT></TD></TR></TABLE>>";
  return l.str();
}

std::string zoneLabel(const models::TrustZone& z) {
  std::string l = "<<B>" + escapeMarkup(detail::clipped(nameOr(z.name, z.id), 60)) + "</B>  ·  trust " + std::to_string(z.trust);
  if (z.firewall) l += "  ·  firewall";
  if (z.filtering) l += "  ·  filtering";
  return l + ">";
}

std::string systemDot(const models::Project& p, const std::set<std::string>& hot) {
  DotWriter w("system");
  w.graphAttributes(std::string("rankdir=LR, fontname=\"") + kFont +
                    "\", fontsize=10, nodesep=0.25, ranksep=0.55, pad=0.15, bgcolor=\"white\", labeljust=l, "
                    "newrank=true");
  commonAttributes(w);
  std::map<std::string, std::vector<const models::TrustZone*>> children;
  std::set<std::string> zoneIds;
  for (const auto& z : p.system.zones) zoneIds.insert(z.id);
  for (const auto& z : p.system.zones) children[zoneIds.count(z.parent) ? z.parent : std::string()].push_back(&z);
  std::set<std::string> inZone;
  const std::map<std::string, const models::Component*> components = [&] {
    std::map<std::string, const models::Component*> m;
    for (const auto& c : p.system.components) m.emplace(c.id, &c);
    return m;
  }();
  auto emitComponent = [&](const models::Component& c, int depth) {
    w.line(w.node("c:" + c.id) + " [label=" + componentLabel(c, hot.count(c.id) > 0) + ", tooltip=" + quoted(c.id) + "];",
           depth);
  };
  int clusters = 0;
  std::set<std::string> drawnZones;
  std::function<void(const models::TrustZone&, int)> emitZone = [&](const models::TrustZone& z, int depth) {
    if (!drawnZones.insert(z.id).second) return;  // a zone cycle (validation refuses it) is drawn once
    w.line("subgraph cluster_" + std::to_string(clusters++) + " {", depth);
    w.line("label=" + zoneLabel(z) + ";", depth + 1);
    w.line(std::string("style=\"rounded,filled") + (z.firewall ? "" : ",dashed") + "\"; fillcolor=\"" + zoneTint(z.trust) +
               "\"; color=\"" + (z.firewall ? "#555555" : "#888888") + "\"; penwidth=" + (z.firewall ? "1.6" : "1") + ";",
           depth + 1);
    for (const auto& m : z.members) {
      const auto it = components.find(m);
      if (it == components.end() || !inZone.insert(m).second) continue;
      emitComponent(*it->second, depth + 1);
    }
    for (const models::TrustZone* c : children[z.id]) emitZone(*c, depth + 1);
    w.line("}", depth);
  };
  for (const models::TrustZone* z : children[""]) emitZone(*z, 1);
  for (const auto& c : p.system.components) {
    if (!inZone.count(c.id)) emitComponent(c, 1);
  }
  for (const auto& f : p.system.flows) {
    if (!components.count(f.source) || !components.count(f.target)) continue;
    std::string attrs = "label=<" + labelLines(nameOr(f.name, f.id), 28, 2) + ">";
    if (!f.encrypted) attrs += ", style=dashed, color=\"#c0392b\", fontcolor=\"#a03020\"";
    if (hot.count(f.id)) attrs += std::string(", penwidth=3, color=\"") + kHighlightBorder + "\"";
    w.line(w.node("c:" + f.source) + " -> " + w.node("c:" + f.target) + " [" + attrs + ", tooltip=" + quoted(f.id) + "];");
  }
  return w.finish();
}

// ---- trees -----------------------------------------------------------------------------------

struct TreeBox {
  std::string key;      ///< node id in the tree, or "m:<mitigation>:<node>"
  std::string title;
  std::string band;     ///< gate kind or countermeasure action; empty for a leaf
  std::string bandColour;
  std::string detail;   ///< figures of a leaf
  bool detailMissing = false;
  bool dashed = false;
  bool inPlace = true;  ///< of a countermeasure
};

std::string treeLabel(const TreeBox& b, bool hot) {
  std::ostringstream l;
  const bool countermeasure = b.key.rfind("m:", 0) == 0;
  const char* border = hot ? kHighlightBorder : countermeasure ? kDefence : "#5a5a5a";
  const char* fill = hot ? kHighlightFill : countermeasure ? (b.inPlace ? "#e2f2e2" : "#f5faf5") : "white";
  l << "<<TABLE BORDER=\"" << (hot ? 3 : 1) << "\" COLOR=\"" << border
    << "\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"3\" STYLE=\"ROUNDED\" BGCOLOR=\"" << fill << "\">";
  if (!b.band.empty()) {
    l << "<TR><TD WIDTH=\"150\" BGCOLOR=\"" << b.bandColour << "\" STYLE=\"ROUNDED\"><FONT POINT-SIZE=\"8\" COLOR=\"white\"><B>" << escapeMarkup(b.band)
      << "</B></FONT></TD></TR>";
  }
  l << "<TR><TD WIDTH=\"150\">" << (b.band.empty() || countermeasure ? "" : "<B>") << labelLines(b.title, 26, 3)
    << (b.band.empty() || countermeasure ? "" : "</B>") << "</TD></TR>";
  if (!b.detail.empty()) {
    l << "<TR><TD WIDTH=\"150\"><FONT POINT-SIZE=\"8\" COLOR=\"" << (b.detailMissing ? "#c0392b" : "#5a5a5a") << "\">"
      << escapeMarkup(detail::clipped(b.detail, 60)) << "</FONT></TD></TR>";
  }
  l << "</TABLE>>";
  return l.str();
}

/// Draws the nodes reachable from the root (then any left over, so that nothing modelled is
/// hidden), the edges to their children, and each mitigation effect on them.
std::string treeDot(const models::Project& p, const std::string& treeId, const std::string& root,
                    const std::map<std::string, TreeBox>& boxes, const std::map<std::string, std::vector<std::string>>& children,
                    const std::vector<std::string>& order, const std::set<std::string>& hot) {
  DotWriter w(treeId);
  w.graphAttributes(std::string("rankdir=TB, fontname=\"") + kFont + "\", nodesep=0.2, ranksep=0.35, pad=0.15, bgcolor=\"white\"");
  commonAttributes(w);
  std::set<std::string> drawn;
  std::vector<std::pair<std::string, std::string>> edges;
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    const auto box = boxes.find(id);
    if (box == boxes.end() || !drawn.insert(id).second) return;
    std::string attrs = "label=" + treeLabel(box->second, hot.count(id) > 0);
    if (box->second.dashed) attrs += ", style=dashed";
    w.line(w.node(id) + " [" + attrs + ", tooltip=" + quoted(id) + "];");
    const auto c = children.find(id);
    if (c == children.end()) return;
    for (const auto& child : c->second) {
      if (!boxes.count(child)) continue;
      visit(child);
      edges.emplace_back(id, child);
    }
  };
  visit(root);
  for (const auto& id : order) visit(id);
  for (const auto& [from, to] : edges) w.line(w.node(from) + " -> " + w.node(to) + " [arrowhead=none];");
  // Countermeasures, each beside the node it defends.
  for (const auto& m : p.mitigations) {
    for (const auto& e : m.effects) {
      if (e.tree != treeId || !drawn.count(e.element)) continue;
      const std::string key = "m:" + m.id + ":" + e.element;
      if (w.has(key)) continue;
      TreeBox b;
      b.key = key;
      b.title = nameOr(m.title, m.id);
      const std::string action = e.kind == models::EffectKind::Blocks    ? "blocks"
                                 : e.kind == models::EffectKind::Removes ? "removes"
                                                                         : "lowers \u00f7" + number(e.factor);
      b.band = action + " \u00b7 " + std::string(models::nameOf(m.status));
      b.bandColour = kDefence;
      b.inPlace = models::inPlace(m);
      w.line(w.node(key) + " [label=" + treeLabel(b, false) + (b.inPlace ? "" : ", style=dashed") +
             ", tooltip=" + quoted(m.id) + "];");
      w.line(w.node(e.element) + " -> " + w.node(key) + " [style=" + (b.inPlace ? "solid" : "dashed") +
             ", color=\"" + kDefence + "\", arrowhead=tee, dir=back, arrowtail=tee];");
      w.line("{rank=same; " + w.node(e.element) + "; " + w.node(key) + ";}");
    }
  }
  return w.finish();
}

std::string attackTreeDot(const models::Project& p, const models::AttackTree& t, const std::set<std::string>& hot) {
  std::map<std::string, TreeBox> boxes;
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> order;
  const std::map<std::string, std::string> treeNames = attackTreeNames(p);
  for (const auto& n : t.nodes) {
    TreeBox b;
    b.key = n.id;
    b.title = nameOr(n.name, n.id);
    b.bandColour = "#c0504d";
    switch (n.kind) {
      case models::AttackNodeKind::And: b.band = "AND"; break;
      case models::AttackNodeKind::Or: b.band = "OR"; break;
      case models::AttackNodeKind::Sand: b.band = "SAND (in order)"; break;
      case models::AttackNodeKind::AtLeast:
        b.band = std::to_string(n.k) + " of " + std::to_string(n.children.size());
        break;
      case models::AttackNodeKind::TreeRef: {
        const auto it = treeNames.find(n.tree);
        b.detail = "\u21aa attack tree " + (it == treeNames.end() ? n.tree : it->second);
        b.dashed = true;
        break;
      }
      case models::AttackNodeKind::Leaf: {
        std::vector<std::string> parts;
        if (n.cost) parts.push_back("cost " + number(*n.cost));
        if (n.time) parts.push_back(number(*n.time) + " h");
        if (n.skill) parts.push_back("skill " + number(*n.skill));
        if (n.probability) parts.push_back("p " + number(*n.probability));
        for (const auto& part : parts) b.detail += (b.detail.empty() ? "" : " \u00b7 ") + part;
        if (parts.empty()) {
          b.detail = "figures missing";
          b.detailMissing = true;
        }
        break;
      }
    }
    boxes.emplace(n.id, b);
    children[n.id] = n.children;
    order.push_back(n.id);
  }
  return treeDot(p, t.id, t.root, boxes, children, order, hot);
}

std::string faultTreeDot(const models::Project& p, const models::ProjectFaultTree& t, const std::set<std::string>& hot) {
  std::map<std::string, TreeBox> boxes;
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> order;
  const std::map<std::string, std::string> treeNames = attackTreeNames(p);
  for (const auto& g : t.gates) {
    TreeBox b;
    b.key = g.id;
    b.title = nameOr(g.name, g.id);
    b.bandColour = "#406ea0";
    std::string kind(models::nameOf(g.kind));
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    b.band = g.kind == models::FaultGateKind::AtLeast
                 ? std::to_string(g.k) + " of " + std::to_string(g.inputs.size())
                 : kind;
    boxes.emplace(g.id, b);
    children[g.id] = g.inputs;
    order.push_back(g.id);
  }
  for (const auto& e : t.events) {
    TreeBox b;
    b.key = e.id;
    b.title = nameOr(e.name, e.id);
    if (e.probability) {
      b.detail = "p = " + number(*e.probability);
    } else if (e.rate) {
      b.detail = "\u03bb = " + number(*e.rate) + " /h";
    } else if (!e.attackTree.empty()) {
      const auto it = treeNames.find(e.attackTree);
      b.detail = "\u21aa attack tree " + (it == treeNames.end() ? e.attackTree : it->second);
    } else {
      b.detail = "probability missing";
      b.detailMissing = true;
    }
    boxes.emplace(e.id, b);
    order.push_back(e.id);
  }
  for (const auto& h : t.houseEvents) {
    TreeBox b;
    b.key = h.id;
    b.title = nameOr(h.name, h.id);
    b.detail = std::string("house event: ") + (h.state ? "true" : "false");
    b.dashed = true;
    boxes.emplace(h.id, b);
    order.push_back(h.id);
  }
  return treeDot(p, t.id, t.top, boxes, children, order, hot);
}

}  // namespace

std::vector<std::string> diagramIds(const models::Project& p) {
  std::vector<std::string> out{"system"};
  for (const auto& t : p.attackTrees) out.push_back(t.id);
  for (const auto& t : p.faultTrees) out.push_back(t.id);
  return out;
}

core::Result<std::string> toDot(const models::Project& p, const std::string& diagram, const std::vector<std::string>& highlighted) {
  const std::set<std::string> hot(highlighted.begin(), highlighted.end());
  if (diagram == "system") return systemDot(p, hot);
  for (const auto& t : p.attackTrees) {
    if (t.id == diagram) return attackTreeDot(p, t, hot);
  }
  for (const auto& t : p.faultTrees) {
    if (t.id == diagram) return faultTreeDot(p, t, hot);
  }
  std::string known;
  for (const auto& id : diagramIds(p)) known += (known.empty() ? "" : ", ") + id;
  return core::fail(core::error(core::ErrorCode::Malformed, diagram,
                                "no such drawing: \"" + diagram + "\" (the project has " + known + ")"));
}

namespace {

/// What Graphviz said last, for an error message.
std::string g_lastGraphvizError;
int collectGraphvizError(char* message) {
  g_lastGraphvizError += message;
  return 0;
}

/// Graphviz draws sibling clusters in the order of their subgraphs' ids, which cgraph takes
/// from the addresses of their interned names: the same DOT can come out with the clusters'
/// groups in another order (the drawing is the same, the bytes are not). The groups stand one
/// after another, each numbered by Graphviz as its cluster was numbered in our DOT (parents
/// before children), so sorting them by that number gives one order, and a valid one.
std::string sortedClusters(const std::string& svg, const std::string& prefix) {
  const std::string open = "<g id=\"" + prefix + "-clust";
  struct Block {
    long number;
    std::string text;
  };
  std::vector<Block> blocks;
  const std::size_t first = svg.find(open);
  if (first == std::string::npos) return svg;
  std::size_t at = first;
  while (svg.compare(at, open.size(), open) == 0) {
    const std::size_t end = svg.find("</g>\n", at);
    const std::size_t nested = svg.find("<g", at + 2);
    if (end == std::string::npos || (nested != std::string::npos && nested < end)) return svg;  // not the shape we know
    blocks.push_back({std::strtol(svg.c_str() + at + open.size(), nullptr, 10), svg.substr(at, end + 5 - at)});
    at = end + 5;
  }
  std::stable_sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.number < b.number; });
  std::string out = svg.substr(0, first);
  for (const auto& b : blocks) out += b.text;
  return out + svg.substr(at);
}

/// Graphviz's SVG made fit to stand inline: no prolog, DOCTYPE or comments, ids prefixed.
std::string inlineSvg(const std::string& svg, const std::string& prefix) {
  std::string out;
  out.reserve(svg.size());
  std::size_t i = svg.find("<svg");
  if (i == std::string::npos) return svg;
  while (i < svg.size()) {
    if (svg.compare(i, 4, "<!--") == 0) {
      const std::size_t end = svg.find("-->", i + 4);
      i = end == std::string::npos ? svg.size() : end + 3;
      if (i < svg.size() && svg[i] == '\n') ++i;
      continue;
    }
    if (svg.compare(i, 4, "id=\"") == 0) {
      out += "id=\"" + prefix + "-";
      i += 4;
      continue;
    }
    if (svg.compare(i, 7, "href=\"#") == 0) {
      out += "href=\"#" + prefix + "-";
      i += 7;
      continue;
    }
    out += svg[i++];
  }
  return sortedClusters(out, prefix);
}

}  // namespace

std::string svgFile(const std::string& inlineSvg) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n" + inlineSvg;
}

core::Result<std::string> renderSvg(const std::string& dot, const std::string& idPrefix) {
  const std::lock_guard<std::mutex> lock(detail::graphvizMutex());
  GVC_t* gvc = detail::graphvizContext();
  g_lastGraphvizError.clear();
  agseterrf(collectGraphvizError);
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) {
    return core::fail(core::error(core::ErrorCode::Malformed, "dot",
                                  "Graphviz could not read the drawing: " + g_lastGraphvizError));
  }
  if (gvLayout(gvc, g, "dot") != 0) {
    agclose(g);
    return core::fail(core::error(core::ErrorCode::Unsupported, "dot", "Graphviz could not lay out the drawing"));
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int rendered = gvRenderData(gvc, g, "svg", &data, &length);
  std::string svg = rendered == 0 && data ? std::string(data, length) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc, g);
  agclose(g);
  if (svg.empty()) {
    return core::fail(core::error(core::ErrorCode::Unsupported, "svg", "Graphviz has no SVG renderer (is the graphviz package installed?)"));
  }
  return inlineSvg(svg, idPrefix);
}

}  // namespace thornwood::exporters
