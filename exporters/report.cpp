#include "exporters/report.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "exporters/diagram_dot.h"
#include "models/names.h"
#include "models/validate.h"

namespace thornwood::exporters {

namespace {

bool stopped(const ReportOptions& o) { return o.cancel && o.cancel->load(std::memory_order_relaxed); }

core::Diagnostic cancelledError() { return core::error(core::ErrorCode::Cancelled, "", "the report was cancelled"); }

/// A drawing's SVG, or nothing and a note saying why (the report then says it is missing).
std::string drawing(const models::Project& p, const std::string& id, const std::vector<std::string>& highlighted,
                    const std::string& prefix, std::vector<core::Diagnostic>& notes) {
  auto dot = toDot(p, id, highlighted);
  if (!dot) {
    notes.push_back(core::warning(id, "not drawn: " + dot.error().problem));
    return {};
  }
  auto svg = renderSvg(*dot, prefix);
  if (!svg) {
    notes.push_back(core::warning(id, "not drawn: " + svg.error().problem));
    return {};
  }
  return std::move(*svg);
}

/// The most probable listed cut set of a run, as variable names.
std::vector<std::string> likeliestCutSet(const models::TreeRun& run) {
  if (!run.result) return {};
  const std::vector<core::NodeId>* best = nullptr;
  double bestP = -1;
  for (const auto& set : run.result->cutSets.list) {
    double p = 1;
    for (core::NodeId v : set) p *= run.graph.probability(v).value_or(1.0);
    if (p > bestP) {
      bestP = p;
      best = &set;
    }
  }
  std::vector<std::string> names;
  if (best) {
    for (core::NodeId v : *best) names.push_back(run.graph.name(v));
  }
  return names;
}

// ---- CSV ------------------------------------------------------------------------------------

/// A text field: quoted when it holds a comma, quote or line break; a leading character that
/// makes a spreadsheet evaluate the cell gets an apostrophe first (OWASP: CSV injection).
std::string textField(const std::string& s) {
  std::string v = s;
  if (!v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos) v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// The shortest text that reads back as the same double.
std::string numberField(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string numberField(const std::optional<double>& v) { return v ? numberField(*v) : std::string(); }

std::string joined(const std::vector<std::string>& items, const char* separator = "; ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

class Csv {
 public:
  explicit Csv(std::initializer_list<const char*> header) {
    std::vector<std::string> h(header.begin(), header.end());
    row(h, false);
  }
  /// Every field is text unless the caller formatted it as a number.
  void row(const std::vector<std::string>& fields, bool guard = true) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) m_out += ',';
      m_out += guard ? textField(fields[i]) : fields[i];
    }
    m_out += "\r\n";
  }
  std::string text() const { return m_out; }

 private:
  std::string m_out;
};

std::string className(const models::RiskMatrix& m, const std::optional<std::size_t>& c) {
  return c ? m.classes[*c].id : std::string();
}

}  // namespace

core::Result<Report> buildReport(models::Project project, std::string file, std::string modelSha256,
                                 const ReportOptions& options) {
  Report r;
  r.project = std::move(project);
  r.file = std::move(file);
  r.modelSha256 = std::move(modelSha256);
  r.options = options;
  const models::Project& p = r.project;

  const auto problems = models::validate(p, r.file);
  if (!models::noErrors(problems)) {
    std::size_t errors = 0;
    const core::Diagnostic* first = nullptr;
    for (const auto& d : problems) {
      if (d.severity != core::Severity::Error) continue;
      if (!first) first = &d;
      ++errors;
    }
    return core::fail(core::error(core::ErrorCode::Malformed, first->place,
                                  "the model has " + std::to_string(errors) + " validation error" + (errors == 1 ? "" : "s") +
                                      " (first: " + first->problem + "); a report needs a valid model"));
  }
  for (const auto& d : problems) r.notes.push_back(d);

  const auto all = models::coverage(p);
  if (options.baselines.empty()) {
    r.coverage = all;
  } else {
    for (const auto& id : options.baselines) {
      const auto it = std::find_if(all.begin(), all.end(), [&](const auto& b) { return b.baseline == id; });
      if (it == all.end()) {
        std::vector<std::string> selected;
        for (const auto& b : all) selected.push_back(b.baseline);
        return core::fail(core::error(core::ErrorCode::Malformed, id,
                                      "the project does not select baseline \"" + id + "\" (it selects: " +
                                          (selected.empty() ? std::string("none") : joined(selected, ", ")) + ")"));
      }
    }
    for (const auto& b : all) {
      if (std::find(options.baselines.begin(), options.baselines.end(), b.baseline) != options.baselines.end()) {
        r.coverage.push_back(b);
      }
    }
  }

  models::ProjectAnalysisOptions analysisOptions;
  analysisOptions.timing = false;
  analysisOptions.cancel = options.cancel;
  r.analysis = models::analyse(p, r.file, analysisOptions);
  if (r.analysis.cancelled || stopped(options)) return core::fail(cancelledError());
  for (const auto& d : r.analysis.diagnostics) r.notes.push_back(d);
  r.gate = models::runGate(p, r.analysis, all, models::gateConfigOf(p));

  r.systemSvg = drawing(p, "system", {}, "system", r.notes);
  for (std::size_t i = 0; i < p.attackTrees.size(); ++i) {
    if (stopped(options)) return core::fail(cancelledError());
    AttackSection s;
    s.tree = p.attackTrees[i].id;
    models::AttackOptions ao;
    ao.maxScenarios = options.topScenarios;
    ao.scope = models::MitigationScope::None;
    if (auto a = models::analyseAttackTree(p, s.tree, ao)) s.before = std::move(*a);
    else s.notes.push_back(a.error());
    ao.scope = models::MitigationScope::InPlace;
    if (auto a = models::analyseAttackTree(p, s.tree, ao)) s.after = std::move(*a);
    else s.notes.push_back(a.error());
    if (auto plan = models::cheapestBlockingSet(p, s.tree)) s.plan = std::move(*plan);
    else s.notes.push_back(plan.error());
    std::vector<std::string> cheapest;
    if (s.after) {
      for (const auto& m : s.after->metrics) {
        if (m.metric == models::AttackMetric::Cost && m.value) cheapest = m.scenario;
      }
    }
    s.svg = drawing(p, s.tree, cheapest, "at" + std::to_string(i), s.notes);
    r.attacks.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < p.faultTrees.size(); ++i) {
    if (stopped(options)) return core::fail(cancelledError());
    FaultSection s;
    s.tree = p.faultTrees[i].id;
    std::vector<std::string> marked;
    for (const auto& f : r.analysis.faultTrees) {
      if (f.id == s.tree) marked = likeliestCutSet(f.after);
    }
    s.svg = drawing(p, s.tree, marked, "ft" + std::to_string(i), r.notes);
    r.faults.push_back(std::move(s));
  }
  return r;
}

std::vector<const std::string*> drawings(const Report& r) {
  std::vector<const std::string*> out{&r.systemSvg};
  for (const auto& a : r.attacks) out.push_back(&a.svg);
  for (const auto& f : r.faults) out.push_back(&f.svg);
  return out;
}

// ---- CSV tables -----------------------------------------------------------------------------

std::optional<std::string> csvTable(const Report& report, std::string_view table) {
  if (table == "threats") return threatsCsv(report);
  if (table == "mitigations") return mitigationsCsv(report);
  if (table == "hazards") return hazardsCsv(report);
  if (table == "requirements") return requirementsCsv(report);
  return std::nullopt;
}

std::string threatsCsv(const Report& r) {
  const models::Project& p = r.project;
  std::map<std::string, const models::ThreatRisk*> risk;
  for (const auto& t : r.analysis.threats) risk[t.id] = &t;
  Csv csv({"id", "title", "stride", "target", "status", "justification", "likelihood", "impact", "inherent_class",
           "residual_class", "residual_basis", "p_success_before", "p_success_after", "attack_tree", "mitigations", "capec",
           "cwe", "rule", "obsolete"});
  for (const auto& t : p.threats) {
    const models::ThreatRisk* tr = risk.count(t.id) ? risk[t.id] : nullptr;
    csv.row({t.id, t.title, std::string(models::nameOf(t.category)), t.target, std::string(models::nameOf(t.status)),
             t.justification, t.likelihood, t.impact, tr ? className(p.riskMatrix, tr->inherent.riskClass) : "",
             tr && tr->residual ? className(p.riskMatrix, tr->residual->riskClass) : (tr ? "none" : ""),
             tr ? tr->basis : "", tr ? numberField(tr->probabilityBefore) : "", tr ? numberField(tr->probabilityAfter) : "",
             t.attackTree, joined(t.mitigations), joined(t.capec), joined(t.cwe), t.rule, t.obsolete ? "true" : "false"});
  }
  return csv.text();
}

std::string mitigationsCsv(const Report& r) {
  const models::Project& p = r.project;
  Csv csv({"id", "title", "status", "in_place", "phase", "cost", "effects", "requirements", "threats", "hazards",
           "description"});
  for (const auto& m : p.mitigations) {
    std::vector<std::string> effects, requirements, threats, hazards;
    for (const auto& e : m.effects) {
      std::string what(models::nameOf(e.kind));
      what += " " + e.tree + "/" + e.element;
      if (e.kind == models::EffectKind::Lowers) what += " /" + numberField(e.factor);
      effects.push_back(what);
    }
    for (const auto& q : m.requirements) requirements.push_back(q.baseline + " " + q.requirement);
    for (const auto& t : p.threats) {
      if (std::find(t.mitigations.begin(), t.mitigations.end(), m.id) != t.mitigations.end()) threats.push_back(t.id);
    }
    for (const auto& h : p.hazards) {
      if (std::find(h.mitigations.begin(), h.mitigations.end(), m.id) != h.mitigations.end()) hazards.push_back(h.id);
    }
    csv.row({m.id, m.title, std::string(models::nameOf(m.status)), models::inPlace(m) ? "true" : "false",
             std::string(models::nameOf(m.phase)), numberField(m.cost), joined(effects), joined(requirements), joined(threats),
             joined(hazards), m.description});
  }
  return csv.text();
}

std::string hazardsCsv(const Report& r) {
  const models::Project& p = r.project;
  std::map<std::string, const models::HazardAnalysis*> byId;
  for (const auto& h : r.analysis.hazards) byId[h.id] = &h;
  Csv csv({"id", "hazard", "situation", "harm", "likelihood_before", "severity_before", "class_before", "likelihood_after",
           "severity_after", "class_after", "acceptable_after", "fault_tree", "p_top_before", "p_top_after",
           "computed_class_after", "mitigations"});
  for (const auto& h : p.hazards) {
    const models::HazardAnalysis* a = byId.count(h.id) ? byId[h.id] : nullptr;
    const auto after = a ? a->after.riskClass : std::nullopt;
    csv.row({h.id, h.title, h.situation, h.harm, h.before.likelihood, h.before.severity,
             a ? className(p.riskMatrix, a->before.riskClass) : "", h.after.likelihood, h.after.severity,
             className(p.riskMatrix, after), after ? (p.riskMatrix.classes[*after].acceptable ? "true" : "false") : "",
             h.faultTree, a ? numberField(a->probabilityBefore) : "", a ? numberField(a->probabilityAfter) : "",
             a && a->computedAfter ? className(p.riskMatrix, a->computedAfter->riskClass) : "", joined(h.mitigations)});
  }
  return csv.text();
}

std::string requirementsCsv(const Report& r) {
  const models::Project& p = r.project;
  std::map<std::string, const models::Mitigation*> mitigations;
  for (const auto& m : p.mitigations) mitigations[m.id] = &m;
  Csv csv({"baseline", "edition", "requirement", "title", "status", "state", "mitigations", "threats", "hazards",
           "justification"});
  for (const auto& b : r.coverage) {
    for (const auto& rc : b.requirements) {
      std::vector<std::string> ms;
      for (const auto& id : rc.mitigations) {
        const auto it = mitigations.find(id);
        ms.push_back(id + " (" + (it == mitigations.end() ? std::string("?") : std::string(models::nameOf(it->second->status))) +
                     ")");
      }
      csv.row({b.baseline, b.edition, rc.requirement->id, rc.requirement->title, rc.status,
               std::string(models::toString(rc.state)), joined(ms), joined(rc.threats), joined(rc.hazards), rc.justification});
    }
  }
  return csv.text();
}

}  // namespace thornwood::exporters
