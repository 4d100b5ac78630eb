#include "models/attack_analysis.h"

#include <algorithm>
#include <map>
#include <set>

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
  engine.maxCutSets = options.maxScenarios;
  engine.approximations = false;
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
    if (!complete[k]) continue;
    // The scenarios are listed best first by the ranking metric, exactly, by the engine.
    if (kMetrics[k] == options.rankBy) engine.rankBy = engine.objectives.size();
    engine.objectives.push_back(objectives[k]);
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
  if (!engine.rankBy) {
    out.notes.push_back(core::warning(treeId, "scenarios are listed by size and names, not by " +
                                                  std::string(toString(options.rankBy)) + ": some leaves lack it"));
  }
  return out;
}

namespace {

/// The minimal scenarios of the tree with exactly `active` mitigations acting.
core::Result<std::vector<std::set<std::string>>> scenariosWith(const Project& project, const std::string& tree,
                                                               const std::set<std::string>& active, std::size_t limit,
                                                               std::uint64_t& count, bool& truncated) {
  auto compiled = compileAttackTree(project, tree, active);
  if (!compiled) return core::fail(compiled.error());
  core::AnalysisOptions o;
  o.maxCutSets = limit;
  o.approximations = false;
  auto r = core::analyse(compiled->graph, compiled->top, o);
  if (!r) return core::fail(r.error());
  count = r->cutSets.count;
  truncated = r->cutSets.truncated;
  std::vector<std::set<std::string>> out;
  for (const auto& set : r->cutSets.list) {
    std::set<std::string> names;
    for (core::NodeId v : set) names.insert(compiled->graph.name(v));
    out.push_back(std::move(names));
  }
  return out;
}

constexpr std::size_t kExplainedScenarios = 1000;  // enough for a person to check

/// Per mitigation, the scenarios of the bare tree it blocks on its own.
core::Result<std::vector<BlockedScenarios>> explain(const Project& project, const std::string& tree,
                                                    const std::vector<std::string>& mitigations, std::uint64_t& scenarioCount,
                                                    bool& truncated) {
  auto bare = scenariosWith(project, tree, {}, kExplainedScenarios, scenarioCount, truncated);
  if (!bare) return core::fail(bare.error());
  std::vector<BlockedScenarios> out;
  for (const std::string& m : mitigations) {
    std::uint64_t count = 0;
    bool cut = false;
    auto with = scenariosWith(project, tree, {m}, kExplainedScenarios, count, cut);
    if (!with) return core::fail(with.error());
    truncated = truncated || cut;
    BlockedScenarios b{m, {}};
    for (const auto& s : *bare) {
      // Still possible if some scenario of the mitigated tree is inside it.
      const bool survives = std::any_of(with->begin(), with->end(), [&](const std::set<std::string>& t) {
        return std::includes(s.begin(), s.end(), t.begin(), t.end());
      });
      if (!survives) b.scenarios.emplace_back(s.begin(), s.end());
    }
    out.push_back(std::move(b));
  }
  return out;
}

/// Mitigations that block some node of the tree or of a tree it embeds, by id, with costs.
std::map<std::string, double> candidatesFor(const Project& project, const std::string& treeId) {
  std::map<std::string, const AttackTree*> trees;
  for (const AttackTree& t : project.attackTrees) trees.emplace(t.id, &t);
  std::set<std::string> seen{treeId};
  std::vector<std::string> queue{treeId};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto it = trees.find(queue[i]);
    if (it == trees.end()) continue;
    for (const AttackNode& n : it->second->nodes) {
      if (n.kind == AttackNodeKind::TreeRef && seen.insert(n.tree).second) queue.push_back(n.tree);
    }
  }
  std::map<std::string, double> out;
  for (const Mitigation& m : project.mitigations) {
    for (const Effect& e : m.effects) {
      if (e.kind == EffectKind::Blocks && seen.count(e.tree)) out[m.id] = m.cost;
    }
  }
  return out;
}

}  // namespace

