#include "app/gui/system_diagram.h"

#include <QDrag>
#include <QGraphicsLineItem>
#include <QGraphicsSceneMouseEvent>
#include <QHBoxLayout>
#include <QMimeData>
#include <QPainter>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QSvgRenderer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <set>

#include "app/gui/commands.h"
#include "exporters/graph_layout.h"
#include "models/names.h"

// The icons are compiled into this (static) library: registering them here makes the linker
// keep them for any program that uses the diagram.
static void registerIcons() { Q_INIT_RESOURCE(icons); }

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString spelling(models::ComponentKind k) {
  const std::string_view s = models::nameOf(k);
  return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}
QString kindText(models::ComponentKind k) { return spelling(k).replace('_', ' '); }

const QColor kHighlight(230, 126, 34);
constexpr double kZoneTitle = exporters::kZoneTitleHeight;
constexpr double kZoneMargin = 20;
constexpr double kResizeGrip = 14;

/// Where the segment from the centre of `r` towards `to` leaves `r`.
QPointF clipToBox(const QRectF& r, QPointF to) {
  const QPointF c = r.center();
  const QPointF d = to - c;
  if (std::abs(d.x()) < 1e-9 && std::abs(d.y()) < 1e-9) return c;
  const double sx = std::abs(d.x()) < 1e-9 ? 1e18 : (r.width() / 2) / std::abs(d.x());
  const double sy = std::abs(d.y()) < 1e-9 ? 1e18 : (r.height() / 2) / std::abs(d.y());
  return c + d * std::min(sx, sy);
}

/// A soft tint by trust level: low trust warm, high trust cool.
QColor zoneTint(int trust) {
  static const QColor tints[] = {QColor(252, 228, 222), QColor(252, 240, 214), QColor(236, 244, 226), QColor(224, 238, 246),
                                 QColor(230, 230, 246)};
  return tints[std::clamp(trust, 0, 4)];
}

/// `text` broken at spaces into at most two lines of `width`; the second is elided when
/// the rest does not fit.
QStringList wrapped(const QString& text, const QFontMetricsF& metrics, double width) {
  if (metrics.horizontalAdvance(text) <= width) return {text};
  const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  QString first;
  int used = 0;
  for (; used < words.size(); ++used) {
    const QString next = first.isEmpty() ? words[used] : first + QLatin1Char(' ') + words[used];
    if (metrics.horizontalAdvance(next) > width) break;
    first = next;
  }
  if (first.isEmpty()) {  // one long word: cut it where the line ends
    int cut = 1;
    while (cut < text.size() && metrics.horizontalAdvance(text.left(cut + 1)) <= width) ++cut;
    // At a hyphen where there is one ("Alarm-" / "receiving centre").
    if (const int hyphen = text.left(cut).lastIndexOf(QLatin1Char('-')); hyphen > 0) cut = hyphen + 1;
    first = text.left(cut);
    return {first, metrics.elidedText(text.mid(cut), Qt::ElideRight, width)};
  }
  const QString rest = words.mid(used).join(QLatin1Char(' '));
  return {first, metrics.elidedText(rest, Qt::ElideRight, width)};
}

}  // namespace

// ---- items ----------------------------------------------------------------------------------

class ComponentItem : public QGraphicsItem {
 public:
  ComponentItem(SystemDiagram& diagram, const models::Component& c) : m_diagram(diagram), id(q(c.id)), kind(c.kind) {
    name = q(c.name.empty() ? c.id : c.name);
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges | ItemIsFocusable);
    setZValue(10);
    setToolTip(QStringLiteral("%1 (%2)\n%3").arg(name, kindText(kind), q(c.description)).trimmed());
    setCursor(Qt::OpenHandCursor);
  }

  QRectF boundingRect() const override { return QRectF(-3, -3, kComponentWidth + 6, kComponentHeight + 6); }

  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    const QRectF box(0, 0, kComponentWidth, kComponentHeight);
    const bool hot = m_diagram.highlighted().contains(id);
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(hot ? kHighlight : (isSelected() ? QColor(30, 110, 200) : QColor(90, 90, 90)), hot || isSelected() ? 3 : 1.2));
    p->setBrush(Qt::white);
    p->drawRoundedRect(box, 6, 6);
    if (QSvgRenderer* icon = m_diagram.iconOf(kind)) icon->render(p, QRectF(8, 8, 40, 40));
    QFont f = p->font();
    f.setBold(true);
    p->setFont(f);
    p->setPen(Qt::black);
    f.setPointSizeF(f.pointSizeF() * 0.9);
    p->setFont(f);
    // The name on up to two lines, so that "Front-door smart lock" reads whole.
    const QFontMetricsF metrics(f);
    const double width = kComponentWidth - 60;
    const QStringList lines = wrapped(name, metrics, width);
    const double lineHeight = metrics.height();
    const double top = lines.size() == 1 ? 10 : 4;
    for (int i = 0; i < lines.size(); ++i) {
      p->drawText(QRectF(54, top + i * lineHeight, width, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
    }
    f.setBold(false);
    f.setPointSizeF(f.pointSizeF() * 0.9);
    p->setFont(f);
    p->setPen(QColor(100, 100, 100));
    p->drawText(QRectF(54, kComponentHeight - 20, width, 16), Qt::AlignLeft | Qt::AlignVCenter, kindText(kind));
  }

  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override {
    if (change == ItemPositionHasChanged && !m_diagram.m_rebuilding) m_diagram.updateFlowsOf(id);
    return QGraphicsItem::itemChange(change, value);
  }

  QRectF box() const { return QRectF(pos(), QSizeF(kComponentWidth, kComponentHeight)); }

  SystemDiagram& m_diagram;
  QString id;
  models::ComponentKind kind;
  QString name;
};

