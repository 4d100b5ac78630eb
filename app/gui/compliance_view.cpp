#include "app/gui/compliance_view.h"

#include <QApplication>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "app/gui/commands.h"
#include "models/names.h"

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

bool headless() { return qApp->property("thornwood.headless").toBool(); }

int rankOf(models::RequirementState s) {
  switch (s) {
    case models::RequirementState::Gap: return 0;
    case models::RequirementState::Planned: return 1;
    case models::RequirementState::Met: return 2;
    case models::RequirementState::NotApplicable: return 3;
  }
  return 0;
}

QColor stateTint(models::RequirementState s) {
  switch (s) {
    case models::RequirementState::Met: return QColor(226, 242, 226);
    case models::RequirementState::Planned: return QColor(253, 240, 214);
    case models::RequirementState::Gap: return QColor(251, 226, 224);
    case models::RequirementState::NotApplicable: return QColor(238, 239, 241);
  }
  return {};
}

QString baselineLabel(const models::BaselineCoverage& b) {
  return QStringLiteral("%1%2 \u2014 %3% met").arg(q(b.title), b.edition.empty() ? QString() : QStringLiteral(" ") + q(b.edition))
      .arg(static_cast<int>(b.share() * 100 + 1e-9));
}

}  // namespace

// ---- the model ------------------------------------------------------------------------------

ComplianceModel::ComplianceModel(ProjectDocument& document, QObject* parent) : QAbstractTableModel(parent), m_document(document) {
  reload();
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] {
    m_baseline = 0;
    reload();
  });
  connect(&m_document, &ProjectDocument::listChanged, this, &ComplianceModel::reload);
  connect(&m_document, &ProjectDocument::elementChanged, this, &ComplianceModel::reload);
}

void ComplianceModel::reload() {
  beginResetModel();
  m_coverage = models::coverage(m_document.project());
  m_baseline = std::clamp(m_baseline, 0, std::max(0, static_cast<int>(m_coverage.size()) - 1));
  endResetModel();
  emit baselinesChanged();
}

void ComplianceModel::setBaseline(int index) {
  const int clamped = std::clamp(index, 0, std::max(0, static_cast<int>(m_coverage.size()) - 1));
  if (clamped == m_baseline) return;
  beginResetModel();
  m_baseline = clamped;
  endResetModel();
}

const models::BaselineCoverage* ComplianceModel::current() const {
  return m_coverage.empty() ? nullptr : &m_coverage[static_cast<std::size_t>(m_baseline)];
}

int ComplianceModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !current()) return 0;
  return static_cast<int>(current()->requirements.size());
}

int ComplianceModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ComplianceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Requirement: return tr("Requirement");
    case Title: return tr("Title");
    case Status: return tr("Status");
    case State: return tr("State");
    case Evidence: return tr("Mitigations");
    case Addresses: return tr("Threats and hazards");
    case Reason: return tr("Why not applicable");
    default: return {};
  }
}

QVariant ComplianceModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !current() || index.row() >= rowCount()) return {};
  const models::RequirementCoverage& rc = current()->requirements[static_cast<std::size_t>(index.row())];
  const models::CatalogueRequirement& req = *rc.requirement;
  switch (role) {
    case kStateRole: return static_cast<int>(rc.state);
    case kRequirementRole: return q(req.id);
    case kMitigationsRole: {
      QStringList ids;
      for (const auto& m : rc.mitigations) ids << q(m);
      return ids;
    }
    case kSortRole:
      if (index.column() == State) return rankOf(rc.state) * 10000 + index.row();
      return data(index, Qt::DisplayRole);
    case Qt::BackgroundRole:
      return stateTint(rc.state);
    case Qt::ToolTipRole: {
      QString tip = QStringLiteral("<b>%1</b> %2<br>%3").arg(q(req.id).toHtmlEscaped(), q(req.title).toHtmlEscaped(),
                                                            q(req.summary).toHtmlEscaped());
      if (!req.related.empty()) {
        QStringList links;
        for (const auto& l : req.related) links << q(l.baseline + " " + l.requirement).toHtmlEscaped();
        tip += tr("<br><i>Related (stated cross-walk):</i> %1").arg(links.join(QStringLiteral(", ")));
      }
      return tip;
    }
    case Qt::DisplayRole:
      break;
    default:
      return {};
  }
  switch (index.column()) {
    case Requirement: return q(req.id);
    case Title: return q(req.title);
    case Status: return q(models::describeStatus(rc.status));
    case State: return q(std::string(models::describe(rc.state)));
    case Evidence: {
      QStringList items;
      for (const auto& id : rc.mitigations) {
        for (const auto& m : m_document.project().mitigations) {
          if (m.id == id) items << QStringLiteral("%1 (%2)").arg(q(m.title.empty() ? m.id : m.title), q(std::string(models::nameOf(m.status))));
        }
      }
      return items.join(QStringLiteral("; "));
    }
    case Addresses: {
      QStringList ids;
      for (const auto& t : rc.threats) ids << q(t);
      for (const auto& h : rc.hazards) ids << q(h);
      return ids.join(QStringLiteral(", "));
    }
    case Reason: return q(rc.justification);
    default: return {};
  }
}

