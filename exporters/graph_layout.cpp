#include "exporters/graph_layout.h"

#include "exporters/detail/graphviz.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <functional>
#include <set>

namespace thornwood::exporters {

namespace {

using detail::cs;

std::string inches(double points) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", points / 72.0);
  return buf;
}

struct GraphvizSession {
  GVC_t* gvc = nullptr;
  Agraph_t* graph = nullptr;
  bool laidOut = false;
  ~GraphvizSession() {
    if (laidOut) gvFreeLayout(gvc, graph);
    if (graph) agclose(graph);
  }
};

}  // namespace

core::Result<LayoutResult> layOut(const LayoutRequest& request) {
  using core::ErrorCode;
  // Check the request before Graphviz sees it: it would invent nodes for unknown ends.
  std::map<std::string, const LayoutRequest::Cluster*> clusters;
  for (const auto& c : request.clusters) clusters.emplace(c.id, &c);
  std::set<std::string> nodeIds;
  for (const auto& n : request.nodes) {
    if (!nodeIds.insert(n.id).second) return core::fail(core::error(ErrorCode::Malformed, n.id, "node laid out twice"));
    if (!n.cluster.empty() && !clusters.count(n.cluster)) {
      return core::fail(core::error(ErrorCode::Malformed, n.id, "in unknown cluster \"" + n.cluster + "\""));
    }
  }
  for (const auto& e : request.edges) {
    if (!nodeIds.count(e.from) || !nodeIds.count(e.to)) {
      return core::fail(core::error(ErrorCode::Malformed, e.from + " -> " + e.to, "edge to a node not laid out"));
    }
  }
  for (const auto& c : request.clusters) {
    std::set<std::string> seen{c.id};
    for (std::string p = c.parent; !p.empty();) {
      const auto it = clusters.find(p);
      if (it == clusters.end()) return core::fail(core::error(ErrorCode::Malformed, c.id, "unknown parent cluster \"" + p + "\""));
      if (!seen.insert(p).second) return core::fail(core::error(ErrorCode::Malformed, c.id, "clusters nest in a cycle"));
      p = it->second->parent;
    }
  }

  const std::lock_guard<std::mutex> lock(detail::graphvizMutex());
  GraphvizSession s;
  s.gvc = detail::graphvizContext();
  s.graph = agopen(cs("layout"), Agdirected, nullptr);
  Agraph_t* g = s.graph;
  agsafeset(g, cs("rankdir"), cs(request.leftToRight ? "LR" : "TB"), cs("TB"));
  const std::string nodesep = inches(request.nodeSeparation), ranksep = inches(request.rankSeparation);
  agsafeset(g, cs("nodesep"), cs(nodesep), cs("0.25"));
  agsafeset(g, cs("ranksep"), cs(ranksep), cs("0.5"));
  agsafeset(g, cs("ordering"), cs("out"), cs(""));  // children in the order given
  agsafeset(g, cs("overlap"), cs("false"), cs("true"));
  agsafeset(g, cs("sep"), cs("+10"), cs("+4"));

  // Clusters, parents before children (any order of the request).
  std::map<std::string, Agraph_t*> sub;
  std::function<Agraph_t*(const std::string&)> subgraphOf = [&](const std::string& id) -> Agraph_t* {
    if (id.empty()) return g;
    if (auto it = sub.find(id); it != sub.end()) return it->second;
    const LayoutRequest::Cluster& c = *clusters.at(id);
    Agraph_t* parent = subgraphOf(c.parent);
    const std::string name = "cluster_" + std::to_string(sub.size());
    Agraph_t* made = agsubg(parent, cs(name), 1);
    agsafeset(made, cs("label"), cs(c.label.empty() ? std::string(" ") : c.label), cs(""));
    agsafeset(made, cs("margin"), cs("14"), cs("8"));
    sub.emplace(id, made);
    return made;
  };
  for (const auto& c : request.clusters) subgraphOf(c.id);

  std::map<std::string, Agnode_t*> nodes;
  for (std::size_t i = 0; i < request.nodes.size(); ++i) {
    const auto& n = request.nodes[i];
    const std::string name = "n" + std::to_string(i);
    Agnode_t* made = agnode(g, cs(name), 1);
    agsafeset(made, cs("shape"), cs("box"), cs("ellipse"));
    agsafeset(made, cs("fixedsize"), cs("true"), cs("false"));
    agsafeset(made, cs("label"), cs(""), cs("\\N"));
    const std::string w = inches(n.width), h = inches(n.height);
    agsafeset(made, cs("width"), cs(w), cs("0.75"));
    agsafeset(made, cs("height"), cs(h), cs("0.5"));
    if (!n.cluster.empty()) agsubnode(subgraphOf(n.cluster), made, 1);
    nodes.emplace(n.id, made);
  }
  for (const auto& e : request.edges) agedge(g, nodes.at(e.from), nodes.at(e.to), nullptr, 1);
  for (std::size_t i = 0; i < request.sameRank.size(); ++i) {
    const std::string name = "rank_" + std::to_string(i);
    Agraph_t* rank = agsubg(g, cs(name), 1);
    agsafeset(rank, cs("rank"), cs("same"), cs(""));
    for (const std::string& id : request.sameRank[i]) {
      const auto it = nodes.find(id);
      if (it != nodes.end()) agsubnode(rank, it->second, 1);
    }
  }

  if (gvLayout(s.gvc, g, request.engine.c_str()) != 0) {
    return core::fail(core::error(ErrorCode::Unsupported, request.engine,
                                  "Graphviz could not lay out with \"" + request.engine + "\" (is the layout plugin installed?)"));
  }
  s.laidOut = true;
  const boxf bb = GD_bb(g);
  LayoutResult out;
  out.width = bb.UR.x - bb.LL.x;
  out.height = bb.UR.y - bb.LL.y;
  for (const auto& n : request.nodes) {
    const pointf c = ND_coord(nodes.at(n.id));
    out.nodes[n.id] = LayoutBox{c.x - bb.LL.x - n.width / 2, bb.UR.y - c.y - n.height / 2, n.width, n.height};
  }
  for (const auto& [id, graph] : sub) {
    const boxf b = GD_bb(graph);
    out.clusters[id] = LayoutBox{b.LL.x - bb.LL.x, bb.UR.y - b.UR.y, b.UR.x - b.LL.x, b.UR.y - b.LL.y};
  }
  return out;
}