class ZoneItem : public QGraphicsItem {
 public:
  ZoneItem(SystemDiagram& diagram, const models::TrustZone& z, QSizeF size, int depth)
      : m_diagram(diagram), id(q(z.id)), size(size) {
    name = q(z.name.empty() ? z.id : z.name);
    trust = z.trust;
    firewall = z.firewall;
    filtering = z.filtering;
    parent = q(z.parent);
    for (const auto& m : z.members) members << q(m);
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setZValue(depth);
    setToolTip(QStringLiteral("Trust zone %1, trust level %2%3%4")
                   .arg(name)
                   .arg(trust)
                   .arg(firewall ? QStringLiteral(", firewall at the boundary") : QString())
                   .arg(filtering ? QStringLiteral(", filtering") : QString()));
  }

  QRectF boundingRect() const override { return QRectF(QPointF(-2, -2), size + QSizeF(4, 4)); }

  // Grabbed by its title bar, its border and its resize grip, so that a press inside an empty
  // zone starts a rubber band instead of dragging the zone.
  QPainterPath shape() const override {
    QPainterPath outer, inner;
    outer.addRect(QRectF(QPointF(0, 0), size));
    inner.addRect(QRectF(8, kZoneTitle, size.width() - 16, size.height() - kZoneTitle - 8));
    return outer.subtracted(inner);
  }

  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    const bool hot = m_diagram.highlighted().contains(id);
    const QRectF r(QPointF(0, 0), size);
    p->setRenderHint(QPainter::Antialiasing);
    QColor fill = zoneTint(trust);
    fill.setAlpha(150);
    p->setBrush(fill);
    QPen pen(hot ? kHighlight : (isSelected() ? QColor(30, 110, 200) : QColor(110, 110, 110)), hot || isSelected() ? 3 : 1.5);
    pen.setStyle(firewall ? Qt::SolidLine : Qt::DashLine);
    if (firewall) pen.setWidthF(pen.widthF() + 1.5);
    p->setPen(pen);
    p->drawRoundedRect(r, 10, 10);
    QFont f = p->font();
    f.setBold(true);
    p->setFont(f);
    p->setPen(QColor(60, 60, 60));
    QString title = QStringLiteral("%1  ·  trust %2").arg(name).arg(trust);
    if (firewall) title += QStringLiteral("  ·  firewall");
    if (filtering) title += QStringLiteral("  ·  filtering");
    p->drawText(QRectF(10, 2, size.width() - 20, kZoneTitle - 2), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetrics(f).elidedText(title, Qt::ElideRight, static_cast<int>(size.width() - 20)));
    // The resize grip.
    p->setPen(QPen(QColor(120, 120, 120), 1.5));
    for (int i = 1; i <= 3; ++i) {
      const double o = i * 4.0;
      p->drawLine(QPointF(size.width() - o, size.height() - 2), QPointF(size.width() - 2, size.height() - o));
    }
  }

  void mousePressEvent(QGraphicsSceneMouseEvent* event) override {
    const QPointF at = event->pos();
    m_resizing = at.x() > size.width() - kResizeGrip && at.y() > size.height() - kResizeGrip;
    m_pressAt = at;
    m_sizeAtPress = size;
    if (!m_resizing) collectCarried();
    QGraphicsItem::mousePressEvent(event);
  }

  void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override {
    if (!m_resizing) return QGraphicsItem::mouseMoveEvent(event);
    prepareGeometryChange();
    const QPointF by = event->pos() - m_pressAt;  // the grip stays under the pointer
    size = QSizeF(std::max(120.0, m_sizeAtPress.width() + by.x()), std::max(80.0, m_sizeAtPress.height() + by.y()));
    update();
  }

  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override {
    if (m_resizing) {
      m_resizing = false;
      m_resized = true;  // the scene commits it with the other changes of this gesture
    }
    m_carried.clear();
    QGraphicsItem::mouseReleaseEvent(event);
  }

  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override {
    if (change == ItemPositionChange && !m_diagram.m_rebuilding && !m_carried.isEmpty()) {
      const QPointF delta = value.toPointF() - pos();
      for (QGraphicsItem* item : std::as_const(m_carried)) item->moveBy(delta.x(), delta.y());
    }
    return QGraphicsItem::itemChange(change, value);
  }

  /// What moves with the zone: its members and nested zones with theirs, unless selected
  /// (Qt moves those already).
  void collectCarried() {
    m_carried.clear();
    std::vector<QString> zones{id};
    for (std::size_t i = 0; i < zones.size(); ++i) {
      for (ZoneItem* z : std::as_const(m_diagram.m_zones)) {
        if (z->parent == zones[i]) {
          zones.push_back(z->id);
          if (!z->isSelected()) m_carried << z;
        }
      }
      if (ZoneItem* z = m_diagram.m_zones.value(zones[i])) {
        for (const QString& m : std::as_const(z->members)) {
          if (ComponentItem* c = m_diagram.m_components.value(m); c && !c->isSelected()) m_carried << c;
        }
      }
    }
  }

  QRectF box() const { return QRectF(pos(), size); }

  SystemDiagram& m_diagram;
  QString id;
  QString name;
  QString parent;
  QStringList members;
  int trust = 0;
  bool firewall = false;
  bool filtering = false;
  QSizeF size;
  bool m_resizing = false;
  bool m_resized = false;
  QPointF m_pressAt;
  QSizeF m_sizeAtPress;
  QList<QGraphicsItem*> m_carried;
};

