#pragma once

// The system diagram editor (issue #6): components as boxes with their kind's icon, data
// flows as arrows, trust zones as nested regions. Place from a palette, connect by dragging,
// move and resize, align, delete, auto-layout by Graphviz; every change is one command on
// the document's undo stack, and the scene is rebuilt from the document after each, so it
// only ever shows the document's state. Zone membership is explicit in the model: moving a
// box into or out of a zone changes the membership in the same undo step, and says so.

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHash>
#include <QListWidget>
#include <QSet>

#include "app/gui/project_document.h"
#include "exporters/graph_layout.h"
#include "models/project.h"

class QSvgRenderer;

namespace thornwood::gui {

class ComponentItem;
class ZoneItem;
class FlowItem;

/// The natural size of a component's box, in scene units (points): the reports' size.
inline constexpr double kComponentWidth = exporters::kComponentWidth;
inline constexpr double kComponentHeight = exporters::kComponentHeight;

class SystemDiagram : public QGraphicsScene {
  Q_OBJECT

 public:
  explicit SystemDiagram(ProjectDocument& document, QObject* parent = nullptr);
  ~SystemDiagram() override;

  /// Rebuilds every item from the document, keeping the selection by id.
  void rebuild();

  QGraphicsItem* itemFor(const QString& id) const;
  QStringList selectedIds() const;
  void selectIds(const QStringList& ids);
  /// Draws these elements highlighted (a threat's target, a cut set's components).
  void setHighlighted(const QStringList& ids);
  const QSet<QString>& highlighted() const { return m_highlighted; }
  /// Where a component or zone is drawn (its box), in scene coordinates.
  QRectF boxOf(const QString& id) const;

  // Edits. Each pushes one command; they return the new id, or false/empty when nothing was
  // done (with message() saying why).
  QString addComponent(models::ComponentKind kind, QPointF at);
  QString addFlow(const QString& from, const QString& to);
  QString addZone(const QRectF& area);
  bool deleteSelected();
  bool alignSelected(Qt::Alignment how);
  bool autoLayout();
  /// Moves the given boxes to new top-left positions as one step, updating membership.
  bool moveTo(const QHash<QString, QPointF>& positions);

  void setConnectMode(bool on) { m_connectMode = on; }
  bool connectMode() const { return m_connectMode; }

  QSvgRenderer* iconOf(models::ComponentKind kind);

 signals:
  /// The user selected an element on the diagram (the first selected).
  void elementActivated(const QString& id);
  void message(const QString& text);

 protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
  void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
  void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
  void dropEvent(QGraphicsSceneDragDropEvent* event) override;

 private:
  friend class ComponentItem;
  friend class ZoneItem;
  void commitDrag();
  void updateFlowsOf(const QString& component);
  ComponentItem* componentAt(QPointF at) const;
  /// The innermost zone whose box holds `point`, leaving out `except` and its descendants.
  QString zoneAt(QPointF point, const QString& except = {}) const;
  QString freshId(const QString& stem) const;

  ProjectDocument& m_document;
  QHash<QString, ComponentItem*> m_components;
  QHash<QString, ZoneItem*> m_zones;
  QHash<QString, FlowItem*> m_flows;
  QHash<int, QSvgRenderer*> m_icons;
  QSet<QString> m_highlighted;
  bool m_connectMode = false;
  bool m_rebuilding = false;
  bool m_dragging = false;
  ComponentItem* m_connectFrom = nullptr;
  QGraphicsLineItem* m_rubberLine = nullptr;
};

/// The canvas: rubber-band selection, Ctrl+wheel zoom, middle-button pan, fit.
class DiagramView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit DiagramView(QGraphicsScene* scene, QWidget* parent = nullptr);
  void zoomBy(double factor);
  void zoomToFit();
  double zoom() const { return transform().m11(); }

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  bool m_panning = false;
  QPoint m_panFrom;
};

/// The palette of element kinds: drag one onto the canvas, or double-click to place it in
/// the middle of the view.
class ElementPalette : public QListWidget {
  Q_OBJECT

 public:
  static constexpr const char* kMimeType = "application/x-thornwood-component-kind";
  explicit ElementPalette(QWidget* parent = nullptr);

 protected:
  void startDrag(Qt::DropActions actions) override;
};

/// The system editor tab: tool bar, palette and canvas.
class SystemEditor : public QWidget {
  Q_OBJECT

 public:
  explicit SystemEditor(ProjectDocument& document, QWidget* parent = nullptr);
  SystemDiagram& diagram() { return *m_diagram; }
  DiagramView& view() { return *m_view; }

 signals:
  void message(const QString& text);

 private:
  SystemDiagram* m_diagram = nullptr;
  DiagramView* m_view = nullptr;
  ElementPalette* m_palette = nullptr;
};

}  // namespace thornwood::gui
