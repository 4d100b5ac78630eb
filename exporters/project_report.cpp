#include "exporters/project_report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exporters/analysis_report.h"
#include "exporters/detail/numbers.h"

namespace thornwood::exporters {

namespace {

using nlohmann::json;

using detail::number;
using detail::optionalNumber;

json runJson(const models::TreeRun& run) {
  if (!run.result) return nullptr;
  json j = toJson(TopResult{*run.result, run.timeMs}, &run.graph);
  j["mitigations"] = std::string(models::toString(run.scope));
  return j;
}

json cellJson(const models::RiskMatrix& m, const models::RiskCell& c) {
  json j = json::object();
  j["likelihood"] = c.likelihood;
  j["severity"] = c.severity;
  j["class"] = c.riskClass ? json(m.classes[*c.riskClass].id) : json(nullptr);
  j["acceptable"] = c.riskClass ? json(m.classes[*c.riskClass].acceptable) : json(nullptr);
  return j;
}

json computedJson(const models::RiskMatrix& m, const std::optional<double>& p, const std::optional<models::RiskCell>& c) {
  json j = c ? cellJson(m, *c) : json::object();
  j["probability"] = optionalNumber(p);
  return j;
}

/// The `n` most probable listed cut sets, each as "{a, b} p", most probable first (ties by
/// the list's order, which is by size then names).
std::vector<std::string> topCutSets(const models::TreeRun& run, std::size_t n) {
  std::vector<std::pair<double, std::string>> sets;
  if (!run.result) return {};
  for (const auto& set : run.result->cutSets.list) {
    double p = 1;
    std::string names;
    for (core::NodeId v : set) {
      p *= run.graph.probability(v).value_or(1.0);
      names += (names.empty() ? "" : ", ") + run.graph.name(v);
    }
    sets.emplace_back(p, "{" + names + "}");
  }
  std::stable_sort(sets.begin(), sets.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sets.size() && i < n; ++i) {
    std::string p = number(sets[i].first);
    p.resize(std::max<std::size_t>(p.size() + 1, 11), ' ');
    out.push_back(p + sets[i].second);
  }
  return out;
}

std::string className(const models::RiskMatrix& m, const models::RiskCell& c) {
  return c.riskClass ? m.classes[*c.riskClass].id : std::string("?");
}

}  // namespace

json toJson(const models::Project& project, const models::ProjectAnalysis& a, const std::string& file,
            const std::vector<core::Diagnostic>& diagnostics) {
  json out = json::object();
  out["thornwood_version"] = THORNWOOD_VERSION;
  out["file"] = file;
  out["files"] = json::array({file});
  out["project"] = project.name;
  json settings = json::object();
  settings["limit_order"] = project.settings.limitOrder > 0 ? json(project.settings.limitOrder) : json(nullptr);
  settings["cut_off"] = project.settings.cutOff;
  settings["max_cut_sets"] = project.settings.maxCutSets;
  settings["mission_time"] = project.settings.missionTime;
  out["settings"] = settings;
  json results = json::array();
  json faultTrees = json::array();
  for (const models::FaultTreeAnalysis& f : a.faultTrees) {
    if (f.after.result) {
      json r = runJson(f.after);
      r["fault_tree"] = f.id;
      results.push_back(std::move(r));
    }
    json j = json::object();
    j["id"] = f.id;
    j["top"] = f.top;
    j["before"] = runJson(f.before);
    j["after"] = runJson(f.after);
    faultTrees.push_back(std::move(j));
  }
  out["results"] = std::move(results);
  out["fault_trees"] = std::move(faultTrees);
  json attackTrees = json::array();
  for (const models::AttackTreeAnalysis& t : a.attackTrees) {
    json j = json::object();
    j["id"] = t.id;
    j["before"] = runJson(t.before);
    j["after"] = runJson(t.after);
    attackTrees.push_back(std::move(j));
  }
  out["attack_trees"] = std::move(attackTrees);
  json hazards = json::array();
  for (const models::HazardAnalysis& h : a.hazards) {
    json j = json::object();
    j["id"] = h.id;
    j["stated"] = {{"before", cellJson(project.riskMatrix, h.before)}, {"after", cellJson(project.riskMatrix, h.after)}};
    j["computed"] = {{"before", computedJson(project.riskMatrix, h.probabilityBefore, h.computedBefore)},
                     {"after", computedJson(project.riskMatrix, h.probabilityAfter, h.computedAfter)}};
    hazards.push_back(std::move(j));
  }
  out["hazards"] = std::move(hazards);
  json threats = json::array();
  for (const models::ThreatRisk& t : a.threats) {
    json j = json::object();
    j["id"] = t.id;
    j["inherent"] = cellJson(project.riskMatrix, t.inherent);
    j["residual"] = t.residual ? cellJson(project.riskMatrix, *t.residual) : json(nullptr);
    j["basis"] = t.basis;
    j["probability_before"] = optionalNumber(t.probabilityBefore);
    j["probability_after"] = optionalNumber(t.probabilityAfter);
    threats.push_back(std::move(j));
  }
  out["threats"] = std::move(threats);
  const models::Coverage& c = a.coverage;
  out["coverage"] = {{"threats", c.threats},
                     {"threats_mitigated", c.threatsMitigated},
                     {"threats_mitigated_share", c.threats ? static_cast<double>(c.threatsMitigated) / static_cast<double>(c.threats) : 1.0},
                     {"attack_scenarios", c.scenarios},
                     {"attack_scenarios_blocked", c.scenariosBlocked},
                     {"attack_scenarios_blocked_share",
                      c.scenarios ? static_cast<double>(c.scenariosBlocked) / static_cast<double>(c.scenarios) : 1.0},
                     {"attack_scenarios_exact", c.scenariosExact}};
  json diags = json::array();
  for (const auto& d : diagnostics) diags.push_back(toJson(d));
  for (const auto& d : a.diagnostics) diags.push_back(toJson(d));
  out["diagnostics"] = std::move(diags);
  return out;
}

std::string toText(const models::Project& project, const models::ProjectAnalysis& a, const std::string& file) {
  std::ostringstream out;
  out << "Thornwood " << THORNWOOD_VERSION << ": " << file << " (" << project.name << ")\n";
  auto probability = [](const models::TreeRun& r) {
    if (!r.result) return std::string("stopped");
    return r.result->probability ? number(*r.result->probability) : std::string("n/a");
  };
  if (!a.faultTrees.empty()) {
    out << "\nFault trees: P(top) before -> with mitigations in place; the most probable cut sets\n";
  }
  for (const models::FaultTreeAnalysis& f : a.faultTrees) {
    out << "  " << f.id << ": " << probability(f.before) << " -> " << probability(f.after);
    if (f.after.result) out << ", " << f.after.result->cutSets.count << " minimal cut sets";
    out << "\n";
    for (const std::string& line : topCutSets(f.after, 5)) out << "      " << line << "\n";
  }
  if (!a.attackTrees.empty()) {
    out << "\nAttack trees: P(success) before -> with mitigations in place; the likeliest scenarios\n";
  }
  for (const models::AttackTreeAnalysis& t : a.attackTrees) {
    out << "  " << t.id << ": " << probability(t.before) << " -> " << probability(t.after);
    if (t.after.result) out << ", " << t.after.result->cutSets.count << " minimal attack scenarios";
    out << "\n";
    for (const std::string& line : topCutSets(t.after, 3)) out << "      " << line << "\n";
  }
  if (!a.threats.empty()) {
    // Threats by risk class, inherent -> residual.
    std::vector<std::size_t> inherent(project.riskMatrix.classes.size(), 0), residual(project.riskMatrix.classes.size(), 0);
    std::size_t none = 0;
    for (const models::ThreatRisk& t : a.threats) {
      if (t.inherent.riskClass) ++inherent[*t.inherent.riskClass];
      if (t.residual && t.residual->riskClass) ++residual[*t.residual->riskClass];
      else ++none;
    }
    out << "\nThreats by risk class (inherent -> residual)\n";
    for (std::size_t k = project.riskMatrix.classes.size(); k-- > 0;) {
      out << "  " << project.riskMatrix.classes[k].id << ": " << inherent[k] << " -> " << residual[k] << "\n";
    }
    out << "  no residual risk: " << none << "\n";
    const models::Coverage& c = a.coverage;
    out << "Coverage: " << c.threatsMitigated << " of " << c.threats << " threats mitigated; " << c.scenariosBlocked << " of "
        << c.scenarios << " attack scenarios blocked" << (c.scenariosExact ? "" : " (of those listed)") << "\n";
  }
  if (!a.hazards.empty()) out << "\nHazards (risk class before -> after; computed from the fault tree)\n";
  for (const models::HazardAnalysis& h : a.hazards) {
    out << "  " << h.id << ": " << className(project.riskMatrix, h.before) << " -> "
        << className(project.riskMatrix, h.after);
    if (h.computedBefore || h.computedAfter) {
      out << "; computed ";
      out << (h.computedBefore ? className(project.riskMatrix, *h.computedBefore) + " (" + h.computedBefore->likelihood + ")"
                               : std::string("?"));
      out << " -> ";
      out << (h.computedAfter ? className(project.riskMatrix, *h.computedAfter) + " (" + h.computedAfter->likelihood + ")"
                              : std::string("?"));
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace thornwood::exporters
