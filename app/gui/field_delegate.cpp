#include "app/gui/field_delegate.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QIntValidator>
#include <QLineEdit>

#include "app/gui/fields.h"

namespace thornwood::gui {

namespace {

FieldType typeOf(const QModelIndex& index) {
  const QVariant t = index.data(kFieldTypeRole);
  return t.isValid() ? static_cast<FieldType>(t.toInt()) : FieldType::Text;
}

}  // namespace

QWidget* FieldDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  switch (typeOf(index)) {
    case FieldType::Choice: {
      auto* box = new QComboBox(parent);
      for (const QString& c : index.data(kChoicesRole).toStringList()) box->addItem(QString(c).replace('_', ' '), c);
      return box;
    }
    case FieldType::Number: {
      auto* line = new QLineEdit(parent);
      auto* validator = new QDoubleValidator(line);
      validator->setLocale(QLocale::c());
      validator->setNotation(QDoubleValidator::ScientificNotation);
      line->setValidator(validator);
      return line;
    }
    case FieldType::Integer: {
      auto* line = new QLineEdit(parent);
      line->setValidator(new QIntValidator(line));
      return line;
    }
    case FieldType::Bool:
      return nullptr;  // a check box in the cell
    case FieldType::Text:
    case FieldType::Note:
      break;
  }
  return QStyledItemDelegate::createEditor(parent, option, index);
}

void FieldDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
  if (auto* box = qobject_cast<QComboBox*>(editor)) {
    box->setCurrentIndex(box->findData(index.data(Qt::EditRole).toString()));
    return;
  }
  if (auto* line = qobject_cast<QLineEdit*>(editor); line && typeOf(index) == FieldType::Number) {
    line->setText(QString::number(index.data(Qt::EditRole).toDouble(), 'g', 17));
    return;
  }
  QStyledItemDelegate::setEditorData(editor, index);
}

void FieldDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const {
  if (auto* box = qobject_cast<QComboBox*>(editor)) {
    model->setData(index, box->currentData(), Qt::EditRole);
    return;
  }
  if (auto* line = qobject_cast<QLineEdit*>(editor); line && typeOf(index) == FieldType::Number) {
    bool ok = false;
    const double value = QLocale::c().toDouble(line->text(), &ok);
    if (ok) model->setData(index, value, Qt::EditRole);
    return;
  }
  QStyledItemDelegate::setModelData(editor, model, index);
}

}  // namespace thornwood::gui
