#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QProgressDialog>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QGraphicsItem>
#include <QTreeView>
#include <QVBoxLayout>

#include "app/gui/autosave.h"
#include "app/gui/compliance_view.h"
#include "app/gui/export_dialog.h"
#include "app/gui/resilience_view.h"
#include "app/gui/commands.h"
#include "app/gui/element_table_model.h"
#include "app/gui/explorer_model.h"
#include "app/gui/field_delegate.h"
#include "app/gui/live_analysis.h"
#include "app/gui/node_property_model.h"
#include "app/gui/problems_model.h"
#include "app/gui/property_model.h"
#include "app/gui/results_panel.h"
#include "app/gui/system_diagram.h"
#include "app/gui/tree_editor.h"
#include "app/gui/threat_filter.h"
#include "exporters/project_report.h"
#include "models/names.h"
#include "models/validate.h"

namespace thornwood::gui {

namespace {

constexpr int kMaxRecent = 8;

bool headless() { return qApp->property("thornwood.headless").toBool(); }

QTableView* makeTable(QAbstractItemModel* model, QObject* delegateParent) {
  auto* view = new QTableView;
  view->setModel(model);
  view->setItemDelegate(new FieldDelegate(delegateParent));
  view->setSelectionBehavior(QAbstractItemView::SelectItems);
  view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                        QAbstractItemView::AnyKeyPressed);
  view->setAlternatingRowColors(true);
  view->setWordWrap(false);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  view->horizontalHeader()->setSectionsMovable(true);
  return view;
}

QString spelt(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())).replace('_', ' '); }

}  // namespace

MainWindow::MainWindow(QWidget* parent, const QString& recoveryDirectory) : QMainWindow(parent) {
  setObjectName("thornwood-main");
  m_document.undoStack().setUndoLimit(500);
  m_runner = new AnalysisRunner(m_document, this);
  m_autosaver = new Autosaver(m_document, recoveryDirectory, this);
  QSettings settings;
  m_autosaver->setInterval(settings.value("autosave/interval_s", 60).toInt());

  createEditors();
  createDocks();

  m_status = new QLabel(this);
  statusBar()->addWidget(m_status, 1);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 0);  // busy: the engine gives no fraction done
  m_progress->setMaximumWidth(160);
  m_progress->setFormat(tr("Analysing"));
  m_progress->hide();
  statusBar()->addPermanentWidget(m_progress);

  createMenus();

  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] {
    m_explorerView->expandToDepth(0);
    QTimer::singleShot(0, &m_system->view(), &DiagramView::zoomToFit);
    m_elementFilter->clear();
    m_elementFilter->addItem(tr("any element"), QString());
    for (ElementKind k : {ElementKind::Component, ElementKind::Flow, ElementKind::Zone}) {
      for (const QString& id : idsOf(m_document.project(), k)) m_elementFilter->addItem(id, id);
    }
    m_properties->setElement({});
    // Columns as wide as their contents, but no column wider than a long title needs.
    for (QTableView* view : {m_threatView, m_mitigationView, m_hazardView, m_componentView}) {
      view->resizeColumnsToContents();
      for (int c = 0; c < view->model()->columnCount(); ++c) view->setColumnWidth(c, std::min(view->columnWidth(c), 320));
    }
    refreshTitle();
  });
  connect(&m_document, &ProjectDocument::listChanged, this, [this] { m_explorerView->expandToDepth(0); });
  connect(&m_document.undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::refreshTitle);
  connect(&m_document, &ProjectDocument::modifiedChanged, this, &MainWindow::refreshTitle);
  connect(&m_document, &ProjectDocument::pathChanged, this, &MainWindow::refreshTitle);
  connect(m_runner, &AnalysisRunner::finished, this, [this] {
    m_results->showResults(m_runner->latest());
    refreshOverview();
  });
  connect(m_runner, &AnalysisRunner::slowChanged, m_progress, &QWidget::setVisible);
  connect(&m_document, &ProjectDocument::fileChangedOnDisk, this, [this](bool removed) {
    if (removed) {
      m_status->setText(tr("%1 was removed or renamed on disk; Save writes it again").arg(m_document.path()));
      return;
    }
    m_status->setText(tr("%1 was changed on disk").arg(m_document.path()));
    if (!headless()) QTimer::singleShot(0, this, [this] { offerReload(); });
  });
  connect(m_autosaver, &Autosaver::failed, this,
          [this](const QString& problem) { m_status->setText(tr("Autosave failed: %1").arg(problem)); });

  setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
  resize(1400, 900);
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  m_runner->runNow();
  refreshTitle();
}

