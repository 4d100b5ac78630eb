#include "models/project_analysis.h"

#include <algorithm>
#include <chrono>

namespace thornwood::models {

namespace {

core::AnalysisOptions engineOptions(const Project& p, const ProjectAnalysisOptions& o) {
  core::AnalysisOptions e;
  if (p.settings.limitOrder > 0) e.limitOrder = p.settings.limitOrder;
  e.cutOff = p.settings.cutOff;
  e.maxCutSets = static_cast<std::size_t>(p.settings.maxCutSets);
  e.nodeBudget = o.nodeBudget;
  return e;
}

template <class Compile>
TreeRun run(const Compile& compile, MitigationScope scope, const core::AnalysisOptions& engine,
            const ProjectAnalysisOptions& o, const std::string& file, const std::string& where,
            ProjectAnalysis& out) {
  TreeRun r;
  r.scope = scope;
  auto compiled = compile(scope);
  if (!compiled) {
    core::Diagnostic d = compiled.error();
    d.file = file;
    d.place = where;
    out.diagnostics.push_back(std::move(d));
    return r;
  }
  r.graph = std::move(compiled->graph);
  const auto start = std::chrono::steady_clock::now();
  auto result = core::analyse(r.graph, compiled->top, engine);
  const auto stop = std::chrono::steady_clock::now();
  if (o.timing) r.timeMs = std::chrono::duration<double, std::milli>(stop - start).count();
  if (!result) {
    core::Diagnostic d = result.error();
    d.file = file;
    d.place = where;
    out.diagnostics.push_back(std::move(d));
    out.limitReached = out.limitReached || d.code == core::ErrorCode::Limit;
    return r;
  }
  for (core::Diagnostic d : result->notes) {
    d.file = file;
    if (d.place.empty()) d.place = where;
    // The same note would come twice, once per scope: keep the first.
    if (std::find(out.diagnostics.begin(), out.diagnostics.end(), d) == out.diagnostics.end()) {
      out.diagnostics.push_back(std::move(d));
    }
  }
  r.result = std::move(*result);
  return r;
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
  for (std::size_t i = 0; i < p.faultTrees.size(); ++i) {
    const ProjectFaultTree& t = p.faultTrees[i];
    const std::string where = "/fault_trees/" + std::to_string(i);
    auto compile = [&](MitigationScope s) { return compileFaultTree(p, t.id, s); };
    FaultTreeAnalysis a;
    a.id = t.id;
    a.top = t.top;
    a.before = run(compile, MitigationScope::None, engine, o, file, where, out);
    a.after = run(compile, MitigationScope::InPlace, engine, o, file, where, out);
    out.faultTrees.push_back(std::move(a));
  }
  for (std::size_t i = 0; i < p.attackTrees.size(); ++i) {
    const AttackTree& t = p.attackTrees[i];
    const std::string where = "/attack_trees/" + std::to_string(i);
    auto compile = [&](MitigationScope s) { return compileAttackTree(p, t.id, s); };
    AttackTreeAnalysis a;
    a.id = t.id;
    a.before = run(compile, MitigationScope::None, engine, o, file, where, out);
    a.after = run(compile, MitigationScope::InPlace, engine, o, file, where, out);
    out.attackTrees.push_back(std::move(a));
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