class FlowItem : public QGraphicsPathItem {
 public:
  FlowItem(const models::DataFlow& f, int lane) : id(q(f.id)), source(q(f.source)), target(q(f.target)), lane(lane) {
    label = q(f.name.empty() ? f.id : f.name);
    encrypted = f.encrypted;
    setFlags(ItemIsSelectable);
    setZValue(5);
    const std::string_view cls = models::nameOf(f.classification);
    setToolTip(QStringLiteral("%1: %2 → %3\nprotocol: %4\ndata: %5\nencrypted: %6, authenticated: %7, integrity-protected: %8")
                   .arg(label, source, target, f.protocol.empty() ? QStringLiteral("—") : q(f.protocol),
                        QString::fromUtf8(cls.data(), static_cast<int>(cls.size())), f.encrypted ? "yes" : "no",
                        f.authenticated ? "yes" : "no", f.integrityProtected ? "yes" : "no"));
  }

  void route(const QRectF& from, const QRectF& to, bool hot) {
    QPointF a = clipToBox(from, to.center());
    QPointF b = clipToBox(to, from.center());
    // Flows between the same two boxes run side by side.
    QPointF normal(-(b - a).y(), (b - a).x());
    const double len = std::hypot(normal.x(), normal.y());
    if (len > 1e-9) normal /= len;
    const QPointF shift = normal * (lane * 9.0);
    a += shift;
    b += shift;
    QPainterPath path(a);
    path.lineTo(b);
    // Arrow head at the target.
    const QPointF dir = len > 1e-9 ? (b - a) / std::hypot((b - a).x(), (b - a).y()) : QPointF(1, 0);
    const QPointF side(-dir.y(), dir.x());
    path.moveTo(b);
    path.lineTo(b - dir * 10 + side * 5);
    path.moveTo(b);
    path.lineTo(b - dir * 10 - side * 5);
    setPath(path);
    m_mid = (a + b) / 2;
    QPen pen(hot ? kHighlight : (encrypted ? QColor(70, 70, 70) : QColor(192, 57, 43)), hot ? 3 : 1.4);
    if (!encrypted) pen.setStyle(Qt::DashLine);
    setPen(pen);
  }

  QRectF boundingRect() const override { return QGraphicsPathItem::boundingRect().united(labelRect()).adjusted(-4, -4, 4, 4); }

  QPainterPath shape() const override {
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    QPainterPath s = stroker.createStroke(path());
    s.addRect(labelRect());
    return s;
  }

  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override {
    p->setRenderHint(QPainter::Antialiasing);
    QStyleOptionGraphicsItem plain(*option);
    plain.state &= ~QStyle::State_Selected;
    if (isSelected()) {
      QPen pen = this->pen();
      pen.setColor(QColor(30, 110, 200));
      pen.setWidthF(3);
      p->setPen(pen);
      p->drawPath(path());
    } else {
      QGraphicsPathItem::paint(p, &plain, widget);
    }
    const QRectF r = labelRect();
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(255, 255, 255, 220));
    p->drawRoundedRect(r, 3, 3);
    QFont f = p->font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    p->setFont(f);
    p->setPen(QColor(50, 50, 50));
    p->drawText(r, Qt::AlignCenter, shortLabel());
  }

  QString shortLabel() const { return label.size() > 26 ? label.left(25) + QChar(0x2026) : label; }
  QRectF labelRect() const {
    QFont f;
    f.setPointSizeF(f.pointSizeF() * 0.8);
    const QSizeF s = QFontMetricsF(f).size(0, shortLabel()) + QSizeF(8, 2);
    return QRectF(m_mid - QPointF(s.width() / 2, s.height() / 2), s);
  }

  QString id, source, target, label;
  bool encrypted = false;
  int lane = 0;
  QPointF m_mid;
};

// ---- the scene ------------------------------------------------------------------------------

