#include "app/gui/commands.h"

#include <QCoreApplication>
#include <algorithm>
#include <map>
#include <set>

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

SetComplianceCommand::SetComplianceCommand(ProjectDocument& document, models::Compliance compliance, const QString& text)
    : m_document(document), m_old(document.project().compliance), m_new(std::move(compliance)) {
  setText(text);
}

void SetComplianceCommand::apply(const models::Compliance& c) {
  m_document.mutableProject().compliance = c;
  m_document.notifyListChanged();
}

void SetComplianceCommand::undo() { apply(m_old); }
void SetComplianceCommand::redo() { apply(m_new); }

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

SetFieldCommand::SetFieldCommand(ProjectDocument& document, ElementKind kind, QString id, QString key, const QVariant& value)
    : m_document(document), m_kind(kind), m_id(std::move(id)), m_key(std::move(key)) {
  const models::Project& p = m_document.project();
  m_before = elementValue(p, m_kind, m_id);
  if (!m_before) return;
  models::Project scratch;  // apply to a copy of the element alone, through a one-element project
  scratch.riskMatrix = p.riskMatrix;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, models::Component>) scratch.system.components.push_back(e);
        if constexpr (std::is_same_v<T, models::DataFlow>) scratch.system.flows.push_back(e);
        if constexpr (std::is_same_v<T, models::TrustZone>) scratch.system.zones.push_back(e);
        if constexpr (std::is_same_v<T, models::Threat>) scratch.threats.push_back(e);
        if constexpr (std::is_same_v<T, models::AttackTree>) scratch.attackTrees.push_back(e);
        if constexpr (std::is_same_v<T, models::ProjectFaultTree>) scratch.faultTrees.push_back(e);
        if constexpr (std::is_same_v<T, models::Hazard>) scratch.hazards.push_back(e);
        if constexpr (std::is_same_v<T, models::Mitigation>) scratch.mitigations.push_back(e);
      },
      *m_before);
  if (setFieldValue(scratch, m_kind, m_id, m_key, value)) m_after = elementValue(scratch, m_kind, m_id);
  const auto spec = fieldOf(m_kind, p, m_key);
  setText(tr("Set %1 of %2").arg(spec ? spec->label.toLower() : m_key, m_id));
}

void SetFieldCommand::undo() {
  if (m_before && restoreElement(m_document.mutableProject(), *m_before)) m_document.notifyElementChanged(m_id);
}

void SetFieldCommand::redo() {
  if (m_after && restoreElement(m_document.mutableProject(), *m_after)) m_document.notifyElementChanged(m_id);
}

bool SetFieldCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = dynamic_cast<const SetFieldCommand*>(other);
  if (!o || o->m_kind != m_kind || o->m_id != m_id || o->m_key != m_key || !o->valid()) return false;
  const auto spec = fieldOf(m_kind, m_document.project(), m_key);
  // Only typing merges: a second choice or tick is a separate decision, and undoes alone.
  if (!spec || (spec->type != FieldType::Text && spec->type != FieldType::Note)) return false;
  m_after = o->m_after;
  return true;
}

UpdateThreatsCommand::UpdateThreatsCommand(ProjectDocument& document, std::vector<models::Threat> threats,
                                           const QString& summary)
    : m_document(document), m_old(document.project().threats), m_new(std::move(threats)) {
  setText(tr("Update threats from the rules (%1)").arg(summary));
}

void UpdateThreatsCommand::undo() {
  m_document.mutableProject().threats = m_old;
  m_document.notifyListChanged();
}

void UpdateThreatsCommand::redo() {
  m_document.mutableProject().threats = m_new;
  m_document.notifyListChanged();
}

DeleteElementsCommand::DeleteElementsCommand(ProjectDocument& document, const QStringList& ids) : m_document(document) {
  const models::Project& p = document.project();
  m_threatsBefore = m_threatsAfter = p.threats;
  m_hazardsBefore = m_hazardsAfter = p.hazards;
  m_mitigationsBefore = m_mitigationsAfter = p.mitigations;
  std::vector<std::string> gone;
  for (const QString& id : ids) {
    const auto kind = kindOf(p, id);
    if (kind != ElementKind::Threat && kind != ElementKind::Hazard && kind != ElementKind::Mitigation) continue;
    m_deleted << id;
    gone.push_back(id.toStdString());
  }
  auto isGone = [&](const std::string& id) { return std::find(gone.begin(), gone.end(), id) != gone.end(); };
  auto dropGone = [&](auto& list) {
    list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& e) { return isGone(e.id); }), list.end());
  };
  dropGone(m_threatsAfter);
  dropGone(m_hazardsAfter);
  dropGone(m_mitigationsAfter);
  for (auto& t : m_threatsAfter) std::erase_if(t.mitigations, isGone);
  for (auto& h : m_hazardsAfter) std::erase_if(h.mitigations, isGone);
  setText(m_deleted.size() == 1 ? tr("Delete %1").arg(m_deleted.front()) : tr("Delete %1 elements").arg(m_deleted.size()));
}