core::Result<std::vector<models::Placement>> layOutSystem(const models::Project& p) {
  LayoutRequest request;
  // fdp: a force-directed layout that keeps clusters; it gives the square-ish drawings a
  // screen and a page want, where dot's layers run very wide or very tall for a hub with
  // many devices. Its start is fixed, so the same model gives the same drawing.
  request.engine = "fdp";
  request.nodeSeparation = 24;
  request.rankSeparation = 70;
  std::map<std::string, std::string> zoneOf;
  for (const auto& z : p.system.zones) {
    request.clusters.push_back({z.id, z.parent, z.name});
    for (const auto& m : z.members) zoneOf.emplace(m, z.id);
  }
  for (const auto& c : p.system.components) {
    const auto it = zoneOf.find(c.id);
    request.nodes.push_back({c.id, kComponentWidth, kComponentHeight, it == zoneOf.end() ? std::string() : it->second});
  }
  for (const auto& f : p.system.flows) request.edges.push_back({f.source, f.target});
  auto laid = layOut(request);
  if (!laid) return core::fail(laid.error());
  std::vector<models::Placement> out;
  for (const auto& [id, box] : laid->nodes) {
    out.push_back(models::Placement{id, std::round(box.x), std::round(box.y + kZoneTitleHeight), 0, 0});
  }
  // Graphviz leaves room for a cluster's label; ours sits in a title bar at the top: the zone
  // grows upward by the bar, and everything moves down by it so nothing is above y = 0.
  for (const auto& [id, box] : laid->clusters) {
    out.push_back(models::Placement{id, std::round(box.x), std::round(box.y), std::round(box.width),
                                    std::round(box.height + kZoneTitleHeight)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.element < b.element; });
  return out;
}

}  // namespace thornwood::exporters
