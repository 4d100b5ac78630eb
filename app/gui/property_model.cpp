#include "app/gui/property_model.h"

#include "app/gui/commands.h"

namespace thornwood::gui {

PropertyModel::PropertyModel(ProjectDocument& document, QObject* parent) : QAbstractTableModel(parent), m_document(document) {
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] { setElement(m_id); });
  connect(&m_document, &ProjectDocument::listChanged, this, [this] { setElement(m_id); });
  connect(&m_document, &ProjectDocument::elementChanged, this, [this](const QString& id) {
    if (id != m_id) return;
    if (!kindOf(m_document.project(), m_id)) {
      setElement({});
      return;
    }
    if (!m_fields.empty()) emit dataChanged(index(0, 1), index(rowCount() - 1, 1));
  });
}

void PropertyModel::setElement(const QString& id) {
  beginResetModel();
  m_id = id;
  reload();
  endResetModel();
}

void PropertyModel::reload() {
  m_kind = m_id.isEmpty() ? std::nullopt : kindOf(m_document.project(), m_id);
  m_fields = m_kind ? fieldsOf(*m_kind, m_document.project()) : std::vector<FieldSpec>{};
  if (!m_kind) m_id.clear();
}

int PropertyModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_fields.size()); }

int PropertyModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 2; }

QVariant PropertyModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || !m_kind) return {};
  const FieldSpec& f = m_fields[static_cast<std::size_t>(index.row())];
  if (index.column() == 0) {
    if (role == Qt::DisplayRole) return f.label;
    if (role == Qt::ToolTipRole) return f.key;
    return {};
  }
  const QVariant value = fieldValue(m_document.project(), *m_kind, m_id, f.key);
  switch (role) {
    case Qt::DisplayRole:
      if (f.type == FieldType::Bool) return {};
      if (f.type == FieldType::Choice) return value.toString().replace('_', ' ');
      return value;
    case Qt::EditRole:
      return value;
    case Qt::CheckStateRole:
      if (f.type == FieldType::Bool) return value.toBool() ? Qt::Checked : Qt::Unchecked;
      return {};
    case Qt::ToolTipRole:
      return f.type == FieldType::Bool ? QVariant() : value;
    case kChoicesRole:
      return f.choices;
    case kFieldTypeRole:
      return static_cast<int>(f.type);
    default:
      return {};
  }
}

QVariant PropertyModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  return section == 0 ? tr("Property") : tr("Value");
}

Qt::ItemFlags PropertyModel::flags(const QModelIndex& index) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return Qt::NoItemFlags;
  Qt::ItemFlags out = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  const FieldSpec& f = m_fields[static_cast<std::size_t>(index.row())];
  if (index.column() == 0 || f.readOnly) return out;
  return out | (f.type == FieldType::Bool ? Qt::ItemIsUserCheckable : Qt::ItemIsEditable);
}

bool PropertyModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != 1 || !m_kind) return false;
  return editField(m_document, *m_kind, m_id, m_fields[static_cast<std::size_t>(index.row())], value, role);
}

}  // namespace thornwood::gui
