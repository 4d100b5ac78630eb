#include "app/gui/resilience_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

#include "models/names.h"

namespace thornwood::gui {

namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

QString money(double v) { return QLocale::c().toString(v, 'g', 10); }

QStandardItem* cell(const QString& text) {
  auto* item = new QStandardItem(text);
  item->setEditable(false);
  return item;
}

}  // namespace

ResilienceModel::ResilienceModel(ProjectDocument& document, QObject* parent) : QStandardItemModel(parent), m_document(document) {
  setHorizontalHeaderLabels({tr("Goal / mitigation"), tr("Status"), tr("Cost"), tr("Threats and hazards addressed")});
  reload();
  connect(&m_document, &ProjectDocument::projectReplaced, this, &ResilienceModel::reload);
  connect(&m_document, &ProjectDocument::listChanged, this, &ResilienceModel::reload);
  connect(&m_document, &ProjectDocument::elementChanged, this, &ResilienceModel::reload);
}

void ResilienceModel::reload() {
  removeRows(0, rowCount());
  const models::Project& p = m_document.project();
  for (std::size_t k = 0; k < models::Names<models::ResiliencePhase>::values.size(); ++k) {
    const auto phase = static_cast<models::ResiliencePhase>(k);
    QList<QStandardItem*> mitigations;
    int total = 0, inPlace = 0;
    double costInPlace = 0;
    QList<QList<QStandardItem*>> rows;
    for (const auto& m : p.mitigations) {
      if (m.phase != phase) continue;
      ++total;
      if (models::inPlace(m)) {
        ++inPlace;
        costInPlace += m.cost;
      }
      QStringList addressed;
      for (const auto& t : p.threats) {
        if (std::find(t.mitigations.begin(), t.mitigations.end(), m.id) != t.mitigations.end()) addressed << q(t.id);
      }
      for (const auto& h : p.hazards) {
        if (std::find(h.mitigations.begin(), h.mitigations.end(), m.id) != h.mitigations.end()) addressed << q(h.id);
      }
      auto* name = cell(q(m.title.empty() ? m.id : m.title));
      name->setData(q(m.id), kIdRole);
      name->setToolTip(q(m.description));
      auto* status = cell(q(models::nameOf(m.status)));
      status->setForeground(models::inPlace(m) ? QColor(46, 125, 50) : QColor(161, 92, 0));
      auto* cost = cell(money(m.cost));
      cost->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      rows.push_back({name, status, cost, cell(addressed.join(QStringLiteral(", ")))});
    }
    QString goal = q(models::nameOf(phase));
    goal[0] = goal[0].toUpper();
    auto* head = cell(goal);
    QFont bold = head->font();
    bold.setBold(true);
    head->setFont(bold);
    auto* count = cell(total == 0 ? tr("nothing serves this goal") : tr("%1 of %2 in place").arg(inPlace).arg(total));
    if (inPlace == 0) count->setForeground(QColor(198, 40, 40));
    auto* cost = cell(money(costInPlace));
    cost->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    cost->setToolTip(tr("Cost of the mitigations in place"));
    for (auto& row : rows) head->appendRow(row);
    appendRow({head, count, cost, cell(QString())});
  }
}

ResilienceView::ResilienceView(ProjectDocument& document, QWidget* parent) : QWidget(parent) {
  m_model = new ResilienceModel(document, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* intro = new QLabel(tr("Mitigations by the resilience goal they serve (NIST SP 800-160 vol. 2). A goal with nothing in "
                              "place is a weakness of the design, whatever the threat list says. Set a mitigation's goal in "
                              "its <i>phase</i>; double-click one to open it."));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  m_tree = new QTreeView;
  m_tree->setModel(m_model);
  m_tree->setUniformRowHeights(true);
  m_tree->setAlternatingRowColors(true);
  m_tree->header()->setStretchLastSection(true);
  layout->addWidget(m_tree, 1);
  auto expand = [this] {
    m_tree->expandAll();
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    m_tree->resizeColumnToContents(2);
  };
  connect(m_model, &QAbstractItemModel::rowsInserted, this, expand);
  expand();
  connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const QString id = index.siblingAtColumn(0).data(ResilienceModel::kIdRole).toString();
    if (!id.isEmpty()) emit mitigationActivated(id);
  });
}

}  // namespace thornwood::gui
