#include "models/gate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/project_file.h"

namespace thornwood::models {

namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

template <class T>
std::string pointerOf(const std::vector<T>& items, const std::string& list, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return list + "/" + std::to_string(i);
  }
  return {};
}

GateCheck check(const char* rule, const char* name, std::string title) { return GateCheck{rule, name, std::move(title), true, true, {}}; }

void fail(GateCheck& c, std::string message, std::string pointer, FindingLevel level = FindingLevel::Error) {
  c.findings.push_back(GateFinding{c.rule, level, std::move(message), std::move(pointer), {}});
  if (level == FindingLevel::Error) c.passed = false;
}

GateCheck validationCheck() { return check("TW001", "validation", "the model passes validation"); }

}  // namespace

std::string_view toString(FindingLevel level) {
  switch (level) {
    case FindingLevel::Error: return "error";
    case FindingLevel::Warning: return "warning";
    case FindingLevel::Note: return "note";
  }
  return "error";
}

GateConfig gateConfigOf(const Project& p) {
  GateConfig c;
  c.openThreatClass = p.settings.gate.openThreatClass;
  c.failOnUnacceptableResidual = p.settings.gate.failOnUnacceptableResidual;
  c.maxTopProbability = p.settings.gate.maxTopProbability;
  return c;
}

core::Result<GateConfig> parseGateConfig(std::string_view text, const std::string& file, GateConfig c) {
  auto parsed = parseJson(text, file);
  if (!parsed) return core::fail(parsed.error());
  const Json& j = *parsed;
  auto bad = [&](const std::string& place, const std::string& problem) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, place, problem);
    d.file = file;
    return core::fail(d);
  };
  if (!j.is_object()) return bad("", "a check configuration is a JSON object");
  for (const auto& [key, value] : j.items()) {
    const std::string at = "/" + key;
    if (key == "open_threat_class") {
      if (!value.is_string()) return bad(at, "expected a risk class id");
      c.openThreatClass = value.get<std::string>();
    } else if (key == "fail_on_unacceptable_residual") {
      if (!value.is_boolean()) return bad(at, "expected true or false");
      c.failOnUnacceptableResidual = value.get<bool>();
    } else if (key == "max_top_probability") {
      if (value.is_null()) {
        c.maxTopProbability.reset();
      } else if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1)) {
        return bad(at, "expected a probability in [0, 1], or null");
      } else {
        c.maxTopProbability = value.get<double>();
      }
    } else if (key == "min_coverage") {
      if (!value.is_object()) return bad(at, "expected {\"baseline id\": least share met}");
      for (const auto& [baseline, share] : value.items()) {
        if (!findCatalogue(baseline)) return bad(at + "/" + baseline, "unknown baseline " + quoted(baseline));
        if (!share.is_number() || !(share.get<double>() >= 0 && share.get<double>() <= 1)) {
          return bad(at + "/" + baseline, "expected a share in [0, 1]");
        }
        c.minCoverage[baseline] = share.get<double>();
      }
    } else {
      return bad(at, "unknown key " + quoted(key) +
                         " (known: open_threat_class, fail_on_unacceptable_residual, max_top_probability, min_coverage)");
    }
  }
  return c;
}

bool GateResult::passed() const {
  return std::all_of(checks.begin(), checks.end(), [](const GateCheck& c) { return c.passed; });
}

