#pragma once

// One command class per kind of edit (STYLE.md section 5). A command stores ids and the old
// and new values, never pointers into the project, so it stays valid whatever else changes.

#include <QPointF>
#include <QString>
#include <QUndoCommand>
#include <functional>
#include <optional>

#include "app/gui/fields.h"
#include "app/gui/project_document.h"
#include "models/project.h"

namespace thornwood::gui {

/// Which list an element lives in, for commands that work on several.
enum class ElementList { Component, Flow, Zone, Threat, Mitigation };

/// Renames an element (a threat's or mitigation's title). Typing into the same element merges
/// into one undo step.
class RenameCommand : public QUndoCommand {
 public:
  RenameCommand(ProjectDocument& document, ElementList list, QString id, QString name);
  void undo() override;
  void redo() override;
  int id() const override { return 1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  void apply(const QString& name);
  ProjectDocument& m_document;
  ElementList m_list;
  QString m_id;
  QString m_old;
  QString m_new;
};

/// Sets a threat's status and justification; a person's decision, so it clears auto_status.
class SetThreatStatusCommand : public QUndoCommand {
 public:
  SetThreatStatusCommand(ProjectDocument& document, QString id, models::ThreatStatus status, QString justification);
  void undo() override;
  void redo() override;

 private:
  struct State {
    models::ThreatStatus status;
    std::string justification;
    bool autoStatus;
  };
  void apply(const State& s);
  ProjectDocument& m_document;
  QString m_id;
  State m_old{};
  State m_new{};
};

/// Sets a mitigation's status (proposed, planned, implemented, verified).
class SetMitigationStatusCommand : public QUndoCommand {
 public:
  SetMitigationStatusCommand(ProjectDocument& document, QString id, models::MitigationStatus status);
  void undo() override;
  void redo() override;

 private:
  void apply(models::MitigationStatus s);
  ProjectDocument& m_document;
  QString m_id;
  models::MitigationStatus m_old{};
  models::MitigationStatus m_new{};
};

/// Replaces the project's compliance section: the baselines it selects, their editions and
/// the requirements marked not applicable with their reasons. One command per decision
/// ("Select ETSI EN 303 645", "Mark 5.13-1 not applicable").
class SetComplianceCommand : public QUndoCommand {
 public:
  SetComplianceCommand(ProjectDocument& document, models::Compliance compliance, const QString& text);
  void undo() override;
  void redo() override;

 private:
  void apply(const models::Compliance& c);
  ProjectDocument& m_document;
  models::Compliance m_old;
  models::Compliance m_new;
};

/// Moves a box on the diagram (layout only). A drag's many small moves merge into one step.
class MoveCommand : public QUndoCommand {
 public:
  MoveCommand(ProjectDocument& document, QString element, QPointF to);
  void undo() override;
  void redo() override;
  int id() const override { return 2; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  void apply(const std::optional<QPointF>& at);
  ProjectDocument& m_document;
  QString m_element;
  std::optional<QPointF> m_old;  ///< empty: the element had no placement yet
  QPointF m_new;
};

/// Sets one field of one element (fields.h): what the property editor and the tables push.
/// It keeps the whole element before and after, so undo restores side effects too. Typing
/// into the same field of the same element merges into one undo step.
class SetFieldCommand : public QUndoCommand {
 public:
  /// Check valid() before pushing: false when the element or field does not exist or the
  /// value does not fit, and then the command does nothing.
  SetFieldCommand(ProjectDocument& document, ElementKind kind, QString id, QString key, const QVariant& value);
  bool valid() const { return m_before.has_value() && m_after.has_value(); }
  void undo() override;
  void redo() override;
  int id() const override { return 3; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  ProjectDocument& m_document;
  ElementKind m_kind;
  QString m_id;
  QString m_key;
  std::optional<ElementValue> m_before;
  std::optional<ElementValue> m_after;
};

/// Deletes threats, hazards and mitigations, and every reference to a deleted mitigation
/// (from threats and hazards), so the project stays valid. Other kinds are refused: they are
/// deleted in their editors, where their links are shown. Undo puts everything back in place.
class DeleteElementsCommand : public QUndoCommand {
 public:
  DeleteElementsCommand(ProjectDocument& document, const QStringList& ids);
  /// Ids that were deleted; empty when none of the ids could be.
  const QStringList& deleted() const { return m_deleted; }
  void undo() override;
  void redo() override;

 private:
  ProjectDocument& m_document;
  QStringList m_deleted;
  // The lists it touches, before and after.
  std::vector<models::Threat> m_threatsBefore, m_threatsAfter;
  std::vector<models::Hazard> m_hazardsBefore, m_hazardsAfter;
  std::vector<models::Mitigation> m_mitigationsBefore, m_mitigationsAfter;
};

/// What a view's setData does for a field: converts the value the view gives (a check state
/// for Bool, text or a number for numbers), and pushes a SetFieldCommand when it changes
/// something. True when the field holds the value afterwards; false when it was refused.
bool editField(ProjectDocument& document, ElementKind kind, const QString& id, const FieldSpec& field, const QVariant& value,
               int role);

/// Pushes `command` when it is valid (it would change something), deletes it otherwise, and
/// says which.
template <class Command>
bool pushIfValid(ProjectDocument& document, Command* command) {
  if (!command->valid()) {
    delete command;
    return false;
  }
  document.undoStack().push(command);
  return true;
}

/// The system diagram's model and drawing: what a structural edit of the diagram changes.
struct SystemState {
  models::System system;
  std::vector<models::Placement> layout;
  bool operator==(const SystemState&) const = default;
};

/// One edit of the system diagram (place, connect, delete, move several boxes and the zone
/// membership that follows, resize a zone, align, auto-layout): `change` works on a copy of
/// the system and layout, and the command keeps both states. When only the layout changed,
/// the document hears a layout change, which is not a model change (no re-analysis).
class EditSystemCommand : public QUndoCommand {
 public:
  using Change = std::function<bool(SystemState&)>;
  EditSystemCommand(ProjectDocument& document, const QString& text, const Change& change);
  /// False when `change` refused or changed nothing: then do not push it.
  bool valid() const { return m_valid; }
  bool layoutOnly() const { return m_before.system == m_after.system; }
  void undo() override;
  void redo() override;

 private:
  void apply(const SystemState& state);
  ProjectDocument& m_document;
  SystemState m_before;
  SystemState m_after;
  bool m_valid = false;
};

/// Places `element` at (x, y) (and size, for zones) in `layout`, keeping it sorted by id.
void place(std::vector<models::Placement>& layout, const std::string& element, double x, double y, double width = 0,
           double height = 0);

/// Removes components, flows and zones from `state` with what depends on them: the flows of a
/// removed component, its zone memberships and placements, the nesting of a removed zone's
/// children (they move up to its parent). Refused, with the reason, when a threat targets
/// one of them: the threat must be retargeted or deleted first, so no analysis is lost.
std::optional<QString> deleteFromSystem(SystemState& state, const models::Project& project, const QStringList& ids);

/// Replaces the project's threats with those the threat rules would leave (added, kept,
/// auto-mitigated, reopened, obsolete): one undo step for one re-run of the rules.
class UpdateThreatsCommand : public QUndoCommand {
 public:
  UpdateThreatsCommand(ProjectDocument& document, std::vector<models::Threat> threats, const QString& summary);
  void undo() override;
  void redo() override;

 private:
  ProjectDocument& m_document;
  std::vector<models::Threat> m_old;
  std::vector<models::Threat> m_new;
};

}  // namespace thornwood::gui
