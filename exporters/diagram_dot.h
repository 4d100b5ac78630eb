#pragma once

// The project's drawings as Graphviz DOT, and DOT rendered to SVG by Graphviz (libgvc):
// the system diagram (components in their nested trust zones, data flows as labelled arrows,
// unencrypted ones dashed red) and each attack or fault tree (gates with their kind, leaves
// with their figures, each countermeasure beside the node it defends, dashed until it is in
// place). The reports inline the SVG; `thornwood-cli export --format dot|svg` writes either.
// Every user string is escaped and clipped; the same project gives the same bytes.

#include <string>
#include <vector>

#include "core/result.h"
#include "models/project.h"

namespace thornwood::exporters {

/// The drawings a project has, as `toDot` names them: "system", then each attack tree's id,
/// then each fault tree's id, in the project's order.
std::vector<std::string> diagramIds(const models::Project& project);

/// One drawing as DOT: `diagram` is "system" or a tree id; `highlighted` names components
/// (system) or tree nodes to draw marked (a scenario, a cut set). An unknown id is an error.
core::Result<std::string> toDot(const models::Project& project, const std::string& diagram,
                                const std::vector<std::string>& highlighted = {});

/// Graphviz's SVG of a DOT text (layout by `dot`), with the XML prolog, DOCTYPE and comments
/// taken out so that it can stand inline in HTML, and every id prefixed with `idPrefix` so
/// that several drawings can share a page. Fails with Graphviz's message on bad DOT.
core::Result<std::string> renderSvg(const std::string& dot, const std::string& idPrefix = "d");

/// A drawing from renderSvg as a file of its own: the XML declaration, then the SVG.
std::string svgFile(const std::string& inlineSvg);

}  // namespace thornwood::exporters