MainWindow::~MainWindow() {
  // Before the document goes: its undo stack announces "clean" as it is cleared, which must
  // not read as a save and delete the recovery copy of unsaved work.
  delete m_autosaver;
  delete m_runner;
}

void MainWindow::createEditors() {
  m_editors = new QTabWidget(this);
  m_editors->setDocumentMode(true);
  setCentralWidget(m_editors);

  m_system = new SystemEditor(m_document);
  m_editors->addTab(m_system, tr("System"));
  connect(&m_system->diagram(), &SystemDiagram::elementActivated, this, [this](const QString& id) {
    if (id != m_selected) selectElement(id);
  });
  connect(m_system, &SystemEditor::message, this, [this](const QString& text) { m_status->setText(text); });

  m_trees = new TreeEditor(m_document);
  m_editors->addTab(m_trees, tr("Trees"));
  connect(m_trees, &TreeEditor::message, this, [this](const QString& text) { m_status->setText(text); });

  m_overview = new QPlainTextEdit;
  m_overview->setReadOnly(true);
  m_overview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_overview->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_editors->addTab(m_overview, tr("Overview"));

  // Threats: a filter bar over the table.
  m_threats = new ElementTableModel(m_document, ElementKind::Threat,
                                    {"id", "title", "category", "target", "status", "justification", "likelihood", "impact",
                                     "rule", "obsolete"},
                                    this);
  m_threatFilter = new ThreatFilter(this);
  m_threatFilter->setSourceModel(m_threats);
  m_threatFilter->setSortRole(ElementTableModel::kValueRole);
  auto* threatsPage = new QWidget;
  auto* threatsLayout = new QVBoxLayout(threatsPage);
  threatsLayout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  m_threatSearch = new QLineEdit;
  m_threatSearch->setPlaceholderText(tr("Filter by title or id"));
  m_threatSearch->setClearButtonEnabled(true);
  m_strideFilter = new QComboBox;
  m_strideFilter->addItem(tr("any STRIDE category"), QString());
  for (std::string_view s : models::Names<models::Stride>::values) m_strideFilter->addItem(spelt(s), QString::fromUtf8(s.data(), static_cast<int>(s.size())));
  m_statusFilter = new QComboBox;
  m_statusFilter->addItem(tr("any status"), QString());
  for (std::string_view s : models::Names<models::ThreatStatus>::values) m_statusFilter->addItem(spelt(s), QString::fromUtf8(s.data(), static_cast<int>(s.size())));
  m_elementFilter = new QComboBox;
  m_elementFilter->addItem(tr("any element"), QString());
  m_showObsolete = new QCheckBox(tr("Show obsolete"));
  bar->addWidget(m_threatSearch, 2);
  bar->addWidget(m_strideFilter);
  bar->addWidget(m_statusFilter);
  bar->addWidget(m_elementFilter);
  bar->addWidget(m_showObsolete);
  threatsLayout->addLayout(bar);
  m_threatView = makeTable(m_threatFilter, this);
  m_threatView->setSortingEnabled(true);
  m_threatView->sortByColumn(-1, Qt::AscendingOrder);
  threatsLayout->addWidget(m_threatView, 1);
  m_editors->addTab(threatsPage, tr("Threats"));
  connect(m_threatSearch, &QLineEdit::textChanged, m_threatFilter, &ThreatFilter::setText);
  connect(m_strideFilter, &QComboBox::currentIndexChanged, this,
          [this] { m_threatFilter->setCategory(m_strideFilter->currentData().toString()); });
  connect(m_statusFilter, &QComboBox::currentIndexChanged, this,
          [this] { m_threatFilter->setStatus(m_statusFilter->currentData().toString()); });
  connect(m_elementFilter, &QComboBox::currentIndexChanged, this,
          [this] { m_threatFilter->setElement(m_elementFilter->currentData().toString()); });
  connect(m_showObsolete, &QCheckBox::toggled, m_threatFilter, &ThreatFilter::setShowObsolete);

  m_mitigations = new ElementTableModel(m_document, ElementKind::Mitigation,
                                        {"id", "title", "status", "cost", "phase", "requirements", "effects"}, this);
  m_mitigationView = makeTable(m_mitigations, this);
  m_editors->addTab(m_mitigationView, tr("Mitigations"));

  m_hazards = new ElementTableModel(m_document, ElementKind::Hazard,
                                    {"id", "title", "severity_before", "likelihood_before", "severity_after",
                                     "likelihood_after", "fault_tree", "mitigations", "situation", "harm"},
                                    this);
  m_hazardView = makeTable(m_hazards, this);
  m_editors->addTab(m_hazardView, tr("Hazards"));

  m_components = new ElementTableModel(m_document, ElementKind::Component,
                                       {"id", "name", "kind", "authenticates_before_sending", "update_mechanism",
                                        "updates_authenticated", "secure_boot", "default_credentials", "debug_port_exposed",
                                        "tamper_detection", "physical_exposure", "wireless", "constrained",
                                        "stores_personal_data", "logs", "logs_integrity_protected", "redundancy_group"},
                                       this);
  m_componentView = makeTable(m_components, this);
  m_editors->addTab(m_componentView, tr("Components"));

  m_compliance = new ComplianceView(m_document);
  m_editors->addTab(m_compliance, tr("Compliance"));
  m_resilience = new ResilienceView(m_document);
  m_editors->addTab(m_resilience, tr("Resilience"));
  auto openMitigation = [this](const QString& id) {
    selectElement(id);
    showEditor(tr("Mitigations"));
  };
  connect(m_compliance, &ComplianceView::mitigationActivated, this, openMitigation);
  connect(m_resilience, &ResilienceView::mitigationActivated, this, openMitigation);
  connect(m_compliance, &ComplianceView::message, this, [this](const QString& text) { m_status->setText(text); });

  // Selecting a row anywhere selects its element everywhere.
  for (QTableView* view : {m_threatView, m_mitigationView, m_hazardView, m_componentView}) {
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
      const QString id = current.data(ElementTableModel::kIdRole).toString();
      if (!id.isEmpty() && id != m_selected) selectElement(id);
    });
  }
}

