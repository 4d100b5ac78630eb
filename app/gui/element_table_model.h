#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include "app/gui/fields.h"
#include "app/gui/project_document.h"

namespace thornwood::gui {

/// A table of the elements of one kind (threats, mitigations, hazards, components): one row
/// per element in the project's order, one column per field key. Cells show the field's value
/// (Bool fields as check boxes); an edit pushes a SetFieldCommand, so every change is undoable
/// and the table only ever shows the document's state.
class ElementTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  ElementTableModel(ProjectDocument& document, ElementKind kind, QStringList columns, QObject* parent = nullptr);

  /// Role holding the element id of a row.
  static constexpr int kIdRole = Qt::UserRole;
  /// Role holding the field's raw value (the spelling of a choice, a double, a bool): what
  /// filters and sorting compare.
  static constexpr int kValueRole = Qt::UserRole + 1;

  ElementKind kind() const { return m_kind; }
  const QStringList& columns() const { return m_columns; }
  /// The field a column shows; empty for an unknown key.
  std::optional<FieldSpec> spec(int column) const;
  /// Row of an element, or -1.
  int rowOf(const QString& id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

 private:
  void reload();
  void onElementChanged(const QString& id);

  ProjectDocument& m_document;
  ElementKind m_kind;
  QStringList m_columns;
  std::vector<FieldSpec> m_specs;  ///< per column
  QStringList m_ids;               ///< per row
};

}  // namespace thornwood::gui
