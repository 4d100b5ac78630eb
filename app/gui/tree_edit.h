#pragma once

// What the tree editor does to attack and fault trees, as plain functions over the trees and
// the mitigations (whose effects name tree nodes), so that every edit is checked before it
// happens and keeps the project valid: a gate never loses its last input, a NOT keeps one,
// INHIBIT and IFF keep two, the root is never deleted, and a countermeasure follows the node
// it defends. Each returns an error text when the edit is refused (and then changes nothing).

#include <QUndoCommand>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/project_document.h"
#include "models/project.h"

namespace thornwood::gui {

struct TreesState {
  std::vector<models::AttackTree> attackTrees;
  std::vector<models::ProjectFaultTree> faultTrees;
  std::vector<models::Mitigation> mitigations;
  bool operator==(const TreesState&) const = default;
};

/// The outcome of an edit: the node it made or selected, or why it was refused.
struct TreeEditOutcome {
  std::string node;   ///< the new (or changed) node, to select
  std::string error;  ///< non-empty: refused, nothing changed
  explicit operator bool() const { return error.empty(); }
};

/// Adds a new child under `node`: a new leaf (attack tree) or basic event (fault tree). A leaf
/// or basic event is refined instead: it becomes an OR gate over a copy of itself and the
/// new node, and the countermeasures on it move to the copy, so no number is lost.
TreeEditOutcome addChild(TreesState& s, const std::string& tree, const std::string& node);
/// Adds a new leaf (or basic event) beside `node`, under its first parent.
TreeEditOutcome addSibling(TreesState& s, const std::string& tree, const std::string& node);
/// Changes a gate's kind (the file format's spelling: "and", "or", "sand", "atleast", ...).
TreeEditOutcome setGateKind(TreesState& s, const std::string& tree, const std::string& node, const std::string& kind);
/// Deletes a node from every parent, with the nodes only it led to and the countermeasure
/// effects on them. Not the root, and not a gate's last (or required) input.
TreeEditOutcome deleteNode(TreesState& s, const std::string& tree, const std::string& node);
TreeEditOutcome renameNode(TreesState& s, const std::string& tree, const std::string& node, const std::string& name);

/// An attack leaf's figures (empty: not known).
struct LeafFigures {
  std::optional<double> cost, time, skill, probability;
};
TreeEditOutcome setLeafFigures(TreesState& s, const std::string& tree, const std::string& node, const LeafFigures& f);
/// A basic event's probability or failure rate (exactly one).
TreeEditOutcome setEventNumber(TreesState& s, const std::string& tree, const std::string& node,
                               std::optional<double> probability, std::optional<double> rate);

/// Sets k of an at-least gate (1 <= k <= its inputs).
TreeEditOutcome setGateK(TreesState& s, const std::string& tree, const std::string& node, int k);
/// Where a leaf's or basic event's numbers come from.
TreeEditOutcome setNodeSource(TreesState& s, const std::string& tree, const std::string& node, const std::string& source);
TreeEditOutcome setHouseState(TreesState& s, const std::string& tree, const std::string& node, bool state);

/// One edit of the trees: `edit` works on a copy of the trees and mitigations, and the
/// command keeps both states. Check valid() (and outcome()) before pushing.
class EditTreesCommand : public QUndoCommand {
 public:
  using Edit = std::function<TreeEditOutcome(TreesState&)>;
  EditTreesCommand(ProjectDocument& document, const QString& text, const Edit& edit);
  bool valid() const { return m_outcome && !(m_before == m_after); }
  const TreeEditOutcome& outcome() const { return m_outcome; }
  void undo() override;
  void redo() override;

 private:
  void apply(const TreesState& s);
  ProjectDocument& m_document;
  TreesState m_before;
  TreesState m_after;
  TreeEditOutcome m_outcome;
};

}  // namespace thornwood::gui
