#include "app/gui/tree_editor.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGraphicsPathItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QRadioButton>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <map>
#include <set>
#include <QApplication>

#include "app/gui/system_diagram.h"
#include "exporters/graph_layout.h"
#include "models/names.h"

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString num(double v) { return QString::number(v, 'g', 6); }
template <class E>
QString spelt(E e) {
  const std::string_view s = models::nameOf(e);
  return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}

const QColor kHighlight(230, 126, 34);

enum class Shape { Gate, Leaf, Reference, Countermeasure };

/// What one box shows.
struct NodeInfo {
  QString id;
  QString name;
  QString kind;    ///< the gate's kind, or what the leaf is
  QString detail;  ///< figures
  bool gate = false;
  QStringList children;
};

}  // namespace

class TreeNodeItem : public QGraphicsItem {
 public:
  TreeNodeItem(TreeScene& scene, Shape shape, QString node, QString title, QString kind, QString detail, QSizeF size, bool attack)
      : m_scene(scene), shape(shape), node(std::move(node)), title(std::move(title)), kind(std::move(kind)),
        detail(std::move(detail)), size(size), attack(attack) {
    setFlags(ItemIsSelectable | ItemIsFocusable);
    setToolTip(QStringLiteral("%1\n%2 %3").arg(this->title, this->kind, this->detail).trimmed());
  }

  QRectF boundingRect() const override { return QRectF(QPointF(-3, -3), size + QSizeF(6, 6)); }

  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const QRectF r(QPointF(0, 0), size);
    const bool hot = highlighted;
    QColor border = isSelected() ? QColor(30, 110, 200) : QColor(90, 90, 90);
    QColor fill = Qt::white;
    QColor band = attack ? QColor(192, 80, 77) : QColor(64, 110, 160);
    if (shape == Shape::Countermeasure) {
      fill = inPlace ? QColor(226, 242, 226) : QColor(245, 250, 245);
      border = isSelected() ? QColor(30, 110, 200) : QColor(46, 125, 50);
      band = QColor(46, 125, 50);
    }
    if (hot) {
      fill = QColor(253, 235, 208);
      border = kHighlight;
    }
    QPen pen(border, hot || isSelected() ? 3 : 1.3);
    if (shape == Shape::Reference || (shape == Shape::Countermeasure && !inPlace)) pen.setStyle(Qt::DashLine);
    p->setPen(pen);
    p->setBrush(fill);
    p->drawRoundedRect(r, 5, 5);
    QFont f = p->font();
    const QFontMetrics plain(f);
    if (shape == Shape::Gate || shape == Shape::Countermeasure) {
      // A coloured band with the kind: AND, OR, 2 of 3, blocks ...
      const QRectF top(1, 1, size.width() - 2, 16);
      p->setPen(Qt::NoPen);
      p->setBrush(band);
      p->drawRoundedRect(top, 4, 4);
      QFont small = f;
      small.setPointSizeF(f.pointSizeF() * 0.8);
      small.setBold(true);
      p->setFont(small);
      p->setPen(Qt::white);
      p->drawText(top, Qt::AlignCenter, kind);
      f.setBold(shape == Shape::Gate);
      p->setFont(f);
      p->setPen(Qt::black);
      const QRectF body(6, 18, size.width() - 12, size.height() - 20);
      p->drawText(body, Qt::AlignCenter | Qt::TextWordWrap, elide(title, body, QFontMetrics(f)));
      return;
    }
    p->setPen(Qt::black);
    if (shape == Shape::Reference) {
      p->drawText(r.adjusted(6, 2, -6, -2), Qt::AlignCenter, plain.elidedText(QStringLiteral("↗ ") + title, Qt::ElideRight,
                                                                               static_cast<int>(size.width() - 12)));
      return;
    }
    const QRectF body(6, 3, size.width() - 12, size.height() - 20);
    p->drawText(body, Qt::AlignCenter | Qt::TextWordWrap, elide(title, body, plain));
    QFont small = f;
    small.setPointSizeF(f.pointSizeF() * 0.8);
    p->setFont(small);
    p->setPen(detail.contains(QStringLiteral("missing")) ? QColor(192, 57, 43) : QColor(90, 90, 90));
    p->drawText(QRectF(4, size.height() - 18, size.width() - 8, 16), Qt::AlignCenter,
                QFontMetrics(small).elidedText(detail, Qt::ElideRight, static_cast<int>(size.width() - 8)));
  }

  /// Text that fits the box in at most two lines.
  static QString elide(const QString& text, const QRectF& box, const QFontMetrics& fm) {
    if (fm.boundingRect(box.toRect(), Qt::AlignCenter | Qt::TextWordWrap, text).height() <= box.height()) return text;
    QString t = text;
    while (t.size() > 4 && fm.boundingRect(box.toRect(), Qt::AlignCenter | Qt::TextWordWrap, t + QChar(0x2026)).height() > box.height()) {
      t.chop(1);
    }
    return t + QChar(0x2026);
  }

  QRectF box() const { return QRectF(pos(), size); }

  TreeScene& m_scene;
  Shape shape;
  QString node;  ///< the tree node (for a countermeasure: the node it defends)
  QString title, kind, detail;
  QSizeF size;
  bool attack = true;
  bool inPlace = false;
  bool highlighted = false;
};

