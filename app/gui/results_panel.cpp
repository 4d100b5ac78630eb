#include "app/gui/results_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

#include "models/names.h"

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString num(double v) { return QString::number(v, 'g', 6); }
QString num(const std::optional<double>& v) { return v ? num(*v) : QStringLiteral("—"); }
QString spelt(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())).replace('_', ' '); }

/// A cell that sorts by its number, shows it to 6 digits and keeps every digit in the tip.
QStandardItem* numberItem(const std::optional<double>& v) {
  auto* item = new QStandardItem;
  if (v) {
    item->setData(*v, Qt::UserRole);
    item->setText(num(*v));
    item->setToolTip(QString::number(*v, 'g', 17));
  } else {
    item->setData(QVariant(), Qt::UserRole);
    item->setText(QStringLiteral("—"));
  }
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  item->setEditable(false);
  return item;
}

QStandardItem* textItem(const QString& text) {
  auto* item = new QStandardItem(text);
  item->setData(text, Qt::UserRole);
  item->setEditable(false);
  return item;
}

constexpr int kElementsRole = Qt::UserRole + 1;  ///< on a row's first cell: the ids of its events

}  // namespace

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
  m_tabs = new QTabWidget(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_tabs);

  // The selected tree.
  auto* treePage = new QWidget;
  auto* treeLayout = new QVBoxLayout(treePage);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Tree:")));
  m_tree = new QComboBox;
  m_tree->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  top->addWidget(m_tree);
  top->addStretch(1);
  treeLayout->addLayout(top);
  m_summary = new QLabel;
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  // Figures on the left, the cut sets in the middle, the front on the right: all full height.
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(m_summary);
  m_cutSets = new QStandardItemModel(this);
  m_sorted = new QSortFilterProxyModel(this);
  m_sorted->setSourceModel(m_cutSets);
  m_sorted->setSortRole(Qt::UserRole);
  m_cutSetView = new QTableView;
  m_cutSetView->setModel(m_sorted);
  m_cutSetView->setSortingEnabled(true);
  m_cutSetView->sortByColumn(0, Qt::AscendingOrder);  // by rank until the user asks otherwise
  m_cutSetView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_cutSetView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_cutSetView->verticalHeader()->hide();
  m_cutSetView->horizontalHeader()->setStretchLastSection(false);
  split->addWidget(m_cutSetView);
  m_chart = new QChartView;
  m_chart->setRenderHint(QPainter::Antialiasing);
  m_chart->setMinimumWidth(340);
  split->addWidget(m_chart);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 3);
  split->setStretchFactor(2, 2);
  treeLayout->addWidget(split, 1);
  m_tabs->addTab(treePage, tr("Tree"));

  // The project.
  auto* projectPage = new QWidget;
  auto* projectLayout = new QVBoxLayout(projectPage);
  m_stride = new QTableWidget;
  m_stride->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_stride->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  projectLayout->addWidget(new QLabel(tr("<b>Threats by STRIDE category and status</b> (obsolete threats left out)")));
  projectLayout->addWidget(m_stride, 1);
  m_coverage = new QLabel;
  m_coverage->setTextFormat(Qt::RichText);
  m_coverage->setWordWrap(true);
  projectLayout->addWidget(m_coverage);
  auto* rulesRow = new QHBoxLayout;
  m_rules = new QLabel;
  m_rules->setWordWrap(true);
  rulesRow->addWidget(m_rules, 1);
  m_updateThreats = new QPushButton(tr("Update threats"));
  m_updateThreats->setToolTip(tr("Apply what the threat rules found (one undoable step)"));
  rulesRow->addWidget(m_updateThreats);
  projectLayout->addLayout(rulesRow);
  m_tabs->addTab(projectPage, tr("Project"));

  connect(m_tree, &QComboBox::currentIndexChanged, this, &ResultsPanel::refreshTree);
  connect(m_updateThreats, &QPushButton::clicked, this, &ResultsPanel::updateThreatsRequested);
  connect(m_cutSetView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    const QModelIndexList rows = m_cutSetView->selectionModel()->selectedRows(0);
    if (rows.isEmpty()) return;
    emit cutSetSelected(m_sorted->mapToSource(rows.front()).data(kElementsRole).toStringList());
  });
  showResults(nullptr);
}

void ResultsPanel::showResults(std::shared_ptr<const LiveResults> results) {
  m_results = std::move(results);
  const QString keep = currentTree();
  {
    const QSignalBlocker block(m_tree);
    m_tree->clear();
    if (m_results && m_results->analysis) {
      for (const auto& f : m_results->project.faultTrees) {
        m_tree->addItem(tr("Fault tree: %1").arg(q(f.name.empty() ? f.id : f.name)), q(f.id));
      }
      for (const auto& a : m_results->project.attackTrees) {
        m_tree->addItem(tr("Attack tree: %1").arg(q(a.name.empty() ? a.id : a.name)), q(a.id));
      }
    }
    const int at = m_tree->findData(keep);
    m_tree->setCurrentIndex(at >= 0 ? at : (m_tree->count() > 0 ? 0 : -1));
  }
  refreshTree();
  refreshProject();
}

