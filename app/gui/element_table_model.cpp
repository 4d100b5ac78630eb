#include "app/gui/element_table_model.h"

#include "app/gui/commands.h"

namespace thornwood::gui {

ElementTableModel::ElementTableModel(ProjectDocument& document, ElementKind kind, QStringList columns, QObject* parent)
    : QAbstractTableModel(parent), m_document(document), m_kind(kind), m_columns(std::move(columns)) {
  reload();
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
  connect(&m_document, &ProjectDocument::listChanged, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
  connect(&m_document, &ProjectDocument::elementChanged, this, &ElementTableModel::onElementChanged);
}

void ElementTableModel::reload() {
  m_ids = idsOf(m_document.project(), m_kind);
  m_specs.clear();
  const auto all = fieldsOf(m_kind, m_document.project());
  for (const QString& key : m_columns) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const FieldSpec& f) { return f.key == key; });
    m_specs.push_back(it == all.end() ? FieldSpec{key, key, FieldType::Text, {}, true} : *it);
  }
}

void ElementTableModel::onElementChanged(const QString& id) {
  const QStringList now = idsOf(m_document.project(), m_kind);
  if (now != m_ids) {  // an element of this kind came or went
    beginResetModel();
    reload();
    endResetModel();
    return;
  }
  const int row = rowOf(id);
  if (row >= 0) emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

std::optional<FieldSpec> ElementTableModel::spec(int column) const {
  if (column < 0 || column >= static_cast<int>(m_specs.size())) return std::nullopt;
  return m_specs[static_cast<std::size_t>(column)];
}

int ElementTableModel::rowOf(const QString& id) const { return static_cast<int>(m_ids.indexOf(id)); }

int ElementTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_ids.size()); }

int ElementTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant ElementTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const QString& id = m_ids.at(index.row());
  if (role == kIdRole) return id;
  const FieldSpec& f = m_specs[static_cast<std::size_t>(index.column())];
  // Rows follow the project's list (reload() keeps m_ids in step), so read by position.
  const QVariant value = fieldValueAt(m_document.project(), m_kind, index.row(), f.key);
  switch (role) {
    case kValueRole:
      return value;
    case kChoicesRole:
      return f.choices;
    case kFieldTypeRole:
      return static_cast<int>(f.type);
    case Qt::DisplayRole:
      if (f.type == FieldType::Bool) return {};
      if (f.type == FieldType::Choice) return value.toString().replace('_', ' ');
      if (f.type == FieldType::Note) return value.toString().section('\n', 0, 0);
      return value;
    case Qt::EditRole:
      return value;
    case Qt::CheckStateRole:
      if (f.type == FieldType::Bool) return value.toBool() ? Qt::Checked : Qt::Unchecked;
      return {};
    case Qt::ToolTipRole:
      if (f.type == FieldType::Note || f.type == FieldType::Text) return value;
      return {};
    default:
      return {};
  }
}

QVariant ElementTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  if (section < 0 || section >= static_cast<int>(m_specs.size())) return {};
  return m_specs[static_cast<std::size_t>(section)].label;
}

Qt::ItemFlags ElementTableModel::flags(const QModelIndex& index) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return Qt::NoItemFlags;
  Qt::ItemFlags out = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  const FieldSpec& f = m_specs[static_cast<std::size_t>(index.column())];
  if (f.readOnly) return out;
  if (f.type == FieldType::Bool) return out | Qt::ItemIsUserCheckable;
  return out | Qt::ItemIsEditable;
}

bool ElementTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return false;
  return editField(m_document, m_kind, m_ids.at(index.row()), m_specs[static_cast<std::size_t>(index.column())], value, role);
}

}  // namespace thornwood::gui
