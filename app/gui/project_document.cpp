#include "app/gui/project_document.h"

#include "exporters/project_report.h"
#include "models/project_analysis.h"
#include "models/project_file.h"
#include "models/validate.h"

namespace thornwood::gui {

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
  m_project.name = "Untitled";
  revalidate();
}

std::vector<core::Diagnostic> ProjectDocument::open(const QString& path) {
  models::LoadOutcome loaded = models::loadProject(path.toStdString());
  if (!loaded.project) return loaded.diagnostics;  // the current document stays
  m_project = std::move(*loaded.project);
  m_path = path;
  m_undo.clear();
  m_undo.setClean();
  const bool wasRecovered = m_recovered;
  m_recovered = false;
  if (wasRecovered) emit modifiedChanged();
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
  const bool wasRecovered = m_recovered;
  m_recovered = false;
  revalidate();
  emit projectReplaced();
  emit pathChanged(m_path);
  if (wasRecovered) emit modifiedChanged();
}

std::vector<core::Diagnostic> ProjectDocument::save(const QString& path) {
  const QString target = path.isEmpty() ? m_path : path;
  if (target.isEmpty()) {
    return {core::error(core::ErrorCode::Io, "", "the document has no file yet: choose one to save to")};
  }
  if (auto saved = models::saveProject(m_project, target.toStdString()); !saved) return {saved.error()};
  if (target != m_path) {
    m_path = target;
    emit pathChanged(m_path);
  }
  m_undo.setClean();
  if (m_recovered) {
    m_recovered = false;
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
