#pragma once

// A semantic diff of two projects: elements added, removed and changed (by id, field by
// field), layout changes apart, and what changed in risk.

#include <string>
#include <vector>

#include "models/project.h"
#include "models/project_analysis.h"
#include "models/project_json.h"

namespace thornwood::models {

/// One field that differs. `field` is a path like "properties.secure_boot" or, inside keyed
/// lists, "nodes[capture].cost". A side where the field is absent is null.
struct FieldChange {
  std::string field;
  Json before;
  Json after;
};

enum class ChangeKind { Added, Removed, Changed };

std::string_view toString(ChangeKind kind);

struct ElementChange {
  std::string collection;  ///< "system.components", "threats", ..., or "settings" for a singleton
  std::string id;
  ChangeKind kind = ChangeKind::Changed;
  std::vector<FieldChange> fields;  ///< of a change; empty for added and removed
};

/// A measure of risk that differs: a tree's probability, a hazard's risk class.
struct RiskChange {
  std::string subject;  ///< "fault_tree", "attack_tree", "hazard"
  std::string id;
  std::string measure;  ///< e.g. "probability_after", "stated_class_after"
  Json before;          ///< null when the subject is new or the measure unknown
  Json after;
};

struct ProjectDiff {
  std::vector<ElementChange> model;   ///< in the format's order of collections, then the new file's order
  std::vector<ElementChange> layout;  ///< positions and sizes only
  std::vector<RiskChange> risk;
  bool empty() const { return model.empty() && layout.empty() && risk.empty(); }
};

/// Compares the canonical JSON of two projects. Reordering a list is not a change.
ProjectDiff diff(const Project& before, const Project& after);

/// Adds what changed in the analyses' figures (same trees and hazards by id).
void addRiskChanges(ProjectDiff& out, const Project& before, const ProjectAnalysis& beforeAnalysis,
                    const Project& after, const ProjectAnalysis& afterAnalysis);

}  // namespace thornwood::models