bool ResultsPanel::selectTree(const QString& id) {
  const int at = m_tree->findData(id);
  if (at < 0) return false;
  m_tree->setCurrentIndex(at);
  return true;
}

QString ResultsPanel::currentTree() const { return m_tree->currentData().toString(); }

QString ResultsPanel::summaryText() const { return m_summary->text(); }

QString ResultsPanel::coverageText() const { return m_coverage->text(); }

QList<QPointF> ResultsPanel::frontPoints() const {
  QList<QPointF> out;
  if (!m_chart->chart()) return out;
  for (QAbstractSeries* s : m_chart->chart()->series()) {
    if (auto* scatter = qobject_cast<QScatterSeries*>(s)) out += scatter->points();
  }
  return out;
}

void ResultsPanel::refreshTree() {
  m_cutSets->clear();
  auto* chart = new QChart;
  chart->legend()->hide();
  m_chart->setChart(chart);  // the view owns it and deletes the one before
  m_chart->setVisible(false);
  if (!m_results) {
    m_summary->setText(tr("No analysis yet."));
    return;
  }
  if (!m_results->analysis) {
    m_summary->setText(tr("The project has problems (see the Problems panel); the analysis waits until they are fixed."));
    return;
  }
  if (m_results->cancelled) {
    m_summary->setText(tr("Analysing…"));
    return;
  }
  const std::string id = currentTree().toStdString();
  for (const auto& f : m_results->analysis->faultTrees) {
    if (f.id == id) return showFaultTree(f);
  }
  for (const auto& a : m_results->analysis->attackTrees) {
    if (a.id == id) return showAttackTree(a);
  }
  m_summary->setText(tr("The project has no trees."));
}

void ResultsPanel::showFaultTree(const models::FaultTreeAnalysis& tree) {
  const auto& before = tree.before.result;
  const auto& after = tree.after.result;
  if (!after) {
    m_summary->setText(tr("The analysis of this tree stopped at a limit (see the Problems panel)."));
    return;
  }
  QString text = QStringLiteral("<table cellspacing=2>");
  auto row = [&](const QString& label, const QString& value) {
    text += QStringLiteral("<tr><td>%1</td><td align=right><b>%2</b></td></tr>").arg(label, value);
  };
  row(tr("P(top), no mitigation"), before ? num(before->probability) : QStringLiteral("—"));
  row(tr("P(top), mitigations in place"), num(after->probability));
  row(tr("Minimal cut sets"), QString::number(after->cutSets.count) + (after->cutSets.saturated ? QStringLiteral("+") : QString()));
  if (!after->coherent) row(tr("Note"), tr("non-coherent: cut sets of the monotone part"));
  text += QStringLiteral("</table>");
  m_summary->setText(text);

  m_cutSets->setHorizontalHeaderLabels({tr("#"), tr("Order"), tr("Probability"), tr("Events")});
  const core::LogicGraph& g = tree.after.graph;
  int rank = 0;
  for (const auto& set : after->cutSets.list) {
    double p = 1;
    bool known = true;
    QStringList names;
    QStringList ids;
    for (core::NodeId v : set) {
      const auto pv = g.probability(v);
      if (pv) p *= *pv; else known = false;
      names << q(g.name(v));
      ids << q(g.name(v));
    }
    QList<QStandardItem*> items{numberItem(++rank), numberItem(static_cast<double>(set.size())),
                                numberItem(known ? std::optional<double>(p) : std::nullopt), textItem(names.join(QStringLiteral(" · ")))};
    items.front()->setData(ids, kElementsRole);
    m_cutSets->appendRow(items);
  }
  m_cutSetView->resizeColumnsToContents();
}

