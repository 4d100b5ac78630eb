#include "app/gui/project_document.h"

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
  revalidate();
  emit projectReplaced();
  emit pathChanged(m_path);
  return loaded.diagnostics;
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
  return {};
}

void ProjectDocument::notifyElementChanged(const QString& id) {
  revalidate();
  emit elementChanged(id);
}

void ProjectDocument::notifyLayoutChanged(const QString& id) { emit layoutChanged(id); }

void ProjectDocument::revalidate() {
  m_problems = models::validate(m_project, m_path.toStdString());
  emit problemsChanged();
}

}  // namespace thornwood::gui