TreeScene::TreeScene(ProjectDocument& document, QObject* parent) : QGraphicsScene(parent), m_document(document) {
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] {
    if (!showTree(m_tree)) {
      const models::Project& p = m_document.project();
      if (!p.attackTrees.empty()) showTree(q(p.attackTrees.front().id));
      else if (!p.faultTrees.empty()) showTree(q(p.faultTrees.front().id));
      else showTree({});
    }
  });
  connect(&m_document, &ProjectDocument::listChanged, this, &TreeScene::rebuild);
  connect(&m_document, &ProjectDocument::elementChanged, this, [this](const QString& id) {
    // The tree's own fields, or a mitigation's status or title (its countermeasure boxes).
    const auto& ms = m_document.project().mitigations;
    const bool mitigation = std::any_of(ms.begin(), ms.end(), [&](const auto& m) { return QString::fromStdString(m.id) == id; });
    if (id == m_tree || mitigation) rebuild();
  });
  connect(this, &QGraphicsScene::selectionChanged, this, [this] {
    if (m_rebuilding) return;
    const QString node = selectedNode();
    if (!node.isEmpty()) emit nodeActivated(m_tree, node);
  });
}

TreeScene::~TreeScene() {
  // As SystemDiagram: clear while this is still a TreeScene.
  m_rebuilding = true;
  disconnect(this, &QGraphicsScene::selectionChanged, this, nullptr);
  clear();
}

bool TreeScene::showTree(const QString& id) {
  const models::Project& p = m_document.project();
  const std::string key = id.toStdString();
  const bool attack = std::any_of(p.attackTrees.begin(), p.attackTrees.end(), [&](const auto& t) { return t.id == key; });
  const bool fault = std::any_of(p.faultTrees.begin(), p.faultTrees.end(), [&](const auto& t) { return t.id == key; });
  if (!attack && !fault) {
    if (!id.isEmpty()) return false;
    m_tree.clear();
    rebuild();
    return id.isEmpty();
  }
  if (m_tree != id) m_highlighted.clear();
  m_tree = id;
  m_attack = attack;
  rebuild();
  return true;
}

