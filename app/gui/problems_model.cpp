#include "app/gui/problems_model.h"

namespace thornwood::gui {

ProblemsModel::ProblemsModel(ProjectDocument& document, QObject* parent)
    : QAbstractListModel(parent), m_document(document), m_rows(document.problems()) {
  connect(&m_document, &ProjectDocument::problemsChanged, this, [this] {
    beginResetModel();
    m_rows = m_document.problems();
    endResetModel();
  });
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size())) return {};
  const core::Diagnostic& d = m_rows[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return QStringLiteral("%1%2: %3")
          .arg(d.severity == core::Severity::Warning ? tr("warning ") : tr("error "))
          .arg(QString::fromStdString(d.place), QString::fromStdString(d.problem));
    case Qt::ToolTipRole: return QString::fromStdString(core::format(d));
    case kPlaceRole: return QString::fromStdString(d.place);
    default: return {};
  }
}

}  // namespace thornwood::gui
