// The main window and what it is made of: the field table and its command, the item models
// under QAbstractItemModelTester, live analysis off the GUI thread, the results dock, the
// threat rules' pending changes, autosave and recovery, and screenshots of each main screen
// (written under the build folder, for people to look at).
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QSysInfo>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <set>
#include <sstream>

#include "app/gui/autosave.h"
#include "app/gui/commands.h"
#include "app/gui/element_table_model.h"
#include "app/gui/explorer_model.h"
#include "app/gui/fields.h"
#include "app/gui/live_analysis.h"
#include "app/gui/main_window.h"
#include "app/gui/problems_model.h"
#include "app/gui/property_model.h"
#include "app/gui/results_panel.h"
#include "app/gui/threat_filter.h"
#include "app/gui/node_property_model.h"
#include "app/gui/tree_editor.h"
#include "app/gui/system_diagram.h"
#include <QGraphicsItem>
#include <QPainter>
#include "models/attack_analysis.h"
#include "models/project_analysis.h"
#include "models/project_file.h"
#include "models/validate.h"

using namespace thornwood;
using namespace thornwood::gui;

namespace {

const QString kSmartHome = QStringLiteral(THORNWOOD_SOURCE_DIR "/examples/smart-home-hub.thornwood.json");
const QString kSmartLock = QStringLiteral(THORNWOOD_TEST_DATA "/projects/smart-lock.thornwood.json");

std::string slurp(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Waits for the runner to deliver results of the document as it is now.
bool settle(AnalysisRunner& runner) {
  for (int i = 0; i < 600 && !runner.isCurrent(); ++i) QTest::qWait(25);
  return runner.isCurrent();
}

QString screenshotDir() {
  const QString dir = QDir::current().filePath(QStringLiteral("screenshots"));
  QDir().mkpath(dir);
  return dir;
}

const models::Component& component(const models::Project& p, const std::string& id) {
  for (const auto& c : p.system.components) {
    if (c.id == id) return c;
  }
  throw std::runtime_error("no component " + id);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings and config go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("ThornwoodTest"));
    QCoreApplication::setApplicationName(QStringLiteral("gui_tests"));
    qApp->setProperty("thornwood.headless", true);
  }

  // --- The field table and SetFieldCommand -------------------------------------------------

