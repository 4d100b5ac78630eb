#include "app/gui/explorer_model.h"

namespace thornwood::gui {

namespace {

constexpr int kGroups = 8;
// Internal ids: groups have 0, elements their group + 1.
constexpr quintptr kGroupNode = 0;

const char* groupName(int g) {
  static const char* const names[kGroups] = {"Components", "Data flows", "Trust zones", "Threats",
                                             "Attack trees", "Fault trees", "Hazards", "Mitigations"};
  return names[g];
}

template <class T, class Text>
void collect(std::vector<T> const& list, Text text, std::vector<std::pair<QString, QString>>& out) {
  for (const auto& e : list) out.emplace_back(QString::fromStdString(e.id), text(e));
}

}  // namespace

ExplorerModel::ExplorerModel(ProjectDocument& document, QObject* parent) : QAbstractItemModel(parent), m_document(document) {
  reload();
  connect(&m_document, &ProjectDocument::projectReplaced, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
  connect(&m_document, &ProjectDocument::listChanged, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
  connect(&m_document, &ProjectDocument::elementChanged, this, &ExplorerModel::onElementChanged);
}

void ExplorerModel::reload() {
  for (int g = 0; g < kGroups; ++g) m_items[static_cast<std::size_t>(g)] = collectItems(g);
}

std::vector<ExplorerModel::Item> ExplorerModel::collectItems(int group) const {
  const models::Project& p = m_document.project();
  std::vector<std::pair<QString, QString>> pairs;
  auto named = [](const auto& e) { return QString::fromStdString(e.name); };
  auto titled = [](const auto& e) { return QString::fromStdString(e.title); };
  switch (group) {
    case 0: collect(p.system.components, named, pairs); break;
    case 1: collect(p.system.flows, named, pairs); break;
    case 2: collect(p.system.zones, named, pairs); break;
    case 3: collect(p.threats, titled, pairs); break;
    case 4: collect(p.attackTrees, named, pairs); break;
    case 5: collect(p.faultTrees, named, pairs); break;
    case 6: collect(p.hazards, titled, pairs); break;
    case 7: collect(p.mitigations, titled, pairs); break;
    default: break;
  }
  std::vector<Item> out;
  out.reserve(pairs.size());
  for (auto& [id, text] : pairs) out.push_back(Item{id, text.isEmpty() ? id : text});
  return out;
}

QModelIndex ExplorerModel::index(int row, int column, const QModelIndex& parent) const {
  if (column != 0 || row < 0) return {};
  if (!parent.isValid()) return row < kGroups ? createIndex(row, 0, kGroupNode) : QModelIndex();
  if (parent.internalId() != kGroupNode) return {};
  if (row >= static_cast<int>(items(parent.row()).size())) return {};
  return createIndex(row, 0, static_cast<quintptr>(parent.row() + 1));
}

QModelIndex ExplorerModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kGroupNode) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kGroupNode);
}

int ExplorerModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return kGroups;
  if (parent.column() != 0 || parent.internalId() != kGroupNode) return 0;
  return static_cast<int>(items(parent.row()).size());
}

int ExplorerModel::columnCount(const QModelIndex&) const { return 1; }

QVariant ExplorerModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (index.internalId() == kGroupNode) {
    if (role == Qt::DisplayRole) {
      return QStringLiteral("%1 (%2)").arg(tr(groupName(index.row()))).arg(items(index.row()).size());
    }
    return {};
  }
  const auto& list = items(static_cast<int>(index.internalId() - 1));
  if (index.row() >= static_cast<int>(list.size())) return {};
  const Item& item = list[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) return item.text;
  if (role == Qt::ToolTipRole || role == kIdRole) return item.id;
  return {};
}

QVariant ExplorerModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole) return tr("Project");
  return {};
}

void ExplorerModel::onElementChanged(const QString& id) {
  for (int g = 0; g < kGroups; ++g) {
    const std::vector<Item> list = collectItems(g);  // a name may have changed
    m_items[static_cast<std::size_t>(g)] = list;
    for (std::size_t r = 0; r < list.size(); ++r) {
      if (list[r].id == id) {
        const QModelIndex i = index(static_cast<int>(r), 0, index(g, 0));
        emit dataChanged(i, i);
      }
    }
  }
}

}  // namespace thornwood::gui
