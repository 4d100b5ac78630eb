#pragma once

#include <QAbstractTableModel>

#include "app/gui/fields.h"
#include "app/gui/project_document.h"

namespace thornwood::gui {

/// The property editor's model: the fields of the selected element, one row each (label,
/// value). Edits push a SetFieldCommand. Empty when nothing, or an unknown id, is selected.
class PropertyModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit PropertyModel(ProjectDocument& document, QObject* parent = nullptr);

  /// Shows the element with this id (of whatever kind); an empty or unknown id clears.
  void setElement(const QString& id);
  const QString& element() const { return m_id; }
  std::optional<ElementKind> kind() const { return m_kind; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

 private:
  void reload();

  ProjectDocument& m_document;
  QString m_id;
  std::optional<ElementKind> m_kind;
  std::vector<FieldSpec> m_fields;
};

}  // namespace thornwood::gui