  void aFieldEditIsOneUndoableCommand() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    const bool was = component(d.project(), "lock").properties.secureBoot;
    auto* c = new SetFieldCommand(d, ElementKind::Component, "lock", "secure_boot", !was);
    QVERIFY(c->valid());
    d.undoStack().push(c);
    QCOMPARE(component(d.project(), "lock").properties.secureBoot, !was);
    QVERIFY(d.isModified());
    d.undoStack().undo();
    QCOMPARE(component(d.project(), "lock").properties.secureBoot, was);
    QVERIFY(!d.isModified());
    d.undoStack().redo();
    QCOMPARE(component(d.project(), "lock").properties.secureBoot, !was);
  }

  void typingMergesButChoicesDoNot() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    const std::string before = component(d.project(), "lock").name;
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Component, "lock", "name", QStringLiteral("F")));
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Component, "lock", "name", QStringLiteral("Fr")));
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Component, "lock", "name", QStringLiteral("Front")));
    QCOMPARE(d.undoStack().count(), 1);
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Component, "lock", "wireless", QStringLiteral("zigbee")));
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Component, "lock", "wireless", QStringLiteral("thread")));
    QCOMPARE(d.undoStack().count(), 3);
    d.undoStack().undo();
    QCOMPARE(component(d.project(), "lock").properties.wireless, models::WirelessLink::Zigbee);
    d.undoStack().undo();
    d.undoStack().undo();
    QCOMPARE(component(d.project(), "lock").name, before);
  }

  void badValuesAreRefusedAndChangeNothing() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    const models::Project before = d.project();
    QVERIFY(!SetFieldCommand(d, ElementKind::Component, "lock", "wireless", QStringLiteral("carrier pigeon")).valid());
    QVERIFY(!SetFieldCommand(d, ElementKind::Component, "lock", "id", QStringLiteral("other")).valid());
    QVERIFY(!SetFieldCommand(d, ElementKind::Component, "nope", "name", QStringLiteral("x")).valid());
    QVERIFY(!SetFieldCommand(d, ElementKind::Component, "lock", "no_such_field", QStringLiteral("x")).valid());
    const QString mitigation = idsOf(d.project(), ElementKind::Mitigation).value(0);
    QVERIFY(!mitigation.isEmpty());
    QVERIFY(!SetFieldCommand(d, ElementKind::Mitigation, mitigation, "cost", -5.0).valid());
    QVERIFY(!SetFieldCommand(d, ElementKind::Mitigation, mitigation, "requirements", QStringLiteral("etsi 5.1 extra")).valid());
    QVERIFY(!SetFieldCommand(d, ElementKind::Mitigation, mitigation, "cost", std::numeric_limits<double>::infinity()).valid());
    QVERIFY(d.project() == before);
  }

  void requirementsAreEditedAsPairs() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartHome).empty());
    auto* c = new SetFieldCommand(d, ElementKind::Mitigation, "m_mfa", "requirements",
                                  QStringLiteral(" etsi-en-303-645  5.1-3 ,nistir-8259a 2 "));
    QVERIFY(c->valid());
    d.undoStack().push(c);
    const auto& m = *std::find_if(d.project().mitigations.begin(), d.project().mitigations.end(),
                                  [](const auto& x) { return x.id == "m_mfa"; });
    QCOMPARE(m.requirements.size(), std::size_t{2});
    QCOMPARE(m.requirements[0].baseline, std::string("etsi-en-303-645"));
    QCOMPARE(m.requirements[0].requirement, std::string("5.1-3"));
    QCOMPARE(m.requirements[1].requirement, std::string("2"));
    QCOMPARE(fieldValue(d.project(), ElementKind::Mitigation, "m_mfa", "requirements").toString(),
             QStringLiteral("etsi-en-303-645 5.1-3, nistir-8259a 2"));
  }

  void undoRestoresAThreatsAutoStatusToo() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    // Make one threat's status the rules' (auto), as a re-run would.
    const QString id = idsOf(d.project(), ElementKind::Threat).value(0);
    QVERIFY(!id.isEmpty());
    d.mutableProject().threats.front().autoStatus = true;
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Threat, id, "status", QStringLiteral("accepted")));
    QCOMPARE(d.project().threats.front().status, models::ThreatStatus::Accepted);
    QVERIFY(!d.project().threats.front().autoStatus);  // a person decided
    d.undoStack().undo();
    QVERIFY(d.project().threats.front().autoStatus);
  }

  void deletingAMitigationTakesItsReferencesAndUndoPutsThemBack() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartHome).empty());
    const models::Project before = d.project();
    auto cites = [](const models::Project& p, const std::string& m) {
      int n = 0;
      for (const auto& t : p.threats) n += static_cast<int>(std::count(t.mitigations.begin(), t.mitigations.end(), m));
      for (const auto& h : p.hazards) n += static_cast<int>(std::count(h.mitigations.begin(), h.mitigations.end(), m));
      return n;
    };
    QVERIFY(cites(before, "m_mfa") > 0);
    auto* command = new DeleteElementsCommand(d, {"m_mfa", "hub", "t_jamming"});
    QCOMPARE(command->deleted(), (QStringList{"m_mfa", "t_jamming"}));  // components go in the diagram
    d.undoStack().push(command);
    QCOMPARE(cites(d.project(), "m_mfa"), 0);
    QVERIFY(!kindOf(d.project(), "m_mfa"));
    QVERIFY(!kindOf(d.project(), "t_jamming"));
    QVERIFY(models::noErrors(d.problems()));  // nothing left dangling
    d.undoStack().undo();
    QVERIFY(d.project() == before);
    d.undoStack().redo();
    QCOMPARE(cites(d.project(), "m_mfa"), 0);
  }

  void pointersLeadToTheirElements() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartHome).empty());
    const models::Project& p = d.project();
    QCOMPARE(elementAtPointer(p, "/threats/2/status"), QString::fromStdString(p.threats[2].id));
    QCOMPARE(elementAtPointer(p, "/system/flows/0"), QString::fromStdString(p.system.flows[0].id));
    QCOMPARE(elementAtPointer(p, "/mitigations/1/effects/0/element"), QString::fromStdString(p.mitigations[1].id));
    QCOMPARE(elementAtPointer(p, "/threats/999"), QString());
    QCOMPARE(elementAtPointer(p, "/settings/cut_off"), QString());
  }

  // --- Item models ------------------------------------------------------------------------

  void itemModelsPassTheModelTester() {
    ProjectDocument d;
    ExplorerModel explorer(d);
    ProblemsModel problems(d);
    PropertyModel properties(d);
    ElementTableModel threats(d, ElementKind::Threat, {"id", "title", "category", "status", "obsolete"});
    ThreatFilter filter;
    filter.setSourceModel(&threats);
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    QAbstractItemModelTester t1(&explorer, mode), t2(&problems, mode), t3(&properties, mode), t4(&threats, mode),
        t5(&filter, mode);
    QVERIFY(d.open(kSmartHome).empty());
    properties.setElement(QString::fromStdString(d.project().system.components.front().id));
    QCOMPARE(properties.rowCount(), static_cast<int>(fieldsOf(ElementKind::Component, d.project()).size()));
    threats.setData(threats.index(0, 1), QStringLiteral("Renamed"), Qt::EditRole);
    filter.setCategory(QStringLiteral("spoofing"));
    filter.setStatus(QStringLiteral("open"));
    filter.setCategory({});
    d.undoStack().push(new DeleteElementsCommand(d, {QString::fromStdString(d.project().threats[3].id)}));
    d.undoStack().undo();
    // A change that makes a validation problem, then its fix.
    d.undoStack().push(new SetFieldCommand(d, ElementKind::Threat, QString::fromStdString(d.project().threats[0].id),
                                           "likelihood", QString()));
    d.undoStack().undo();
    QVERIFY(d.open(kSmartLock).empty());
    QCOMPARE(properties.rowCount(), 0);  // the element is gone with the old project
  }

  void explorerGroupsCountTheProject() {
    ProjectDocument d;
    ExplorerModel explorer(d);
    QVERIFY(d.open(kSmartHome).empty());
    const models::Project& p = d.project();
    const int expected[] = {static_cast<int>(p.system.components.size()), static_cast<int>(p.system.flows.size()),
                            static_cast<int>(p.system.zones.size()),      static_cast<int>(p.threats.size()),
                            static_cast<int>(p.attackTrees.size()),       static_cast<int>(p.faultTrees.size()),
                            static_cast<int>(p.hazards.size()),           static_cast<int>(p.mitigations.size())};
    QCOMPARE(explorer.rowCount(), 8);
    for (int g = 0; g < 8; ++g) QCOMPARE(explorer.rowCount(explorer.index(g, 0)), expected[g]);
    QCOMPARE(explorer.index(0, 0, explorer.index(3, 0)).data(ExplorerModel::kIdRole).toString(),
             QString::fromStdString(p.threats[0].id));
  }

  void tableEditsGoThroughTheUndoStack() {
    ProjectDocument d;
    ElementTableModel mitigations(d, ElementKind::Mitigation, {"id", "title", "status", "cost", "phase"});
    QVERIFY(d.open(kSmartHome).empty());
    const double before = d.project().mitigations[0].cost;
    QVERIFY(mitigations.setData(mitigations.index(0, 3), QStringLiteral("1234.5"), Qt::EditRole));
    QCOMPARE(d.project().mitigations[0].cost, 1234.5);
    QVERIFY(!mitigations.setData(mitigations.index(0, 3), QStringLiteral("lots"), Qt::EditRole));
    QVERIFY(!mitigations.setData(mitigations.index(0, 0), QStringLiteral("new-id"), Qt::EditRole));  // ids are read-only
    const bool verified = d.project().mitigations[0].status == models::MitigationStatus::Verified;
    const auto next = verified ? models::MitigationStatus::Planned : models::MitigationStatus::Verified;
    QVERIFY(mitigations.setData(mitigations.index(0, 2), verified ? QStringLiteral("planned") : QStringLiteral("verified"), Qt::EditRole));
    QCOMPARE(d.project().mitigations[0].status, next);
    QCOMPARE(d.undoStack().count(), 2);
    d.undoStack().undo();
    d.undoStack().undo();
    QCOMPARE(d.project().mitigations[0].cost, before);
    QVERIFY(!d.isModified());
    // A check box.
    ElementTableModel components(d, ElementKind::Component, {"id", "secure_boot"});
    const bool secure = d.project().system.components[0].properties.secureBoot;
    QVERIFY(components.setData(components.index(0, 1), secure ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(d.project().system.components[0].properties.secureBoot, !secure);
  }

  void typingIntoATableCellEditsTheField() {
    QTemporaryDir recovery;
    MainWindow w(nullptr, recovery.path());
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openFile(kSmartHome));
    QVERIFY(w.showEditor("Mitigations"));
    auto* view = qobject_cast<QTableView*>(w.editors().currentWidget());
    QVERIFY(view);
    const int costColumn = 3;
    QCOMPARE(view->model()->headerData(costColumn, Qt::Horizontal).toString(), QStringLiteral("Cost"));
    view->setFocus();
    view->setCurrentIndex(view->model()->index(1, costColumn));
    // Typing opens the editor with what was typed; Return commits it.
    QTest::keyClick(view, Qt::Key_7);
    QWidget* editor = QApplication::focusWidget();
    QVERIFY(editor && editor != view);
    QTest::keyClicks(editor, "77");
    QTest::keyClick(editor, Qt::Key_Return);
    // The view commits on its next turn of the event loop.
    QTRY_COMPARE(w.document().project().mitigations[1].cost, 777.0);
    QCOMPARE(w.document().undoStack().count(), 1);
    QVERIFY(w.document().undoStack().undoText().contains("cost"));
  }

  void threatFilterCountsMatchTheProject() {
    ProjectDocument d;
    ElementTableModel threats(d, ElementKind::Threat, {"id", "title", "category", "target", "status", "obsolete"});
    ThreatFilter filter;
    filter.setSourceModel(&threats);
    QVERIFY(d.open(kSmartHome).empty());
    const auto& all = d.project().threats;
    auto count = [&](auto pred) { return static_cast<int>(std::count_if(all.begin(), all.end(), pred)); };
    QCOMPARE(filter.rowCount(), count([](const models::Threat& t) { return !t.obsolete; }));
    filter.setCategory(QStringLiteral("spoofing"));
    QCOMPARE(filter.rowCount(), count([](const models::Threat& t) { return !t.obsolete && t.category == models::Stride::Spoofing; }));
    filter.setStatus(QStringLiteral("open"));
    const int spoofingOpen = count([](const models::Threat& t) {
      return !t.obsolete && t.category == models::Stride::Spoofing && t.status == models::ThreatStatus::Open;
    });
    QVERIFY(spoofingOpen > 0);
    QCOMPARE(filter.rowCount(), spoofingOpen);
    filter.setCategory({});
    filter.setStatus({});
    const std::string target = all[0].target;
    filter.setElement(QString::fromStdString(target));
    QCOMPARE(filter.rowCount(), count([&](const models::Threat& t) { return !t.obsolete && t.target == target; }));
    filter.setElement({});
    filter.setText(QStringLiteral("JAMMING"));
    QCOMPARE(filter.rowCount(), count([](const models::Threat& t) {
      return QString::fromStdString(t.title).contains("jamming", Qt::CaseInsensitive) ||
             QString::fromStdString(t.id).contains("jamming", Qt::CaseInsensitive);
    }));
  }

  // --- Live analysis ----------------------------------------------------------------------

  void liveAnalysisMatchesTheDirectAnalysis() {
    ProjectDocument d;
    AnalysisRunner runner(d);
    runner.setDelay(10);
    QVERIFY(d.open(kSmartHome).empty());
    QVERIFY(settle(runner));
    const auto live = runner.latest();
    QVERIFY(live->analysis);
    QVERIFY(!live->cancelled);
    const auto direct = models::analyse(d.project(), "x");
    QCOMPARE(live->analysis->faultTrees.size(), direct.faultTrees.size());
    for (std::size_t i = 0; i < direct.faultTrees.size(); ++i) {
      QCOMPARE(*live->analysis->faultTrees[i].after.result->probability, *direct.faultTrees[i].after.result->probability);
    }
    QCOMPARE(live->attacks.size(), d.project().attackTrees.size());
  }

  void anEditDuringARunMakesItStale() {
    ProjectDocument d;
    AnalysisRunner runner(d);
    runner.setDelay(5);
    QVERIFY(d.open(kSmartHome).empty());
    // Several edits in a row: only the state after the last is ever delivered as current.
    const QString mitigation = QString::fromStdString(d.project().mitigations[0].id);
    for (const char* s : {"planned", "implemented", "verified", "proposed", "implemented"}) {
      d.undoStack().push(new SetFieldCommand(d, ElementKind::Mitigation, mitigation, "status", QString::fromLatin1(s)));
      QTest::qWait(1);
    }
    QVERIFY(runner.isBusy());
    QVERIFY(settle(runner));
    QVERIFY(runner.latest()->project == d.project());
  }

  void aRunCanBeCancelledAtOnce() {
    std::atomic<bool> cancel{true};
    const auto loaded = models::loadProject(kSmartHome.toStdString());
    QVERIFY(loaded.project);
    const auto r = computeLiveResults(*loaded.project, "x", models::RuleSet{}, &cancel, 7);
    QVERIFY(r->cancelled);
    QCOMPARE(r->generation, std::uint64_t{7});
    QVERIFY(r->threatsAfterRules == loaded.project->threats);  // nothing half-merged
  }

  void theRulesPendingChangesApplyAsOneStep() {
    QTemporaryDir recovery;
    MainWindow w(nullptr, recovery.path());
    w.analysis().setDelay(5);
    QVERIFY(w.openFile(kSmartHome));
    QVERIFY(settle(w.analysis()));
    const auto live = w.analysis().latest();
    // The example's threats are written by hand: the rules find more.
    QVERIFY(live->rulesWouldChange());
    const std::size_t before = w.document().project().threats.size();
    QCOMPARE(live->threatsAfterRules.size(), before + live->rules.added);
    QMetaObject::invokeMethod(&w.results(), "updateThreatsRequested");
    QCOMPARE(w.document().project().threats.size(), before + live->rules.added);
    QCOMPARE(w.document().undoStack().count(), 1);
    QVERIFY(settle(w.analysis()));
    QVERIFY(!w.analysis().latest()->rulesWouldChange());  // a second run finds nothing new
    w.document().undoStack().undo();
    QCOMPARE(w.document().project().threats.size(), before);
  }

  // --- The results dock -------------------------------------------------------------------

  void resultsShowTheSelectedTree() {
    QTemporaryDir recovery;
    MainWindow w(nullptr, recovery.path());
    w.analysis().setDelay(5);
    QVERIFY(w.openFile(kSmartHome));
    QVERIFY(settle(w.analysis()));
    ResultsPanel& r = w.results();
    const auto live = w.analysis().latest();
    // A fault tree: one row per listed cut set, sorted by probability on request.
    const auto& ft = live->analysis->faultTrees[0];
    QVERIFY(r.selectTree(QString::fromStdString(ft.id)));
    QCOMPARE(r.cutSets()->rowCount(), static_cast<int>(ft.after.result->cutSets.list.size()));
    QVERIFY(r.summaryText().contains(QString::number(*ft.after.result->probability, 'g', 6)));
    r.cutSetView()->sortByColumn(2, Qt::DescendingOrder);
    const QAbstractItemModel* shown = r.cutSetView()->model();
    for (int row = 1; row < shown->rowCount(); ++row) {
      QVERIFY(shown->index(row - 1, 2).data(Qt::UserRole).toDouble() >= shown->index(row, 2).data(Qt::UserRole).toDouble());
    }
    // An attack tree: its Pareto front plotted point for point.
    const std::string at = "at_account";
    QVERIFY(r.selectTree(QString::fromStdString(at)));
    const auto& front = live->attacks.at(at).costProbability;
    const QList<QPointF> plotted = r.frontPoints();
    QCOMPARE(plotted.size(), static_cast<qsizetype>(front.size()));
    for (std::size_t i = 0; i < front.size(); ++i) {
      QCOMPARE(plotted[static_cast<qsizetype>(i)].x(), front[i].cost);
      QCOMPARE(plotted[static_cast<qsizetype>(i)].y(), front[i].other);
    }
    // The project: threats by STRIDE and status add up to the threats not obsolete.
    const auto* table = r.strideTable();
    const auto& threats = w.document().project().threats;
    const int live_ = static_cast<int>(std::count_if(threats.begin(), threats.end(), [](const auto& t) { return !t.obsolete; }));
    QCOMPARE(table->item(6, 5)->text().toInt(), live_);
    const int spoofingOpen = static_cast<int>(std::count_if(threats.begin(), threats.end(), [](const models::Threat& t) {
      return !t.obsolete && t.category == models::Stride::Spoofing && t.status == models::ThreatStatus::Open;
    }));
    QCOMPARE(table->item(0, 0)->text().toInt(), spoofingOpen);
  }

  void selectingAThreatShowsItEverywhere() {
    QTemporaryDir recovery;
    MainWindow w(nullptr, recovery.path());
    w.analysis().setDelay(5);
    QVERIFY(w.openFile(kSmartHome));
    QVERIFY(settle(w.analysis()));
    const models::Threat* withTree = nullptr;
    for (const auto& t : w.document().project().threats) {
      if (!t.attackTree.empty()) withTree = &t;
    }
    QVERIFY(withTree);
    w.selectElement(QString::fromStdString(withTree->id));
    QCOMPARE(w.properties().element(), QString::fromStdString(withTree->id));
    QCOMPARE(w.propertyEditorModel(), static_cast<QAbstractItemModel*>(&w.properties()));
    QCOMPARE(w.results().currentTree(), QString::fromStdString(withTree->attackTree));
    QCOMPARE(w.treeEditor().scene().tree(), QString::fromStdString(withTree->attackTree));
    // A node picked on the tree: the property editor shows the node.
    const QString root = QString::fromStdString(
        std::find_if(w.document().project().attackTrees.begin(), w.document().project().attackTrees.end(),
                     [&](const auto& t) { return t.id == withTree->attackTree; })->root);
    w.treeEditor().scene().clearSelection();
    w.treeEditor().scene().boxOf(root);
    for (QGraphicsItem* item : w.treeEditor().scene().items(w.treeEditor().scene().boxOf(root).center())) item->setSelected(true);
    QCOMPARE(w.propertyEditorModel(), static_cast<QAbstractItemModel*>(&w.nodeProperties()));
    QCOMPARE(w.nodeProperties().node(), root);
  }

  // --- Opening, autosave and recovery ---------------------------------------------------------

  void aBrokenFileKeepsTheWindowsProject() {
    QTemporaryDir dir;
    MainWindow w(nullptr, dir.filePath("recovery"));
    QVERIFY(w.openFile(kSmartHome));
    w.document().undoStack().push(new SetFieldCommand(w.document(), ElementKind::Mitigation,
                                                      QString::fromStdString(w.document().project().mitigations[0].id),
                                                      "title", QStringLiteral("Edited")));
    const QString broken = dir.filePath("broken.thornwood.json");
    std::ofstream(broken.toStdString()) << "{\"format\": \"thornwood\", \"format_version\": 1, \"project\": {\"name\": 3}}";
    QVERIFY(!w.openFile(broken));
    QCOMPARE(w.document().path(), kSmartHome);
    // Well-formed JSON that fails validation (a flow to a component that does not exist).
    auto invalid = models::loadProject(kSmartLock.toStdString());
    QVERIFY(invalid.project);
    invalid.project->system.flows.front().target = "ghost";
    const QString invalidFile = dir.filePath("invalid.thornwood.json");
    std::ofstream(invalidFile.toStdString()) << models::serialise(*invalid.project);
    QVERIFY(!w.openFile(invalidFile));
    QCOMPARE(w.document().path(), kSmartHome);
    QCOMPARE(w.document().project().mitigations[0].title, std::string("Edited"));
    QVERIFY(w.document().isModified());
  }

  void aFileChangedOnDiskIsNoticedAndOfferedForReload() {
    QTemporaryDir dir;
    MainWindow w(nullptr, dir.filePath("recovery"));
    const QString file = dir.filePath("lock.thornwood.json");
    QVERIFY(QFile::copy(kSmartLock, file));
    QVERIFY(w.openFile(file));
    QSignalSpy changed(&w.document(), &ProjectDocument::fileChangedOnDisk);
    // Our own save is not someone else's change.
    QVERIFY(w.document().save().empty());
    QTest::qWait(600);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!w.document().changedOnDisk());

    // Another program replaces the file, as an editor or `git checkout` does.
    auto other = models::loadProject(file.toStdString());
    QVERIFY(other.project);
    other.project->name = "Changed elsewhere";
    QVERIFY(models::saveProject(*other.project, file.toStdString()));
    QVERIFY(changed.wait(3000));
    QCOMPARE(changed.first().first().toBool(), false);
    QVERIFY(w.document().changedOnDisk());

    // Keep: this version stays, counts as modified, and the same change is not offered again.
    w.document().undoStack().push(new SetFieldCommand(w.document(), ElementKind::Mitigation,
                                                      QString::fromStdString(w.document().project().mitigations[0].id),
                                                      "title", QStringLiteral("Mine")));
    QVERIFY(!w.offerReload(MainWindow::ReloadAnswer::Keep));
    QVERIFY(w.document().isModified());
    w.document().undoStack().undo();
    QVERIFY(w.document().isModified());  // still not what the file holds
    QCOMPARE(w.document().project().name, std::string("Smart lock (test model)"));
    QTest::qWait(600);
    QCOMPARE(changed.count(), 1);

    // A further change is offered; Reload takes it and starts a clean history.
    other.project->name = "Changed again";
    QVERIFY(models::saveProject(*other.project, file.toStdString()));
    QVERIFY(changed.wait(3000));
    QVERIFY(w.offerReload(MainWindow::ReloadAnswer::Reload));
    QCOMPARE(w.document().project().name, std::string("Changed again"));
    QVERIFY(!w.document().isModified());
    QCOMPARE(w.document().undoStack().count(), 0);

    // A change that breaks the file is not taken: the document stays as it was.
    std::ofstream(file.toStdString(), std::ios::trunc) << "{\"format\": \"thornwood\", \"format_version\": 1, \"proj";
    QVERIFY(changed.wait(3000));
    QVERIFY(!w.offerReload(MainWindow::ReloadAnswer::Reload));
    QCOMPARE(w.document().project().name, std::string("Changed again"));
    QVERIFY(w.document().isModified());  // saving would replace the broken file

    // Removing the file is noticed too.
    QVERIFY(QFile::remove(file));
    QVERIFY(changed.wait(3000));
    QCOMPARE(changed.last().first().toBool(), true);
  }

  void autosaveAndRecoveryAfterACrash() {
    QTemporaryDir dir;
    const QString recovery = dir.filePath("recovery");
    const QString file = dir.filePath("home.thornwood.json");
    QVERIFY(QFile::copy(kSmartHome, file));
    const std::string onDisk = slurp(file);
    const QString mitigation = QStringLiteral("m_mfa");
    {
      // The session that crashes: an edit, an autosave, then no save and no normal close.
      MainWindow w(nullptr, recovery);
      QVERIFY(w.openFile(file));
      w.document().undoStack().push(
          new SetFieldCommand(w.document(), ElementKind::Mitigation, mitigation, "status", QStringLiteral("verified")));
      QVERIFY(w.autosaver().autosaveNow());
      QVERIFY(QFile::exists(w.autosaver().recoveryFile()));
      // Meanwhile another window's start must not take a copy whose session is alive.
      MainWindow other(nullptr, recovery);
      QVERIFY(!other.autosaver().pending());
    }  // the window goes without closeEvent, as in a crash; the copy stays
    MainWindow next(nullptr, recovery);
    const auto pending = next.autosaver().pending();
    QVERIFY(pending);
    QCOMPARE(pending->originalPath, file);
    QVERIFY(pending->changes.contains(mitigation));  // what would be restored, shown first
    QVERIFY(next.offerRecovery(MainWindow::RecoveryAnswer::Recover));
    QCOMPARE(next.document().path(), file);
    QVERIFY(next.document().isModified());
    for (const auto& m : next.document().project().mitigations) {
      if (m.id == mitigation.toStdString()) QCOMPARE(m.status, models::MitigationStatus::Verified);
    }
    QCOMPARE(slurp(file), onDisk);  // the user's file is untouched until they save
    QVERIFY(!next.autosaver().pending());  // taken over: not offered twice
    QVERIFY(QFile::exists(next.autosaver().recoveryFile()));  // and still safe from a second crash
    QVERIFY(next.document().save().empty());
    QVERIFY(!next.document().isModified());
    QVERIFY(!QFile::exists(next.autosaver().recoveryFile()));  // saved: the copy goes
    QVERIFY(slurp(file) != onDisk);
  }

  void aDiscardedRecoveryIsGone() {
    QTemporaryDir dir;
    const QString recovery = dir.filePath("recovery");
    {
      MainWindow w(nullptr, recovery);
      QVERIFY(w.openFile(kSmartLock));
      w.document().undoStack().push(new SetFieldCommand(w.document(), ElementKind::Component, "lock", "name", QStringLiteral("X")));
      QVERIFY(w.autosaver().autosaveNow());
    }
    MainWindow later(nullptr, recovery);
    QVERIFY(!later.offerRecovery(MainWindow::RecoveryAnswer::Later));
    QVERIFY(later.autosaver().pending());  // "later" keeps it
    QVERIFY(!later.offerRecovery(MainWindow::RecoveryAnswer::Discard));
    QVERIFY(!later.autosaver().pending());
    QCOMPARE(QDir(recovery).entryList({"*.thornwood.json"}, QDir::Files).size(), 0);
    // A lock left by a session that ended with nothing to recover is cleared at the next start.
    {
      QFile lock(recovery + "/session-1-999999.lock");
      QVERIFY(lock.open(QIODevice::WriteOnly));
      // As QLockFile writes it: the pid (of no running process), the program, this host.
      lock.write("999999\ngui_tests\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    }
    MainWindow next(nullptr, recovery);
    QVERIFY(!QFile::exists(recovery + "/session-1-999999.lock"));
    QCOMPARE(QDir(recovery).entryList({"*.lock"}, QDir::Files).size(), 2);  // the two live windows' own
  }

  // --- Screenshots ------------------------------------------------------------------------

  void screenshotsOfEachMainScreen() {
    QTemporaryDir recovery;
    MainWindow w(nullptr, recovery.path());
    w.analysis().setDelay(5);
    w.resize(1600, 1000);
    QVERIFY(w.openFile(kSmartHome));
    w.show();
    QVERIFY(settle(w.analysis()));
    const QString dir = screenshotDir();
    auto shoot = [&](const QString& name) {
      QCoreApplication::processEvents();
      const QImage image = w.grab().toImage();
      QVERIFY(!image.isNull());
      QVERIFY(image.save(dir + '/' + name));
    };
    QVERIFY(w.showEditor("System"));
    w.selectElement("hub");
    shoot("system-diagram.png");
    {
      // At actual size around the hub, as one works on it.
      DiagramView& view = w.systemEditor().view();
      view.resetTransform();
      const auto selected = w.systemEditor().diagram().selectedItems();
      QVERIFY(!selected.isEmpty());
      view.centerOn(selected.front()->sceneBoundingRect().center() + QPointF(-60, 120));
      shoot("system-diagram-actual-size.png");
      view.zoomToFit();
    }
    {
      // The whole diagram at 1:1, as a reviewer reads it.
      QGraphicsScene& scene = w.systemEditor().diagram();
      const QRectF area = scene.itemsBoundingRect().adjusted(-10, -10, 10, 10);
      QImage full(area.size().toSize(), QImage::Format_ARGB32);
      full.fill(Qt::white);
      QPainter painter(&full);
      painter.setRenderHint(QPainter::Antialiasing);
      scene.render(&painter, QRectF(QPointF(0, 0), area.size()), area);
      painter.end();
      QVERIFY(full.save(dir + "/system-diagram-full.png"));
    }
    QVERIFY(w.showEditor("Trees"));
    w.selectElement("at_hub");
    w.results().selectTree("at_hub");
    w.results().cutSetView()->selectRow(0);
    shoot("attack-tree-scenario-highlighted.png");
    w.selectElement("ft_intrusion");
    w.results().cutSetView()->selectRow(0);
    shoot("fault-tree-cut-set-highlighted.png");
    QVERIFY(w.showEditor("Overview"));
    w.results().selectTree("ft_intrusion");
    shoot("overview-fault-tree-results.png");
    QVERIFY(w.showEditor("Threats"));
    w.selectElement("t_credential_stuffing");
    shoot("threats-table-attack-tree-results.png");
    QVERIFY(w.showEditor("Mitigations"));
    w.selectElement("m_mfa");
    shoot("mitigations-table.png");
    QVERIFY(w.showEditor("Hazards"));
    w.results().tabs()->setCurrentIndex(1);
    shoot("hazards-table-project-results.png");
    QVERIFY(w.showEditor("Components"));
    w.selectElement("hub");
    shoot("components-table.png");
    qInfo("screenshots in %s", qPrintable(dir));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
