#include "app/gui/node_property_model.h"

#include "app/gui/tree_edit.h"
#include "models/names.h"

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
template <class E>
QString spelt(E e) {
  const std::string_view s = models::nameOf(e);
  return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}
QVariant optionalNumber(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(); }

}  // namespace

NodePropertyModel::NodePropertyModel(ProjectDocument& document, QObject* parent) : QAbstractTableModel(parent), m_document(document) {
  auto refresh = [this] {
    beginResetModel();
    reload();
    endResetModel();
  };
  connect(&m_document, &ProjectDocument::listChanged, this, refresh);
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] { setNode({}, {}); });
}

void NodePropertyModel::setNode(const QString& tree, const QString& node) {
  beginResetModel();
  m_tree = tree;
  m_node = node;
  reload();
  endResetModel();
}

void NodePropertyModel::reload() {
  m_rows.clear();
  const models::Project& p = m_document.project();
  const std::string treeId = m_tree.toStdString(), nodeId = m_node.toStdString();
  auto add = [this](const char* key, const QString& label, FieldType type, QVariant value, bool readOnly = false,
                    QStringList choices = {}) {
    m_rows.push_back(Row{QString::fromLatin1(key), label, type, std::move(choices), readOnly, std::move(value)});
  };
  for (const auto& t : p.attackTrees) {
    if (t.id != treeId) continue;
    for (const auto& n : t.nodes) {
      if (n.id != nodeId) continue;
      add("id", tr("Id"), FieldType::Text, q(n.id), true);
      add("name", tr("Name"), FieldType::Text, q(n.name));
      if (n.kind == models::AttackNodeKind::Leaf) {
        add("kind", tr("Kind"), FieldType::Text, tr("leaf"), true);
        add("cost", tr("Cost"), FieldType::Number, optionalNumber(n.cost));
        add("time", tr("Time (h)"), FieldType::Number, optionalNumber(n.time));
        add("skill", tr("Skill (0–8)"), FieldType::Number, optionalNumber(n.skill));
        add("probability", tr("Probability of success"), FieldType::Number, optionalNumber(n.probability));
        add("source", tr("Source of the figures"), FieldType::Text, q(n.source));
      } else if (n.kind == models::AttackNodeKind::TreeRef) {
        add("kind", tr("Kind"), FieldType::Text, tr("reference"), true);
        add("tree", tr("Attack tree"), FieldType::Text, q(n.tree), true);
      } else {
        add("kind", tr("Gate"), FieldType::Choice, spelt(n.kind), false, {"and", "or", "sand", "atleast"});
        if (n.kind == models::AttackNodeKind::AtLeast) add("k", tr("k (of the children)"), FieldType::Integer, n.k);
        add("children", tr("Children"), FieldType::Integer, static_cast<int>(n.children.size()), true);
      }
    }
  }
  for (const auto& t : p.faultTrees) {
    if (t.id != treeId) continue;
    for (const auto& g : t.gates) {
      if (g.id != nodeId) continue;
      add("id", tr("Id"), FieldType::Text, q(g.id), true);
      add("name", tr("Name"), FieldType::Text, q(g.name));
      QStringList kinds;
      for (std::string_view k : models::Names<models::FaultGateKind>::values) kinds << QString::fromUtf8(k.data(), static_cast<int>(k.size()));
      add("kind", tr("Gate"), FieldType::Choice, spelt(g.kind), false, kinds);
      if (g.kind == models::FaultGateKind::AtLeast) add("k", tr("k (of the inputs)"), FieldType::Integer, g.k);
      add("inputs", tr("Inputs"), FieldType::Integer, static_cast<int>(g.inputs.size()), true);
    }
    for (const auto& e : t.events) {
      if (e.id != nodeId) continue;
      add("id", tr("Id"), FieldType::Text, q(e.id), true);
      add("name", tr("Name"), FieldType::Text, q(e.name));
      add("probability", tr("Probability"), FieldType::Number, optionalNumber(e.probability));
      add("rate", tr("Failure rate (/h)"), FieldType::Number, optionalNumber(e.rate));
      if (!e.attackTree.empty()) add("attack_tree", tr("Attack tree"), FieldType::Text, q(e.attackTree), true);
      add("source", tr("Source of the number"), FieldType::Text, q(e.source));
    }
    for (const auto& h : t.houseEvents) {
      if (h.id != nodeId) continue;
      add("id", tr("Id"), FieldType::Text, q(h.id), true);
      add("name", tr("Name"), FieldType::Text, q(h.name));
      add("state", tr("True"), FieldType::Bool, h.state);
    }
  }
}

int NodePropertyModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }
int NodePropertyModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 2; }

QVariant NodePropertyModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  if (index.column() == 0) return role == Qt::DisplayRole ? QVariant(r.label) : QVariant();
  switch (role) {
    case Qt::DisplayRole:
      if (r.type == FieldType::Bool) return {};
      if (r.type == FieldType::Number) return r.value.isValid() ? QString::number(r.value.toDouble(), 'g', 10) : QString();
      return r.value;
    case Qt::EditRole:
      return r.value;
    case Qt::CheckStateRole:
      return r.type == FieldType::Bool ? QVariant(r.value.toBool() ? Qt::Checked : Qt::Unchecked) : QVariant();
    case kChoicesRole:
      return r.choices;
    case kFieldTypeRole:
      return static_cast<int>(r.type);
    default:
      return {};
  }
}

QVariant NodePropertyModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  return section == 0 ? tr("Property") : tr("Value");
}

Qt::ItemFlags NodePropertyModel::flags(const QModelIndex& index) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid)) return Qt::NoItemFlags;
  Qt::ItemFlags out = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  if (index.column() == 0 || r.readOnly) return out;
  return out | (r.type == FieldType::Bool ? Qt::ItemIsUserCheckable : Qt::ItemIsEditable);
}

bool NodePropertyModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || index.column() != 1 || !checkIndex(index, CheckIndexOption::IndexIsValid)) return false;
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  if (r.readOnly) return false;
  if ((r.type == FieldType::Bool) != (role == Qt::CheckStateRole) || (role != Qt::EditRole && role != Qt::CheckStateRole)) return false;
  const std::string tree = m_tree.toStdString(), node = m_node.toStdString();
  // A number field left empty means "not known".
  std::optional<double> number;
  if (r.type == FieldType::Number && !value.toString().trimmed().isEmpty()) {
    bool ok = false;
    number = value.toDouble(&ok);
    if (!ok) return false;
  }
  const models::Project& p = m_document.project();
  EditTreesCommand::Edit edit;
  const QString key = r.key;
  if (key == "name") {
    edit = [&](TreesState& s) { return renameNode(s, tree, node, value.toString().toStdString()); };
  } else if (key == "kind") {
    edit = [&](TreesState& s) { return setGateKind(s, tree, node, value.toString().toStdString()); };
  } else if (key == "k") {
    edit = [&](TreesState& s) { return setGateK(s, tree, node, value.toInt()); };
  } else if (key == "source") {
    edit = [&](TreesState& s) { return setNodeSource(s, tree, node, value.toString().toStdString()); };
  } else if (key == "state") {
    edit = [&](TreesState& s) { return setHouseState(s, tree, node, value.toInt() == Qt::Checked); };
  } else if (key == "cost" || key == "time" || key == "skill" || key == "probability") {
    const bool attack = std::any_of(p.attackTrees.begin(), p.attackTrees.end(), [&](const auto& t) { return t.id == tree; });
    if (attack) {
      edit = [&](TreesState& s) {
        LeafFigures f;
        for (const auto& t : s.attackTrees) {
          for (const auto& n : t.nodes) {
            if (t.id == tree && n.id == node) f = {n.cost, n.time, n.skill, n.probability};
          }
        }
        (key == "cost" ? f.cost : key == "time" ? f.time : key == "skill" ? f.skill : f.probability) = number;
        return setLeafFigures(s, tree, node, f);
      };
    } else {
      // Giving a probability replaces a rate, and the other way round.
      edit = [&](TreesState& s) { return setEventNumber(s, tree, node, number, std::nullopt); };
    }
  } else if (key == "rate") {
    edit = [&](TreesState& s) { return setEventNumber(s, tree, node, std::nullopt, number); };
  } else {
    return false;
  }
  auto* command = new EditTreesCommand(m_document, tr("Set %1 of %2").arg(r.label.toLower(), m_node), edit);
  if (!command->valid()) {
    const bool refusedEdit = !command->outcome();
    if (refusedEdit) emit refused(QString::fromStdString(command->outcome().error));
    delete command;
    return !refusedEdit;  // an unchanged value is nothing to do, not an error
  }
  m_document.undoStack().push(command);
  return true;
}

}  // namespace thornwood::gui
