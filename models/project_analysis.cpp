#include "models/project_analysis.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace thornwood::models {

namespace {

core::AnalysisOptions engineOptions(const Project& p, const ProjectAnalysisOptions& o) {
  core::AnalysisOptions e;
  if (p.settings.limitOrder > 0) e.limitOrder = p.settings.limitOrder;
  e.cutOff = p.settings.cutOff;
  e.maxCutSets = static_cast<std::size_t>(p.settings.maxCutSets);
  e.nodeBudget = o.nodeBudget;
  e.cancel = o.cancel;
  return e;
}

/// One tree to analyse with one scope; filled in by whichever worker takes it.
struct Task {
  enum class Kind { Fault, Attack } kind = Kind::Fault;
  std::size_t index = 0;  ///< in the project's list
  MitigationScope scope = MitigationScope::None;
  TreeRun run;
  std::vector<core::Diagnostic> diagnostics;
  bool limit = false;
  bool cancelled = false;
};

void runTask(const Project& p, const core::AnalysisOptions& engine, const ProjectAnalysisOptions& o,
             const std::string& file, Task& task) {
  const bool fault = task.kind == Task::Kind::Fault;
  const std::string where = (fault ? "/fault_trees/" : "/attack_trees/") + std::to_string(task.index);
  task.run.scope = task.scope;
  auto compiled = fault ? compileFaultTree(p, p.faultTrees[task.index].id, task.scope)
                        : compileAttackTree(p, p.attackTrees[task.index].id, task.scope);
  if (!compiled) {
    core::Diagnostic d = compiled.error();
    d.file = file;
    d.place = where;
    task.diagnostics.push_back(std::move(d));
    return;
  }
  task.run.graph = std::move(compiled->graph);
  const auto start = std::chrono::steady_clock::now();
  auto result = core::analyse(task.run.graph, compiled->top, engine);
  const auto stop = std::chrono::steady_clock::now();
  if (o.timing) task.run.timeMs = std::chrono::duration<double, std::milli>(stop - start).count();
  if (!result) {
    core::Diagnostic d = result.error();
    d.file = file;
    d.place = where;
    task.limit = d.code == core::ErrorCode::Limit;
    task.cancelled = d.code == core::ErrorCode::Cancelled;
    task.diagnostics.push_back(std::move(d));
    return;
  }
  for (core::Diagnostic d : result->notes) {
    d.file = file;
    if (d.place.empty()) d.place = where;
    task.diagnostics.push_back(std::move(d));
  }
  task.run.result = std::move(*result);
}

/// Runs the tasks on up to `threads` threads; results land in the tasks, so the order of
/// the output never depends on which thread finished first.
void runAll(std::vector<Task>& tasks, unsigned threads, const std::function<void(Task&)>& work) {
  std::atomic<std::size_t> next{0};
  auto worker = [&]() {
    for (std::size_t i = next++; i < tasks.size(); i = next++) work(tasks[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && t < tasks.size(); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

RiskCell cell(const RiskMatrix& m, const Rating& r) { return RiskCell{r.likelihood, r.severity, m.classOf(r)}; }

std::optional<RiskCell> cellFor(const RiskMatrix& m, std::optional<double> p, const std::string& severity) {
  if (!p) return std::nullopt;
  const auto level = m.likelihoodForProbability(*p);
  if (!level) return std::nullopt;
  return cell(m, Rating{m.likelihoods[*level].id, severity});
}

}  // namespace

ProjectAnalysis analyse(const Project& p, const std::string& file, const ProjectAnalysisOptions& o) {
  ProjectAnalysis out;
  const core::AnalysisOptions engine = engineOptions(p, o);
  std::vector<Task> tasks;
  for (std::size_t i = 0; i < p.faultTrees.size(); ++i) {
    for (auto scope : {MitigationScope::None, MitigationScope::InPlace}) tasks.push_back(Task{Task::Kind::Fault, i, scope, {}, {}, false, false});
  }
  for (std::size_t i = 0; i < p.attackTrees.size(); ++i) {
    for (auto scope : {MitigationScope::None, MitigationScope::InPlace}) tasks.push_back(Task{Task::Kind::Attack, i, scope, {}, {}, false, false});
  }
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  runAll(tasks, threads, [&](Task& t) { runTask(p, engine, o, file, t); });
  for (Task& t : tasks) {
    out.limitReached = out.limitReached || t.limit;
    out.cancelled = out.cancelled || t.cancelled;
    for (core::Diagnostic& d : t.diagnostics) {
      // The same note comes once per scope: keep the first.
      if (std::find(out.diagnostics.begin(), out.diagnostics.end(), d) == out.diagnostics.end()) {
        out.diagnostics.push_back(std::move(d));
      }
    }
  }
  for (std::size_t i = 0; i < p.faultTrees.size(); ++i) {
    FaultTreeAnalysis a;
    a.id = p.faultTrees[i].id;
    a.top = p.faultTrees[i].top;
    a.before = std::move(tasks[2 * i].run);
    a.after = std::move(tasks[2 * i + 1].run);
    out.faultTrees.push_back(std::move(a));
  }
  const std::size_t offset = 2 * p.faultTrees.size();
  for (std::size_t i = 0; i < p.attackTrees.size(); ++i) {
    AttackTreeAnalysis a;
    a.id = p.attackTrees[i].id;
    a.before = std::move(tasks[offset + 2 * i].run);
    a.after = std::move(tasks[offset + 2 * i + 1].run);
    out.attackTrees.push_back(std::move(a));
  }
  for (const Threat& t : p.threats) {
    if (t.obsolete) continue;
    ThreatRisk r;
    r.id = t.id;
    r.inherent = cell(p.riskMatrix, Rating{t.likelihood, t.impact});
    const auto tree = std::find_if(out.attackTrees.begin(), out.attackTrees.end(),
                                   [&](const AttackTreeAnalysis& a) { return !t.attackTree.empty() && a.id == t.attackTree; });
    // With a quantified attack tree, the stated likelihood (the top of its band) shrinks by
    // the factor the mitigations in place cut the attack's success probability.
    const auto level = p.riskMatrix.likelihoodIndex(t.likelihood);
    double band = -1;  // the top of the stated likelihood's band; -1 when there is none
    if (level && p.riskMatrix.likelihoods[*level].maxProbability) band = *p.riskMatrix.likelihoods[*level].maxProbability;
    bool quantified = false;
    if (tree != out.attackTrees.end() && tree->before.result && tree->after.result) {
      r.probabilityBefore = tree->before.result->probability;
      r.probabilityAfter = tree->after.result->probability;
      quantified = band >= 0 && r.probabilityBefore && r.probabilityAfter && *r.probabilityBefore > 0;
    }
    if (quantified) {
      r.basis = "attack tree";
      if (*r.probabilityAfter > 0) {
        r.residual = cellFor(p.riskMatrix, band * (*r.probabilityAfter / *r.probabilityBefore), t.impact);
      }
    } else {
      r.basis = "status";
      if (t.status != ThreatStatus::Mitigated && t.status != ThreatStatus::NotApplicable) r.residual = r.inherent;
    }
    out.threats.push_back(std::move(r));
    if (t.status == ThreatStatus::NotApplicable) continue;
    ++out.coverage.threats;
    if (t.status == ThreatStatus::Mitigated) ++out.coverage.threatsMitigated;
  }
  // Scenarios blocked: those of each bare tree that the mitigations in place make impossible
  // (no scenario of the mitigated tree lies inside them).
  for (const AttackTreeAnalysis& a : out.attackTrees) {
    if (!a.before.result || !a.after.result) continue;
    const auto& bare = a.before.result->cutSets;
    const auto& after = a.after.result->cutSets;
    out.coverage.scenarios += bare.count;
    if (bare.truncated || after.truncated) out.coverage.scenariosExact = false;
    auto names = [](const core::LogicGraph& g, const std::vector<core::NodeId>& set) {
      std::vector<std::string> n;
      for (core::NodeId v : set) n.push_back(g.name(v));
      std::sort(n.begin(), n.end());
      return n;
    };
    std::vector<std::vector<std::string>> remaining;
    for (const auto& s : after.list) remaining.push_back(names(a.after.graph, s));
    for (const auto& s : bare.list) {
      const auto mine = names(a.before.graph, s);
      const bool survives = std::any_of(remaining.begin(), remaining.end(), [&](const std::vector<std::string>& r) {
        return std::includes(mine.begin(), mine.end(), r.begin(), r.end());
      });
      if (!survives) ++out.coverage.scenariosBlocked;
    }
  }
  for (const Hazard& h : p.hazards) {
    HazardAnalysis a;
    a.id = h.id;
    a.before = cell(p.riskMatrix, h.before);
    a.after = cell(p.riskMatrix, h.after);
    const auto tree = std::find_if(out.faultTrees.begin(), out.faultTrees.end(),
                                   [&](const FaultTreeAnalysis& f) { return f.id == h.faultTree; });
    if (tree != out.faultTrees.end()) {
      if (tree->before.result) a.probabilityBefore = tree->before.result->probability;
      if (tree->after.result) a.probabilityAfter = tree->after.result->probability;
      a.computedBefore = cellFor(p.riskMatrix, a.probabilityBefore, h.before.severity);
      a.computedAfter = cellFor(p.riskMatrix, a.probabilityAfter, h.after.severity);
    }
    out.hazards.push_back(std::move(a));
  }
  return out;
}

}  // namespace thornwood::models