void TreeScene::rebuild() {
  const QString keep = selectedNode();
  m_rebuilding = true;
  clear();
  m_nodes.clear();
  m_countermeasures.clear();
  m_references = 0;
  const models::Project& p = m_document.project();
  const std::string treeId = m_tree.toStdString();

  // What each node shows.
  std::vector<NodeInfo> infos;
  QString root;
  if (m_attack) {
    for (const auto& t : p.attackTrees) {
      if (t.id != treeId) continue;
      root = q(t.root);
      for (const auto& n : t.nodes) {
        NodeInfo info{q(n.id), q(n.name.empty() ? n.id : n.name), {}, {}, false, {}};
        for (const auto& c : n.children) info.children << q(c);
        switch (n.kind) {
          case models::AttackNodeKind::And: info.kind = QStringLiteral("AND"); info.gate = true; break;
          case models::AttackNodeKind::Or: info.kind = QStringLiteral("OR"); info.gate = true; break;
          case models::AttackNodeKind::Sand: info.kind = QStringLiteral("SAND (in order)"); info.gate = true; break;
          case models::AttackNodeKind::AtLeast:
            info.kind = QStringLiteral("%1 of %2").arg(n.k).arg(n.children.size());
            info.gate = true;
            break;
          case models::AttackNodeKind::TreeRef:
            info.kind = QStringLiteral("tree");
            info.detail = QStringLiteral("↪ attack tree %1").arg(q(n.tree));
            break;
          case models::AttackNodeKind::Leaf: {
            info.kind = QStringLiteral("leaf");
            QStringList parts;
            if (n.cost) parts << QStringLiteral("cost %1").arg(num(*n.cost));
            if (n.time) parts << QStringLiteral("%1 h").arg(num(*n.time));
            if (n.skill) parts << QStringLiteral("skill %1").arg(num(*n.skill));
            if (n.probability) parts << QStringLiteral("p %1").arg(num(*n.probability));
            info.detail = parts.isEmpty() ? tr("figures missing") : parts.join(QStringLiteral(" · "));
            break;
          }
        }
        infos.push_back(std::move(info));
      }
    }
  } else {
    for (const auto& t : p.faultTrees) {
      if (t.id != treeId) continue;
      root = q(t.top);
      for (const auto& g : t.gates) {
        NodeInfo info{q(g.id), q(g.name.empty() ? g.id : g.name), spelt(g.kind).toUpper(), {}, true, {}};
        if (g.kind == models::FaultGateKind::AtLeast) info.kind = QStringLiteral("%1 of %2").arg(g.k).arg(g.inputs.size());
        for (const auto& c : g.inputs) info.children << q(c);
        infos.push_back(std::move(info));
      }
      for (const auto& e : t.events) {
        NodeInfo info{q(e.id), q(e.name.empty() ? e.id : e.name), QStringLiteral("basic event"), {}, false, {}};
        if (e.probability) info.detail = QStringLiteral("p = %1").arg(num(*e.probability));
        else if (e.rate) info.detail = QStringLiteral("λ = %1 /h").arg(num(*e.rate));
        else if (!e.attackTree.empty()) info.detail = QStringLiteral("↪ attack tree %1").arg(q(e.attackTree));
        else info.detail = tr("probability missing");
        infos.push_back(std::move(info));
      }
      for (const auto& h : t.houseEvents) {
        infos.push_back(NodeInfo{q(h.id), q(h.name.empty() ? h.id : h.name), QStringLiteral("house event"),
                                 h.state ? QStringLiteral("house: true") : QStringLiteral("house: false"), false, {}});
      }
    }
  }
  std::map<QString, const NodeInfo*> byId;
  for (const auto& info : infos) byId[info.id] = &info;

  // One box per node where it is first met from the root; elsewhere a reference box.
  exporters::LayoutRequest request;
  request.nodeSeparation = 16;
  request.rankSeparation = 34;
  struct Box {
    Shape shape;
    QString node;
    QString title, kind, detail;
    QSizeF size;
    bool inPlace = false;
  };
  std::map<std::string, Box> boxes;  // by layout id
  std::vector<std::pair<std::string, std::string>> treeEdges, defenceEdges;
  std::set<QString> placed;
  const QSizeF gateSize(170, 50), leafSize(170, 56), refSize(150, 30), cmSize(160, 44);
  std::function<std::string(const QString&)> visit = [&](const QString& id) -> std::string {
    const NodeInfo* info = byId.count(id) ? byId[id] : nullptr;
    if (!info) return {};
    if (placed.count(id)) {
      const std::string ref = "r" + std::to_string(m_references++);
      boxes[ref] = Box{Shape::Reference, id, info->name, {}, {}, refSize};
      request.nodes.push_back({ref, refSize.width(), refSize.height(), {}});
      return ref;
    }
    placed.insert(id);
    const std::string key = "n:" + id.toStdString();
    const QSizeF size = info->gate ? gateSize : leafSize;
    boxes[key] = Box{info->gate ? Shape::Gate : Shape::Leaf, id, info->name, info->kind, info->detail, size};
    request.nodes.push_back({key, size.width(), size.height(), {}});
    for (const QString& c : info->children) {
      const std::string child = visit(c);
      if (!child.empty()) treeEdges.emplace_back(key, child);
    }
    return key;
  };
  if (!root.isEmpty()) visit(root);
  for (const auto& info : infos) {
    if (!placed.count(info.id)) visit(info.id);  // detached nodes: shown, to be linked or deleted
  }
  // Countermeasures beside the nodes they defend.
  for (const auto& m : p.mitigations) {
    for (const auto& e : m.effects) {
      if (e.tree != treeId || !placed.count(q(e.element))) continue;
      const std::string key = "m:" + m.id + ":" + e.element;
      if (boxes.count(key)) continue;
      QString what = e.kind == models::EffectKind::Blocks    ? tr("blocks")
                     : e.kind == models::EffectKind::Removes ? tr("removes")
                                                             : tr("lowers ÷%1").arg(num(e.factor));
      const bool inPlace = m.status == models::MitigationStatus::Implemented || m.status == models::MitigationStatus::Verified;
      boxes[key] = Box{Shape::Countermeasure, q(e.element), q(m.title.empty() ? m.id : m.title),
                       QStringLiteral("%1 · %2").arg(what, spelt(m.status)), {}, cmSize, inPlace};
      request.nodes.push_back({key, cmSize.width(), cmSize.height(), {}});
      const std::string defended = "n:" + e.element;
      defenceEdges.emplace_back(defended, key);
      request.sameRank.push_back({defended, key});
      m_countermeasures[q(e.element)] << q(m.id);
    }
  }
  for (const auto& [a, b] : treeEdges) request.edges.push_back({a, b});
  for (const auto& [a, b] : defenceEdges) request.edges.push_back({a, b});
  const auto laid = exporters::layOut(request);
  if (!laid) {
    m_rebuilding = false;
    emit message(tr("Cannot lay out the tree: %1").arg(q(core::format(laid.error()))));
    return;
  }
  std::map<std::string, TreeNodeItem*> items;
  for (const auto& [key, b] : boxes) {
    auto* item = new TreeNodeItem(*this, b.shape, b.node, b.title, b.kind, b.detail, b.size, m_attack);
    item->inPlace = b.inPlace;
    const auto& at = laid->nodes.at(key);
    item->setPos(at.x, at.y);
    item->setZValue(b.shape == Shape::Countermeasure ? 2 : 3);
    item->highlighted = b.shape != Shape::Countermeasure && m_highlighted.contains(b.node);
    addItem(item);
    items[key] = item;
    if (b.shape == Shape::Gate || b.shape == Shape::Leaf) m_nodes.insert(b.node, item);
  }
  // Edges: elbows from a parent's bottom to a child's top; a countermeasure's dashed link.
  for (const auto& [a, b] : treeEdges) {
    const QRectF from = items[a]->box(), to = items[b]->box();
    const double midY = (from.bottom() + to.top()) / 2;
    QPainterPath path(QPointF(from.center().x(), from.bottom()));
    path.lineTo(from.center().x(), midY);
    path.lineTo(to.center().x(), midY);
    path.lineTo(to.center().x(), to.top());
    auto* edge = addPath(path, QPen(QColor(90, 90, 90), 1.3));
    edge->setZValue(1);
  }
  for (const auto& [a, b] : defenceEdges) {
    const QRectF from = items[a]->box(), to = items[b]->box();
    const bool right = to.center().x() > from.center().x();
    QPainterPath path(QPointF(right ? from.right() : from.left(), from.center().y()));
    path.lineTo(right ? to.left() : to.right(), to.center().y());
    auto* edge = addPath(path, QPen(QColor(46, 125, 50), 1.6, Qt::DashLine));
    edge->setZValue(1);
  }
  setSceneRect(itemsBoundingRect().adjusted(-60, -60, 60, 60));
  m_rebuilding = false;
  if (!keep.isEmpty()) selectNode(keep);
}