// ---- the filter -----------------------------------------------------------------------------

ComplianceFilter::ComplianceFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(ComplianceModel::kSortRole);
}

void ComplianceFilter::setGapsOnly(bool on) {
  if (on == m_gapsOnly) return;
  m_gapsOnly = on;
  invalidateFilter();
}

bool ComplianceFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
  if (!m_gapsOnly) return true;
  const QModelIndex i = sourceModel()->index(row, 0, parent);
  return i.data(ComplianceModel::kStateRole).toInt() == static_cast<int>(models::RequirementState::Gap);
}

// ---- the view -------------------------------------------------------------------------------

ComplianceView::ComplianceView(ProjectDocument& document, QWidget* parent) : QWidget(parent), m_document(document) {
  m_model = new ComplianceModel(document, this);
  m_filter = new ComplianceFilter(this);
  m_filter->setSourceModel(m_model);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  m_chooser = new QComboBox;
  m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_gapsOnly = new QCheckBox(tr("Gaps only"));
  auto* baselines = new QPushButton(tr("Baselines..."));
  baselines->setToolTip(tr("Choose the baselines the product is assessed against"));
  m_notApplicable = new QPushButton(tr("Not Applicable..."));
  m_notApplicable->setToolTip(tr("Mark the selected requirement as not applicable, with the reason (or make it apply again)"));
  bar->addWidget(new QLabel(tr("Baseline:")));
  bar->addWidget(m_chooser);
  bar->addWidget(m_gapsOnly);
  bar->addStretch(1);
  bar->addWidget(m_notApplicable);
  bar->addWidget(baselines);
  layout->addLayout(bar);
  m_summary = new QLabel;
  m_summary->setTextFormat(Qt::RichText);
  layout->addWidget(m_summary);
  m_table = new QTableView;
  m_table->setModel(m_filter);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(ComplianceModel::State, Qt::AscendingOrder);
  m_table->verticalHeader()->hide();
  m_table->setWordWrap(false);
  m_table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(m_table, 1);

  connect(m_model, &ComplianceModel::baselinesChanged, this, &ComplianceView::refreshChooser);
  connect(m_chooser, &QComboBox::activated, this, [this](int index) {
    m_model->setBaseline(index);
    refreshChooser();
  });
  connect(m_gapsOnly, &QCheckBox::toggled, m_filter, &ComplianceFilter::setGapsOnly);
  connect(baselines, &QPushButton::clicked, this, &ComplianceView::chooseBaselines);
  connect(m_notApplicable, &QPushButton::clicked, this, &ComplianceView::markNotApplicable);
  connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
    const QStringList ids = index.data(ComplianceModel::kMitigationsRole).toStringList();
    if (ids.isEmpty()) {
      emit message(tr("No mitigation serves %1 yet: add one in Mitigations and give it this requirement")
                       .arg(index.data(ComplianceModel::kRequirementRole).toString()));
      return;
    }
    emit mitigationActivated(ids.front());
  });
  refreshChooser();
}

void ComplianceView::refreshChooser() {
  const QSignalBlocker block(m_chooser);
  m_chooser->clear();
  for (const auto& b : m_model->baselines()) m_chooser->addItem(baselineLabel(b), q(b.baseline));
  m_chooser->setCurrentIndex(m_model->baseline());
  const models::BaselineCoverage* b = m_model->current();
  m_notApplicable->setEnabled(b != nullptr);
  if (!b) {
    m_summary->setText(tr("The project selects no compliance baseline. Choose <b>Baselines...</b> to assess it against "
                          "ETSI EN 303 645, NISTIR 8259A/B, the ENISA baseline, the DHS principles or the FDA guidance."));
    return;
  }
  m_summary->setText(tr("<b>%1%</b> of the applicable requirements met: <span style='color:#c62828'>%2 gaps</span>, "
                        "<span style='color:#a15c00'>%3 planned</span>, <span style='color:#2e7d32'>%4 met</span>, %5 not applicable. "
                        "Double-click a requirement to open its mitigation.")
                         .arg(static_cast<int>(b->share() * 100 + 1e-9))
                         .arg(b->gaps)
                         .arg(b->planned)
                         .arg(b->met)
                         .arg(b->notApplicable));
  m_table->resizeColumnsToContents();
  for (int c = 0; c < m_filter->columnCount(); ++c) m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 300));
}