SystemDiagram::SystemDiagram(ProjectDocument& document, QObject* parent) : QGraphicsScene(parent), m_document(document) {
  registerIcons();
  setItemIndexMethod(QGraphicsScene::BspTreeIndex);
  connect(&m_document, &ProjectDocument::projectReplaced, this, &SystemDiagram::rebuild);
  connect(&m_document, &ProjectDocument::listChanged, this, &SystemDiagram::rebuild);
  connect(&m_document, &ProjectDocument::layoutChanged, this, &SystemDiagram::rebuild);
  connect(&m_document, &ProjectDocument::elementChanged, this, [this](const QString& id) {
    if (m_components.contains(id) || m_zones.contains(id) || m_flows.contains(id)) rebuild();
  });
  connect(this, &QGraphicsScene::selectionChanged, this, [this] {
    if (m_rebuilding) return;
    const QStringList ids = selectedIds();
    if (!ids.isEmpty()) emit elementActivated(ids.front());
  });
  rebuild();
}

SystemDiagram::~SystemDiagram() {
  // Remove the items while this is still a SystemDiagram: QGraphicsScene's destructor would
  // announce the selection change to handlers of ours that are gone by then.
  m_rebuilding = true;
  disconnect(this, &QGraphicsScene::selectionChanged, this, nullptr);
  clear();
  qDeleteAll(m_icons);
}

QSvgRenderer* SystemDiagram::iconOf(models::ComponentKind kind) {
  const int key = static_cast<int>(kind);
  if (auto* r = m_icons.value(key)) return r;
  auto* r = new QSvgRenderer(QStringLiteral(":/icons/%1.svg").arg(spelling(kind)));
  m_icons.insert(key, r);
  return r;
}

void SystemDiagram::rebuild() {
  const QStringList keep = selectedIds();
  m_rebuilding = true;
  clear();
  m_components.clear();
  m_zones.clear();
  m_flows.clear();
  const models::Project& p = m_document.project();
  std::map<std::string, const models::Placement*> placed;
  for (const auto& pl : p.layout) placed[pl.element] = &pl;

  // Components: where the layout says; those without a placement in a row below the rest.
  double nextX = 0, maxBottom = 0;
  for (const auto& pl : p.layout) maxBottom = std::max(maxBottom, pl.y + std::max(pl.height, kComponentHeight));
  for (const auto& c : p.system.components) {
    auto* item = new ComponentItem(*this, c);
    if (const auto it = placed.find(c.id); it != placed.end()) {
      item->setPos(it->second->x, it->second->y);
    } else {
      item->setPos(nextX, maxBottom + 60);
      nextX += kComponentWidth + 30;
    }
    addItem(item);
    m_components.insert(item->id, item);
  }
  // Zones: their placed box, or the box around their members; nested ones drawn above.
  std::map<std::string, int> depth;
  std::map<std::string, std::string> parentOf;
  for (const auto& z : p.system.zones) parentOf[z.id] = z.parent;
  for (const auto& z : p.system.zones) {
    int d = 0;
    for (std::string at = z.parent; !at.empty() && d < 64; at = parentOf[at]) ++d;
    depth[z.id] = d;
  }
  std::vector<const models::TrustZone*> byDepth;
  for (const auto& z : p.system.zones) byDepth.push_back(&z);
  std::stable_sort(byDepth.begin(), byDepth.end(), [&](auto* a, auto* b) { return depth[a->id] > depth[b->id]; });
  std::map<std::string, QRectF> zoneBox;
  for (const models::TrustZone* z : byDepth) {  // innermost first, so a parent can wrap its children
    QRectF box;
    if (const auto it = placed.find(z->id); it != placed.end() && it->second->width > 0 && it->second->height > 0) {
      box = QRectF(it->second->x, it->second->y, it->second->width, it->second->height);
    } else {
      QRectF around;
      for (const auto& m : z->members) {
        if (auto* c = m_components.value(q(m))) around = around.united(c->box());
      }
      for (const auto& other : p.system.zones) {
        if (other.parent == z->id && zoneBox.count(other.id)) around = around.united(zoneBox[other.id]);
      }
      box = around.isNull() ? QRectF(0, 0, 240, 160) : around.adjusted(-kZoneMargin, -kZoneMargin - kZoneTitle, kZoneMargin, kZoneMargin);
      if (const auto it = placed.find(z->id); it != placed.end()) box.moveTopLeft(QPointF(it->second->x, it->second->y));
    }
    zoneBox[z->id] = box;
    auto* item = new ZoneItem(*this, *z, box.size(), depth[z->id]);
    item->setPos(box.topLeft());
    addItem(item);
    m_zones.insert(item->id, item);
  }
  // Flows, side by side where several join the same two boxes.
  std::map<std::pair<std::string, std::string>, int> lanes;
  for (const auto& f : p.system.flows) {
    const auto key = std::minmax(f.source, f.target);
    const int n = lanes[{key.first, key.second}]++;
    const int lane = (n % 2 == 0 ? 1 : -1) * ((n + 1) / 2);
    auto* item = new FlowItem(f, f.source < f.target ? lane : -lane);
    addItem(item);
    m_flows.insert(item->id, item);
  }
  for (FlowItem* f : std::as_const(m_flows)) {
    auto* a = m_components.value(f->source);
    auto* b = m_components.value(f->target);
    if (a && b) f->route(a->box(), b->box(), m_highlighted.contains(f->id));
  }
  setSceneRect(itemsBoundingRect().adjusted(-200, -200, 400, 400));
  m_rebuilding = false;
  selectIds(keep);
}