QString TreeScene::selectedNode() const {
  for (QGraphicsItem* item : selectedItems()) {
    if (auto* n = dynamic_cast<TreeNodeItem*>(item)) return n->node;
  }
  return {};
}

void TreeScene::selectNode(const QString& node) {
  const bool was = m_rebuilding;
  m_rebuilding = true;
  clearSelection();
  if (TreeNodeItem* item = m_nodes.value(node)) item->setSelected(true);
  m_rebuilding = was;
}

void TreeScene::setHighlighted(const QStringList& nodes) {
  m_highlighted.clear();
  const QString prefix = m_tree + '/';
  for (const QString& n : nodes) {
    if (m_nodes.contains(n)) m_highlighted.insert(n);
    else if (n.startsWith(prefix)) m_highlighted.insert(n.mid(prefix.size()));
  }
  for (QGraphicsItem* item : items()) {
    if (auto* n = dynamic_cast<TreeNodeItem*>(item); n && n->shape != Shape::Countermeasure) {
      n->highlighted = m_highlighted.contains(n->node);
      n->update();
    }
  }
}

QStringList TreeScene::highlighted() const {
  QStringList out(m_highlighted.begin(), m_highlighted.end());
  std::sort(out.begin(), out.end());
  return out;
}

QRectF TreeScene::boxOf(const QString& node) const {
  const TreeNodeItem* item = m_nodes.value(node);
  return item ? item->box() : QRectF();
}

