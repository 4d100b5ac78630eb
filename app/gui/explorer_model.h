#pragma once

#include <QAbstractItemModel>
#include <array>
#include <vector>

#include "app/gui/project_document.h"

namespace thornwood::gui {

/// The project explorer: one row per kind of element (components, flows, zones, threats,
/// attack trees, fault trees, hazards, mitigations), with the elements under it. A thin
/// adaptor over the document: it resets when the project is replaced and reports a changed
/// element as changed data.
class ExplorerModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  explicit ExplorerModel(ProjectDocument& document, QObject* parent = nullptr);

  /// Role holding an element's id (Qt::UserRole).
  static constexpr int kIdRole = Qt::UserRole;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  /// An element of a group: its id and the text shown.
  struct Item {
    QString id;
    QString text;
  };
  const std::vector<Item>& items(int group) const { return m_items[static_cast<std::size_t>(group)]; }
  std::vector<Item> collectItems(int group) const;
  void reload();
  void onElementChanged(const QString& id);

  ProjectDocument& m_document;
  std::array<std::vector<Item>, 8> m_items;  ///< per group, rebuilt when the project changes
};

}  // namespace thornwood::gui
