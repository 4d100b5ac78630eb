#pragma once

// The one document the GUI edits (STYLE.md section 5): it owns the project and an undo stack,
// every edit is a command pushed there, and views update from its signals. Widgets never
// change the project themselves.

#include <QObject>
#include <QString>
#include <QUndoStack>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"

namespace thornwood::gui {

class ProjectDocument : public QObject {
  Q_OBJECT

 public:
  explicit ProjectDocument(QObject* parent = nullptr);

  const models::Project& project() const { return m_project; }
  QUndoStack& undoStack() { return m_undo; }
  const QString& path() const { return m_path; }
  /// Unsaved changes: the undo stack is away from the state last saved or opened.
  bool isModified() const { return !m_undo.isClean(); }
  /// Problems of the current project (validation), for the problems panel.
  const std::vector<core::Diagnostic>& problems() const { return m_problems; }

  /// Opens a project file. On any error the current document is kept as it was, and the
  /// problems of the file are returned; on success they are empty or warnings only.
  std::vector<core::Diagnostic> open(const QString& path);
  /// Saves atomically to `path` (or the current path); returns the problem on failure.
  std::vector<core::Diagnostic> save(const QString& path = {});

  /// For commands only: apply a change to the project and say what changed.
  models::Project& mutableProject() { return m_project; }
  void notifyElementChanged(const QString& id);
  void notifyLayoutChanged(const QString& id);

 signals:
  void projectReplaced();
  void elementChanged(const QString& id);
  void layoutChanged(const QString& id);
  void problemsChanged();
  void pathChanged(const QString& path);

 private:
  void revalidate();

  models::Project m_project;
  QUndoStack m_undo;
  QString m_path;
  std::vector<core::Diagnostic> m_problems;
};

}  // namespace thornwood::gui