QStringList TreeScene::countermeasuresOf(const QString& node) const { return m_countermeasures.value(node); }

bool TreeScene::push(const QString& text, const EditTreesCommand::Edit& edit) {
  if (m_tree.isEmpty()) return false;
  auto* command = new EditTreesCommand(m_document, text, edit);
  if (!command->valid()) {
    if (!command->outcome()) emit message(q(command->outcome().error));
    delete command;
    return false;
  }
  const QString select = q(command->outcome().node);
  m_document.undoStack().push(command);
  selectNode(select);
  return true;
}

bool TreeScene::addChild(const QString& node) {
  const QString n = node.isEmpty() ? selectedNode() : node;
  if (n.isEmpty()) return false;
  return push(tr("Add a child to %1").arg(n), [&](TreesState& s) { return gui::addChild(s, m_tree.toStdString(), n.toStdString()); });
}

bool TreeScene::addSibling(const QString& node) {
  const QString n = node.isEmpty() ? selectedNode() : node;
  if (n.isEmpty()) return false;
  return push(tr("Add a sibling to %1").arg(n), [&](TreesState& s) { return gui::addSibling(s, m_tree.toStdString(), n.toStdString()); });
}

bool TreeScene::setGateKind(const QString& kind, const QString& node) {
  const QString n = node.isEmpty() ? selectedNode() : node;
  if (n.isEmpty()) return false;
  return push(tr("Make %1 %2").arg(n, kind.toUpper()),
              [&](TreesState& s) { return gui::setGateKind(s, m_tree.toStdString(), n.toStdString(), kind.toStdString()); });
}

bool TreeScene::deleteNode(const QString& node) {
  const QString n = node.isEmpty() ? selectedNode() : node;
  if (n.isEmpty()) return false;
  return push(tr("Delete %1").arg(n), [&](TreesState& s) { return gui::deleteNode(s, m_tree.toStdString(), n.toStdString()); });
}

bool TreeScene::renameNode(const QString& node, const QString& name) {
  return push(tr("Rename %1").arg(node),
              [&](TreesState& s) { return gui::renameNode(s, m_tree.toStdString(), node.toStdString(), name.toStdString()); });
}