void SystemDiagram::updateFlowsOf(const QString& component) {
  for (FlowItem* f : std::as_const(m_flows)) {
    if (f->source != component && f->target != component) continue;
    auto* a = m_components.value(f->source);
    auto* b = m_components.value(f->target);
    if (a && b) f->route(a->box(), b->box(), m_highlighted.contains(f->id));
  }
}

QGraphicsItem* SystemDiagram::itemFor(const QString& id) const {
  if (auto* c = m_components.value(id)) return c;
  if (auto* z = m_zones.value(id)) return z;
  return m_flows.value(id);
}

QRectF SystemDiagram::boxOf(const QString& id) const {
  if (auto* c = m_components.value(id)) return c->box();
  if (auto* z = m_zones.value(id)) return z->box();
  return {};
}

QStringList SystemDiagram::selectedIds() const {
  QStringList out;
  for (QGraphicsItem* item : selectedItems()) {
    if (auto* c = dynamic_cast<ComponentItem*>(item)) out << c->id;
    if (auto* z = dynamic_cast<ZoneItem*>(item)) out << z->id;
    if (auto* f = dynamic_cast<FlowItem*>(item)) out << f->id;
  }
  std::sort(out.begin(), out.end());
  return out;
}

void SystemDiagram::selectIds(const QStringList& ids) {
  const bool was = m_rebuilding;
  m_rebuilding = true;  // no echo back as a user selection
  clearSelection();
  for (const QString& id : ids) {
    if (QGraphicsItem* item = itemFor(id)) item->setSelected(true);
  }
  m_rebuilding = was;
}

void SystemDiagram::setHighlighted(const QStringList& ids) {
  m_highlighted = QSet<QString>(ids.begin(), ids.end());
  for (FlowItem* f : std::as_const(m_flows)) {
    auto* a = m_components.value(f->source);
    auto* b = m_components.value(f->target);
    if (a && b) f->route(a->box(), b->box(), m_highlighted.contains(f->id));
  }
  update();
}

ComponentItem* SystemDiagram::componentAt(QPointF at) const {
  for (QGraphicsItem* item : items(at)) {
    if (auto* c = dynamic_cast<ComponentItem*>(item)) return c;
  }
  return nullptr;
}

QString SystemDiagram::zoneAt(QPointF point, const QString& except) const {
  // Leave out `except` and the zones inside it.
  std::set<QString> excluded;
  if (!except.isEmpty()) {
    excluded.insert(except);
    for (bool grew = true; grew;) {
      grew = false;
      for (ZoneItem* z : std::as_const(m_zones)) {
        if (excluded.count(z->parent) && excluded.insert(z->id).second) grew = true;
      }
    }
  }
  QString best;
  double bestArea = 0;
  for (ZoneItem* z : std::as_const(m_zones)) {
    if (excluded.count(z->id) || !z->box().contains(point)) continue;
    const double area = z->size.width() * z->size.height();
    if (best.isEmpty() || area < bestArea || (area == bestArea && z->id < best)) {
      best = z->id;
      bestArea = area;
    }
  }
  return best;
}

QString SystemDiagram::freshId(const QString& stem) const {
  const models::Project& p = m_document.project();
  std::set<std::string> used;
  for (const auto& c : p.system.components) used.insert(c.id);
  for (const auto& f : p.system.flows) used.insert(f.id);
  for (const auto& z : p.system.zones) used.insert(z.id);
  QString base = stem;
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
  if (!used.count(base.toStdString())) return base;
  for (int n = 2;; ++n) {
    const QString id = QStringLiteral("%1_%2").arg(base).arg(n);
    if (!used.count(id.toStdString())) return id;
  }
}

QString SystemDiagram::addComponent(models::ComponentKind kind, QPointF at) {
  const QString id = freshId(spelling(kind));
  const QString zone = zoneAt(at + QPointF(kComponentWidth / 2, kComponentHeight / 2));
  auto* command = new EditSystemCommand(m_document, tr("Add %1").arg(kindText(kind)), [&](SystemState& s) {
    models::Component c;
    c.id = id.toStdString();
    c.name = tr("New %1").arg(kindText(kind)).toStdString();
    c.kind = kind;
    s.system.components.push_back(std::move(c));
    place(s.layout, id.toStdString(), std::round(at.x()), std::round(at.y()));
    for (auto& z : s.system.zones) {
      if (q(z.id) == zone) z.members.push_back(id.toStdString());
    }
    return true;
  });
  if (!pushIfValid(m_document, command)) return {};
  selectIds({id});
  emit message(zone.isEmpty() ? tr("Added %1").arg(id) : tr("Added %1 in zone %2").arg(id, zone));
  return id;
}

