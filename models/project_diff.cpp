#include "models/project_diff.h"

#include <algorithm>
#include <map>

namespace thornwood::models {

namespace {

/// True when every item is an object with a string "id" (or "element", for layout).
bool keyedList(const Json& a, const char* key) {
  return a.is_array() && std::all_of(a.begin(), a.end(), [key](const Json& item) {
           return item.is_object() && item.contains(key) && item[key].is_string();
         });
}

const Json* findKeyed(const Json& list, const char* key, const std::string& id) {
  for (const Json& item : list) {
    if (item[key].get<std::string>() == id) return &item;
  }
  return nullptr;
}

void compare(const std::string& path, const Json& a, const Json& b, std::vector<FieldChange>& out);

void compareKeyed(const std::string& path, const Json& a, const Json& b, std::vector<FieldChange>& out) {
  // Removed ones in the old order, then the new list's order for changed and added ones.
  for (const Json& item : a) {
    const std::string id = item["id"].get<std::string>();
    if (!findKeyed(b, "id", id)) out.push_back(FieldChange{path + "[" + id + "]", item, nullptr});
  }
  for (const Json& item : b) {
    const std::string id = item["id"].get<std::string>();
    const Json* old = findKeyed(a, "id", id);
    if (!old) {
      out.push_back(FieldChange{path + "[" + id + "]", nullptr, item});
      continue;
    }
    compare(path + "[" + id + "]", *old, item, out);
  }
}

void compare(const std::string& path, const Json& a, const Json& b, std::vector<FieldChange>& out) {
  if (a.is_object() && b.is_object()) {
    auto sub = [&path](const std::string& key) { return path.empty() ? key : path + "." + key; };
    for (const auto& [key, value] : a.items()) {
      const auto it = b.find(key);
      compare(sub(key), value, it == b.end() ? Json(nullptr) : *it, out);
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) compare(sub(key), nullptr, value, out);
    }
    return;
  }
  if (keyedList(a, "id") && keyedList(b, "id") && !a.empty() && !b.empty()) return compareKeyed(path, a, b, out);
  if (a != b) out.push_back(FieldChange{path, a, b});
}

void compareCollection(const std::string& name, const Json& a, const Json& b, const char* key,
                       std::vector<ElementChange>& out) {
  for (const Json& item : a) {
    const std::string id = item[key].get<std::string>();
    if (!findKeyed(b, key, id)) out.push_back(ElementChange{name, id, ChangeKind::Removed, {}});
  }
  for (const Json& item : b) {
    const std::string id = item[key].get<std::string>();
    const Json* old = findKeyed(a, key, id);
    if (!old) {
      out.push_back(ElementChange{name, id, ChangeKind::Added, {}});
      continue;
    }
    ElementChange change{name, id, ChangeKind::Changed, {}};
    compare("", *old, item, change.fields);
    // The id itself never differs here; drop nothing else.
    if (!change.fields.empty()) out.push_back(std::move(change));
  }
}

void compareSingleton(const std::string& name, const Json& a, const Json& b, std::vector<ElementChange>& out) {
  ElementChange change{name, name, ChangeKind::Changed, {}};
  compare("", a, b, change.fields);
  if (!change.fields.empty()) out.push_back(std::move(change));
}

Json number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json probabilityOf(const TreeRun& run) { return run.result ? number(run.result->probability) : Json(nullptr); }

Json classOf(const RiskMatrix& m, const std::optional<RiskCell>& c) {
  if (!c || !c->riskClass) return nullptr;
  return m.classes[*c->riskClass].id;
}

template <class T>
const T* byId(const std::vector<T>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

/// The ids of the new list in its order, then those only the old one has.
template <class T>
std::vector<std::string> subjects(const std::vector<T>& before, const std::vector<T>& after) {
  std::vector<std::string> ids;
  for (const T& item : after) ids.push_back(item.id);
  for (const T& item : before) {
    if (!byId(after, item.id)) ids.push_back(item.id);
  }
  return ids;
}

void risk(ProjectDiff& out, const std::string& subject, const std::string& id, const std::string& measure, Json a, Json b) {
  if (a != b) out.risk.push_back(RiskChange{subject, id, measure, std::move(a), std::move(b)});
}

}  // namespace

std::string_view toString(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Changed: return "changed";
  }
  return "";
}

