#pragma once

#include <QAbstractListModel>

#include "app/gui/project_document.h"

namespace thornwood::gui {

/// The problems panel: the document's validation diagnostics, one row each, as
/// "place: problem" with the severity; refreshed when the document's problems change.
class ProblemsModel : public QAbstractListModel {
  Q_OBJECT

 public:
  explicit ProblemsModel(ProjectDocument& document, QObject* parent = nullptr);

  /// Role holding a problem's place (a JSON pointer), to go to the element.
  static constexpr int kPlaceRole = Qt::UserRole;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  ProjectDocument& m_document;
  std::vector<core::Diagnostic> m_rows;
};

}  // namespace thornwood::gui
