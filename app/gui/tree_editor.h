#pragma once

// The attack- and fault-tree editor (issue #6): the tree drawn top-down as Graphviz (dot) lays
// it out, gates with their kind, leaves with their figures, a node shared by several parents
// drawn once and shown as a reference box under its other parents, and countermeasures drawn
// beside the nodes they defend. Add child (Insert), add sibling (Enter), change gate (menu),
// delete (Delete), rename in place (F2 or double-click), edit figures (context menu); each is
// one command, refused with a reason when it would break the tree. A selected cut set or
// scenario is highlighted.

#include <QGraphicsScene>
#include <QHash>
#include <QSet>
#include <QWidget>

#include "app/gui/project_document.h"
#include "app/gui/tree_edit.h"

class QComboBox;
class QLineEdit;

namespace thornwood::gui {

class DiagramView;
class TreeNodeItem;

class TreeScene : public QGraphicsScene {
  Q_OBJECT

 public:
  explicit TreeScene(ProjectDocument& document, QObject* parent = nullptr);
  ~TreeScene() override;

  /// Shows an attack or fault tree by id; false when the project has none with it.
  bool showTree(const QString& id);
  const QString& tree() const { return m_tree; }
  bool isAttackTree() const { return m_attack; }
  void rebuild();

  QString selectedNode() const;
  void selectNode(const QString& node);
  /// Draws these nodes highlighted (a cut set, a scenario); ids as the results name them
  /// ("node" or "tree/node"), those of other trees ignored.
  void setHighlighted(const QStringList& nodes);
  QStringList highlighted() const;

  // What is drawn, for tests and screenshots.
  QRectF boxOf(const QString& node) const;  ///< the node's own box (not a reference)
  int referenceBoxes() const { return m_references; }
  QStringList countermeasuresOf(const QString& node) const;

  // Edits of the selected node (or `node`); false and a message() when refused.
  bool addChild(const QString& node = {});
  bool addSibling(const QString& node = {});
  bool setGateKind(const QString& kind, const QString& node = {});
  bool deleteNode(const QString& node = {});
  bool renameNode(const QString& node, const QString& name);
  bool setLeafFigures(const QString& node, const LeafFigures& figures);
  bool setEventNumber(const QString& node, std::optional<double> probability, std::optional<double> rate);
  /// The gate kinds the selected node may take (file spellings); empty for leaves.
  QStringList gateKinds() const;

 signals:
  void message(const QString& text);
  void nodeActivated(const QString& tree, const QString& node);
  void renameRequested(const QString& node);
  void figuresRequested(const QString& node);

 protected:
  void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
  void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

 private:
  bool push(const QString& text, const EditTreesCommand::Edit& edit);
  TreeNodeItem* nodeAt(QPointF at) const;

  ProjectDocument& m_document;
  QString m_tree;
  bool m_attack = true;
  QHash<QString, TreeNodeItem*> m_nodes;  ///< primary boxes by node id
  QSet<QString> m_highlighted;
  int m_references = 0;
  QHash<QString, QStringList> m_countermeasures;
  bool m_rebuilding = false;
};

class TreeEditor : public QWidget {
  Q_OBJECT

 public:
  explicit TreeEditor(ProjectDocument& document, QWidget* parent = nullptr);
  ~TreeEditor() override;
  TreeScene& scene() { return *m_scene; }
  DiagramView& view() { return *m_view; }
  bool showTree(const QString& id);
  /// Starts renaming a node in place (a line edit over its box).
  void beginRename(const QString& node);
  QLineEdit* renameEditor() const { return m_rename; }

 signals:
  void message(const QString& text);

 protected:
  /// Escape in the rename line cancels it.
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void refreshTrees();
  void editFigures(const QString& node);

  ProjectDocument& m_document;
  TreeScene* m_scene = nullptr;
  DiagramView* m_view = nullptr;
  QComboBox* m_trees = nullptr;
  QLineEdit* m_rename = nullptr;
  QString m_renaming;
};

}  // namespace thornwood::gui