QString SystemDiagram::addFlow(const QString& from, const QString& to) {
  if (from == to || !m_components.contains(from) || !m_components.contains(to)) {
    emit message(tr("A data flow joins two different components"));
    return {};
  }
  const QString id = freshId(QStringLiteral("f_%1_%2").arg(from, to));
  auto* command = new EditSystemCommand(m_document, tr("Connect %1 to %2").arg(from, to), [&](SystemState& s) {
    models::DataFlow f;
    f.id = id.toStdString();
    f.name = QStringLiteral("%1 → %2").arg(m_components.value(from)->name, m_components.value(to)->name).toStdString();
    f.source = from.toStdString();
    f.target = to.toStdString();
    s.system.flows.push_back(std::move(f));
    return true;
  });
  if (!pushIfValid(m_document, command)) return {};
  selectIds({id});
  emit message(tr("Added data flow %1").arg(id));
  return id;
}

QString SystemDiagram::addZone(const QRectF& area) {
  const QString id = freshId(QStringLiteral("zone"));
  const QString parent = zoneAt(area.topLeft() + QPointF(1, 1));
  auto* command = new EditSystemCommand(m_document, tr("Add trust zone"), [&](SystemState& s) {
    models::TrustZone z;
    z.id = id.toStdString();
    z.name = tr("New zone").toStdString();
    z.parent = parent.toStdString();
    for (const auto& other : s.system.zones) {
      if (q(other.id) == parent) z.trust = other.trust;
    }
    // Boxes inside the new zone whose zone was its parent (or none) move into it.
    for (ComponentItem* c : std::as_const(m_components)) {
      if (!area.contains(c->box().center())) continue;
      QString current;
      for (const auto& other : s.system.zones) {
        if (std::find(other.members.begin(), other.members.end(), c->id.toStdString()) != other.members.end()) current = q(other.id);
      }
      if (current != parent) continue;
      for (auto& other : s.system.zones) std::erase(other.members, c->id.toStdString());
      z.members.push_back(c->id.toStdString());
    }
    std::sort(z.members.begin(), z.members.end());
    for (auto& other : s.system.zones) {
      ZoneItem* item = m_zones.value(q(other.id));
      if (item && q(other.parent) == parent && area.contains(item->box())) other.parent = z.id;
    }
    s.system.zones.push_back(std::move(z));
    place(s.layout, id.toStdString(), std::round(area.x()), std::round(area.y()), std::round(area.width()), std::round(area.height()));
    return true;
  });
  if (!pushIfValid(m_document, command)) return {};
  selectIds({id});
  return id;
}

bool SystemDiagram::deleteSelected() {
  const QStringList ids = selectedIds();
  if (ids.isEmpty()) return false;
  std::optional<QString> refused;
  auto* command = new EditSystemCommand(m_document, ids.size() == 1 ? tr("Delete %1").arg(ids.front()) : tr("Delete %1 elements").arg(ids.size()),
                                        [&](SystemState& s) {
                                          refused = deleteFromSystem(s, m_document.project(), ids);
                                          return !refused;
                                        });
  if (!command->valid()) {
    delete command;
    if (refused) emit message(*refused);
    return false;
  }
  m_document.undoStack().push(command);
  return true;
}

bool SystemDiagram::alignSelected(Qt::Alignment how) {
  QList<ComponentItem*> items;
  for (QGraphicsItem* item : selectedItems()) {
    if (auto* c = dynamic_cast<ComponentItem*>(item)) items << c;
  }
  if (items.size() < 2) {
    emit message(tr("Select two or more components to align"));
    return false;
  }
  QHash<QString, QPointF> to;
  const ComponentItem* anchor = items.front();  // the first in id order
  for (ComponentItem* c : items) {
    if (c->id < anchor->id) anchor = c;
  }
  for (ComponentItem* c : items) {
    QPointF p = c->pos();
    if (how & Qt::AlignLeft) p.setX(anchor->pos().x());
    if (how & Qt::AlignTop) p.setY(anchor->pos().y());
    if (how & Qt::AlignHCenter) p.setX(anchor->pos().x());  // boxes share a width: centres too
    if (how & Qt::AlignVCenter) p.setY(anchor->pos().y());
    to.insert(c->id, p);
  }
  return moveTo(to);
}

