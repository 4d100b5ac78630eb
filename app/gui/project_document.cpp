#include "app/gui/project_document.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include "exporters/project_report.h"
#include "models/project_analysis.h"
#include "models/project_file.h"
#include "models/validate.h"

namespace thornwood::gui {

namespace {

/// The digest of a file's bytes; empty when it cannot be read (gone, or not a file).
QByteArray digestOf(const QString& path) {
  QFile file(path);
  if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&file)) return {};
  return hash.result();
}

}  // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
  m_project.name = "Untitled";
  m_settle.setSingleShot(true);
  m_settle.setInterval(250);
  connect(&m_settle, &QTimer::timeout, this, &ProjectDocument::checkDisk);
  connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_settle.start(); });
  connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_settle.start(); });
  revalidate();
}

void ProjectDocument::rememberDiskVersion() {
  if (!m_watcher.files().isEmpty()) m_watcher.removePaths(m_watcher.files());
  if (!m_watcher.directories().isEmpty()) m_watcher.removePaths(m_watcher.directories());
  m_diskDigest = digestOf(m_path);
  m_offeredDigest.clear();
  if (m_path.isEmpty()) return;
  m_watcher.addPath(m_path);
  m_watcher.addPath(QFileInfo(m_path).absolutePath());
}

bool ProjectDocument::changedOnDisk() const {
  if (m_path.isEmpty()) return false;
  return digestOf(m_path) != m_diskDigest;
}

void ProjectDocument::checkDisk() {
  if (m_path.isEmpty()) return;
  // An atomic save by anyone (us included) replaces the file, which ends its watch.
  if (QFileInfo::exists(m_path) && !m_watcher.files().contains(m_path)) m_watcher.addPath(m_path);
  const QByteArray now = digestOf(m_path);
  if (now == m_diskDigest || now == m_offeredDigest) return;
  m_offeredDigest = now;
  emit fileChangedOnDisk(now.isEmpty());
}

std::vector<core::Diagnostic> ProjectDocument::reloadFromDisk() {
  if (m_path.isEmpty()) return {};
  const QString path = m_path;
  auto problems = open(path);
  // A file that no longer loads keeps the document; this version is not offered again.
  if (!models::noErrors(problems)) m_offeredDigest = digestOf(path);
  return problems;
}

void ProjectDocument::keepOverDisk() {
  m_offeredDigest = digestOf(m_path);
  if (m_keptOverDisk) return;
  m_keptOverDisk = true;
  emit modifiedChanged();
}

std::vector<core::Diagnostic> ProjectDocument::open(const QString& path) {
  models::LoadOutcome loaded = models::loadProject(path.toStdString());
  if (!loaded.project) return loaded.diagnostics;  // the current document stays
  m_project = std::move(*loaded.project);
  m_path = path;
  m_undo.clear();
  m_undo.setClean();
  const bool wasModified = m_recovered || m_keptOverDisk;
  m_recovered = false;
  m_keptOverDisk = false;
  rememberDiskVersion();
  if (wasModified) emit modifiedChanged();
  revalidate();
  emit projectReplaced();
  emit pathChanged(m_path);
  return loaded.diagnostics;
}

std::vector<core::Diagnostic> ProjectDocument::openRecovered(const QString& copy, const QString& originalPath) {
  models::LoadOutcome loaded = models::loadProject(copy.toStdString());
  if (!loaded.project) return loaded.diagnostics;
  m_project = std::move(*loaded.project);
  m_path = originalPath;
  m_undo.clear();
  m_undo.setClean();
  m_recovered = true;
  m_keptOverDisk = false;
  rememberDiskVersion();
  revalidate();
  emit projectReplaced();
  emit pathChanged(m_path);
  emit modifiedChanged();
  return loaded.diagnostics;
}

void ProjectDocument::newProject() {
  models::Project fresh;
  fresh.name = "Untitled";
  std::swap(m_project, fresh);
  m_path.clear();
  m_undo.clear();
  m_undo.setClean();
  const bool wasModified = m_recovered || m_keptOverDisk;
  m_recovered = false;
  m_keptOverDisk = false;
  rememberDiskVersion();
  revalidate();
  emit projectReplaced();
  emit pathChanged(m_path);
  if (wasModified) emit modifiedChanged();
}

std::vector<core::Diagnostic> ProjectDocument::save(const QString& path) {
  const QString target = path.isEmpty() ? m_path : path;
  if (target.isEmpty()) {
    return {core::error(core::ErrorCode::Io, "", "the document has no file yet: choose one to save to")};
  }
  if (auto saved = models::saveProject(m_project, target.toStdString()); !saved) return {saved.error()};
  const bool moved = target != m_path;
  m_path = target;
  rememberDiskVersion();
  if (moved) emit pathChanged(m_path);
  m_undo.setClean();
  if (m_recovered || m_keptOverDisk) {
    m_recovered = false;
    m_keptOverDisk = false;
    emit modifiedChanged();
  }
  return {};
}

QString ProjectDocument::reportText() const {
  if (!models::noErrors(m_problems)) {
    return tr("The project has problems (see the Problems panel); fix them to see its analysis.");
  }
  const std::string file = m_path.isEmpty() ? std::string("(unsaved)") : m_path.toStdString();
  models::ProjectAnalysisOptions options;
  options.timing = false;
  return QString::fromStdString(exporters::toText(m_project, models::analyse(m_project, file, options), file));
}

void ProjectDocument::notifyElementChanged(const QString& id) {
  revalidate();
  emit elementChanged(id);
}

void ProjectDocument::notifyListChanged() {
  revalidate();
  emit listChanged();
}

void ProjectDocument::notifyLayoutChanged(const QString& id) { emit layoutChanged(id); }

void ProjectDocument::revalidate() {
  m_problems = models::validate(m_project, m_path.toStdString());
  emit problemsChanged();
}

}  // namespace thornwood::gui