ProjectDiff diff(const Project& before, const Project& after) {
  const Json a = toJson(before);
  const Json b = toJson(after);
  ProjectDiff out;
  compareSingleton("project", a["project"], b["project"], out.model);
  compareSingleton("settings", a["settings"], b["settings"], out.model);
  compareSingleton("risk_matrix", a["risk_matrix"], b["risk_matrix"], out.model);
  for (const char* list : {"components", "flows", "zones"}) {
    compareCollection(std::string("system.") + list, a["system"][list], b["system"][list], "id", out.model);
  }
  for (const char* list : {"threats", "attack_trees", "fault_trees", "hazards", "mitigations"}) {
    compareCollection(list, a[list], b[list], "id", out.model);
  }
  // The compliance section is written only when baselines are selected.
  auto baselines = [](const Json& doc) {
    const auto it = doc.find("compliance");
    return it == doc.end() ? Json::array() : it->at("baselines");
  };
  compareCollection("compliance.baselines", baselines(a), baselines(b), "baseline", out.model);
  compareCollection("layout", a["layout"], b["layout"], "element", out.layout);
  return out;
}

void addRiskChanges(ProjectDiff& out, const Project& before, const ProjectAnalysis& x, const Project& after,
                    const ProjectAnalysis& y) {
  for (const std::string& id : subjects(x.faultTrees, y.faultTrees)) {
    const FaultTreeAnalysis* p = byId(x.faultTrees, id);
    const FaultTreeAnalysis* q = byId(y.faultTrees, id);
    risk(out, "fault_tree", id, "probability_before", p ? probabilityOf(p->before) : Json(nullptr),
         q ? probabilityOf(q->before) : Json(nullptr));
    risk(out, "fault_tree", id, "probability_after", p ? probabilityOf(p->after) : Json(nullptr),
         q ? probabilityOf(q->after) : Json(nullptr));
  }
  for (const std::string& id : subjects(x.attackTrees, y.attackTrees)) {
    const AttackTreeAnalysis* p = byId(x.attackTrees, id);
    const AttackTreeAnalysis* q = byId(y.attackTrees, id);
    risk(out, "attack_tree", id, "probability_before", p ? probabilityOf(p->before) : Json(nullptr),
         q ? probabilityOf(q->before) : Json(nullptr));
    risk(out, "attack_tree", id, "probability_after", p ? probabilityOf(p->after) : Json(nullptr),
         q ? probabilityOf(q->after) : Json(nullptr));
  }
  for (const std::string& id : subjects(x.hazards, y.hazards)) {
    const HazardAnalysis* p = byId(x.hazards, id);
    const HazardAnalysis* q = byId(y.hazards, id);
    auto stated = [](const RiskMatrix& m, const HazardAnalysis* h, bool afterMitigation) -> Json {
      if (!h) return nullptr;
      return classOf(m, afterMitigation ? h->after : h->before);
    };
    auto computed = [](const RiskMatrix& m, const HazardAnalysis* h, bool afterMitigation) -> Json {
      if (!h) return nullptr;
      return classOf(m, afterMitigation ? h->computedAfter : h->computedBefore);
    };
    risk(out, "hazard", id, "stated_class_before", stated(before.riskMatrix, p, false), stated(after.riskMatrix, q, false));
    risk(out, "hazard", id, "stated_class_after", stated(before.riskMatrix, p, true), stated(after.riskMatrix, q, true));
    risk(out, "hazard", id, "computed_class_before", computed(before.riskMatrix, p, false),
         computed(after.riskMatrix, q, false));
    risk(out, "hazard", id, "computed_class_after", computed(before.riskMatrix, p, true), computed(after.riskMatrix, q, true));
  }
}

}  // namespace thornwood::models