bool SystemDiagram::moveTo(const QHash<QString, QPointF>& positions) {
  QStringList notes;
  // Where the boxes would be: zones first, so that membership sees them in their new place.
  const bool was = m_rebuilding;
  m_rebuilding = true;
  for (auto it = positions.begin(); it != positions.end(); ++it) {
    if (QGraphicsItem* item = itemFor(it.key())) item->setPos(it.value());
  }
  m_rebuilding = was;
  QStringList ids = positions.keys();
  std::sort(ids.begin(), ids.end());
  auto* command = new EditSystemCommand(
      m_document, ids.size() == 1 ? tr("Move %1").arg(ids.front()) : tr("Move %1 elements").arg(ids.size()), [&](SystemState& s) {
        for (const QString& id : ids) {
          const QPointF at = positions.value(id);
          if (ZoneItem* z = m_zones.value(id)) {
            place(s.layout, id.toStdString(), std::round(at.x()), std::round(at.y()), std::round(z->size.width()),
                  std::round(z->size.height()));
            // A zone dragged into or out of another is nested accordingly.
            const QString parent = zoneAt(at + QPointF(1, 1), id);
            for (auto& zone : s.system.zones) {
              if (q(zone.id) == id && q(zone.parent) != parent) {
                zone.parent = parent.toStdString();
                notes << (parent.isEmpty() ? tr("%1 is now a top-level zone").arg(id) : tr("%1 is now inside %2").arg(id, parent));
              }
            }
          } else if (m_components.contains(id)) {
            place(s.layout, id.toStdString(), std::round(at.x()), std::round(at.y()));
            const QString zone = zoneAt(at + QPointF(kComponentWidth / 2, kComponentHeight / 2));
            QString current;
            for (const auto& z : s.system.zones) {
              if (std::find(z.members.begin(), z.members.end(), id.toStdString()) != z.members.end()) current = q(z.id);
            }
            if (zone == current) continue;
            for (auto& z : s.system.zones) {
              std::erase(z.members, id.toStdString());
              if (q(z.id) == zone) {
                z.members.push_back(id.toStdString());
                std::sort(z.members.begin(), z.members.end());
              }
            }
            notes << (zone.isEmpty() ? tr("%1 left zone %2").arg(id, current)
                                     : current.isEmpty() ? tr("%1 joined zone %2").arg(id, zone)
                                                         : tr("%1 moved from zone %2 to %3").arg(id, current, zone));
          }
        }
        return true;
      });
  if (!command->valid()) {
    delete command;
    rebuild();  // put the boxes back where the document has them
    return false;
  }
  m_document.undoStack().push(command);
  if (!notes.isEmpty()) emit message(notes.join(QStringLiteral("; ")));
  return true;
}

bool SystemDiagram::autoLayout() {
  const auto laid = exporters::layOutSystem(m_document.project());
  if (!laid) {
    emit message(tr("Auto-layout failed: %1").arg(q(core::format(laid.error()))));
    return false;
  }
  auto* command = new EditSystemCommand(m_document, tr("Auto-layout the diagram"), [&](SystemState& s) {
    s.layout = *laid;
    return true;
  });
  if (!command->valid()) {
    delete command;
    emit message(tr("The diagram is already laid out"));
    return false;
  }
  m_document.undoStack().push(command);
  return true;
}

void SystemDiagram::commitDrag() {
  const models::Project& p = m_document.project();
  std::map<std::string, const models::Placement*> placed;
  for (const auto& pl : p.layout) placed[pl.element] = &pl;
  QHash<QString, QPointF> moved;
  bool resized = false;
  for (ZoneItem* z : std::as_const(m_zones)) {
    const auto it = placed.find(z->id.toStdString());
    const bool sizeChanged = z->m_resized;
    z->m_resized = false;
    if (it == placed.end() || std::abs(it->second->x - z->pos().x()) > 0.5 || std::abs(it->second->y - z->pos().y()) > 0.5 ||
        sizeChanged) {
      moved.insert(z->id, z->pos());
      resized = resized || sizeChanged;
    }
  }
  for (ComponentItem* c : std::as_const(m_components)) {
    const auto it = placed.find(c->id.toStdString());
    if (it == placed.end() || std::abs(it->second->x - c->pos().x()) > 0.5 || std::abs(it->second->y - c->pos().y()) > 0.5) {
      moved.insert(c->id, c->pos());
    }
  }
  if (!moved.isEmpty()) moveTo(moved);
}

void SystemDiagram::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  if (m_connectMode && event->button() == Qt::LeftButton) {
    if ((m_connectFrom = componentAt(event->scenePos()))) {
      m_rubberLine = addLine(QLineF(m_connectFrom->box().center(), event->scenePos()), QPen(QColor(30, 110, 200), 2, Qt::DashLine));
      m_rubberLine->setZValue(100);
      event->accept();
      return;
    }
  }
  m_dragging = event->button() == Qt::LeftButton;
  QGraphicsScene::mousePressEvent(event);
}

void SystemDiagram::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
  if (m_rubberLine) {
    m_rubberLine->setLine(QLineF(m_connectFrom->box().center(), event->scenePos()));
    return;
  }
  QGraphicsScene::mouseMoveEvent(event);
}

void SystemDiagram::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  if (m_rubberLine) {
    const QString from = m_connectFrom->id;
    delete m_rubberLine;
    m_rubberLine = nullptr;
    m_connectFrom = nullptr;
    if (ComponentItem* to = componentAt(event->scenePos()); to && to->id != from) addFlow(from, to->id);
    return;
  }
  QGraphicsScene::mouseReleaseEvent(event);
  if (m_dragging) {
    m_dragging = false;
    commitDrag();
  }
}

void SystemDiagram::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
  event->setAccepted(event->mimeData()->hasFormat(ElementPalette::kMimeType));
}

void SystemDiagram::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
  event->setAccepted(event->mimeData()->hasFormat(ElementPalette::kMimeType));
}

void SystemDiagram::dropEvent(QGraphicsSceneDragDropEvent* event) {
  const auto kind = models::parseName<models::ComponentKind>(event->mimeData()->data(ElementPalette::kMimeType).toStdString());
  if (!kind) return;
  addComponent(*kind, event->scenePos() - QPointF(kComponentWidth / 2, kComponentHeight / 2));
  event->acceptProposedAction();
}

// ---- the view, palette and editor -------------------------------------------------------------

