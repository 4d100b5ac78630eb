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
  bool isModified() const { return !m_undo.isClean() || m_recovered; }
  /// Problems of the current project (validation), for the problems panel.
  const std::vector<core::Diagnostic>& problems() const { return m_problems; }

  /// The analysis of the project as the text report (trees before and after mitigation,
  /// hazards, threats' risk, coverage).
  QString reportText() const;

  /// Opens a project file. On any error the current document is kept as it was, and the
  /// problems of the file are returned; on success they are empty or warnings only.
  std::vector<core::Diagnostic> open(const QString& path);
  /// Opens a recovery copy as unsaved changes to `originalPath` (empty: a new project): the
  /// document is modified until saved, and saving goes to the original file only when asked.
  std::vector<core::Diagnostic> openRecovered(const QString& copy, const QString& originalPath);
  /// Replaces the document with a new, empty project.
  void newProject();
  /// Saves atomically to `path` (or the current path); returns the problem on failure.
  std::vector<core::Diagnostic> save(const QString& path = {});

  /// For commands only: apply a change to the project and say what changed.
  models::Project& mutableProject() { return m_project; }
  void notifyElementChanged(const QString& id);
  void notifyLayoutChanged(const QString& id);
  /// Elements of some kind came or went (or were reordered): lists must reload.
  void notifyListChanged();

 signals:
  void projectReplaced();
  void elementChanged(const QString& id);
  void layoutChanged(const QString& id);
  void listChanged();
  void problemsChanged();
  void pathChanged(const QString& path);
  /// isModified() changed other than through the undo stack's clean state.
  void modifiedChanged();

 private:
  void revalidate();

  models::Project m_project;
  QUndoStack m_undo;
  QString m_path;
  bool m_recovered = false;  ///< opened from a recovery copy and not saved since
  std::vector<core::Diagnostic> m_problems;
};

}  // namespace thornwood::gui
