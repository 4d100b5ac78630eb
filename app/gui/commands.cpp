#include "app/gui/commands.h"

#include <QCoreApplication>
#include <algorithm>

#include "models/names.h"

namespace thornwood::gui {

namespace {

template <class T>
T* byId(std::vector<T>& items, const QString& id) {
  const std::string key = id.toStdString();
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == key; });
  return it == items.end() ? nullptr : &*it;
}

/// The name (or title) field of an element, or null when there is no such element.
std::string* nameField(models::Project& p, ElementList list, const QString& id) {
  switch (list) {
    case ElementList::Component: {
      auto* c = byId(p.system.components, id);
      return c ? &c->name : nullptr;
    }
    case ElementList::Flow: {
      auto* f = byId(p.system.flows, id);
      return f ? &f->name : nullptr;
    }
    case ElementList::Zone: {
      auto* z = byId(p.system.zones, id);
      return z ? &z->name : nullptr;
    }
    case ElementList::Threat: {
      auto* t = byId(p.threats, id);
      return t ? &t->title : nullptr;
    }
    case ElementList::Mitigation: {
      auto* m = byId(p.mitigations, id);
      return m ? &m->title : nullptr;
    }
  }
  return nullptr;
}

QString tr(const char* text) { return QCoreApplication::translate("thornwood::gui::Commands", text); }

}  // namespace

RenameCommand::RenameCommand(ProjectDocument& document, ElementList list, QString id, QString name)
    : m_document(document), m_list(list), m_id(std::move(id)), m_new(std::move(name)) {
  const std::string* current = nameField(m_document.mutableProject(), m_list, m_id);
  m_old = current ? QString::fromStdString(*current) : QString();
  setText(tr("Rename %1").arg(m_id));
}

void RenameCommand::apply(const QString& name) {
  if (std::string* field = nameField(m_document.mutableProject(), m_list, m_id)) {
    *field = name.toStdString();
    m_document.notifyElementChanged(m_id);
  }
}

void RenameCommand::undo() { apply(m_old); }
void RenameCommand::redo() { apply(m_new); }

bool RenameCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = static_cast<const RenameCommand*>(other);
  if (o->m_list != m_list || o->m_id != m_id) return false;
  m_new = o->m_new;
  return true;
}

SetThreatStatusCommand::SetThreatStatusCommand(ProjectDocument& document, QString id, models::ThreatStatus status,
                                               QString justification)
    : m_document(document), m_id(std::move(id)) {
  if (const auto* t = byId(m_document.mutableProject().threats, m_id)) m_old = State{t->status, t->justification, t->autoStatus};
  m_new = State{status, justification.toStdString(), false};
  setText(tr("Set status of threat %1 to %2").arg(m_id, QString::fromUtf8(models::nameOf(status).data())));
}

void SetThreatStatusCommand::apply(const State& s) {
  if (auto* t = byId(m_document.mutableProject().threats, m_id)) {
    t->status = s.status;
    t->justification = s.justification;
    t->autoStatus = s.autoStatus;
    m_document.notifyElementChanged(m_id);
  }
}

void SetThreatStatusCommand::undo() { apply(m_old); }
void SetThreatStatusCommand::redo() { apply(m_new); }

SetMitigationStatusCommand::SetMitigationStatusCommand(ProjectDocument& document, QString id,
                                                       models::MitigationStatus status)
    : m_document(document), m_id(std::move(id)), m_new(status) {
  if (const auto* m = byId(m_document.mutableProject().mitigations, m_id)) m_old = m->status;
  setText(tr("Set status of mitigation %1 to %2").arg(m_id, QString::fromUtf8(models::nameOf(status).data())));
}

void SetMitigationStatusCommand::apply(models::MitigationStatus s) {
  if (auto* m = byId(m_document.mutableProject().mitigations, m_id)) {
    m->status = s;
    m_document.notifyElementChanged(m_id);
  }
}

void SetMitigationStatusCommand::undo() { apply(m_old); }
void SetMitigationStatusCommand::redo() { apply(m_new); }

MoveCommand::MoveCommand(ProjectDocument& document, QString element, QPointF to)
    : m_document(document), m_element(std::move(element)), m_new(to) {
  for (const auto& pl : m_document.project().layout) {
    if (pl.element == m_element.toStdString()) m_old = QPointF(pl.x, pl.y);
  }
  setText(tr("Move %1").arg(m_element));
}

void MoveCommand::apply(const std::optional<QPointF>& at) {
  auto& layout = m_document.mutableProject().layout;
  const std::string key = m_element.toStdString();
  const auto it = std::find_if(layout.begin(), layout.end(), [&](const models::Placement& p) { return p.element == key; });
  if (!at) {
    if (it != layout.end()) layout.erase(it);
  } else if (it == layout.end()) {
    layout.push_back(models::Placement{key, at->x(), at->y(), 0, 0});
  } else {
    it->x = at->x();
    it->y = at->y();
  }
  m_document.notifyLayoutChanged(m_element);
}

void MoveCommand::undo() { apply(m_old); }
void MoveCommand::redo() { apply(m_new); }

bool MoveCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = static_cast<const MoveCommand*>(other);
  if (o->m_element != m_element) return false;
  m_new = o->m_new;
  return true;
}

}  // namespace thornwood::gui
