#include "models/attack_analysis.h"

#include <algorithm>
#include <map>

#include "core/fault_tree_analysis.h"

namespace thornwood::models {

namespace {

constexpr AttackMetric kMetrics[] = {AttackMetric::Cost, AttackMetric::Time, AttackMetric::Skill,
                                     AttackMetric::Probability};

std::optional<double> figure(const AttackNode& leaf, AttackMetric m) {
  switch (m) {
    case AttackMetric::Cost: return leaf.cost;
    case AttackMetric::Time: return leaf.time;
    case AttackMetric::Skill: return leaf.skill;
    case AttackMetric::Probability: return leaf.probability;
  }
  return std::nullopt;
}

core::Objective objectiveFor(AttackMetric m) {
  switch (m) {
    case AttackMetric::Cost:
    case AttackMetric::Time: return core::Objective{core::Aggregate::Sum, core::Sense::Minimise, {}};
    case AttackMetric::Skill: return core::Objective{core::Aggregate::Max, core::Sense::Minimise, {}};
    case AttackMetric::Probability: return core::Objective{core::Aggregate::Product, core::Sense::Maximise, {}};
  }
  return {};
}

/// Better value of a metric first.
bool better(AttackMetric m, double a, double b) { return m == AttackMetric::Probability ? a > b : a < b; }

}  // namespace

std::string_view toString(AttackMetric metric) {
  switch (metric) {
    case AttackMetric::Cost: return "cost";
    case AttackMetric::Time: return "time";
    case AttackMetric::Skill: return "skill";
    case AttackMetric::Probability: return "probability";
  }
  return "";
}

core::Result<AttackAnalysis> analyseAttackTree(const Project& project, const std::string& treeId,
                                               const AttackOptions& options) {
  auto compiled = compileAttackTree(project, treeId, options.scope);
  if (!compiled) return core::fail(compiled.error());
  const core::LogicGraph& graph = compiled->graph;
  // The leaf behind each variable: "node" in this tree, "tree/node" in an embedded one.
  std::map<std::string, const AttackNode*> leafByName;
  for (const AttackTree& t : project.attackTrees) {
    for (const AttackNode& n : t.nodes) {
      if (n.kind != AttackNodeKind::Leaf) continue;
      leafByName.emplace(t.id == treeId ? n.id : t.id + "/" + n.id, &n);
      leafByName.emplace(t.id + "/" + n.id, &n);
    }
  }
  AttackAnalysis out;
  out.tree = treeId;
  out.scope = options.scope;
  core::AnalysisOptions engine;
  engine.maxCutSets = std::max<std::size_t>(options.maxScenarios, 100000);
  // Weights per metric; a metric some reachable leaf lacks is left out, with a note.
  std::vector<bool> complete(4, true);
  std::vector<std::vector<std::string>> lacking(4);
  std::vector<core::Objective> objectives;
  for (std::size_t k = 0; k < 4; ++k) objectives.push_back(objectiveFor(kMetrics[k]));
  for (auto& o : objectives) o.weights.assign(graph.size(), 0.0);
  for (core::NodeId v = 0; v < graph.size(); ++v) {
    if (graph.kind(v) != core::NodeKind::Variable) continue;
    const auto it = leafByName.find(graph.name(v));
    for (std::size_t k = 0; k < 4; ++k) {
      const std::optional<double> f = it == leafByName.end() ? std::nullopt : figure(*it->second, kMetrics[k]);
      if (f) objectives[k].weights[v] = *f;
      else lacking[k].push_back(graph.name(v));
    }
  }
  for (std::size_t k = 0; k < 4; ++k) {
    complete[k] = lacking[k].empty();
    if (complete[k]) engine.objectives.push_back(objectives[k]);
  }
  if (options.pareto && complete[0] && complete[3]) engine.fronts.emplace_back(objectives[0], objectives[3]);
  if (options.pareto && complete[0] && complete[1]) engine.fronts.emplace_back(objectives[0], objectives[1]);
  auto result = core::analyse(graph, compiled->top, engine);
  if (!result) return core::fail(result.error());
  out.notes = result->notes;
  for (std::size_t k = 0, next = 0; k < 4; ++k) {
    MetricResult m;
    m.metric = kMetrics[k];
    if (!complete[k]) {
      std::string list;
      for (std::size_t i = 0; i < lacking[k].size() && i < 5; ++i) list += (i ? ", " : "") + lacking[k][i];
      if (lacking[k].size() > 5) list += ", ...";
      out.notes.push_back(core::warning(treeId, "no " + std::string(toString(kMetrics[k])) + " for the tree: " +
                                                    std::to_string(lacking[k].size()) + " leaves lack it (" + list + ")"));
    } else {
      const core::Optimum& o = result->optima[next++];
      m.value = o.value;
      for (core::NodeId v : o.set) m.scenario.push_back(graph.name(v));
    }
    out.metrics.push_back(std::move(m));
  }
  std::size_t front = 0;
  auto points = [&](std::vector<ParetoPoint>& into) {
    for (const core::FrontPoint& p : result->fronts[front]) {
      ParetoPoint pp{p.first, p.second, {}};
      for (core::NodeId v : p.set) pp.scenario.push_back(graph.name(v));
      into.push_back(std::move(pp));
    }
    ++front;
  };
  if (options.pareto && complete[0] && complete[3]) points(out.costProbability);
  if (options.pareto && complete[0] && complete[1]) points(out.costTime);
  out.scenarioCount = result->cutSets.count;
  for (const auto& set : result->cutSets.list) {
    Scenario s;
    for (core::NodeId v : set) s.leaves.push_back(graph.name(v));
    std::sort(s.leaves.begin(), s.leaves.end());
    for (std::size_t k = 0; k < 4; ++k) {
      if (!complete[k]) continue;
      double value = kMetrics[k] == AttackMetric::Probability ? 1.0 : 0.0;
      for (core::NodeId v : set) {
        const double w = objectives[k].weights[v];
        value = kMetrics[k] == AttackMetric::Skill ? std::max(value, w)
                : kMetrics[k] == AttackMetric::Probability ? value * w : value + w;
      }
      (k == 0 ? s.cost : k == 1 ? s.time : k == 2 ? s.skill : s.probability) = value;
    }
    out.scenarios.push_back(std::move(s));
  }
  out.scenariosTruncated = result->cutSets.truncated;
  const AttackMetric by = options.rankBy;
  auto key = [by](const Scenario& s) -> std::optional<double> {
    return by == AttackMetric::Cost ? s.cost : by == AttackMetric::Time ? s.time : by == AttackMetric::Skill ? s.skill : s.probability;
  };
  std::stable_sort(out.scenarios.begin(), out.scenarios.end(), [&](const Scenario& a, const Scenario& b) {
    const auto ka = key(a), kb = key(b);
    if (ka && kb) return better(by, *ka, *kb);
    return ka.has_value() && !kb.has_value();
  });
  if (out.scenarios.size() > options.maxScenarios) {
    out.scenarios.resize(options.maxScenarios);
    out.scenariosTruncated = true;
  }
  if (result->cutSets.truncated) {
    out.notes.push_back(core::warning(treeId, "more than " + std::to_string(engine.maxCutSets) +
                                                  " scenarios: the ranking covers the first listed only; the optima and fronts cover all"));
  }
  return out;
}

}  // namespace thornwood::models
