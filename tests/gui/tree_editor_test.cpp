// The attack- and fault-tree editor: drawing (each node once, a shared node as a reference
// box, countermeasures beside what they defend, parents above children), editing by keyboard
// and by double-click (add child, add sibling, rename in place), the checks that keep a tree
// valid (root, last input, arity), refining a leaf without losing its figures or defences,
// and highlighting a cut set.
#include <QLineEdit>
#include <QTemporaryDir>
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "app/gui/fields.h"
#include "app/gui/node_property_model.h"
#include "app/gui/project_document.h"
#include "app/gui/system_diagram.h"
#include "app/gui/tree_editor.h"
#include "models/project_file.h"

using namespace thornwood;
using namespace thornwood::gui;

namespace {

const std::string kSmartLock = THORNWOOD_TEST_DATA "/projects/smart-lock.thornwood.json";

const models::AttackNode* attackNode(const models::Project& p, const std::string& tree, const std::string& id) {
  for (const auto& t : p.attackTrees) {
    if (t.id != tree) continue;
    for (const auto& n : t.nodes) {
      if (n.id == id) return &n;
    }
  }
  return nullptr;
}

const models::FaultGate* faultGate(const models::Project& p, const std::string& id) {
  for (const auto& t : p.faultTrees) {
    for (const auto& g : t.gates) {
      if (g.id == id) return &g;
    }
  }
  return nullptr;
}

std::vector<std::string> effectsOn(const models::Project& p, const std::string& mitigation) {
  std::vector<std::string> out;
  for (const auto& m : p.mitigations) {
    if (m.id != mitigation) continue;
    for (const auto& e : m.effects) out.push_back(e.element);
  }
  return out;
}

/// The smart-lock test project with "forward" shared: a child of both "relay" and "unlock".
struct Fixture {
  QTemporaryDir dir;
  ProjectDocument document;
  TreeEditor editor{document};
  Fixture() {
    auto loaded = models::loadProject(kSmartLock);
    if (!loaded.project) throw std::runtime_error("cannot read the smart-lock project");
    for (auto& t : loaded.project->attackTrees) {
      for (auto& n : t.nodes) {
        if (n.id == "unlock") n.children.push_back("forward");
      }
    }
    const std::string file = dir.filePath("lock.thornwood.json").toStdString();
    if (!models::saveProject(*loaded.project, file)) throw std::runtime_error("cannot write the test project");
    if (!document.open(QString::fromStdString(file)).empty()) throw std::runtime_error("cannot open the test project");
    editor.resize(1200, 800);
    editor.show();
    editor.showTree("at_unlock");
    editor.activateWindow();
    if (!QTest::qWaitForWindowActive(&editor)) throw std::runtime_error("the editor did not become active");
    editor.view().setFocus();
  }
  TreeScene& scene() { return editor.scene(); }
  const models::Project& project() { return document.project(); }
};

}  // namespace

class TreeEditorTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qApp->setProperty("thornwood.headless", true); }

  void eachNodeOnceSharedOnesAsReferencesDefencesBeside() {
    Fixture f;
    for (const char* id : {"unlock", "relay", "capture", "forward", "default_pin"}) QVERIFY2(!f.scene().boxOf(id).isNull(), id);
    QCOMPARE(f.scene().referenceBoxes(), 1);  // "forward" under its second parent
    QCOMPARE(f.scene().countermeasuresOf("default_pin"), QStringList{"m_pin"});
    QCOMPARE(f.scene().countermeasuresOf("forward"), QStringList{"m_distance"});
    QVERIFY(f.scene().boxOf("unlock").bottom() < f.scene().boxOf("relay").top());
    QVERIFY(f.scene().boxOf("relay").bottom() < f.scene().boxOf("capture").top());
    // A fault tree with its lowering countermeasure.
    QVERIFY(f.editor.showTree("ft_open"));
    QVERIFY(!f.scene().isAttackTree());
    QCOMPARE(f.scene().countermeasuresOf("motor_fault"), QStringList{"m_motor"});
    QVERIFY(f.scene().boxOf("door_opens").bottom() < f.scene().boxOf("glitch_unhandled").top());
    QVERIFY(!f.editor.showTree("no_such_tree"));
  }

  void insertAddsAChildAndEnterASibling() {
    Fixture f;
    f.scene().selectNode("relay");
    QTest::keyClick(&f.editor.view(), Qt::Key_Insert);
    const models::AttackNode* relay = attackNode(f.project(), "at_unlock", "relay");
    QCOMPARE(relay->children, (std::vector<std::string>{"capture", "forward", "step"}));
    QCOMPARE(f.scene().selectedNode(), QStringLiteral("step"));
    f.scene().selectNode("capture");
    QTest::keyClick(&f.editor.view(), Qt::Key_Return);
    relay = attackNode(f.project(), "at_unlock", "relay");
    QCOMPARE(relay->children, (std::vector<std::string>{"capture", "step_2", "forward", "step"}));
    QCOMPARE(f.document.undoStack().count(), 2);
    f.document.undoStack().undo();
    f.document.undoStack().undo();
    QVERIFY(!f.document.isModified());
  }

  void aLeafIsRefinedKeepingItsFiguresAndDefences() {
    Fixture f;
    const models::AttackNode before = *attackNode(f.project(), "at_unlock", "default_pin");
    QVERIFY(f.scene().addChild("default_pin"));
    const models::AttackNode* pin = attackNode(f.project(), "at_unlock", "default_pin");
    QCOMPARE(pin->kind, models::AttackNodeKind::Or);
    QCOMPARE(pin->children.size(), std::size_t{2});
    const models::AttackNode* copy = attackNode(f.project(), "at_unlock", pin->children[0]);
    QVERIFY(copy);
    QCOMPARE(copy->kind, models::AttackNodeKind::Leaf);
    QCOMPARE(copy->cost, before.cost);
    QCOMPARE(copy->probability, before.probability);
    QCOMPARE(copy->name, before.name);
    QVERIFY(!pin->cost && !pin->probability);  // only leaves carry figures
    QCOMPARE(effectsOn(f.project(), "m_pin"), std::vector<std::string>{copy->id});  // the defence followed
    QCOMPARE(f.scene().countermeasuresOf(QString::fromStdString(copy->id)), QStringList{"m_pin"});
  }

  void theChecksKeepTheTreeValid() {
    Fixture f;
    QSignalSpy messages(&f.scene(), &TreeScene::message);
    const models::Project before = f.project();
    QVERIFY(!f.scene().deleteNode("unlock"));  // the root
    QVERIFY(!f.scene().addSibling("unlock"));
    QVERIFY(!f.scene().setGateKind("and", "capture"));  // a leaf is not a gate
    QVERIFY(!f.scene().setGateKind("xor", "relay"));    // not an attack-tree gate
    QVERIFY(f.editor.showTree("ft_open"));
    QVERIFY(!f.scene().setGateKind("not", "glitch_unhandled"));  // NOT takes one input, it has two
    QVERIFY(f.project() == before);
    QCOMPARE(messages.count(), 5);
    QVERIFY(messages.last().at(0).toString().contains("not takes 1"));
    QVERIFY(f.scene().setGateKind("atleast", "glitch_unhandled"));
    QCOMPARE(faultGate(f.project(), "glitch_unhandled")->kind, models::FaultGateKind::AtLeast);
    QCOMPARE(faultGate(f.project(), "glitch_unhandled")->k, 1);
    QVERIFY(f.scene().setGateKind("inhibit", "glitch_unhandled"));  // two inputs: fine
    QVERIFY(!f.scene().addChild("glitch_unhandled"));               // INHIBIT keeps two
  }

  void deleteTakesOrphansAndTheirDefencesAlong() {
    Fixture f;
    // "forward" is shared: deleting it removes it from both parents, and m_distance's effect.
    QVERIFY(f.scene().deleteNode("forward"));
    QVERIFY(!attackNode(f.project(), "at_unlock", "forward"));
    QCOMPARE(attackNode(f.project(), "at_unlock", "relay")->children, std::vector<std::string>{"capture"});
    QVERIFY(effectsOn(f.project(), "m_distance").empty());
    // "capture" is now relay's only child.
    QVERIFY(!f.scene().deleteNode("capture"));
    // Deleting relay takes capture, which nothing else reaches.
    QVERIFY(f.scene().deleteNode("relay"));
    QVERIFY(!attackNode(f.project(), "at_unlock", "capture"));
    f.document.undoStack().undo();
    f.document.undoStack().undo();
    QCOMPARE(effectsOn(f.project(), "m_distance"), std::vector<std::string>{"forward"});
    QVERIFY(!f.document.isModified());
    // Fault tree: an event required by an AND of two is refused; an OR's input may go.
    QVERIFY(f.editor.showTree("ft_open"));
    QVERIFY(f.scene().deleteNode("motor_fault"));
    QVERIFY(effectsOn(f.project(), "m_motor").empty());
  }

  void doubleClickRenamesInPlace() {
    Fixture f;
    f.editor.view().zoomToFit();
    const QPoint at = f.editor.view().mapFromScene(f.scene().boxOf("capture").center());
    QTest::mouseDClick(f.editor.view().viewport(), Qt::LeftButton, {}, at);
    QLineEdit* line = f.editor.renameEditor();
    QVERIFY(line->isVisible());
    QCOMPARE(line->text(), QString::fromStdString(attackNode(f.project(), "at_unlock", "capture")->name));
    line->selectAll();
    QTest::keyClicks(line, "Sniff the BLE exchange");
    QTest::keyClick(line, Qt::Key_Return);
    QCOMPARE(attackNode(f.project(), "at_unlock", "capture")->name, std::string("Sniff the BLE exchange"));
    QCOMPARE(f.document.undoStack().count(), 1);
    // Escape cancels.
    f.editor.beginRename("forward");
    QTest::keyClicks(f.editor.renameEditor(), "nope");
    QTest::keyClick(f.editor.renameEditor(), Qt::Key_Escape);
    QVERIFY(!f.editor.renameEditor()->isVisible());
    QCOMPARE(f.document.undoStack().count(), 1);
  }

  void figuresAreCheckedBeforeTheyLand() {
    Fixture f;
    QVERIFY(!f.scene().setLeafFigures("capture", {10.0, 2.0, 3.0, 1.5}));  // p > 1
    QVERIFY(!f.scene().setLeafFigures("capture", {-1.0, {}, {}, {}}));
    QVERIFY(f.scene().setLeafFigures("capture", {10.0, 2.0, 3.0, 0.25}));
    QCOMPARE(attackNode(f.project(), "at_unlock", "capture")->probability, std::optional<double>(0.25));
    QVERIFY(!f.scene().setLeafFigures("relay", {1.0, {}, {}, {}}));  // a gate
    QVERIFY(f.editor.showTree("ft_open"));
    QVERIFY(!f.scene().setEventNumber("motor_fault", {}, {}));
    QVERIFY(!f.scene().setEventNumber("motor_fault", 0.1, 1e-5));
    QVERIFY(!f.scene().setEventNumber("motor_fault", std::numeric_limits<double>::quiet_NaN(), {}));
    QVERIFY(f.scene().setEventNumber("motor_fault", {}, 2e-6));
    // A new basic event has no number: the problems panel asks for one.
    QVERIFY(f.scene().addChild("door_opens"));
    QVERIFY(!f.document.problems().empty());
  }

  void nodePropertiesEditThroughTheTreeEdits() {
    Fixture f;
    NodePropertyModel model(f.document);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refused(&model, &NodePropertyModel::refused);
    auto row = [&](const QString& label) {
      for (int r = 0; r < model.rowCount(); ++r) {
        if (model.index(r, 0).data().toString() == label) return model.index(r, 1);
      }
      return QModelIndex();
    };
    model.setNode("at_unlock", "capture");
    QVERIFY(row("Cost").isValid());
    QVERIFY(model.setData(row("Cost"), QStringLiteral("55"), Qt::EditRole));
    QCOMPARE(attackNode(f.project(), "at_unlock", "capture")->cost, std::optional<double>(55));
    QVERIFY(model.setData(row("Cost"), QString(), Qt::EditRole));  // empty: not known
    QVERIFY(!attackNode(f.project(), "at_unlock", "capture")->cost);
    QVERIFY(!model.setData(row("Probability of success"), QStringLiteral("2"), Qt::EditRole));
    QCOMPARE(refused.count(), 1);
    QVERIFY(!model.setData(row("Id"), QStringLiteral("x"), Qt::EditRole));  // read-only
    // A gate: its kind, then k.
    model.setNode("at_unlock", "unlock");
    QVERIFY(model.setData(row("Gate"), QStringLiteral("atleast"), Qt::EditRole));
    QCOMPARE(attackNode(f.project(), "at_unlock", "unlock")->kind, models::AttackNodeKind::AtLeast);
    QVERIFY(row("k (of the children)").isValid());
    QVERIFY(!model.setData(row("k (of the children)"), 9, Qt::EditRole));
    QCOMPARE(attackNode(f.project(), "at_unlock", "unlock")->k, 2);  // a majority of 3, to start
    QVERIFY(model.setData(row("k (of the children)"), 3, Qt::EditRole));
    QCOMPARE(attackNode(f.project(), "at_unlock", "unlock")->k, 3);
    // A basic event: a rate replaces the probability.
    model.setNode("ft_open", "motor_fault");
    QCOMPARE(row("Failure rate (/h)").data(kFieldTypeRole).toInt(), static_cast<int>(FieldType::Number));
    QVERIFY(model.setData(row("Failure rate (/h)"), QStringLiteral("3e-6"), Qt::EditRole));
    for (const auto& t : f.project().faultTrees) {
      for (const auto& e : t.events) {
        if (e.id == "motor_fault") {
          QVERIFY(!e.probability);
          QCOMPARE(e.rate, std::optional<double>(3e-6));
        }
      }
    }
    const int steps = f.document.undoStack().count();
    QCOMPARE(steps, 5);
    for (int i = 0; i < steps; ++i) f.document.undoStack().undo();
    QVERIFY(!f.document.isModified());
  }

  void aCutSetIsHighlighted() {
    Fixture f;
    f.scene().setHighlighted({"at_unlock/capture", "forward", "ft_open/motor_fault", "unknown"});
    QCOMPARE(f.scene().highlighted(), (QStringList{"capture", "forward"}));
    f.scene().rebuild();
    QCOMPARE(f.scene().highlighted(), (QStringList{"capture", "forward"}));  // kept across edits
    QVERIFY(f.editor.showTree("ft_open"));
    QVERIFY(f.scene().highlighted().isEmpty());  // another tree starts clean
  }
};

QTEST_MAIN(TreeEditorTest)
#include "tree_editor_test.moc"