bool ComplianceView::setNotApplicable(const QString& requirement, const QString& reason, bool applies) {
  const models::BaselineCoverage* b = m_model->current();
  if (!b) return false;
  models::Compliance c = m_document.project().compliance;
  for (auto& sel : c.baselines) {
    if (sel.baseline != b->baseline) continue;
    auto it = std::find_if(sel.notApplicable.begin(), sel.notApplicable.end(),
                           [&](const auto& n) { return n.requirement == requirement.toStdString(); });
    if (applies) {
      if (it == sel.notApplicable.end()) return false;
      sel.notApplicable.erase(it);
      m_document.undoStack().push(new SetComplianceCommand(m_document, c, tr("%1 applies again").arg(requirement)));
      return true;
    }
    if (reason.trimmed().isEmpty()) {
      emit message(tr("A requirement is not applicable only with a reason (EN 303 645 asks for one)"));
      return false;
    }
    if (it != sel.notApplicable.end()) it->justification = reason.trimmed().toStdString();
    else sel.notApplicable.push_back(models::NotApplicable{requirement.toStdString(), reason.trimmed().toStdString()});
    m_document.undoStack().push(new SetComplianceCommand(m_document, c, tr("Mark %1 not applicable").arg(requirement)));
    return true;
  }
  return false;
}

bool ComplianceView::selectBaseline(const QString& baseline, const QString& edition) {
  const models::Catalogue* cat = models::findCatalogue(baseline.toStdString());
  if (!cat) return false;
  if (!cat->editions.empty() && std::find(cat->editions.begin(), cat->editions.end(), edition.toStdString()) == cat->editions.end()) {
    return false;
  }
  models::Compliance c = m_document.project().compliance;
  auto it = std::find_if(c.baselines.begin(), c.baselines.end(), [&](const auto& s) { return s.baseline == cat->id; });
  const std::string ed = cat->editions.empty() ? std::string() : edition.toStdString();
  if (it != c.baselines.end()) {
    if (it->edition == ed) return false;
    it->edition = ed;
  } else {
    c.baselines.push_back(models::BaselineSelection{cat->id, ed, {}});
  }
  m_document.undoStack().push(new SetComplianceCommand(m_document, c, tr("Select %1").arg(q(cat->title))));
  return true;
}

bool ComplianceView::dropBaseline(const QString& baseline) {
  models::Compliance c = m_document.project().compliance;
  const auto before = c.baselines.size();
  std::erase_if(c.baselines, [&](const auto& s) { return s.baseline == baseline.toStdString(); });
  if (c.baselines.size() == before) return false;
  m_document.undoStack().push(new SetComplianceCommand(m_document, c, tr("Drop baseline %1").arg(baseline)));
  return true;
}

void ComplianceView::chooseBaselines() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Baselines"));
  auto* form = new QFormLayout(&dialog);
  form->addRow(new QLabel(tr("The baselines the product is assessed against:")));
  struct Row {
    const models::Catalogue* catalogue;
    QCheckBox* box;
    QComboBox* edition;
  };
  std::vector<Row> rows;
  for (const auto& cat : models::catalogues()) {
    auto* box = new QCheckBox(q(cat.title));
    QComboBox* edition = nullptr;
    const auto& selected = m_document.project().compliance.baselines;
    const auto it = std::find_if(selected.begin(), selected.end(), [&](const auto& s) { return s.baseline == cat.id; });
    box->setChecked(it != selected.end());
    if (!cat.editions.empty()) {
      edition = new QComboBox;
      for (const auto& e : cat.editions) edition->addItem(q(e));
      if (it != selected.end()) edition->setCurrentText(q(it->edition));
      else edition->setCurrentIndex(edition->count() - 1);
    }
    form->addRow(box, edition);
    rows.push_back({&cat, box, edition});
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  // One undo step for the whole choice: the selections in the catalogues' order, each
  // keeping the not-applicable entries it had.
  models::Compliance c = m_document.project().compliance;
  std::vector<models::BaselineSelection> chosen;
  for (const Row& r : rows) {
    if (!r.box->isChecked()) continue;
    const auto it = std::find_if(c.baselines.begin(), c.baselines.end(), [&](const auto& s) { return s.baseline == r.catalogue->id; });
    models::BaselineSelection sel = it != c.baselines.end() ? *it : models::BaselineSelection{r.catalogue->id, {}, {}};
    sel.edition = r.edition ? r.edition->currentText().toStdString() : std::string();
    chosen.push_back(std::move(sel));
  }
  if (chosen == c.baselines) return;
  c.baselines = std::move(chosen);
  m_document.undoStack().push(new SetComplianceCommand(m_document, c, tr("Choose baselines")));
}

void ComplianceView::markNotApplicable() {
  const QModelIndex index = m_table->currentIndex();
  if (!index.isValid()) {
    emit message(tr("Select a requirement first"));
    return;
  }
  const QString requirement = index.data(ComplianceModel::kRequirementRole).toString();
  const bool already = index.data(ComplianceModel::kStateRole).toInt() == static_cast<int>(models::RequirementState::NotApplicable);
  if (headless()) return;
  bool ok = false;
  const QString current = m_filter->index(index.row(), ComplianceModel::Reason).data().toString();
  const QString reason = QInputDialog::getMultiLineText(
      this, tr("Not applicable"),
      already ? tr("Why %1 does not apply (clear the text to make it apply again):").arg(requirement)
              : tr("Why %1 does not apply to this product:").arg(requirement),
      current, &ok);
  if (!ok) return;
  if (already && reason.trimmed().isEmpty()) setNotApplicable(requirement, {}, true);
  else setNotApplicable(requirement, reason);
}

}  // namespace thornwood::gui