bool TreeScene::setLeafFigures(const QString& node, const LeafFigures& figures) {
  return push(tr("Set the figures of %1").arg(node),
              [&](TreesState& s) { return gui::setLeafFigures(s, m_tree.toStdString(), node.toStdString(), figures); });
}

bool TreeScene::setEventNumber(const QString& node, std::optional<double> probability, std::optional<double> rate) {
  return push(tr("Set the number of %1").arg(node), [&](TreesState& s) {
    return gui::setEventNumber(s, m_tree.toStdString(), node.toStdString(), probability, rate);
  });
}

QStringList TreeScene::gateKinds() const {
  const QString node = selectedNode();
  const TreeNodeItem* item = m_nodes.value(node);
  if (!item || item->shape != Shape::Gate) return {};
  if (m_attack) return {"and", "or", "sand", "atleast"};
  return {"and", "or", "atleast", "not", "xor", "nand", "nor", "inhibit", "iff"};
}

TreeNodeItem* TreeScene::nodeAt(QPointF at) const {
  for (QGraphicsItem* item : items(at)) {
    if (auto* n = dynamic_cast<TreeNodeItem*>(item); n && n->shape != Shape::Countermeasure) return n;
  }
  return nullptr;
}

void TreeScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
  if (TreeNodeItem* n = nodeAt(event->scenePos())) {
    selectNode(n->node);
    emit renameRequested(n->node);
    event->accept();
    return;
  }
  QGraphicsScene::mouseDoubleClickEvent(event);
}

void TreeScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
  TreeNodeItem* n = nodeAt(event->scenePos());
  if (!n) return;
  selectNode(n->node);
  const QString node = n->node;
  QMenu menu;
  menu.addAction(tr("Add Child"), [this, node] { addChild(node); })->setShortcut(QKeySequence(Qt::Key_Insert));
  menu.addAction(tr("Add Sibling"), [this, node] { addSibling(node); })->setShortcut(QKeySequence(Qt::Key_Return));
  const QStringList kinds = gateKinds();
  if (!kinds.isEmpty()) {
    QMenu* gate = menu.addMenu(tr("Change Gate"));
    for (const QString& k : kinds) gate->addAction(k.toUpper(), [this, node, k] { setGateKind(k, node); });
  }
  menu.addAction(tr("Rename"), [this, node] { emit renameRequested(node); })->setShortcut(QKeySequence(Qt::Key_F2));
  if (n->shape == Shape::Leaf) menu.addAction(tr("Edit Figures…"), [this, node] { emit figuresRequested(node); });
  menu.addSeparator();
  menu.addAction(tr("Delete"), [this, node] { deleteNode(node); })->setShortcut(QKeySequence::Delete);
  menu.exec(event->screenPos());
}

// ---- the editor widget ------------------------------------------------------------------------

