// The GUI's document and its undo commands: do, undo, redo and merge of every command,
// the modified state, and opening a broken file keeping the current document.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "app/gui/commands.h"
#include "app/gui/project_document.h"

using namespace thornwood;
using namespace thornwood::gui;

namespace {

const QString kSmartLock = QStringLiteral(THORNWOOD_TEST_DATA "/projects/smart-lock.thornwood.json");

const models::Component& component(const ProjectDocument& d, const std::string& id) {
  for (const auto& c : d.project().system.components) {
    if (c.id == id) return c;
  }
  throw std::runtime_error("no component " + id);
}

const models::Threat& threat(const ProjectDocument& d, const std::string& id) {
  for (const auto& t : d.project().threats) {
    if (t.id == id) return t;
  }
  throw std::runtime_error("no threat " + id);
}

}  // namespace

class DocumentTest : public QObject {
  Q_OBJECT

 private slots:
  void opensAProjectAndStartsClean() {
    ProjectDocument d;
    QSignalSpy replaced(&d, &ProjectDocument::projectReplaced);
    QVERIFY(d.open(kSmartLock).empty());
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(QString::fromStdString(d.project().name), QStringLiteral("Smart lock (test model)"));
    QVERIFY(!d.isModified());
    QVERIFY(d.problems().empty());
  }

  void aBrokenFileKeepsTheCurrentDocument() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    d.undoStack().push(new RenameCommand(d, ElementList::Component, "lock", "Front door"));
    QTemporaryDir dir;
    const QString broken = dir.filePath("broken.thornwood.json");
    std::ofstream(broken.toStdString()) << "{\"format\": \"thornwood\", \"format_version\": 1, \"project\": ";
    const auto problems = d.open(broken);
    QVERIFY(!problems.empty());
    QCOMPARE(QString::fromStdString(problems.front().file), broken);
    // Nothing changed: the project, its path, the unsaved edit and its undo history.
    QCOMPARE(QString::fromStdString(component(d, "lock").name), QStringLiteral("Front door"));
    QCOMPARE(d.path(), kSmartLock);
    QVERIFY(d.isModified());
    QCOMPARE(d.undoStack().count(), 1);
  }

  void renameDoesUndoesRedoesAndMergesTyping() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    QSignalSpy changed(&d, &ProjectDocument::elementChanged);
    d.undoStack().push(new RenameCommand(d, ElementList::Component, "lock", "F"));
    d.undoStack().push(new RenameCommand(d, ElementList::Component, "lock", "Fr"));
    d.undoStack().push(new RenameCommand(d, ElementList::Component, "lock", "Front"));
    QCOMPARE(d.undoStack().count(), 1);  // typing is one step
    QCOMPARE(d.undoStack().undoText(), QStringLiteral("Rename lock"));
    QCOMPARE(QString::fromStdString(component(d, "lock").name), QStringLiteral("Front"));
    QVERIFY(d.isModified());
    d.undoStack().undo();
    QCOMPARE(QString::fromStdString(component(d, "lock").name), QStringLiteral("Door lock"));
    QVERIFY(!d.isModified());
    d.undoStack().redo();
    QCOMPARE(QString::fromStdString(component(d, "lock").name), QStringLiteral("Front"));
    QVERIFY(changed.count() >= 3);
    QCOMPARE(changed.last().at(0).toString(), QStringLiteral("lock"));
    // A rename of another element is its own step.
    d.undoStack().push(new RenameCommand(d, ElementList::Mitigation, "m_pin", "Unique PINs"));
    QCOMPARE(d.undoStack().count(), 2);
    QCOMPARE(QString::fromStdString(d.project().mitigations[0].title), QStringLiteral("Unique PINs"));
  }

  void threatStatusIsAPersonsDecision() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    d.mutableProject().threats[0].autoStatus = true;  // as if the rules had set it
    d.undoStack().push(new SetThreatStatusCommand(d, "t_relay", models::ThreatStatus::Accepted,
                                                  "Relay needs proximity; accepted for this release"));
    QCOMPARE(threat(d, "t_relay").status, models::ThreatStatus::Accepted);
    QVERIFY(!threat(d, "t_relay").autoStatus);
    QCOMPARE(d.undoStack().undoText(), QStringLiteral("Set status of threat t_relay to accepted"));
    d.undoStack().undo();
    QCOMPARE(threat(d, "t_relay").status, models::ThreatStatus::Open);
    QVERIFY(threat(d, "t_relay").autoStatus);
    QVERIFY(threat(d, "t_relay").justification.empty());
    // Accepting without a reason shows up as a problem (a validation warning) at once.
    QSignalSpy problems(&d, &ProjectDocument::problemsChanged);
    d.undoStack().push(new SetThreatStatusCommand(d, "t_relay", models::ThreatStatus::Accepted, ""));
    QVERIFY(problems.count() >= 1);
    QCOMPARE(d.problems().size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(d.problems().front().place), QStringLiteral("/threats/0/justification"));
  }

  void mitigationStatus() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    d.undoStack().push(new SetMitigationStatusCommand(d, "m_distance", models::MitigationStatus::Implemented));
    QCOMPARE(d.project().mitigations[2].status, models::MitigationStatus::Implemented);
    d.undoStack().undo();
    QCOMPARE(d.project().mitigations[2].status, models::MitigationStatus::Proposed);
  }

  void aDragIsOneMoveAndOnlyALayoutChange() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    QSignalSpy layout(&d, &ProjectDocument::layoutChanged);
    QSignalSpy elements(&d, &ProjectDocument::elementChanged);
    for (int x = 210; x <= 300; x += 10) d.undoStack().push(new MoveCommand(d, "lock", QPointF(x, 5)));
    QCOMPARE(d.undoStack().count(), 1);
    QCOMPARE(layout.count(), 10);
    QCOMPARE(elements.count(), 0);  // moving a box is not a model change
    auto at = [&](const std::string& id) {
      for (const auto& p : d.project().layout) {
        if (p.element == id) return QPointF(p.x, p.y);
      }
      return QPointF(-1, -1);
    };
    QCOMPARE(at("lock"), QPointF(300, 5));
    d.undoStack().undo();
    QCOMPARE(at("lock"), QPointF(200, 0));
    // An element without a placement gets one, and loses it again on undo.
    d.undoStack().push(new MoveCommand(d, "vendor", QPointF(1, 2)));
    QCOMPARE(at("vendor"), QPointF(1, 2));
    d.undoStack().undo();
    QCOMPARE(at("vendor"), QPointF(-1, -1));
  }

  void saveIsAtomicAndMarksClean() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartLock).empty());
    d.undoStack().push(new RenameCommand(d, ElementList::Component, "cloud", "Vendor cloud"));
    QTemporaryDir dir;
    const QString target = dir.filePath("saved.thornwood.json");
    QSignalSpy path(&d, &ProjectDocument::pathChanged);
    QVERIFY(d.save(target).empty());
    QCOMPARE(path.count(), 1);
    QVERIFY(!d.isModified());
    ProjectDocument again;
    QVERIFY(again.open(target).empty());
    QVERIFY(again.project() == d.project());
    // A document with no file yet says so instead of writing somewhere.
    ProjectDocument fresh;
    QCOMPARE(fresh.save().size(), std::size_t{1});
  }
};

QTEST_MAIN(DocumentTest)
#include "document_test.moc"
