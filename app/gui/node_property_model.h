#pragma once

#include <QAbstractTableModel>

#include "app/gui/fields.h"
#include "app/gui/project_document.h"

namespace thornwood::gui {

/// The property editor's model for a node of an attack or fault tree: its name, its kind
/// (and k) for a gate, its figures for a leaf (cost, time, skill, probability; empty means
/// not known), its probability or failure rate for a basic event, where the numbers come
/// from. Edits go through the tree edits (tree_edit.h) as undoable commands, with the same
/// checks as the tree editor.
class NodePropertyModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit NodePropertyModel(ProjectDocument& document, QObject* parent = nullptr);

  void setNode(const QString& tree, const QString& node);
  const QString& tree() const { return m_tree; }
  const QString& node() const { return m_node; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

 signals:
  /// An edit was refused: why.
  void refused(const QString& reason);

 private:
  struct Row {
    QString key;
    QString label;
    FieldType type = FieldType::Text;
    QStringList choices;
    bool readOnly = false;
    QVariant value;  ///< invalid: empty (a figure not known)
  };
  void reload();

  ProjectDocument& m_document;
  QString m_tree;
  QString m_node;
  std::vector<Row> m_rows;
};

}  // namespace thornwood::gui
