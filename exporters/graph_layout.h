#pragma once

// Layout of diagrams and trees by Graphviz (libgvc), for the GUI's canvases and the
// reports' drawings: boxes of given sizes, directed edges, nested clusters (trust zones).
// Positions come back in points (1/72 inch) with y growing downwards, as screens and SVG
// have it. Graphviz keeps global state, so calls are serialised.

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "models/project.h"

namespace thornwood::exporters {

struct LayoutBox {
  double x = 0;  ///< left
  double y = 0;  ///< top
  double width = 0;
  double height = 0;
  double centreX() const { return x + width / 2; }
  double centreY() const { return y + height / 2; }
};

struct LayoutRequest {
  struct Node {
    std::string id;
    double width = 72;   ///< points
    double height = 36;  ///< points
    std::string cluster;  ///< innermost cluster id, or empty
  };
  struct Edge {
    std::string from;
    std::string to;
  };
  struct Cluster {
    std::string id;
    std::string parent;  ///< empty for a top-level cluster
    std::string label;   ///< room is left for it at the top
  };
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Cluster> clusters;
  /// dot: groups of nodes kept on one rank (a countermeasure beside the node it defends).
  std::vector<std::vector<std::string>> sameRank;
  std::string engine = "dot";  ///< "dot" (layered: trees, flows), "neato", "fdp"
  bool leftToRight = false;    ///< dot: ranks left to right instead of top to bottom
  double nodeSeparation = 18;  ///< points
  double rankSeparation = 36;  ///< points
};

struct LayoutResult {
  std::map<std::string, LayoutBox> nodes;     ///< by node id: the box, sizes as asked
  std::map<std::string, LayoutBox> clusters;  ///< by cluster id
  double width = 0;
  double height = 0;
};

/// Lays out the request; the result is the same for the same request. Fails with a clear
/// error on an edge to an unknown node, a cluster cycle or unknown parent, or when Graphviz
/// cannot run the engine.
core::Result<LayoutResult> layOut(const LayoutRequest& request);

/// The drawing sizes of the system diagram, shared by the GUI and the reports (points).
inline constexpr double kComponentWidth = 150;
inline constexpr double kComponentHeight = 56;
inline constexpr double kZoneTitleHeight = 24;

/// A fresh layout of a project's system diagram (Graphviz fdp): components in their zone,
/// zones around their members and nested zones, connected boxes near each other. Placements
/// sorted by id.
core::Result<std::vector<models::Placement>> layOutSystem(const models::Project& project);

}  // namespace thornwood::exporters