void DeleteElementsCommand::undo() {
  models::Project& p = m_document.mutableProject();
  p.threats = m_threatsBefore;
  p.hazards = m_hazardsBefore;
  p.mitigations = m_mitigationsBefore;
  m_document.notifyListChanged();
}

void DeleteElementsCommand::redo() {
  models::Project& p = m_document.mutableProject();
  p.threats = m_threatsAfter;
  p.hazards = m_hazardsAfter;
  p.mitigations = m_mitigationsAfter;
  m_document.notifyListChanged();
}

bool editField(ProjectDocument& document, ElementKind kind, const QString& id, const FieldSpec& f, const QVariant& value,
               int role) {
  if (f.readOnly) return false;
  QVariant v = value;
  if (f.type == FieldType::Bool) {
    if (role != Qt::CheckStateRole) return false;
    v = QVariant(value.toInt() == Qt::Checked);
  } else if (role != Qt::EditRole) {
    return false;
  } else if (f.type == FieldType::Number || f.type == FieldType::Integer) {
    bool ok = false;
    v = f.type == FieldType::Number ? QVariant(value.toDouble(&ok)) : QVariant(value.toInt(&ok));
    if (!ok) return false;
  }
  if (fieldValue(document.project(), kind, id, f.key) == v) return true;  // nothing to undo
  return pushIfValid(document, new SetFieldCommand(document, kind, id, f.key, v));
}

void place(std::vector<models::Placement>& layout, const std::string& element, double x, double y, double width,
           double height) {
  const auto it = std::lower_bound(layout.begin(), layout.end(), element,
                                   [](const models::Placement& p, const std::string& id) { return p.element < id; });
  if (it != layout.end() && it->element == element) {
    it->x = x;
    it->y = y;
    it->width = width;
    it->height = height;
  } else {
    layout.insert(it, models::Placement{element, x, y, width, height});
  }
}

EditSystemCommand::EditSystemCommand(ProjectDocument& document, const QString& text, const Change& change)
    : m_document(document) {
  m_before = SystemState{document.project().system, document.project().layout};
  m_after = m_before;
  m_valid = change(m_after) && !(m_after == m_before);
  setText(text);
}

void EditSystemCommand::apply(const SystemState& state) {
  models::Project& p = m_document.mutableProject();
  const bool layoutOnly = p.system == state.system;
  p.system = state.system;
  p.layout = state.layout;
  if (layoutOnly) {
    m_document.notifyLayoutChanged({});
  } else {
    m_document.notifyListChanged();
  }
}

void EditSystemCommand::undo() { apply(m_before); }
void EditSystemCommand::redo() { apply(m_after); }

std::optional<QString> deleteFromSystem(SystemState& state, const models::Project& project, const QStringList& ids) {
  std::set<std::string> gone;
  for (const QString& id : ids) gone.insert(id.toStdString());
  // A component takes its flows with it.
  for (const auto& f : state.system.flows) {
    if (gone.count(f.source) || gone.count(f.target)) gone.insert(f.id);
  }
  QStringList blocking;
  for (const auto& t : project.threats) {
    if (gone.count(t.target)) blocking << QString::fromStdString(t.id);
  }
  if (!blocking.isEmpty()) {
    return tr("%1 threat(s) target what would be deleted (%2): retarget or delete them first")
        .arg(blocking.size())
        .arg(blocking.mid(0, 5).join(QStringLiteral(", ")) + (blocking.size() > 5 ? QStringLiteral(", …") : QString()));
  }
  auto& s = state.system;
  std::erase_if(s.components, [&](const auto& c) { return gone.count(c.id) > 0; });
  std::erase_if(s.flows, [&](const auto& f) { return gone.count(f.id) > 0; });
  for (auto& z : s.zones) {
    std::erase_if(z.members, [&](const std::string& m) { return gone.count(m) > 0; });
  }
  // Children of a removed zone move up to its parent (the first surviving ancestor).
  std::map<std::string, std::string> parentOf;
  for (const auto& z : s.zones) parentOf[z.id] = z.parent;
  for (auto& z : s.zones) {
    std::string p = z.parent;
    while (!p.empty() && gone.count(p)) p = parentOf[p];
    z.parent = p;
  }
  std::erase_if(s.zones, [&](const auto& z) { return gone.count(z.id) > 0; });
  std::erase_if(state.layout, [&](const models::Placement& p) { return gone.count(p.element) > 0; });
  return std::nullopt;
}

}  // namespace thornwood::gui