void ResultsPanel::showAttackTree(const models::AttackTreeAnalysis& tree) {
  const auto it = m_results->attacks.find(tree.id);
  const auto& before = tree.before.result;
  const auto& after = tree.after.result;
  QString text = QStringLiteral("<table cellspacing=2>");
  auto row = [&](const QString& label, const QString& value) {
    text += QStringLiteral("<tr><td>%1</td><td align=right><b>%2</b></td></tr>").arg(label, value);
  };
  row(tr("P(success), no mitigation"), before ? num(before->probability) : QStringLiteral("—"));
  row(tr("P(success), mitigations in place"), after ? num(after->probability) : QStringLiteral("—"));
  if (it != m_results->attacks.end()) {
    const models::AttackAnalysis& a = it->second;
    row(tr("Attack scenarios left"), QString::number(a.scenarioCount));
    for (const auto& m : a.metrics) {
      const QString label = m.metric == models::AttackMetric::Cost    ? tr("Attacker's least cost")
                            : m.metric == models::AttackMetric::Time  ? tr("Attacker's least time (h)")
                            : m.metric == models::AttackMetric::Skill ? tr("Least skill needed")
                                                                      : tr("Greatest success probability");
      row(label, m.value ? num(*m.value) : (a.scenarioCount == 0 ? tr("no attack left") : QStringLiteral("—")));
    }
  }
  row(tr("Semantics"), QStringLiteral("<span title=\"%1\">%2</span>")
                           .arg(tr("Exact over the tree's sets of leaves: a node shared by several parents is counted once"),
                                tr("exact (sets)")));
  text += QStringLiteral("</table>");
  m_summary->setText(text);
  if (it == m_results->attacks.end()) return;
  const models::AttackAnalysis& a = it->second;

  m_cutSets->setHorizontalHeaderLabels({tr("#"), tr("Cost"), tr("Time (h)"), tr("Skill"), tr("Probability"), tr("Steps")});
  int rank = 0;
  for (const auto& s : a.scenarios) {
    QStringList leaves;
    for (const auto& l : s.leaves) leaves << q(l);
    QList<QStandardItem*> items{numberItem(++rank), numberItem(s.cost), numberItem(s.time), numberItem(s.skill),
                                numberItem(s.probability), textItem(leaves.join(QStringLiteral(" · ")))};
    items.front()->setData(leaves, kElementsRole);
    m_cutSets->appendRow(items);
  }
  m_cutSetView->resizeColumnsToContents();

  if (a.costProbability.empty()) return;
  QChart* chart = m_chart->chart();
  chart->setTitle(tr("Pareto front: cost vs P(success)"));
  auto* line = new QLineSeries;
  auto* points = new QScatterSeries;
  points->setMarkerSize(9);
  double maxCost = 0;
  for (const auto& pt : a.costProbability) {
    points->append(pt.cost, pt.other);
    line->append(pt.cost, pt.other);
    maxCost = std::max(maxCost, pt.cost);
  }
  chart->addSeries(line);
  chart->addSeries(points);
  auto* x = new QValueAxis;
  x->setTitleText(tr("cost"));
  x->setRange(0, maxCost > 0 ? maxCost * 1.1 : 1);
  x->setLabelFormat(QStringLiteral("%g"));
  auto* y = new QValueAxis;
  y->setTitleText(tr("P(success)"));
  y->setRange(0, 1);
  y->setLabelFormat(QStringLiteral("%.2f"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(line), static_cast<QAbstractSeries*>(points)}) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  m_chart->setVisible(true);
}

void ResultsPanel::refreshProject() {
  using models::Stride;
  using models::ThreatStatus;
  constexpr int kStride = 6, kStatus = 5;
  m_stride->clear();
  m_stride->setRowCount(kStride + 1);
  m_stride->setColumnCount(kStatus + 1);
  QStringList columns, rows;
  for (std::string_view s : models::Names<ThreatStatus>::values) columns << spelt(s);
  columns << tr("total");
  for (std::string_view s : models::Names<Stride>::values) rows << spelt(s);
  rows << tr("total");
  m_stride->setHorizontalHeaderLabels(columns);
  m_stride->setVerticalHeaderLabels(rows);
  int counts[kStride + 1][kStatus + 1] = {};
  if (m_results) {
    for (const auto& t : m_results->project.threats) {
      if (t.obsolete) continue;
      const int r = static_cast<int>(t.category), c = static_cast<int>(t.status);
      ++counts[r][c];
      ++counts[r][kStatus];
      ++counts[kStride][c];
      ++counts[kStride][kStatus];
    }
  }
  for (int r = 0; r <= kStride; ++r) {
    for (int c = 0; c <= kStatus; ++c) {
      auto* item = new QTableWidgetItem(QString::number(counts[r][c]));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (r == kStride || c == kStatus) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
      }
      m_stride->setItem(r, c, item);
    }
  }
  m_stride->resizeColumnsToContents();

  if (!m_results || !m_results->analysis) {
    m_coverage->setText(m_results ? tr("Coverage waits until the project's problems are fixed.") : QString());
  } else {
    const models::Coverage& c = m_results->analysis->coverage;
    m_coverage->setText(tr("<b>Coverage.</b> Threats mitigated: %1 of %2. Attack scenarios blocked by the mitigations in "
                           "place: %3 of %4%5.")
                            .arg(c.threatsMitigated)
                            .arg(c.threats)
                            .arg(c.scenariosBlocked)
                            .arg(c.scenarios)
                            .arg(c.scenariosExact ? QString() : tr(" (of those checked)")));
  }
  const bool change = m_results && m_results->rulesWouldChange();
  if (!m_results) {
    m_rules->clear();
  } else if (!change) {
    m_rules->setText(tr("The threats are up to date with the threat rules (%1 rules).").arg(m_results->rules.kept));
  } else {
    const models::MergeSummary& s = m_results->rules;
    m_rules->setText(tr("Re-running the threat rules would add %1, mark %2 obsolete, revive %3, mark %4 mitigated by "
                        "design and reopen %5.")
                         .arg(s.added)
                         .arg(s.obsoleted)
                         .arg(s.revived)
                         .arg(s.autoMitigated)
                         .arg(s.reopened));
  }
  m_updateThreats->setEnabled(change);
}

}  // namespace thornwood::gui
