#include "app/gui/threat_filter.h"

#include "app/gui/element_table_model.h"

namespace thornwood::gui {

void ThreatFilter::setCategory(const QString& spelling) {
  m_category = spelling;
  invalidateFilter();
}

void ThreatFilter::setStatus(const QString& spelling) {
  m_status = spelling;
  invalidateFilter();
}

void ThreatFilter::setElement(const QString& id) {
  m_element = id;
  invalidateFilter();
}

void ThreatFilter::setText(const QString& text) {
  m_text = text;
  invalidateFilter();
}

void ThreatFilter::setShowObsolete(bool show) {
  m_showObsolete = show;
  invalidateFilter();
}

QString ThreatFilter::valueAt(int row, const QString& key) const {
  const auto* table = qobject_cast<const ElementTableModel*>(sourceModel());
  if (!table) return {};
  const int column = static_cast<int>(table->columns().indexOf(key));
  if (column < 0) return {};
  return table->index(row, column).data(ElementTableModel::kValueRole).toString();
}

bool ThreatFilter::filterAcceptsRow(int row, const QModelIndex&) const {
  if (!m_showObsolete && valueAt(row, QStringLiteral("obsolete")) == QLatin1String("true")) return false;
  if (!m_category.isEmpty() && valueAt(row, QStringLiteral("category")) != m_category) return false;
  if (!m_status.isEmpty() && valueAt(row, QStringLiteral("status")) != m_status) return false;
  if (!m_element.isEmpty() && valueAt(row, QStringLiteral("target")) != m_element) return false;
  if (!m_text.isEmpty() && !valueAt(row, QStringLiteral("title")).contains(m_text, Qt::CaseInsensitive) &&
      !valueAt(row, QStringLiteral("id")).contains(m_text, Qt::CaseInsensitive)) {
    return false;
  }
  return true;
}

}  // namespace thornwood::gui
