#pragma once

// The one document the GUI edits (STYLE.md section 5): it owns the project and an undo stack,
// every edit is a command pushed there, and views update from its signals. Widgets never
// change the project themselves.

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
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
  /// Also while the user keeps their version over a file changed on disk.
  bool isModified() const { return !m_undo.isClean() || m_recovered || m_keptOverDisk; }
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

  /// Whether the file on disk now differs from what was last opened or saved here (another
  /// program, a `git checkout`, a colleague's sync). Reads the file; false when there is none.
  bool changedOnDisk() const;
  /// Reloads the file from disk, dropping the undo history; a file that no longer loads
  /// keeps the document as it is and returns its problems.
  std::vector<core::Diagnostic> reloadFromDisk();
  /// The user keeps this version over the one on disk: the document counts as modified,
  /// and that version of the file is not offered again.
  void keepOverDisk();

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
  /// The open file was changed (or removed) by someone else; emitted once per new version
  /// on disk, a moment after the writes settle.
  void fileChangedOnDisk(bool removed);

 private:
  void revalidate();
  /// Starts watching m_path and records its bytes as the version this document matches.
  void rememberDiskVersion();
  void checkDisk();

  models::Project m_project;
  QUndoStack m_undo;
  QString m_path;
  bool m_recovered = false;  ///< opened from a recovery copy and not saved since
  bool m_keptOverDisk = false;  ///< the user kept this version over a changed file
  QFileSystemWatcher m_watcher;  ///< the file and its folder (an atomic save replaces the file)
  QTimer m_settle;               ///< lets a burst of writes end before the file is read
  QByteArray m_diskDigest;       ///< the file's bytes as last opened or saved, hashed
  QByteArray m_offeredDigest;    ///< the version on disk last offered (not offered again)
  std::vector<core::Diagnostic> m_problems;
};

}  // namespace thornwood::gui
