// The compliance matrix, the resilience view and export from the GUI: item models under
// QAbstractItemModelTester, the gaps filter and the counts against coverage(), choosing
// baselines and marking requirements not applicable as undoable edits, click-through to a
// mitigation, the export dialog driven like a user, the export job (the same bytes as the
// exporters give, a bundle that verifies, a cancel that writes nothing), and screenshots.
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>
#include <fstream>
#include <sstream>

#include "app/gui/compliance_view.h"
#include "app/gui/export_dialog.h"
#include "app/gui/main_window.h"
#include "app/gui/project_document.h"
#include "app/gui/resilience_view.h"
#include "exporters/bundle/bundle.h"
#include "exporters/digest.h"
#include "exporters/report.h"
#include "models/compliance.h"
#include "models/project_file.h"
#include "models/validate.h"

using namespace thornwood;
using namespace thornwood::gui;

namespace {

const QString kSmartHome = QStringLiteral(THORNWOOD_SOURCE_DIR "/examples/smart-home-hub.thornwood.json");

std::string slurp(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

QString screenshotDir() {
  const QString dir = QDir::current().filePath(QStringLiteral("screenshots"));
  QDir().mkpath(dir);
  return dir;
}

int rowOf(QAbstractItemModel& m, models::RequirementState state) {
  for (int r = 0; r < m.rowCount(); ++r) {
    if (m.index(r, 0).data(ComplianceModel::kStateRole).toInt() == static_cast<int>(state)) return r;
  }
  return -1;
}

}  // namespace

class ComplianceExportTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qApp->setProperty("thornwood.headless", true); }

  void theMatrixCountsAsCoverageDoes() {
    ProjectDocument doc;
    QVERIFY(doc.open(kSmartHome).empty());
    ComplianceView view(doc);
    QAbstractItemModelTester tester(&view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&view.filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto coverage = models::coverage(doc.project());
    QCOMPARE(view.model().baselines().size(), coverage.size());
    QCOMPARE(view.baselineChooser().count(), static_cast<int>(coverage.size()));
    for (int b = 0; b < static_cast<int>(coverage.size()); ++b) {
      view.model().setBaseline(b);
      const auto& cov = coverage[static_cast<std::size_t>(b)];
      QCOMPARE(view.model().rowCount(), static_cast<int>(cov.requirements.size()));
      view.gapsOnly().setChecked(true);
      QCOMPARE(view.filter().rowCount(), static_cast<int>(cov.gaps));
      view.gapsOnly().setChecked(false);
      // Sorted by state, gaps come first and not-applicable last.
      QCOMPARE(view.filter().index(0, 0).data(ComplianceModel::kStateRole).toInt(),
               static_cast<int>(cov.gaps ? models::RequirementState::Gap : models::RequirementState::Planned));
    }
    view.model().setBaseline(0);
    // ETSI statuses are spelt out.
    bool spelt = false;
    for (int r = 0; r < view.model().rowCount(); ++r) {
      spelt = spelt || view.model().index(r, ComplianceModel::Status).data().toString() == QStringLiteral("mandatory");
    }
    QVERIFY(spelt);
  }

  void notApplicableNeedsAReasonAndUndoes() {
    ProjectDocument doc;
    QVERIFY(doc.open(kSmartHome).empty());
    ComplianceView view(doc);
    QSignalSpy messages(&view, &ComplianceView::message);
    const int gapRow = rowOf(view.model(), models::RequirementState::Gap);
    QVERIFY(gapRow >= 0);
    const QString requirement = view.model().index(gapRow, 0).data(ComplianceModel::kRequirementRole).toString();
    const std::size_t gapsBefore = view.model().current()->gaps;
    QVERIFY(!view.setNotApplicable(requirement, QStringLiteral("   ")));  // no reason: refused
    QCOMPARE(messages.count(), 1);
    QCOMPARE(doc.undoStack().count(), 0);
    QVERIFY(view.setNotApplicable(requirement, QStringLiteral("The hub has no such interface")));
    QCOMPARE(view.model().current()->gaps, gapsBefore - 1);
    QVERIFY(models::noErrors(models::validate(doc.project(), "x")));
    QCOMPARE(doc.undoStack().undoText(), QStringLiteral("Mark %1 not applicable").arg(requirement));
    QVERIFY(view.setNotApplicable(requirement, {}, true));  // applies again
    QCOMPARE(view.model().current()->gaps, gapsBefore);
    doc.undoStack().undo();
    doc.undoStack().undo();
    QCOMPARE(view.model().current()->gaps, gapsBefore);
    QCOMPARE(doc.project().compliance, models::loadProject(kSmartHome.toStdString()).project->compliance);

    // Baselines: select one (with an edition where it has several), drop it, undo.
    const auto before = doc.project().compliance.baselines.size();
    QVERIFY(!view.selectBaseline(QStringLiteral("etsi-en-303-645"), QStringLiteral("V9")));  // no such edition
    QVERIFY(view.selectBaseline(QStringLiteral("fda-premarket-cybersecurity"), {}));
    QCOMPARE(doc.project().compliance.baselines.size(), before + 1);
    QCOMPARE(view.baselineChooser().count(), static_cast<int>(before + 1));
    QVERIFY(view.dropBaseline(QStringLiteral("fda-premarket-cybersecurity")));
    QCOMPARE(doc.project().compliance.baselines.size(), before);
    doc.undoStack().undo();
    QCOMPARE(doc.project().compliance.baselines.back().baseline, std::string("fda-premarket-cybersecurity"));
    doc.undoStack().undo();
    QCOMPARE(doc.project().compliance.baselines.size(), before);
  }

  void aRequirementOpensItsMitigation() {
    ProjectDocument doc;
    QVERIFY(doc.open(kSmartHome).empty());
    ComplianceView view(doc);
    view.resize(1000, 600);
    view.show();
    QSignalSpy opened(&view, &ComplianceView::mitigationActivated);
    QSignalSpy messages(&view, &ComplianceView::message);
    const int metRow = rowOf(view.filter(), models::RequirementState::Met);
    QVERIFY(metRow >= 0);
    const QModelIndex met = view.filter().index(metRow, 0);
    view.table().setFocus();
    view.table().setCurrentIndex(met);
    QTest::keyClick(&view.table(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toString(), met.data(ComplianceModel::kMitigationsRole).toStringList().front());
    // A gap has no mitigation to open: the view says so.
    view.table().setCurrentIndex(view.filter().index(rowOf(view.filter(), models::RequirementState::Gap), 0));
    QTest::keyClick(&view.table(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(messages.count(), 1);
  }

  void theResilienceViewGroupsByGoal() {
    ProjectDocument doc;
    QVERIFY(doc.open(kSmartHome).empty());
    ResilienceView view(doc);
    QAbstractItemModelTester tester(&view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.model().rowCount(), 4);
    int total = 0;
    for (int g = 0; g < 4; ++g) {
      const QModelIndex goal = view.model().index(g, 0);
      const auto phase = static_cast<models::ResiliencePhase>(g);
      const auto expected = std::count_if(doc.project().mitigations.begin(), doc.project().mitigations.end(),
                                          [&](const auto& m) { return m.phase == phase; });
      QCOMPARE(view.model().rowCount(goal), static_cast<int>(expected));
      total += view.model().rowCount(goal);
    }
    QCOMPARE(total, static_cast<int>(doc.project().mitigations.size()));
    // A mitigation moved to another goal moves in the view.
    const QString id = QString::fromStdString(doc.project().mitigations[0].id);
    const auto oldPhase = static_cast<int>(doc.project().mitigations[0].phase);
    const int oldCount = view.model().rowCount(view.model().index(oldPhase, 0));
    doc.mutableProject().mitigations[0].phase = oldPhase == 3 ? models::ResiliencePhase::Anticipate : models::ResiliencePhase::Evolve;
    doc.notifyElementChanged(id);
    QCOMPARE(view.model().rowCount(view.model().index(oldPhase, 0)), oldCount - 1);
    QSignalSpy opened(&view, &ResilienceView::mitigationActivated);
    const QModelIndex first = view.model().index(0, 0, view.model().index(0, 0));
    emit view.tree().activated(first);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toString(), first.data(ResilienceModel::kIdRole).toString());
  }

  void theDialogAsksWhatWhichAndWhere() {
    const auto project = *models::loadProject(kSmartHome.toStdString()).project;
    ExportDialog dialog(project, kSmartHome);
    // Each format suggests a file beside the model.
    dialog.format().setCurrentIndex(dialog.format().findData(static_cast<int>(ExportFormat::Csv)));
    dialog.table().setCurrentIndex(dialog.table().findData(QStringLiteral("hazards")));
    QVERIFY(dialog.path().text().endsWith(QStringLiteral("examples/smart-home-hub-hazards.csv")));
    dialog.format().setCurrentIndex(dialog.format().findData(static_cast<int>(ExportFormat::Pdf)));
    QVERIFY(dialog.path().text().endsWith(QStringLiteral("smart-home-hub-report.pdf")));
    // All baselines checked: the request names none (every one). One unchecked: the rest.
    QVERIFY(dialog.request().baselines.isEmpty());
    QCOMPARE(dialog.baselines().count(), static_cast<int>(project.compliance.baselines.size()));
    dialog.baselines().item(0)->setCheckState(Qt::Unchecked);
    QCOMPARE(dialog.request().baselines, QStringList{QString::fromStdString(project.compliance.baselines[1].baseline)});
    // None checked is refused; so is no file.
    dialog.baselines().item(1)->setCheckState(Qt::Unchecked);
    dialog.accept();
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Rejected));
    dialog.baselines().item(1)->setCheckState(Qt::Checked);
    dialog.path().clear();
    dialog.accept();
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Rejected));
    QTemporaryDir dir;
    dialog.path().setText(dir.filePath(QStringLiteral("r.pdf")));
    dialog.timestamp().setChecked(true);
    dialog.accept();
    QCOMPARE(dialog.result(), static_cast<int>(QDialog::Accepted));
    const ExportRequest r = dialog.request();
    QCOMPARE(r.format, ExportFormat::Pdf);
    QVERIFY(r.timestamp);
  }

  void theJobWritesWhatTheExportersWrite() {
    const auto project = *models::loadProject(kSmartHome.toStdString()).project;
    QTemporaryDir dir;
    ExportRequest r;
    r.format = ExportFormat::Html;
    r.path = dir.filePath(QStringLiteral("report.html"));
    const auto done = runExport(r, project, kSmartHome, nullptr);
    QVERIFY2(done, done ? "" : core::format(done.error()).c_str());
    // The same bytes as the command line's report of the file (canonical: serialise == file).
    const std::string model = slurp(kSmartHome);
    QCOMPARE(models::serialise(project), model);
    auto report = exporters::buildReport(project, kSmartHome.toStdString(), exporters::sha256Hex(model), {});
    QVERIFY(report);
    QVERIFY(slurp(r.path) == exporters::toHtml(*report));

    // A bundle on the worker thread, through the job, that verifies.
    r.format = ExportFormat::Bundle;
    r.path = dir.filePath(QStringLiteral("bundle"));
    ExportJob job(r, project, kSmartHome);
    QSignalSpy finished(&job, &ExportJob::finished);
    job.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    const auto check = exporters::verifyBundle(r.path.toStdString(), kSmartHome.toStdString());
    QVERIFY(check);
    QVERIFY(check->ok());
    QVERIFY(check->checked > 20);

    // Cancelled before it starts: nothing written, and it says so.
    r.format = ExportFormat::Pdf;
    r.path = dir.filePath(QStringLiteral("cancelled.pdf"));
    ExportJob cancelled(r, project, kSmartHome);
    QSignalSpy ended(&cancelled, &ExportJob::finished);
    cancelled.cancel();
    cancelled.start();
    QVERIFY(ended.wait(60000));
    QVERIFY(!ended.first().at(0).toBool());
    QVERIFY(ended.first().at(1).toString().contains(QStringLiteral("cancelled")));
    QVERIFY(!QFile::exists(r.path));
  }

  void theWindowExportsAndShowsTheNewTabs() {
    QTemporaryDir dir;
    MainWindow w(nullptr, dir.filePath(QStringLiteral("recovery")));
    w.resize(1600, 1000);
    QVERIFY(w.openFile(kSmartHome));
    w.show();
    QSignalSpy finished(&w, &MainWindow::exportFinished);
    ExportRequest r;
    r.format = ExportFormat::Pdf;
    r.path = dir.filePath(QStringLiteral("report.pdf"));
    QVERIFY(w.startExport(r));
    QVERIFY(!w.startExport(r));  // one at a time
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(slurp(r.path).rfind("%PDF-", 0) == 0);
    QVERIFY(w.runningExport() == nullptr);

    // Screenshots of the compliance matrix, the resilience view and the export dialog.
    const QString shots = screenshotDir();
    QVERIFY(w.showEditor(QStringLiteral("Compliance")));
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(shots + QStringLiteral("/compliance-matrix.png")));
    w.complianceView().gapsOnly().setChecked(true);
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(shots + QStringLiteral("/compliance-matrix-gaps.png")));
    QVERIFY(w.showEditor(QStringLiteral("Resilience")));
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(shots + QStringLiteral("/resilience-view.png")));
    ExportDialog dialog(w.document().project(), kSmartHome, &w);
    dialog.show();
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(shots + QStringLiteral("/export-dialog.png")));
    dialog.format().setCurrentIndex(dialog.format().findData(static_cast<int>(ExportFormat::Svg)));
    dialog.drawing().setCurrentIndex(dialog.drawing().findData(QStringLiteral("at_hub")));
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(shots + QStringLiteral("/export-dialog-drawing.png")));
  }
};

QTEST_MAIN(ComplianceExportTest)
#include "compliance_export_test.moc"
