#pragma once

#include <QStyledItemDelegate>

namespace thornwood::gui {

/// Edits a field in a table or the property editor with the editor its type wants: a list
/// of the choices, a number field that refuses text, a line for text. The model says which
/// through kFieldTypeRole and kChoicesRole (fields.h).
class FieldDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  void setEditorData(QWidget* editor, const QModelIndex& index) const override;
  void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

}  // namespace thornwood::gui
