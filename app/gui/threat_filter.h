#pragma once

#include <QSortFilterProxyModel>

namespace thornwood::gui {

/// Filters a threats table (ElementTableModel of threats) by STRIDE category, status and
/// element, and by text in the title or id; obsolete threats are hidden unless asked for.
/// Empty filters let everything through.
class ThreatFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;

  void setCategory(const QString& spelling);
  void setStatus(const QString& spelling);
  void setElement(const QString& id);
  void setText(const QString& text);
  void setShowObsolete(bool show);

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

 private:
  QString valueAt(int row, const QString& key) const;
  QString m_category, m_status, m_element, m_text;
  bool m_showObsolete = false;
};

}  // namespace thornwood::gui