void MainWindow::createDocks() {
  m_explorer = new ExplorerModel(m_document, this);
  m_explorerView = new QTreeView(this);
  m_explorerView->setModel(m_explorer);
  m_explorerView->setHeaderHidden(true);
  m_explorerView->setUniformRowHeights(true);
  auto* explorerDock = new QDockWidget(tr("Project"), this);
  explorerDock->setObjectName("explorer");
  explorerDock->setWidget(m_explorerView);
  addDockWidget(Qt::LeftDockWidgetArea, explorerDock);
  connect(m_explorerView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
    const QString id = current.data(ExplorerModel::kIdRole).toString();
    if (!id.isEmpty() && id != m_selected) selectElement(id);
  });

  m_properties = new PropertyModel(m_document, this);
  m_propertyView = new QTableView(this);
  m_propertyView->setModel(m_properties);
  m_propertyView->setItemDelegate(new FieldDelegate(this));
  m_propertyView->verticalHeader()->hide();
  m_propertyView->horizontalHeader()->setStretchLastSection(true);
  m_propertyView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  m_propertyView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                  QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
  m_nodeProperties = new NodePropertyModel(m_document, this);
  connect(m_nodeProperties, &NodePropertyModel::refused, this, [this](const QString& why) { m_status->setText(why); });
  connect(&m_trees->scene(), &TreeScene::nodeActivated, this, [this](const QString& tree, const QString& node) {
    m_nodeProperties->setNode(tree, node);
    m_propertyView->setModel(m_nodeProperties);
    m_propertyView->resizeColumnToContents(0);
  });
  auto* propertyDock = new QDockWidget(tr("Properties"), this);
  propertyDock->setObjectName("properties");
  propertyDock->setWidget(m_propertyView);
  addDockWidget(Qt::RightDockWidgetArea, propertyDock);

  m_problems = new ProblemsModel(m_document, this);
  m_problemsView = new QListView(this);
  m_problemsView->setModel(m_problems);
  m_problemsView->setWordWrap(true);
  auto* problemsDock = new QDockWidget(tr("Problems"), this);
  problemsDock->setObjectName("problems");
  problemsDock->setWidget(m_problemsView);
  addDockWidget(Qt::BottomDockWidgetArea, problemsDock);
  connect(m_problemsView, &QListView::activated, this, [this](const QModelIndex& index) {
    const QString id = elementAtPointer(m_document.project(), index.data(ProblemsModel::kPlaceRole).toString());
    if (!id.isEmpty()) selectElement(id);
  });
  connect(m_problemsView, &QListView::clicked, m_problemsView, &QListView::activated);

  m_results = new ResultsPanel(this);
  auto* resultsDock = new QDockWidget(tr("Results"), this);
  resultsDock->setObjectName("results");
  resultsDock->setWidget(m_results);
  addDockWidget(Qt::BottomDockWidgetArea, resultsDock);
  splitDockWidget(problemsDock, resultsDock, Qt::Horizontal);
  resizeDocks({problemsDock, resultsDock}, {1, 3}, Qt::Horizontal);
  resizeDocks({explorerDock, propertyDock}, {260, 320}, Qt::Horizontal);
  resizeDocks({resultsDock}, {380}, Qt::Vertical);
  connect(m_results, &ResultsPanel::updateThreatsRequested, this, &MainWindow::applyRuleFindings);
  connect(m_results, &ResultsPanel::cutSetSelected, this, [this](const QStringList& elements) {
    m_status->setText(tr("Selected: %1").arg(elements.join(QStringLiteral(", "))));
    if (m_trees->scene().tree() != m_results->currentTree()) m_trees->showTree(m_results->currentTree());
    m_trees->scene().setHighlighted(elements);
  });
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&New"), QKeySequence::New, this, [this] {
    if (maybeSave()) m_document.newProject();
  });
  file->addAction(tr("&Open..."), QKeySequence::Open, this, [this] {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), {}, tr("Thornwood projects (*.thornwood.json *.json)"));
    if (!path.isEmpty()) openFile(path);
  });
  m_recentMenu = file->addMenu(tr("Open &Recent"));
  rebuildRecentMenu();
  file->addAction(tr("&Save"), QKeySequence::Save, this, [this] {
    if (m_document.path().isEmpty()) {
      saveAs();
      return;
    }
    const auto problems = m_document.save();
    if (!problems.empty()) QMessageBox::warning(this, tr("Save"), QString::fromStdString(core::format(problems.front())));
  });
  file->addAction(tr("Save &As..."), QKeySequence::SaveAs, this, &MainWindow::saveAs);
  file->addAction(tr("&Close"), QKeySequence::Close, this, [this] {
    if (maybeSave()) m_document.newProject();
  });
  file->addSeparator();
  file->addAction(tr("E&xport Report..."), QKeySequence(tr("Ctrl+Shift+E")), this, &MainWindow::exportReport);
  file->addAction(tr("&Export Analysis..."), QKeySequence(tr("Ctrl+E")), this, [this] {
    const auto results = m_runner->latest();
    if (!results || !results->analysis) {
      QMessageBox::information(this, tr("Export"), tr("There is no analysis to export: fix the project's problems first."));
      return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export analysis"), {}, tr("Text report (*.txt);;JSON (*.json)"));
    if (path.isEmpty()) return;
    const std::string fileName = m_document.path().toStdString();
    const std::string text = path.endsWith(".json")
                                 ? exporters::toJson(results->project, *results->analysis, fileName, results->problems).dump(2) + "\n"
                                 : exporters::toText(results->project, *results->analysis, fileName);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(text.data(), static_cast<qint64>(text.size())) < 0 || !out.commit()) {
      QMessageBox::warning(this, tr("Export"), tr("Cannot write %1").arg(path));
    }
  });
  file->addSeparator();
  file->addAction(tr("&Preferences..."), QKeySequence::Preferences, this, &MainWindow::showPreferences);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = m_document.undoStack().createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = m_document.undoStack().createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);
  edit->addSeparator();
  // Cut, copy and paste work on the cells of the current table: text in and out, each paste
  // an undoable edit of the cell's field.
  auto copyCells = [this] {
    QTableView* view = currentTable();
    if (!view) return false;
    QModelIndexList cells = view->selectionModel()->selectedIndexes();
    if (cells.isEmpty()) return false;
    std::sort(cells.begin(), cells.end());
    QString text;
    int row = cells.front().row();
    for (int i = 0; i < cells.size(); ++i) {
      if (i > 0) text += cells[i].row() != row ? QChar('\n') : QChar('\t');
      row = cells[i].row();
      const QVariant v = cells[i].data(Qt::EditRole);
      text += v.typeId() == QMetaType::Double ? QString::number(v.toDouble(), 'g', 17) : v.toString();
    }
    QApplication::clipboard()->setText(text);
    return true;
  };
  edit->addAction(tr("Cu&t"), QKeySequence::Cut, this, [this, copyCells] {
    if (!copyCells()) return;
    QTableView* view = currentTable();
    const QModelIndex at = view->currentIndex();
    if (at.flags() & Qt::ItemIsEditable && at.data(kFieldTypeRole).toInt() == static_cast<int>(FieldType::Text)) {
      view->model()->setData(at, QString(), Qt::EditRole);
    }
  });
  edit->addAction(tr("&Copy"), QKeySequence::Copy, this, [copyCells] { copyCells(); });
  edit->addAction(tr("&Paste"), QKeySequence::Paste, this, [this] {
    QTableView* view = currentTable();
    if (!view) return;
    const QModelIndex at = view->currentIndex();
    if (!(at.flags() & Qt::ItemIsEditable)) return;
    const QString text = QApplication::clipboard()->text().section('\n', 0, 0).section('\t', 0, 0);
    if (!view->model()->setData(at, text, Qt::EditRole)) m_status->setText(tr("Cannot paste \"%1\" there").arg(text));
  });
  edit->addAction(tr("&Delete"), QKeySequence::Delete, this, [this] {
    if (m_editors->currentWidget() == m_system) {
      m_system->diagram().deleteSelected();
      return;
    }
    if (m_editors->currentWidget() == m_trees) {
      m_trees->scene().deleteNode();
      return;
    }
    if (m_selected.isEmpty()) return;
    auto* command = new DeleteElementsCommand(m_document, {m_selected});
    if (command->deleted().isEmpty()) {
      m_status->setText(tr("%1 is deleted in its editor, where its links are shown").arg(m_selected));
      delete command;
      return;
    }
    m_document.undoStack().push(command);
  });
  edit->addAction(tr("Select &All"), QKeySequence::SelectAll, this, [this] {
    if (m_editors->currentWidget() == m_system) {
      for (QGraphicsItem* item : m_system->diagram().items()) {
        if (item->flags() & QGraphicsItem::ItemIsSelectable) item->setSelected(true);
      }
      return;
    }
    if (QTableView* view = currentTable()) view->selectAll();
  });
  edit->addSeparator();
  edit->addAction(tr("&Find..."), QKeySequence::Find, this, &MainWindow::find);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  auto zoom = [this](int steps) {
    DiagramView* canvas = m_editors->currentWidget() == m_system ? &m_system->view()
                          : m_editors->currentWidget() == m_trees ? &m_trees->view()
                                                                  : nullptr;
    if (canvas) {
      if (steps == 0) canvas->zoomToFit();
      else canvas->zoomBy(steps > 0 ? 1.2 : 1 / 1.2);
      return;
    }
    QFont f = m_editors->font();
    const qreal size = steps == 0 ? QApplication::font().pointSizeF() : std::clamp(f.pointSizeF() + steps, 6.0, 32.0);
    f.setPointSizeF(size);
    m_editors->setFont(f);
    QFont mono = m_overview->font();
    mono.setPointSizeF(size);
    m_overview->setFont(mono);
  };
  view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [zoom] { zoom(1); });
  view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [zoom] { zoom(-1); });
  view->addAction(tr("&Fit / Actual Size"), QKeySequence(tr("Ctrl+0")), this, [zoom] { zoom(0); });
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());

  QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
  analysis->addAction(tr("&Analyse Now"), QKeySequence(Qt::Key_F5), m_runner, &AnalysisRunner::runNow);
  analysis->addAction(tr("&Update Threats from Rules"), QKeySequence(tr("Ctrl+Shift+R")), this, &MainWindow::applyRuleFindings);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Thornwood"), this, [this] {
    QMessageBox::about(this, tr("About Thornwood"),
                       tr("<h3>Thornwood</h3><p>Threat, attack-tree, fault-tree and hazard analysis for IoT "
                          "systems, with an exact BDD/ZBDD engine.</p><p>Licensed under Apache-2.0.</p>"));
  });
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