core::Result<BudgetPlan> bestSetUnderBudget(const Project& project, const std::string& treeId, double budget,
                                            AttackMetric metric) {
  constexpr std::size_t kMaxCandidates = 64;
  constexpr std::size_t kMaxEvaluations = 20000;
  if (metric != AttackMetric::Cost && metric != AttackMetric::Probability) {
    return core::fail(core::error(core::ErrorCode::Malformed, treeId, "the budgeted plan optimises cost or probability"));
  }
  BudgetPlan plan;
  plan.tree = treeId;
  plan.budget = budget;
  plan.metric = metric;
  const std::map<std::string, double> candidates = candidatesFor(project, treeId);
  for (const auto& [id, cost] : candidates) plan.candidates.push_back(id);
  if (candidates.size() > kMaxCandidates) {
    return core::fail(core::error(core::ErrorCode::Limit, treeId,
                                  std::to_string(candidates.size()) + " candidate mitigations: the exact search under a budget "
                                  "takes at most " + std::to_string(kMaxCandidates)));
  }
  const core::Objective objective = metric == AttackMetric::Cost
                                        ? core::Objective{core::Aggregate::Sum, core::Sense::Minimise, {}}
                                        : core::Objective{core::Aggregate::Product, core::Sense::Maximise, {}};
  std::map<std::string, const AttackNode*> leafByName;
  for (const AttackTree& t : project.attackTrees) {
    for (const AttackNode& n : t.nodes) {
      if (n.kind != AttackNodeKind::Leaf) continue;
      leafByName.emplace(t.id == treeId ? n.id : t.id + "/" + n.id, &n);
    }
  }
  // The attacker's best with exactly `active` acting; empty when no attack is left.
  auto attackerBest = [&](const std::set<std::string>& active) -> core::Result<std::optional<double>> {
    auto compiled = compileAttackTree(project, treeId, active);
    if (!compiled) return core::fail(compiled.error());
    core::AnalysisOptions o;
    o.maxCutSets = 0;
    o.approximations = false;
    core::Objective weighted = objective;
    weighted.weights.assign(compiled->graph.size(), 0.0);
    for (core::NodeId v = 0; v < compiled->graph.size(); ++v) {
      if (compiled->graph.kind(v) != core::NodeKind::Variable) continue;
      const auto it = leafByName.find(compiled->graph.name(v));
      const std::optional<double> f = it == leafByName.end() ? std::nullopt : figure(*it->second, metric);
      if (!f) {
        return core::fail(core::error(core::ErrorCode::Malformed, compiled->graph.name(v),
                                      "leaf \"" + compiled->graph.name(v) + "\" has no " + std::string(toString(metric))));
      }
      weighted.weights[v] = *f;
    }
    o.objectives.push_back(std::move(weighted));
    auto r = core::analyse(compiled->graph, compiled->top, o);
    if (!r) return core::fail(r.error());
    return r->optima.front().value;
  };
  // Better for the defender: no attack at all, then a dearer or less likely best attack.
  auto better = [metric](const std::optional<double>& a, const std::optional<double>& b) {
    if (!a || !b) return !a && b;
    return metric == AttackMetric::Cost ? *a > *b : *a < *b;
  };
  auto without = attackerBest({});
  if (!without) return core::fail(without.error());
  plan.attackerBestWithout = *without;
  // Branch and bound over the candidates, dearest first: include or exclude each. Adding
  // mitigations never helps the attacker, so the attacker's best with every candidate not yet
  // excluded bounds what a branch can reach; a branch that cannot beat the best set found (or
  // tie it more cheaply) is cut. Exact; each distinct set is evaluated once.
  std::vector<std::pair<std::string, double>> list(candidates.begin(), candidates.end());
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::map<std::uint64_t, std::optional<double>> memo;
  std::optional<core::Diagnostic> failure;
  auto evaluate = [&](std::uint64_t mask) -> std::optional<std::optional<double>> {
    if (const auto it = memo.find(mask); it != memo.end()) return it->second;
    if (memo.size() >= kMaxEvaluations) {
      failure = core::error(core::ErrorCode::Limit, treeId,
                            "the exact search under a budget needed more than " + std::to_string(kMaxEvaluations) +
                                " evaluations of the tree");
      return std::nullopt;
    }
    std::set<std::string> active;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if ((mask >> i) & 1u) active.insert(list[i].first);
    }
    auto value = attackerBest(active);
    if (!value) {
      failure = value.error();
      return std::nullopt;
    }
    memo.emplace(mask, *value);
    return *value;
  };
  bool found = false;
  std::uint64_t bestMask = 0;
  const std::uint64_t all = list.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << list.size()) - 1;
  // Explicit stack of (next candidate, chosen mask, excluded mask, cost): no recursion.
  struct Frame {
    std::size_t next;
    std::uint64_t chosen;
    std::uint64_t excluded;
    double cost;
  };
  std::vector<Frame> stack{{0, 0, 0, 0.0}};
  while (!stack.empty() && !failure) {
    const Frame f = stack.back();
    stack.pop_back();
    const auto bound = evaluate(all & ~f.excluded);
    if (!bound) break;
    if (found && !better(*bound, plan.attackerBest) && (better(plan.attackerBest, *bound) || f.cost >= plan.cost)) continue;
    if (f.next == list.size()) {
      const auto value = evaluate(f.chosen);
      if (!value) break;
      const bool improves = !found || better(*value, plan.attackerBest) ||
                            (!better(plan.attackerBest, *value) && f.cost < plan.cost);
      if (improves) {
        found = true;
        plan.attackerBest = *value;
        plan.cost = f.cost;
        bestMask = f.chosen;
      }
      continue;
    }
    const std::uint64_t bit = std::uint64_t{1} << f.next;
    stack.push_back(Frame{f.next + 1, f.chosen, f.excluded | bit, f.cost});  // without it, explored second
    if (f.cost + list[f.next].second <= budget) stack.push_back(Frame{f.next + 1, f.chosen | bit, f.excluded, f.cost + list[f.next].second});
  }
  if (failure) return core::fail(*failure);
  plan.setsTried = memo.size();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if ((bestMask >> i) & 1u) plan.mitigations.push_back(list[i].first);
  }
  std::sort(plan.mitigations.begin(), plan.mitigations.end());
  std::uint64_t count = 0;
  bool truncated = false;
  auto explanation = explain(project, treeId, plan.mitigations, count, truncated);
  if (!explanation) return core::fail(explanation.error());
  plan.explanation = std::move(*explanation);
  return plan;
}