DiagramView::DiagramView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
  setRenderHint(QPainter::Antialiasing);
  setDragMode(QGraphicsView::RubberBandDrag);
  setRubberBandSelectionMode(Qt::IntersectsItemShape);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  setAcceptDrops(true);
  setBackgroundBrush(QColor(250, 250, 248));
}

void DiagramView::zoomBy(double factor) {
  const double now = zoom();
  const double target = std::clamp(now * factor, 0.1, 6.0);
  scale(target / now, target / now);
}

void DiagramView::zoomToFit() {
  if (!scene()) return;
  QRectF content;
  for (QGraphicsItem* item : scene()->items()) {
    if (item->isVisible()) content = content.united(item->sceneBoundingRect());
  }
  if (content.isEmpty()) return;
  fitInView(content.adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
  if (zoom() > 1.5) zoomBy(1.5 / zoom());
}

void DiagramView::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ControlModifier) {
    zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
    event->accept();
    return;
  }
  QGraphicsView::wheelEvent(event);
}

void DiagramView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::MiddleButton) {
    m_panning = true;
    m_panFrom = event->pos();
    setCursor(Qt::ClosedHandCursor);
    event->accept();
    return;
  }
  QGraphicsView::mousePressEvent(event);
}

void DiagramView::mouseMoveEvent(QMouseEvent* event) {
  if (m_panning) {
    const QPoint d = event->pos() - m_panFrom;
    m_panFrom = event->pos();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
    event->accept();
    return;
  }
  QGraphicsView::mouseMoveEvent(event);
}

void DiagramView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_panning && event->button() == Qt::MiddleButton) {
    m_panning = false;
    unsetCursor();
    event->accept();
    return;
  }
  QGraphicsView::mouseReleaseEvent(event);
}

ElementPalette::ElementPalette(QWidget* parent) : QListWidget(parent) {
  setViewMode(QListView::ListMode);
  setIconSize(QSize(28, 28));
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setSelectionMode(QAbstractItemView::SingleSelection);
  for (std::size_t i = 0; i < models::Names<models::ComponentKind>::values.size(); ++i) {
    const auto kind = static_cast<models::ComponentKind>(i);
    auto* item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/%1.svg").arg(spelling(kind))), kindText(kind), this);
    item->setData(Qt::UserRole, spelling(kind));
    item->setToolTip(tr("Drag onto the diagram to add a %1, or double-click").arg(kindText(kind)));
  }
  setFixedWidth(170);
}

void ElementPalette::startDrag(Qt::DropActions) {
  QListWidgetItem* item = currentItem();
  if (!item) return;
  auto* data = new QMimeData;
  data->setData(kMimeType, item->data(Qt::UserRole).toString().toUtf8());
  auto* drag = new QDrag(this);
  drag->setMimeData(data);
  drag->setPixmap(item->icon().pixmap(40, 40));
  drag->exec(Qt::CopyAction);
}

SystemEditor::SystemEditor(ProjectDocument& document, QWidget* parent) : QWidget(parent) {
  m_diagram = new SystemDiagram(document, this);
  m_view = new DiagramView(m_diagram, this);
  m_palette = new ElementPalette(this);
  auto* tools = new QToolBar(this);
  tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
  QAction* connectMode = tools->addAction(tr("Connect"));
  connectMode->setCheckable(true);
  connectMode->setShortcut(QKeySequence(tr("C")));
  connectMode->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  addAction(connectMode);  // so that C works with the focus on the canvas
  connectMode->setToolTip(tr("Drag from one component to another to add a data flow (C)"));
  connect(connectMode, &QAction::toggled, this, [this](bool on) {
    m_diagram->setConnectMode(on);
    m_view->setDragMode(on ? QGraphicsView::NoDrag : QGraphicsView::RubberBandDrag);
  });
  tools->addAction(tr("Add Zone"), this, [this] {
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    m_diagram->addZone(QRectF(visible.center() - QPointF(160, 100), QSizeF(320, 200)));
  });
  tools->addSeparator();
  tools->addAction(tr("Align Left"), this, [this] { m_diagram->alignSelected(Qt::AlignLeft); });
  tools->addAction(tr("Align Top"), this, [this] { m_diagram->alignSelected(Qt::AlignTop); });
  tools->addSeparator();
  tools->addAction(tr("Auto-Layout"), this, [this] {
    if (m_diagram->autoLayout()) m_view->zoomToFit();
  });
  tools->addAction(tr("Fit"), m_view, &DiagramView::zoomToFit);
  connect(m_palette, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    const auto kind = models::parseName<models::ComponentKind>(item->data(Qt::UserRole).toString().toStdString());
    if (!kind) return;
    const QPointF centre = m_view->mapToScene(m_view->viewport()->rect().center());
    m_diagram->addComponent(*kind, centre - QPointF(kComponentWidth / 2, kComponentHeight / 2));
  });
  connect(m_diagram, &SystemDiagram::message, this, &SystemEditor::message);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(tools);
  auto* row = new QHBoxLayout;
  row->setSpacing(0);
  row->addWidget(m_palette);
  row->addWidget(m_view, 1);
  layout->addLayout(row, 1);
}

}  // namespace thornwood::gui