GateResult runGate(const Project& p, const ProjectAnalysis& a, const std::vector<BaselineCoverage>& coverage,
                   const GateConfig& config) {
  GateResult out;
  const RiskMatrix& m = p.riskMatrix;

  GateCheck validation = validationCheck();
  for (const core::Diagnostic& d : a.diagnostics) {
    if (d.severity == core::Severity::Error) fail(validation, d.problem, d.place);  // limits reached, and the like
  }
  out.checks.push_back(std::move(validation));

  GateCheck threats = check("TW002", "open-threats", "no open threat at or above risk class " + quoted(config.openThreatClass));
  const auto threshold = m.classIndex(config.openThreatClass);
  if (config.openThreatClass.empty()) {
    threats.run = false;
    threats.title = "open threats (no risk class set: not checked)";
  } else if (!threshold) {
    fail(threats, "unknown risk class " + quoted(config.openThreatClass) + " in the gate's threshold", "/settings/gate/open_threat_class");
  } else {
    for (const ThreatRisk& r : a.threats) {
      const Threat* t = nullptr;
      for (const Threat& candidate : p.threats) {
        if (candidate.id == r.id) t = &candidate;
      }
      if (!t || t->status != ThreatStatus::Open || !r.residual || !r.residual->riskClass) continue;
      if (*r.residual->riskClass < *threshold) continue;
      fail(threats,
           "open threat " + quoted(t->id) + " (" + t->title + ") on " + t->target + " is " + m.classes[*r.residual->riskClass].id +
               " (" + r.residual->likelihood + " x " + r.residual->severity + "): mitigate, accept or transfer it with a justification",
           pointerOf(p.threats, "/threats", t->id));
    }
  }
  out.checks.push_back(std::move(threats));

  GateCheck hazards = check("TW003", "residual-risk", "every hazard's residual risk is acceptable");
  if (!config.failOnUnacceptableResidual) {
    hazards.run = false;
    hazards.title = "residual risk of hazards (not checked)";
  } else {
    for (const HazardAnalysis& h : a.hazards) {
      const std::string at = pointerOf(p.hazards, "/hazards", h.id);
      if (h.after.riskClass && !m.classes[*h.after.riskClass].acceptable) {
        fail(hazards, "hazard " + quoted(h.id) + ": residual risk " + m.classes[*h.after.riskClass].id + " (" + h.after.likelihood +
                          " x " + h.after.severity + ") is not acceptable",
             at);
      } else if (h.computedAfter && h.computedAfter->riskClass && !m.classes[*h.computedAfter->riskClass].acceptable) {
        fail(hazards, "hazard " + quoted(h.id) + ": its fault tree's probability with the mitigations in place (" +
                          number(h.probabilityAfter.value_or(0)) + ") makes the residual risk " +
                          m.classes[*h.computedAfter->riskClass].id + ", not acceptable",
             at);
      }
    }
  }
  out.checks.push_back(std::move(hazards));

  GateCheck top = check("TW004", "top-probability",
                        config.maxTopProbability ? "every top event's probability is at most " + number(*config.maxTopProbability)
                                                 : "top events (no probability set: not checked)");
  top.run = config.maxTopProbability.has_value();
  if (config.maxTopProbability) {
    for (const FaultTreeAnalysis& f : a.faultTrees) {
      if (!f.after.result || !f.after.result->probability) continue;
      const double pTop = *f.after.result->probability;
      if (pTop > *config.maxTopProbability) {
        fail(top, "fault tree " + quoted(f.id) + ": P(" + f.top + ") = " + number(pTop) + " with the mitigations in place, above " +
                      number(*config.maxTopProbability),
             pointerOf(p.faultTrees, "/fault_trees", f.id));
      }
    }
  }
  out.checks.push_back(std::move(top));

  GateCheck cov = check("TW005", "coverage", "each selected baseline's coverage is at least its configured share");
  cov.run = !config.minCoverage.empty();
  if (!cov.run) cov.title = "baseline coverage (no share set: not checked)";
  for (const auto& [baseline, share] : config.minCoverage) {
    const auto it = std::find_if(coverage.begin(), coverage.end(), [&](const BaselineCoverage& b) { return b.baseline == baseline; });
    std::string at;
    for (std::size_t i = 0; i < p.compliance.baselines.size(); ++i) {
      if (p.compliance.baselines[i].baseline == baseline) at = "/compliance/baselines/" + std::to_string(i);
    }
    if (it == coverage.end()) {
      fail(cov, "baseline " + quoted(baseline) + " has a required share but the project does not select it", "/compliance");
      continue;
    }
    if (it->share() + 1e-12 < share) {
      fail(cov, baseline + (it->edition.empty() ? "" : " " + it->edition) + ": " + std::to_string(it->met) + " of " +
                    std::to_string(it->met + it->planned + it->gaps) + " applicable requirements met (" + number(it->share() * 100) +
                    "%), below " + number(share * 100) + "%; " + std::to_string(it->gaps) + " gaps, " + std::to_string(it->planned) +
                    " only planned",
           at);
    }
  }
  out.checks.push_back(std::move(cov));
  return out;
}

GateResult failedToLoad(const std::vector<core::Diagnostic>& problems) {
  GateResult out;
  GateCheck validation = validationCheck();
  for (const core::Diagnostic& d : problems) {
    const bool pointer = !d.place.empty() && d.place.front() == '/';
    GateFinding f{validation.rule, d.severity == core::Severity::Error ? FindingLevel::Error : FindingLevel::Warning, d.problem,
                  pointer ? d.place : std::string(), pointer ? std::string() : d.place};
    if (f.level == FindingLevel::Error) validation.passed = false;
    validation.findings.push_back(std::move(f));
  }
  if (problems.empty()) validation.passed = false;
  out.checks.push_back(std::move(validation));
  for (const auto& [rule, name] : std::vector<std::pair<const char*, const char*>>{
           {"TW002", "open-threats"}, {"TW003", "residual-risk"}, {"TW004", "top-probability"}, {"TW005", "coverage"}}) {
    out.checks.push_back(GateCheck{rule, name, std::string(name) + " (not run: the model did not load)", false, true, {}});
  }
  return out;
}

}  // namespace thornwood::models
