// The system diagram editor driven by simulated input: drop from the palette, connect by
// dragging, move a box into another zone (membership follows, one undo step), rubber-band
// selection, resize a zone by its grip, align, delete (refused while threats target the
// element), and auto-layout by Graphviz keeping every box inside its zone.
#include <QGraphicsItem>
#include <QGraphicsSceneDragDropEvent>
#include <QAction>
#include <QMimeData>
#include <QSignalSpy>
#include <QtTest>

#include "app/gui/commands.h"
#include "app/gui/project_document.h"
#include "app/gui/system_diagram.h"

using namespace thornwood;
using namespace thornwood::gui;

namespace {

const QString kSmartHome = QStringLiteral(THORNWOOD_SOURCE_DIR "/examples/smart-home-hub.thornwood.json");

/// A left-button drag on the view, with the button held through the moves, as a hand does.
void drag(QGraphicsView& view, QPointF fromScene, QPointF toScene, int steps = 6) {
  QWidget* vp = view.viewport();
  const QPoint from = view.mapFromScene(fromScene), to = view.mapFromScene(toScene);
  auto send = [&](QEvent::Type type, QPoint at, Qt::MouseButtons buttons) {
    QMouseEvent e(type, at, vp->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
    QCoreApplication::sendEvent(vp, &e);
  };
  send(QEvent::MouseButtonPress, from, Qt::LeftButton);
  for (int i = 1; i <= steps; ++i) send(QEvent::MouseMove, from + (to - from) * i / steps, Qt::LeftButton);
  send(QEvent::MouseButtonRelease, to, Qt::NoButton);
}

std::string zoneOf(const models::Project& p, const std::string& component) {
  for (const auto& z : p.system.zones) {
    if (std::find(z.members.begin(), z.members.end(), component) != z.members.end()) return z.id;
  }
  return {};
}

const models::Placement* placementOf(const models::Project& p, const std::string& id) {
  for (const auto& pl : p.layout) {
    if (pl.element == id) return &pl;
  }
  return nullptr;
}

struct Fixture {
  ProjectDocument document;
  SystemEditor editor{document};
  Fixture() {
    if (!document.open(kSmartHome).empty()) throw std::runtime_error("cannot open the example");
    editor.resize(1400, 1000);
    editor.show();
    editor.view().resetTransform();
    editor.view().centerOn(editor.diagram().itemsBoundingRect().center());
  }
  SystemDiagram& diagram() { return editor.diagram(); }
  DiagramView& view() { return editor.view(); }
  /// Makes sure both points are on screen.
  void showBoth(const QString& a, const QString& b) {
    view().fitInView(diagram().boxOf(a).united(diagram().boxOf(b)).adjusted(-80, -80, 80, 80), Qt::KeepAspectRatio);
  }
};

}  // namespace

class SystemDiagramTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qApp->setProperty("thornwood.headless", true); }

  void everyElementIsDrawnWhereTheLayoutSays() {
    Fixture f;
    const models::Project& p = f.document.project();
    for (const auto& c : p.system.components) {
      const auto* pl = placementOf(p, c.id);
      QVERIFY(pl);
      QCOMPARE(f.diagram().boxOf(QString::fromStdString(c.id)).topLeft(), QPointF(pl->x, pl->y));
    }
    for (const auto& fl : p.system.flows) QVERIFY(f.diagram().itemFor(QString::fromStdString(fl.id)));
    for (const auto& z : p.system.zones) QVERIFY(f.diagram().itemFor(QString::fromStdString(z.id)));
  }

  void dropFromThePaletteAddsAComponentInTheZoneBelow() {
    Fixture f;
    const QRectF lan = f.diagram().boxOf("home_lan");
    const int before = static_cast<int>(f.document.project().system.components.size());
    QMimeData data;
    data.setData(ElementPalette::kMimeType, "sensor");
    QGraphicsSceneDragDropEvent drop(QEvent::GraphicsSceneDrop);
    drop.setMimeData(&data);
    drop.setScenePos(QPointF(lan.right() - 90, lan.bottom() - 40));
    drop.setProposedAction(Qt::CopyAction);
    drop.setPossibleActions(Qt::CopyAction);
    QCoreApplication::sendEvent(&f.diagram(), &drop);
    const auto& p = f.document.project();
    QCOMPARE(static_cast<int>(p.system.components.size()), before + 1);
    const models::Component& added = p.system.components.back();
    QCOMPARE(added.kind, models::ComponentKind::Sensor);
    QCOMPARE(added.id, std::string("sensor"));
    QCOMPARE(zoneOf(p, "sensor"), std::string("home_lan"));
    QVERIFY(placementOf(p, "sensor"));
    f.document.undoStack().undo();
    QCOMPARE(static_cast<int>(f.document.project().system.components.size()), before);
    QCOMPARE(zoneOf(f.document.project(), "sensor"), std::string());
  }

  void draggingFromBoxToBoxInConnectModeAddsAFlow() {
    Fixture f;
    f.showBoth("installer", "video_store");
    f.diagram().setConnectMode(true);
    f.view().setDragMode(QGraphicsView::NoDrag);
    const int before = static_cast<int>(f.document.project().system.flows.size());
    drag(f.view(), f.diagram().boxOf("installer").center(), f.diagram().boxOf("video_store").center());
    const auto& flows = f.document.project().system.flows;
    QCOMPARE(static_cast<int>(flows.size()), before + 1);
    QCOMPARE(flows.back().source, std::string("installer"));
    QCOMPARE(flows.back().target, std::string("video_store"));
    // Released on empty canvas: nothing.
    drag(f.view(), f.diagram().boxOf("installer").center(), f.diagram().boxOf("installer").center() + QPointF(0, -400));
    QCOMPARE(static_cast<int>(f.document.project().system.flows.size()), before + 1);
  }

  void movingABoxIntoAnotherZoneChangesItsMembershipInOneStep() {
    Fixture f;
    const QString mover = "indoor_camera";
    QCOMPARE(zoneOf(f.document.project(), mover.toStdString()), std::string("home_lan"));
    const QRectF target = f.diagram().boxOf("zigbee_pan");
    const QRectF box = f.diagram().boxOf(mover);
    // Somewhere inside the Zigbee zone clear of its other boxes: its bottom-left corner area.
    const QPointF dropCentre(target.left() + 90, target.bottom() - 40);
    f.showBoth(mover, "zigbee_pan");
    QSignalSpy messages(&f.diagram(), &SystemDiagram::message);
    const QPointF grab = box.topLeft() + QPointF(110, 45);  // on the box, away from its icon
    drag(f.view(), grab, grab + (dropCentre - box.center()));
    QCOMPARE(zoneOf(f.document.project(), mover.toStdString()), std::string("zigbee_pan"));
    QCOMPARE(f.document.undoStack().count(), 1);
    QVERIFY(!messages.isEmpty());
    QVERIFY(messages.last().at(0).toString().contains("zigbee_pan"));
    f.document.undoStack().undo();
    QCOMPARE(zoneOf(f.document.project(), mover.toStdString()), std::string("home_lan"));
    QCOMPARE(f.diagram().boxOf(mover).topLeft(), box.topLeft());
  }

  void aMoveInsideTheSameZoneIsOnlyALayoutChange() {
    Fixture f;
    QSignalSpy layout(&f.document, &ProjectDocument::layoutChanged);
    QSignalSpy lists(&f.document, &ProjectDocument::listChanged);
    const QRectF box = f.diagram().boxOf("hub");
    f.showBoth("hub", "hub");
    const QPointF grab = box.topLeft() + QPointF(110, 45);
    drag(f.view(), grab, grab + QPointF(3, 4));
    QCOMPARE(f.document.undoStack().count(), 1);
    QCOMPARE(lists.count(), 0);
    QVERIFY(layout.count() >= 1);
    QCOMPARE(f.diagram().boxOf("hub").topLeft(), box.topLeft() + QPointF(3, 4));
  }

  void rubberBandSelectsWhatItCovers() {
    Fixture f;
    const QRectF pan = f.diagram().boxOf("zigbee_pan");
    f.showBoth("zigbee_pan", "zigbee_pan");
    // From empty canvas just outside the zone's top-left (not the border or title of the zone
    // around it, which would start a move) to beyond its bottom-right: everything in it.
    QPointF start = pan.topLeft() - QPointF(3, 3);
    while (!f.diagram().items(start).isEmpty()) start -= QPointF(2, 2);
    drag(f.view(), start, pan.bottomRight() + QPointF(10, 10));
    const QStringList selected = f.diagram().selectedIds();
    for (const auto& z : f.document.project().system.zones) {
      if (z.id != "zigbee_pan") continue;
      for (const auto& m : z.members) QVERIFY2(selected.contains(QString::fromStdString(m)), m.c_str());
    }
    QVERIFY(selected.contains("zigbee_pan"));
    QCOMPARE(f.document.undoStack().count(), 0);  // selecting changes nothing
  }

  void aZoneIsResizedByItsGrip() {
    Fixture f;
    const QRectF zone = f.diagram().boxOf("vendor_cloud");
    f.showBoth("vendor_cloud", "vendor_cloud");
    drag(f.view(), zone.bottomRight() - QPointF(4, 4), zone.bottomRight() + QPointF(60, 30));
    const auto* pl = placementOf(f.document.project(), "vendor_cloud");
    QVERIFY(pl);
    QVERIFY(std::abs(pl->width - (zone.width() + 64)) <= 2);
    QVERIFY(std::abs(pl->height - (zone.height() + 34)) <= 2);
    QCOMPARE(pl->x, zone.x());
  }

  void alignLeftLinesBoxesUp() {
    Fixture f;
    f.diagram().selectIds({"door_front", "door_back", "motion_hall"});
    QVERIFY(f.diagram().alignSelected(Qt::AlignLeft));
    const double x = f.diagram().boxOf("door_back").x();  // the first by id is the anchor
    QCOMPARE(f.diagram().boxOf("door_front").x(), x);
    QCOMPARE(f.diagram().boxOf("motion_hall").x(), x);
    QCOMPARE(f.document.undoStack().count(), 1);
  }

  void deleteTakesFlowsAlongAndIsRefusedWhileThreatsTargetIt() {
    Fixture f;
    // A flow no threat targets can go.
    std::string free;
    for (const auto& fl : f.document.project().system.flows) {
      bool targeted = false;
      for (const auto& t : f.document.project().threats) targeted = targeted || t.target == fl.id;
      if (!targeted) free = fl.id;
    }
    QVERIFY(!free.empty());
    f.diagram().selectIds({QString::fromStdString(free)});
    QVERIFY(f.diagram().deleteSelected());
    for (const auto& fl : f.document.project().system.flows) QVERIFY(fl.id != free);
    f.document.undoStack().undo();
    // The hub is the target of threats: refused, nothing changed.
    const models::Project before = f.document.project();
    QSignalSpy messages(&f.diagram(), &SystemDiagram::message);
    f.diagram().selectIds({"hub"});
    QVERIFY(!f.diagram().deleteSelected());
    QVERIFY(f.document.project() == before);
    QVERIFY(messages.last().at(0).toString().contains("threat"));
  }

  void deleteFromSystemCascades() {
    ProjectDocument d;
    QVERIFY(d.open(kSmartHome).empty());
    SystemState s{d.project().system, d.project().layout};
    models::Project noThreats = d.project();
    noThreats.threats.clear();
    QVERIFY(!deleteFromSystem(s, noThreats, {"hub", "home_lan"}));
    for (const auto& fl : s.system.flows) QVERIFY(fl.source != "hub" && fl.target != "hub");
    for (const auto& z : s.system.zones) {
      QVERIFY(z.id != "home_lan");
      QVERIFY(z.parent != "home_lan");
      for (const auto& m : z.members) QVERIFY(m != "hub");
    }
    for (const auto& pl : s.layout) QVERIFY(pl.element != "hub" && pl.element != "home_lan");
  }

  void autoLayoutKeepsEveryBoxInItsZoneAndApart() {
    Fixture f;
    const models::System system = f.document.project().system;
    QVERIFY(f.diagram().autoLayout());
    QVERIFY(f.document.project().system == system);  // layout only
    const models::Project& p = f.document.project();
    for (const auto& z : p.system.zones) {
      const QRectF zone = f.diagram().boxOf(QString::fromStdString(z.id));
      for (const auto& m : z.members) QVERIFY2(zone.contains(f.diagram().boxOf(QString::fromStdString(m))), m.c_str());
      if (!z.parent.empty()) QVERIFY(f.diagram().boxOf(QString::fromStdString(z.parent)).contains(zone));
    }
    for (const auto& a : p.system.components) {
      for (const auto& b : p.system.components) {
        if (a.id < b.id) {
          QVERIFY2(!f.diagram().boxOf(QString::fromStdString(a.id)).intersects(f.diagram().boxOf(QString::fromStdString(b.id))),
                   (a.id + " overlaps " + b.id).c_str());
        }
      }
    }
    f.document.undoStack().undo();
    QVERIFY(!f.document.isModified());
  }

  void theToolBarActionsWorkFromTheToolBar() {
    Fixture f;
    auto action = [&](const QString& text) -> QAction* {
      for (QAction* a : f.editor.findChildren<QAction*>()) {
        if (a->text() == text) return a;
      }
      return nullptr;
    };
    for (const char* text : {"Connect", "Add Zone", "Align Left", "Align Top", "Auto-Layout", "Fit"}) QVERIFY2(action(text), text);
    f.diagram().selectIds({"door_front", "door_back"});
    action("Align Top")->trigger();
    QCOMPARE(f.diagram().boxOf("door_front").y(), f.diagram().boxOf("door_back").y());
    const int zones = static_cast<int>(f.document.project().system.zones.size());
    action("Add Zone")->trigger();
    QCOMPARE(static_cast<int>(f.document.project().system.zones.size()), zones + 1);
    action("Auto-Layout")->trigger();
    QCOMPARE(f.document.undoStack().count(), 3);
    // C toggles Connect mode with the focus on the canvas.
    f.editor.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&f.editor));
    f.view().setFocus();
    QTest::keyClick(&f.view(), Qt::Key_C);
    QVERIFY(f.diagram().connectMode());
    QTest::keyClick(&f.view(), Qt::Key_C);
    QVERIFY(!f.diagram().connectMode());
  }

  void zoomStaysInBounds() {
    Fixture f;
    for (int i = 0; i < 40; ++i) f.view().zoomBy(1.5);
    QVERIFY(f.view().zoom() <= 6.0 + 1e-9);
    for (int i = 0; i < 80; ++i) f.view().zoomBy(1 / 1.5);
    QVERIFY(f.view().zoom() >= 0.1 - 1e-9);
    f.view().zoomToFit();
    const QRectF visible = f.view().mapToScene(f.view().viewport()->rect()).boundingRect();
    QVERIFY(visible.contains(f.diagram().boxOf("hub")));
  }
};

QTEST_MAIN(SystemDiagramTest)
#include "system_diagram_test.moc"
