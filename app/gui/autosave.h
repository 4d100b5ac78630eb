#pragma once

// Never lose work (issue #6): while a document has unsaved changes, a copy is written
// atomically every interval (60 s unless the preferences say otherwise) to a recovery file
// beside the user's configuration, with a note of which file it belongs to. Each running
// Thornwood has its own files and holds a lock file while it runs, so two windows never
// take each other's copies. A clean save or a normal close removes them. If Thornwood ends
// without either, its lock goes stale, and the next start offers the copy; recovering never
// writes the user's file: the recovered project opens as unsaved changes to it.

#include <QDateTime>
#include <QLockFile>
#include <memory>
#include <QObject>
#include <QString>
#include <QTimer>
#include <optional>

#include "app/gui/project_document.h"

namespace thornwood::gui {

struct RecoveryInfo {
  QString session;       ///< the session that wrote it
  QString recoveryFile;  ///< the copy written by the autosave
  QString originalPath;  ///< the file it is unsaved changes to; empty for a new project
  QDateTime savedAt;
  QString projectName;
  /// What recovering would change, as `thornwood-cli diff` prints it (against the file on
  /// disk, or against an empty project when there is none).
  QString changes;
};

class Autosaver : public QObject {
  Q_OBJECT

 public:
  /// `directory`: where recovery files go (the default: "recovery" under the
  /// application's config location).
  explicit Autosaver(ProjectDocument& document, QString directory = {}, QObject* parent = nullptr);

  void setInterval(int seconds);
  int interval() const { return m_timer.interval() / 1000; }
  const QString& directory() const { return m_directory; }
  /// This session's recovery copy.
  QString recoveryFile() const { return fileOf(m_session, ".thornwood.json"); }

  /// Writes the recovery copy now if there are unsaved changes; false on a write error.
  bool autosaveNow();
  /// Removes the recovery copy (after a save, or on a normal close).
  void discard();

  /// A recovery copy left by a session that did not end normally (its lock is stale); empty
  /// when there is none or it cannot be read. The oldest first when there are several.
  std::optional<RecoveryInfo> pending() const;
  /// Opens the pending copy as unsaved changes to its original file, and takes it over: it
  /// becomes this session's copy at once, so a second crash loses nothing either.
  bool recover(const RecoveryInfo& info);
  /// Deletes a pending copy the user chose not to recover.
  void discardPending(const RecoveryInfo& info);

 signals:
  void autosaved(const QString& file);
  void failed(const QString& problem);

 private:
  QString fileOf(const QString& session, const char* suffix) const { return m_directory + '/' + session + QLatin1String(suffix); }
  void removeSession(const QString& session);

  ProjectDocument& m_document;
  QString m_directory;
  QString m_session;
  std::unique_ptr<QLockFile> m_lock;
  QTimer m_timer;
};

}  // namespace thornwood::gui