QAbstractItemModel* MainWindow::propertyEditorModel() const { return m_propertyView->model(); }

bool MainWindow::showEditor(const QString& title) {
  for (int i = 0; i < m_editors->count(); ++i) {
    if (m_editors->tabText(i) == title) {
      m_editors->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

QTableView* MainWindow::currentTable() const {
  QWidget* page = m_editors->currentWidget();
  if (auto* table = qobject_cast<QTableView*>(page)) return table;
  if (page == m_threatView->parentWidget()) return m_threatView;
  return nullptr;
}

bool MainWindow::openFile(const QString& path) {
  const auto problems = m_document.open(path);
  const bool opened = models::noErrors(problems);
  if (!opened) {
    QStringList lines;
    for (const auto& d : problems) lines << QString::fromStdString(core::format(d));
    m_status->setText(tr("Could not open %1: %2 problem(s); the current project is unchanged").arg(path).arg(problems.size()));
    if (!headless()) {
      QMessageBox box(QMessageBox::Warning, tr("Open project"),
                      tr("%1 could not be opened. What was open is unchanged.").arg(QFileInfo(path).fileName()),
                      QMessageBox::Ok, this);
      box.setDetailedText(lines.join('\n'));
      box.exec();
    }
    return false;
  }
  rememberRecent(path);
  return true;
}

bool MainWindow::offerRecovery(RecoveryAnswer answer) {
  const auto info = m_autosaver->pending();
  if (!info) return false;
  if (answer == RecoveryAnswer::Ask) {
    QMessageBox box(QMessageBox::Question, tr("Recover unsaved work"),
                    tr("Thornwood did not close normally. A copy of unsaved changes to <b>%1</b> was kept at %2.<br>"
                       "Recovering opens it as unsaved changes; your file is written only when you save.")
                        .arg(info->originalPath.isEmpty() ? tr("a new project") : info->originalPath.toHtmlEscaped(),
                             QLocale().toString(info->savedAt.toLocalTime(), QLocale::ShortFormat)),
                    QMessageBox::NoButton, this);
    box.setDetailedText(info->changes);
    QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Later"), QMessageBox::RejectRole);
    box.exec();
    answer = box.clickedButton() == recover   ? RecoveryAnswer::Recover
             : box.clickedButton() == discard ? RecoveryAnswer::Discard
                                              : RecoveryAnswer::Later;
  }
  switch (answer) {
    case RecoveryAnswer::Recover:
      return m_autosaver->recover(*info);
    case RecoveryAnswer::Discard:
      m_autosaver->discardPending(*info);
      return false;
    default:
      return false;
  }
}

bool MainWindow::offerReload(ReloadAnswer answer) {
  if (m_askingReload || !m_document.changedOnDisk()) return false;
  if (answer == ReloadAnswer::Ask) {
    m_askingReload = true;
    const QString file = QFileInfo(m_document.path()).fileName().toHtmlEscaped();
    QMessageBox box(QMessageBox::Question, tr("File changed on disk"),
                    m_document.isModified()
                        ? tr("<b>%1</b> was changed by another program. Reload it and <b>lose your unsaved changes</b>, "
                             "or keep your version (saving it then replaces the file)?")
                              .arg(file)
                        : tr("<b>%1</b> was changed by another program. Reload it?").arg(file),
                    QMessageBox::NoButton, this);
    QPushButton* reload = box.addButton(tr("Reload"), m_document.isModified() ? QMessageBox::DestructiveRole : QMessageBox::AcceptRole);
    box.addButton(tr("Keep My Version"), QMessageBox::RejectRole);
    box.exec();
    m_askingReload = false;
    answer = box.clickedButton() == reload ? ReloadAnswer::Reload : ReloadAnswer::Keep;
  }
  if (answer == ReloadAnswer::Keep) {
    m_document.keepOverDisk();
    return false;
  }
  const auto problems = m_document.reloadFromDisk();
  if (!models::noErrors(problems)) {
    m_status->setText(tr("The changed file does not load; your version is kept"));
    if (!headless()) {
      QStringList lines;
      for (const auto& d : problems) lines << QString::fromStdString(core::format(d));
      QMessageBox::warning(this, tr("Reload"), tr("The changed file does not load, so your version is kept:\n\n%1").arg(lines.join('\n')));
    }
    m_document.keepOverDisk();
    return false;
  }
  m_status->setText(tr("Reloaded %1").arg(m_document.path()));
  return true;
}

void MainWindow::selectElement(const QString& id) {
  m_selected = id;
  if (!id.isEmpty()) m_status->setText(tr("Selected: %1").arg(id));
  m_properties->setElement(id);
  if (m_propertyView->model() != m_properties) m_propertyView->setModel(m_properties);
  m_propertyView->resizeColumnToContents(0);
  // The explorer.
  for (int g = 0; g < m_explorer->rowCount(); ++g) {
    const QModelIndex group = m_explorer->index(g, 0);
    for (int r = 0; r < m_explorer->rowCount(group); ++r) {
      const QModelIndex item = m_explorer->index(r, 0, group);
      if (item.data(ExplorerModel::kIdRole).toString() == id) {
        m_explorerView->setCurrentIndex(item);
        m_explorerView->scrollTo(item);
      }
    }
  }
  // Its table row, when it has one.
  const auto kind = kindOf(m_document.project(), id);
  auto show = [&](QTableView* view, ElementTableModel* table, QAbstractItemModel* shown) {
    const int row = table->rowOf(id);
    if (row < 0) return;
    QModelIndex at = table->index(row, 0);
    if (shown != table) at = static_cast<QSortFilterProxyModel*>(shown)->mapFromSource(at);
    if (!at.isValid()) return;
    const QModelIndex current = view->currentIndex();
    if (current.isValid() && current.row() == at.row()) return;
    view->setCurrentIndex(at);
    view->scrollTo(at);
  };
  if (kind == ElementKind::Threat) show(m_threatView, m_threats, m_threatFilter);
  if (kind == ElementKind::Mitigation) show(m_mitigationView, m_mitigations, m_mitigations);
  if (kind == ElementKind::Hazard) show(m_hazardView, m_hazards, m_hazards);
  if (kind == ElementKind::Component) show(m_componentView, m_components, m_components);
  // On the diagram: the element itself, or a threat's target, highlighted.
  if (kind == ElementKind::Component || kind == ElementKind::Flow || kind == ElementKind::Zone) {
    m_system->diagram().selectIds({id});
    if (QGraphicsItem* item = m_system->diagram().itemFor(id)) m_system->view().ensureVisible(item);
    m_system->diagram().setHighlighted({});
  } else if (kind == ElementKind::Threat) {
    m_system->diagram().setHighlighted({fieldValue(m_document.project(), *kind, id, "target").toString()});
  }
  // Its tree in the results: a tree itself, or a threat's attack tree, or a hazard's fault tree.
  QString tree;
  if (kind == ElementKind::AttackTree || kind == ElementKind::FaultTree) tree = id;
  if (kind == ElementKind::Threat) tree = fieldValue(m_document.project(), *kind, id, "attack_tree").toString();
  if (kind == ElementKind::Hazard) tree = fieldValue(m_document.project(), *kind, id, "fault_tree").toString();
  if (!tree.isEmpty()) {
    m_results->selectTree(tree);
    m_trees->showTree(tree);
  }
}

void MainWindow::find() {
  QStringList items;
  const models::Project& p = m_document.project();
  for (ElementKind k : {ElementKind::Component, ElementKind::Flow, ElementKind::Zone, ElementKind::Threat,
                        ElementKind::AttackTree, ElementKind::FaultTree, ElementKind::Hazard, ElementKind::Mitigation}) {
    for (const QString& id : idsOf(p, k)) {
      const QVariant name = fieldValue(p, k, id, k == ElementKind::Threat || k == ElementKind::Hazard || k == ElementKind::Mitigation
                                                     ? QStringLiteral("title")
                                                     : QStringLiteral("name"));
      items << QStringLiteral("%1 — %2 (%3)").arg(id, name.toString(), kindLabel(k));
    }
  }
  QInputDialog dialog(this);
  dialog.setWindowTitle(tr("Find"));
  dialog.setLabelText(tr("Element (id or name):"));
  dialog.setComboBoxItems(items);
  dialog.setComboBoxEditable(true);
  if (dialog.exec() != QDialog::Accepted) return;
  const QString typed = dialog.textValue();
  for (const QString& item : items) {
    if (item.contains(typed, Qt::CaseInsensitive)) {
      selectElement(item.section(QStringLiteral(" — "), 0, 0));
      return;
    }
  }
  m_status->setText(tr("No element matches \"%1\"").arg(typed));
}

void MainWindow::applyRuleFindings() {
  const auto results = m_runner->latest();
  if (!m_runner->isCurrent() || !results || results->project.threats != m_document.project().threats) {
    m_status->setText(tr("The analysis is catching up with your edits; try again in a moment."));
    m_runner->runNow();
    return;
  }
  if (!results->rulesWouldChange()) {
    m_status->setText(tr("The threats are already up to date with the rules."));
    return;
  }
  const models::MergeSummary& s = results->rules;
  m_document.undoStack().push(new UpdateThreatsCommand(
      m_document, results->threatsAfterRules,
      tr("%1 added, %2 obsolete, %3 revived, %4 mitigated by design, %5 reopened")
          .arg(s.added)
          .arg(s.obsoleted)
          .arg(s.revived)
          .arg(s.autoMitigated)
          .arg(s.reopened)));
}

void MainWindow::exportReport() {
  if (m_export) {
    m_status->setText(tr("An export is running"));
    return;
  }
  ExportDialog dialog(m_document.project(), m_document.path(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  startExport(dialog.request());
}

bool MainWindow::startExport(const ExportRequest& request) {
  if (m_export) return false;
  m_export = new ExportJob(request, m_document.project(), m_document.path(), this);
  QProgressDialog* progress = nullptr;
  if (!headless()) {
    progress = new QProgressDialog(tr("Exporting to %1...").arg(request.path), tr("Cancel"), 0, 0, this);
    progress->setWindowTitle(tr("Export"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(200);  // quick exports never show it
    connect(progress, &QProgressDialog::canceled, m_export, &ExportJob::cancel);
  }
  m_status->setText(tr("Exporting to %1...").arg(request.path));
  connect(m_export, &ExportJob::finished, this, [this, progress](bool ok, const QString& message) {
    if (progress) progress->deleteLater();
    const bool cancelled = m_export->cancelled();
    m_export->deleteLater();
    m_export = nullptr;
    m_status->setText(message);
    if (!ok && !cancelled && !headless()) QMessageBox::warning(this, tr("Export"), message);
    emit exportFinished(ok, message);
  });
  m_export->start();
  return true;
}

void MainWindow::refreshTitle() {
  const QString name = QString::fromStdString(m_document.project().name);
  setWindowTitle(QStringLiteral("%1%2 — Thornwood").arg(name, m_document.isModified() ? QStringLiteral(" *") : QString()));
  setWindowModified(m_document.isModified());
  m_status->setText(m_document.path().isEmpty() ? tr("Not saved yet") : m_document.path());
}

void MainWindow::refreshOverview() {
  const auto results = m_runner->latest();
  if (!results) return;
  if (!results->analysis) {
    m_overview->setPlainText(tr("The project has problems (see the Problems panel); fix them to see its analysis."));
    return;
  }
  const std::string file = m_document.path().isEmpty() ? std::string("(unsaved)") : m_document.path().toStdString();
  const int scroll = m_overview->verticalScrollBar()->value();
  m_overview->setPlainText(QString::fromStdString(exporters::toText(results->project, *results->analysis, file)));
  m_overview->verticalScrollBar()->setValue(scroll);
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recent/files").toStringList();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue("recent/files", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList recent = QSettings().value("recent/files").toStringList();
  for (const QString& path : recent) {
    m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
      if (maybeSave()) openFile(path);
    })->setToolTip(path);
  }
  m_recentMenu->setEnabled(!recent.isEmpty());
}

bool MainWindow::maybeSave() {
  if (!m_document.isModified() || headless()) return true;
  const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
                                           tr("%1 has unsaved changes. Save them?").arg(QString::fromStdString(m_document.project().name)),
                                           QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Discard) return true;
  if (m_document.path().isEmpty()) return saveAs();
  const auto problems = m_document.save();
  if (!problems.empty()) {
    QMessageBox::warning(this, tr("Save"), QString::fromStdString(core::format(problems.front())));
    return false;
  }
  return true;
}

bool MainWindow::saveAs() {
  QString path = QFileDialog::getSaveFileName(this, tr("Save project as"), m_document.path(), tr("Thornwood projects (*.thornwood.json)"));
  if (path.isEmpty()) return false;
  if (!path.endsWith(QLatin1String(".json"))) path += QLatin1String(".thornwood.json");
  const auto problems = m_document.save(path);
  if (!problems.empty()) {
    QMessageBox::warning(this, tr("Save"), QString::fromStdString(core::format(problems.front())));
    return false;
  }
  rememberRecent(path);
  return true;
}

void MainWindow::showPreferences() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Preferences"));
  auto* form = new QFormLayout(&dialog);
  auto* interval = new QSpinBox;
  interval->setRange(5, 3600);
  interval->setSuffix(tr(" s"));
  interval->setValue(m_autosaver->interval());
  form->addRow(tr("Autosave every"), interval);
  auto* delay = new QSpinBox;
  delay->setRange(0, 5000);
  delay->setSuffix(tr(" ms"));
  QSettings settings;
  delay->setValue(settings.value("analysis/delay_ms", 300).toInt());
  form->addRow(tr("Analyse after edits pause for"), delay);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  settings.setValue("autosave/interval_s", interval->value());
  settings.setValue("analysis/delay_ms", delay->value());
  m_autosaver->setInterval(interval->value());
  m_runner->setDelay(delay->value());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSave()) {
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  // A normal close: the user saved or chose to discard, so the copy goes too. In headless
  // runs (tests) an unsaved document keeps its copy, as a crash would.
  if (!m_document.isModified() || !headless()) m_autosaver->discard();
  event->accept();
}

}  // namespace thornwood::gui
