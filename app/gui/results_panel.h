#pragma once

#include <QWidget>
#include <memory>

#include "app/gui/live_analysis.h"

class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace thornwood::gui {

/// The results dock: for the selected tree its probability before and after mitigation, its
/// cut sets or attack scenarios (a sortable table), the attacker's least cost, time and skill,
/// and the Pareto front of cost against success probability as a scatter plot; for the
/// project, threats by STRIDE category and status, the mitigations' coverage, and what
/// re-running the threat rules would change. It shows results, never computes them.
class ResultsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  void showResults(std::shared_ptr<const LiveResults> results);
  /// Shows a fault or attack tree by id; false when the results have no such tree.
  bool selectTree(const QString& id);
  QString currentTree() const;

  // What the panel shows, for tests and screenshots.
  QString summaryText() const;
  const QStandardItemModel* cutSets() const { return m_cutSets; }
  QTableView* cutSetView() const { return m_cutSetView; }
  const QTableWidget* strideTable() const { return m_stride; }
  QString coverageText() const;
  /// Points of the Pareto front plotted: (cost, probability).
  QList<QPointF> frontPoints() const;
  QTabWidget* tabs() const { return m_tabs; }

 signals:
  /// A cut set or scenario was selected: its event or leaf ids.
  void cutSetSelected(const QStringList& elements);
  /// The user asked to apply what the rules found.
  void updateThreatsRequested();

 private:
  void refreshTree();
  void refreshProject();
  void showFaultTree(const models::FaultTreeAnalysis& tree);
  void showAttackTree(const models::AttackTreeAnalysis& tree);

  std::shared_ptr<const LiveResults> m_results;
  QTabWidget* m_tabs = nullptr;
  QComboBox* m_tree = nullptr;
  QLabel* m_summary = nullptr;
  QStandardItemModel* m_cutSets = nullptr;
  QSortFilterProxyModel* m_sorted = nullptr;
  QTableView* m_cutSetView = nullptr;
  QChartView* m_chart = nullptr;
  QTableWidget* m_stride = nullptr;
  QLabel* m_coverage = nullptr;
  QLabel* m_rules = nullptr;
  QPushButton* m_updateThreats = nullptr;
};

}  // namespace thornwood::gui
