#pragma once

// One command class per kind of edit (STYLE.md section 5). A command stores ids and the old
// and new values, never pointers into the project, so it stays valid whatever else changes.

#include <QPointF>
#include <QString>
#include <QUndoCommand>
#include <optional>

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

}  // namespace thornwood::gui