TreeEditor::TreeEditor(ProjectDocument& document, QWidget* parent) : QWidget(parent), m_document(document) {
  m_scene = new TreeScene(document, this);
  m_view = new DiagramView(m_scene, this);
  m_view->setDragMode(QGraphicsView::ScrollHandDrag);
  m_trees = new QComboBox;
  m_trees->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* tools = new QToolBar(this);
  tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
  tools->addWidget(new QLabel(tr(" Tree: ")));
  tools->addWidget(m_trees);
  tools->addSeparator();
  auto addTool = [&](const QString& text, const QKeySequence& key, auto slot) {
    QAction* a = tools->addAction(text, this, slot);
    if (!key.isEmpty()) {
      a->setShortcut(key);
      // The shortcut works wherever the focus is in this editor, the canvas included.
      a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
      addAction(a);
      a->setToolTip(QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
    }
    return a;
  };
  addTool(tr("Add Child"), QKeySequence(Qt::Key_Insert), [this] { m_scene->addChild(); });
  addTool(tr("Add Sibling"), QKeySequence(Qt::Key_Return), [this] { m_scene->addSibling(); });
  auto* gateButton = new QToolButton;
  gateButton->setText(tr("Gate"));
  gateButton->setPopupMode(QToolButton::InstantPopup);
  auto* gateMenu = new QMenu(gateButton);
  connect(gateMenu, &QMenu::aboutToShow, this, [this, gateMenu] {
    gateMenu->clear();
    const QStringList kinds = m_scene->gateKinds();
    if (kinds.isEmpty()) gateMenu->addAction(tr("(select a gate)"))->setEnabled(false);
    for (const QString& k : kinds) gateMenu->addAction(k.toUpper(), this, [this, k] { m_scene->setGateKind(k); });
  });
  gateButton->setMenu(gateMenu);
  tools->addWidget(gateButton);
  addTool(tr("Rename"), QKeySequence(Qt::Key_F2), [this] { beginRename(m_scene->selectedNode()); });
  addTool(tr("Figures…"), QKeySequence(), [this] { editFigures(m_scene->selectedNode()); });
  addTool(tr("Delete Node"), QKeySequence(), [this] { m_scene->deleteNode(); });
  tools->addSeparator();
  addTool(tr("Fit"), QKeySequence(), [this] { m_view->zoomToFit(); });

  m_rename = new QLineEdit(m_view->viewport());
  m_rename->hide();
  m_rename->installEventFilter(this);
  connect(m_rename, &QLineEdit::editingFinished, this, [this] {
    if (m_renaming.isEmpty()) return;
    const QString node = m_renaming, text = m_rename->text().trimmed();
    m_renaming.clear();
    m_rename->hide();
    if (!text.isEmpty()) m_scene->renameNode(node, text);
  });

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(tools);
  layout->addWidget(m_view, 1);

  connect(m_trees, &QComboBox::currentIndexChanged, this, [this] {
    const QString id = m_trees->currentData().toString();
    if (id != m_scene->tree()) {
      m_scene->showTree(id);
      m_view->zoomToFit();
    }
  });
  connect(m_scene, &TreeScene::renameRequested, this, &TreeEditor::beginRename);
  connect(m_scene, &TreeScene::figuresRequested, this, &TreeEditor::editFigures);
  connect(m_scene, &TreeScene::message, this, &TreeEditor::message);
  connect(&document, &ProjectDocument::projectReplaced, this, [this] {
    refreshTrees();
    m_view->zoomToFit();
  });
  connect(&document, &ProjectDocument::listChanged, this, &TreeEditor::refreshTrees);
  refreshTrees();
}

TreeEditor::~TreeEditor() {
  // The rename line outlives this object's members while QWidget deletes children, and
  // losing focus then would commit a rename into a half-destroyed editor.
  m_rename->removeEventFilter(this);
  disconnect(m_rename, nullptr, this, nullptr);
}

bool TreeEditor::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_rename && event->type() == QEvent::ShortcutOverride) {
    // Return, Enter and Escape belong to the rename line while it is open, not to the
    // editor's shortcuts (Return would add a sibling).
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape || key == Qt::Key_Insert) {
      event->accept();
      return true;
    }
  }
  if (watched == m_rename && event->type() == QEvent::KeyPress &&
      static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
    m_renaming.clear();
    m_rename->hide();
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

void TreeEditor::refreshTrees() {
  const QSignalBlocker block(m_trees);
  m_trees->clear();
  const models::Project& p = m_document.project();
  for (const auto& t : p.attackTrees) m_trees->addItem(tr("Attack: %1").arg(q(t.name.empty() ? t.id : t.name)), q(t.id));
  for (const auto& t : p.faultTrees) m_trees->addItem(tr("Fault: %1").arg(q(t.name.empty() ? t.id : t.name)), q(t.id));
  m_trees->setCurrentIndex(m_trees->findData(m_scene->tree()));
}

bool TreeEditor::showTree(const QString& id) {
  if (!m_scene->showTree(id)) return false;
  const QSignalBlocker block(m_trees);
  m_trees->setCurrentIndex(m_trees->findData(id));
  m_view->zoomToFit();
  return true;
}

void TreeEditor::beginRename(const QString& node) {
  const QRectF box = m_scene->boxOf(node);
  if (box.isNull()) return;
  m_renaming = node;
  const QRect at = m_view->mapFromScene(box).boundingRect();
  m_rename->setGeometry(at.x(), at.center().y() - 14, std::max(at.width(), 160), 28);
  const models::Project& p = m_document.project();
  QString name;
  for (const auto& t : p.attackTrees) {
    for (const auto& n : t.nodes) {
      if (q(t.id) == m_scene->tree() && q(n.id) == node) name = q(n.name);
    }
  }
  for (const auto& t : p.faultTrees) {
    if (q(t.id) != m_scene->tree()) continue;
    for (const auto& g : t.gates) if (q(g.id) == node) name = q(g.name);
    for (const auto& e : t.events) if (q(e.id) == node) name = q(e.name);
    for (const auto& h : t.houseEvents) if (q(h.id) == node) name = q(h.name);
  }
  m_rename->setText(name);
  m_rename->selectAll();
  m_rename->show();
  m_rename->setFocus();
}

void TreeEditor::editFigures(const QString& node) {
  if (node.isEmpty() || qApp->property("thornwood.headless").toBool()) return;
  const models::Project& p = m_document.project();
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Figures of %1").arg(node));
  auto* form = new QFormLayout(&dialog);
  auto numberField = [&](std::optional<double> v) {
    auto* line = new QLineEdit(v ? QString::number(*v, 'g', 17) : QString());
    auto* validator = new QDoubleValidator(line);
    validator->setLocale(QLocale::c());
    line->setValidator(validator);
    line->setPlaceholderText(tr("unknown"));
    return line;
  };
  auto read = [](QLineEdit* line) -> std::optional<double> {
    bool ok = false;
    const double v = QLocale::c().toDouble(line->text(), &ok);
    return ok ? std::optional<double>(v) : std::nullopt;
  };
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (m_scene->isAttackTree()) {
    const models::AttackNode* leaf = nullptr;
    for (const auto& t : p.attackTrees) {
      for (const auto& n : t.nodes) {
        if (q(t.id) == m_scene->tree() && q(n.id) == node) leaf = &n;
      }
    }
    if (!leaf || leaf->kind != models::AttackNodeKind::Leaf) return;
    QLineEdit* cost = numberField(leaf->cost);
    QLineEdit* time = numberField(leaf->time);
    QLineEdit* skill = numberField(leaf->skill);
    QLineEdit* probability = numberField(leaf->probability);
    form->addRow(tr("Cost"), cost);
    form->addRow(tr("Time (h)"), time);
    form->addRow(tr("Skill (0–8)"), skill);
    form->addRow(tr("Probability of success"), probability);
    form->addRow(buttons);
    if (dialog.exec() == QDialog::Accepted) m_scene->setLeafFigures(node, {read(cost), read(time), read(skill), read(probability)});
    return;
  }
  const models::FaultEvent* event = nullptr;
  for (const auto& t : p.faultTrees) {
    for (const auto& e : t.events) {
      if (q(t.id) == m_scene->tree() && q(e.id) == node) event = &e;
    }
  }
  if (!event) return;
  auto* byProbability = new QRadioButton(tr("Probability"));
  auto* byRate = new QRadioButton(tr("Failure rate (/h)"));
  QLineEdit* value = numberField(event->probability ? event->probability : event->rate);
  (event->rate ? byRate : byProbability)->setChecked(true);
  form->addRow(byProbability);
  form->addRow(byRate);
  form->addRow(tr("Value"), value);
  form->addRow(buttons);
  if (dialog.exec() != QDialog::Accepted) return;
  const auto v = read(value);
  if (!v) return;
  if (byRate->isChecked()) m_scene->setEventNumber(node, std::nullopt, v);
  else m_scene->setEventNumber(node, v, std::nullopt);
}

}  // namespace thornwood::gui
