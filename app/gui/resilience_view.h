#pragma once

// The resilience view (issue #7): the mitigations by the resilience goal they serve
// (anticipate, withstand, recover, evolve; NIST SP 800-160 vol. 2), each goal with how many
// are in place and what they cost, each mitigation with its status, cost and the threats and
// hazards it addresses. A goal with nothing in place stands out. Follows the document.

#include <QStandardItemModel>
#include <QWidget>

#include "app/gui/project_document.h"

class QTreeView;
class QLabel;

namespace thornwood::gui {

class ResilienceModel : public QStandardItemModel {
  Q_OBJECT

 public:
  static constexpr int kIdRole = Qt::UserRole + 1;  ///< a mitigation's id; empty on a goal's row
  explicit ResilienceModel(ProjectDocument& document, QObject* parent = nullptr);

 private:
  void reload();
  ProjectDocument& m_document;
};

class ResilienceView : public QWidget {
  Q_OBJECT

 public:
  explicit ResilienceView(ProjectDocument& document, QWidget* parent = nullptr);
  ResilienceModel& model() { return *m_model; }
  QTreeView& tree() { return *m_tree; }

 signals:
  void mitigationActivated(const QString& id);

 private:
  ResilienceModel* m_model = nullptr;
  QTreeView* m_tree = nullptr;
};

}  // namespace thornwood::gui