core::Result<DefencePlan> cheapestBlockingSet(const Project& project, const std::string& treeId) {
  std::map<std::string, const AttackTree*> trees;
  for (const AttackTree& t : project.attackTrees) trees.emplace(t.id, &t);
  if (!trees.count(treeId)) return core::fail(core::error(core::ErrorCode::Malformed, treeId, "unknown attack tree \"" + treeId + "\""));
  // The trees involved, with the prefix their nodes get (as compileAttackTree names them).
  std::vector<std::pair<const AttackTree*, std::string>> involved{{trees[treeId], ""}};
  std::set<std::string> seen{treeId};
  for (std::size_t i = 0; i < involved.size(); ++i) {
    for (const AttackNode& n : involved[i].first->nodes) {
      if (n.kind == AttackNodeKind::TreeRef && trees.count(n.tree) && seen.insert(n.tree).second) {
        involved.emplace_back(trees[n.tree], n.tree + "/");
      }
    }
  }
  // Which mitigations act on which (tree, node).
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> blockers;
  std::map<std::string, double> costOf;
  for (const Mitigation& m : project.mitigations) {
    for (const Effect& e : m.effects) {
      if (e.kind != EffectKind::Blocks || !seen.count(e.tree)) continue;
      blockers[{e.tree, e.element}].push_back(m.id);
      costOf[m.id] = m.cost;
    }
  }
  DefencePlan plan;
  plan.tree = treeId;
  for (const auto& [id, cost] : costOf) plan.candidates.push_back(id);
  // blocked(node) over mitigation variables "mitigation:<id>" (':' is never in an id).
  core::LogicGraph g;
  std::map<std::string, core::NodeId> mitigationVar;
  for (const auto& [id, cost] : costOf) mitigationVar[id] = g.addVariable("mitigation:" + id);
  const core::NodeId never = g.addConstant("never", false);
  std::map<std::string, core::NodeId> gateOf;  // qualified node name -> its blocked() gate
  for (const auto& [tree, prefix] : involved) {
    for (const AttackNode& n : tree->nodes) gateOf[prefix + n.id] = g.addGate(prefix + n.id);
  }
  // A referenced tree embedded under a prefix is qualified the same way wherever it appears.
  auto qualified = [&](const std::string& tree, const std::string& node) { return tree == treeId ? node : tree + "/" + node; };
  for (const auto& [tree, prefix] : involved) {
    for (const AttackNode& n : tree->nodes) {
      std::vector<core::NodeId> own;
      if (const auto it = blockers.find({tree->id, n.id}); it != blockers.end()) {
        for (const std::string& m : it->second) own.push_back(mitigationVar[m]);
      }
      std::vector<core::NodeId> children;
      for (const std::string& c : n.children) children.push_back(gateOf[prefix + c]);
      core::NodeId structural = never;
      const int count = static_cast<int>(children.size());
      switch (n.kind) {
        case AttackNodeKind::Leaf: break;
        case AttackNodeKind::And:
        case AttackNodeKind::Sand:
        case AttackNodeKind::Or:
        case AttackNodeKind::AtLeast: {
          structural = g.addGate(prefix + n.id + "#children");
          const bool any = n.kind == AttackNodeKind::And || n.kind == AttackNodeKind::Sand;
          if (n.kind == AttackNodeKind::AtLeast) {
            g.defineGate(structural, core::GateKind::AtLeast, children, count - n.k + 1);
          } else {
            g.defineGate(structural, any ? core::GateKind::Or : core::GateKind::And, children);
          }
          break;
        }
        case AttackNodeKind::TreeRef: {
          const auto it = trees.find(n.tree);
          if (it != trees.end()) structural = gateOf[qualified(n.tree, it->second->root)];
          break;
        }
      }
      own.push_back(structural);
      g.defineGate(gateOf[prefix + n.id], core::GateKind::Or, own);
    }
  }
  if (auto problems = g.validate(); !problems.empty()) return core::fail(problems.front());
  core::AnalysisOptions o;
  o.maxCutSets = 0;
  core::Objective cost{core::Aggregate::Sum, core::Sense::Minimise, std::vector<double>(g.size(), 0.0)};
  for (const auto& [id, var] : mitigationVar) cost.weights[var] = costOf[id];
  o.objectives.push_back(cost);
  auto r = core::analyse(g, gateOf[trees[treeId]->root], o);
  if (!r) return core::fail(r.error());
  const core::Optimum& best = r->optima.front();
  plan.cost = best.value;
  if (!plan.cost) {
    std::uint64_t count = 0;
    bool cut = false;
    auto rest = scenariosWith(project, treeId, std::set<std::string>(plan.candidates.begin(), plan.candidates.end()),
                              kExplainedScenarios, count, cut);
    if (!rest) return core::fail(rest.error());
    for (const auto& s : *rest) plan.unblockable.emplace_back(s.begin(), s.end());
    plan.explanationTruncated = cut;
  }
  for (core::NodeId v : best.set) plan.mitigations.push_back(g.name(v).substr(std::string("mitigation:").size()));
  std::sort(plan.mitigations.begin(), plan.mitigations.end());
  // Explanation: which scenarios of the bare tree each chosen mitigation blocks on its own.
  bool truncated = plan.explanationTruncated;
  auto explanation = explain(project, treeId, plan.mitigations, plan.scenarioCount, truncated);
  if (!explanation) return core::fail(explanation.error());
  plan.explanation = std::move(*explanation);
  plan.explanationTruncated = truncated;
  return plan;
}

}  // namespace thornwood::models
