#include "app/gui/autosave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include "exporters/diff_report.h"
#include "models/project_diff.h"
#include "models/project_file.h"

namespace thornwood::gui {

Autosaver::Autosaver(ProjectDocument& document, QString directory, QObject* parent)
    : QObject(parent), m_document(document), m_directory(std::move(directory)) {
  if (m_directory.isEmpty()) {
    m_directory = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/recovery");
  }
  m_session = QStringLiteral("session-%1-%2")
                  .arg(QDateTime::currentMSecsSinceEpoch())
                  .arg(QCoreApplication::applicationPid());
  QDir().mkpath(m_directory);
  m_lock = std::make_unique<QLockFile>(fileOf(m_session, ".lock"));
  m_lock->setStaleLockTime(0);  // stale only when its process is gone
  m_lock->tryLock(0);
  // Locks of sessions that ended without leaving a copy (killed with nothing unsaved) are
  // only clutter: take each stale one and let it go, which removes it.
  for (const QString& name : QDir(m_directory).entryList({QStringLiteral("*.lock")}, QDir::Files, QDir::Name)) {
    const QString session = name.chopped(static_cast<int>(qstrlen(".lock")));
    if (session == m_session || QFile::exists(fileOf(session, ".note.json"))) continue;
    QLockFile stale(fileOf(session, ".lock"));
    stale.setStaleLockTime(0);
    if (stale.tryLock(0)) stale.unlock();
  }
  m_timer.setInterval(60'000);
  connect(&m_timer, &QTimer::timeout, this, &Autosaver::autosaveNow);
  m_timer.start();
  // Saved cleanly: the copy is no longer needed.
  auto discardWhenSaved = [this] {
    if (!m_document.isModified()) discard();
  };
  connect(&m_document.undoStack(), &QUndoStack::cleanChanged, this, discardWhenSaved);
  connect(&m_document, &ProjectDocument::modifiedChanged, this, discardWhenSaved);
}

void Autosaver::setInterval(int seconds) { m_timer.start(std::max(1, seconds) * 1000); }


bool Autosaver::autosaveNow() {
  if (!m_document.isModified()) return true;
  if (!QDir().mkpath(m_directory)) {
    emit failed(tr("cannot create %1").arg(m_directory));
    return false;
  }
  // The project first, then the note that points at it: a note never names a missing copy.
  if (auto saved = models::saveProject(m_document.project(), recoveryFile().toStdString()); !saved) {
    emit failed(QString::fromStdString(core::format(saved.error())));
    return false;
  }
  QJsonObject note;
  note[QStringLiteral("original")] = m_document.path();
  note[QStringLiteral("saved_at")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
  note[QStringLiteral("name")] = QString::fromStdString(m_document.project().name);
  QSaveFile file(fileOf(m_session, ".note.json"));
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(note).toJson()) < 0 || !file.commit()) {
    emit failed(tr("cannot write %1").arg(file.fileName()));
    return false;
  }
  emit autosaved(recoveryFile());
  return true;
}

void Autosaver::discard() {
  QFile::remove(fileOf(m_session, ".note.json"));
  QFile::remove(recoveryFile());
}

void Autosaver::removeSession(const QString& session) {
  QFile::remove(fileOf(session, ".note.json"));
  QFile::remove(fileOf(session, ".thornwood.json"));
  QFile::remove(fileOf(session, ".lock"));
}

std::optional<RecoveryInfo> Autosaver::pending() const {
  QStringList notes = QDir(m_directory).entryList({QStringLiteral("*.note.json")}, QDir::Files, QDir::Name);
  for (const QString& name : notes) {
    const QString session = name.chopped(static_cast<int>(qstrlen(".note.json")));
    if (session == m_session) continue;
    {
      QLockFile lock(fileOf(session, ".lock"));
      lock.setStaleLockTime(0);
      if (!lock.tryLock(0)) continue;  // that Thornwood is still running
    }
    QFile file(fileOf(session, ".note.json"));
    if (!QFile::exists(fileOf(session, ".thornwood.json")) || !file.open(QIODevice::ReadOnly)) continue;
    const QJsonObject note = QJsonDocument::fromJson(file.readAll()).object();
    RecoveryInfo info;
    info.session = session;
    info.recoveryFile = fileOf(session, ".thornwood.json");
    info.originalPath = note.value(QStringLiteral("original")).toString();
    info.savedAt = QDateTime::fromString(note.value(QStringLiteral("saved_at")).toString(), Qt::ISODate);
    info.projectName = note.value(QStringLiteral("name")).toString();
    const models::LoadOutcome copy = models::loadProject(info.recoveryFile.toStdString());
    if (!copy.project) continue;
    models::Project original;
    std::string originalName = "(new project)";
    if (!info.originalPath.isEmpty()) {
      const models::LoadOutcome onDisk = models::loadProject(info.originalPath.toStdString());
      if (onDisk.project) {
        original = *onDisk.project;
        originalName = info.originalPath.toStdString();
      }
    }
    info.changes = QString::fromStdString(
        exporters::toText(models::diff(original, *copy.project), originalName, "recovered copy"));
    return info;
  }
  return std::nullopt;
}

bool Autosaver::recover(const RecoveryInfo& info) {
  if (!m_document.openRecovered(info.recoveryFile, info.originalPath).empty() &&
      m_document.path() != info.originalPath) {
    return false;
  }
  if (!autosaveNow()) return false;  // keep the old copy when ours cannot be written
  removeSession(info.session);
  return true;
}

void Autosaver::discardPending(const RecoveryInfo& info) { removeSession(info.session); }

}  // namespace thornwood::gui
