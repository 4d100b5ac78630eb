// The report as HTML (exporters/report.h): one self-contained page for browsers, or the
// subset QTextDocument lays out for the PDF. Every user string goes through esc().
#include "exporters/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "exporters/detail/markup.h"
#include "exporters/detail/numbers.h"
#include "models/names.h"

namespace thornwood::exporters {

namespace {

using detail::number;

std::string esc(std::string_view s) { return detail::escapeMarkup(s); }

template <class E>
std::string spelt(E value) {
  return detail::spaced(models::nameOf(value));
}

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", std::floor(share * 100 + 1e-9));
  return buf;
}

/// Light background colours for risk classes, green (lowest) to red (highest).
std::string classColour(std::size_t index, std::size_t count) {
  static const char* const palette[] = {"#d8eed3", "#eef3c6", "#fde9b8", "#fcd2b0", "#f6b8b5"};
  if (count <= 1) return palette[0];
  const double t = static_cast<double>(index) / static_cast<double>(count - 1);
  return palette[static_cast<std::size_t>(std::lround(t * 4))];
}

const char* stateColour(models::RequirementState s) {
  switch (s) {
    case models::RequirementState::Met: return "#2e7d32";
    case models::RequirementState::Planned: return "#a15c00";
    case models::RequirementState::Gap: return "#c62828";
    case models::RequirementState::NotApplicable: return "#6b7280";
  }
  return "#6b7280";
}

const char* mitigationColour(models::MitigationStatus s) {
  switch (s) {
    case models::MitigationStatus::Proposed: return "#6b7280";
    case models::MitigationStatus::Planned: return "#a15c00";
    case models::MitigationStatus::Implemented: return "#2e7d32";
    case models::MitigationStatus::Verified: return "#1b5e20";
  }
  return "#6b7280";
}

const char* threatColour(models::ThreatStatus s) {
  switch (s) {
    case models::ThreatStatus::Open: return "#c62828";
    case models::ThreatStatus::Mitigated: return "#2e7d32";
    case models::ThreatStatus::Accepted: return "#a15c00";
    case models::ThreatStatus::Transferred: return "#37474f";
    case models::ThreatStatus::NotApplicable: return "#6b7280";
  }
  return "#6b7280";
}

const char* kBrowserCss = R"(
:root { --ink: #1d2329; --muted: #5f6b76; --line: #d5dbe1; --head: #eef2f5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; background: white; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 26px 0 8px; }
p { margin: 6px 0; }
.muted, .note { color: var(--muted); }
.small { font-size: 0.86em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.93em; }
td { overflow-wrap: anywhere; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id, span.id { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; overflow-wrap: anywhere; }
table.facts { width: auto; min-width: 50%; }
table.facts th { width: 16em; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 0.86em; color: white; white-space: nowrap; }
.risk { display: inline-block; padding: 0 6px; border-radius: 3px; white-space: nowrap; }
figure { margin: 12px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: 0.86em; color: var(--muted); margin-top: 6px; }
nav.toc ol { columns: 2; margin: 8px 0; }
nav.toc li { margin: 2px 0; }
a { color: #1f5fa8; text-decoration: none; }
.matrix td { text-align: center; min-width: 6em; }
.matrix th.axis { background: white; border: none; font-weight: normal; color: var(--muted); }
.pair { display: flex; gap: 24px; flex-wrap: wrap; }
.pair > div { flex: 1 1 420px; }
.phases { display: grid; grid-template-columns: repeat(2, 1fr); gap: 8px 24px; }
.pass { color: #2e7d32; font-weight: 600; }
.fail { color: #c62828; font-weight: 600; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  nav.toc { break-after: page; }
  tr, figure, .matrix { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
}
)";

const char* kQtCss = R"(
body { font-family: "DejaVu Sans"; font-size: 9pt; color: #1d2329; }
h1 { font-size: 20pt; margin-bottom: 2pt; }
h2 { font-size: 15pt; margin-top: 6pt; margin-bottom: 6pt; }
h3 { font-size: 11.5pt; margin-top: 14pt; margin-bottom: 4pt; }
p { margin-top: 3pt; margin-bottom: 3pt; }
table { border-collapse: collapse; border-color: #c3cbd3; margin-top: 4pt; margin-bottom: 10pt; }
th { background-color: #eef2f5; font-weight: bold; text-align: left; }
td.num, th.num { text-align: right; }
.muted { color: #5f6b76; }
.note { color: #5f6b76; }
.small { font-size: 7.5pt; }
.id { font-family: "DejaVu Sans Mono"; font-size: 7.5pt; }
.pass { color: #2e7d32; font-weight: bold; }
.fail { color: #c62828; font-weight: bold; }
.caption { color: #5f6b76; font-size: 7.5pt; }
a { color: #1f5fa8; text-decoration: none; }
)";

struct TocEntry {
  std::string anchor;
  std::string title;
  int level = 1;
};

class Writer {
 public:
  Writer(const Report& r, HtmlFlavour f) : m_r(r), m_p(r.project), m_f(f) {
    for (const auto& c : m_p.system.components) m_names[c.id] = c.name.empty() ? c.id : c.name;
    for (const auto& f2 : m_p.system.flows) m_names[f2.id] = f2.name.empty() ? f2.id : f2.name;
    for (const auto& z : m_p.system.zones) m_names[z.id] = z.name.empty() ? z.id : z.name;
    for (const auto& m : m_p.mitigations) m_mitigations[m.id] = &m;
    for (const auto& t : m_r.analysis.threats) m_threatRisk[t.id] = &t;
    for (const auto& h : m_r.analysis.hazards) m_hazardRisk[h.id] = &h;
  }

  std::string write() {
    std::ostringstream body;
    m_out = &body;
    summary();
    systemSection();
    threatsSection();
    attackSection();
    faultSection();
    hazardSection();
    resilienceSection();
    complianceSection();
    appendix();
    std::ostringstream page;
    page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"generator\" content=\"Thornwood " << THORNWOOD_VERSION << "\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << esc(title()) << " \u2014 Thornwood report</title>\n<style>"
         << (m_f == HtmlFlavour::Browser ? kBrowserCss : kQtCss) << "</style>\n</head>\n<body>\n";
    page << titleBlock() << toc() << body.str() << "</body>\n</html>\n";
    return page.str();
  }

 private:
  bool qt() const { return m_f == HtmlFlavour::Qt; }
  std::ostream& out() { return *m_out; }
  std::string title() const { return m_p.name.empty() ? std::string("Untitled project") : m_p.name; }

  std::string nameOf(const std::string& id) const {
    const auto it = m_names.find(id);
    return it == m_names.end() ? id : it->second;
  }

  // ---- building blocks ----------------------------------------------------------------------

  std::string table(const char* cls = "") const {
    std::string t = "<table";
    if (*cls) t += std::string(" class=\"") + cls + "\"";
    if (qt()) t += std::string(" border=\"1\" cellspacing=\"0\" cellpadding=\"3\"") + (std::string_view(cls) == "facts" ? "" : " width=\"100%\"");
    return t + ">";
  }

  void heading(int level, const std::string& anchor, const std::string& text) {
    m_toc.push_back({anchor, text, level});
    const std::string tag = level == 1 ? "h2" : "h3";
    const std::string style = qt() && level == 1 ? " style=\"page-break-before: always\"" : "";
    out() << "<" << tag << " id=\"" << anchor << "\"" << style << "><a name=\"" << anchor << "\"></a>" << esc(text) << "</" << tag
          << ">\n";
  }

  std::string badge(const std::string& text, const char* colour) const {
    if (qt()) {
      return "<span style=\"background-color: " + std::string(colour) + "; color: white\">&nbsp;" + esc(text) + "&nbsp;</span>";
    }
    return "<span class=\"badge\" style=\"background: " + std::string(colour) + "\">" + esc(text) + "</span>";
  }

  std::string riskCell(const models::RiskCell& c) const {
    if (!c.riskClass) return "<span class=\"muted\">not rated</span>";
    const auto& m = m_p.riskMatrix;
    const auto& cls = m.classes[*c.riskClass];
    std::string out = "<span class=\"risk\" style=\"background-color: " + classColour(*c.riskClass, m.classes.size()) + "\">" +
                      esc(cls.name.empty() ? cls.id : cls.name) + "</span>";
    return out + " <span class=\"small muted\">" + esc(levelName(c.likelihood, true)) + " \u00b7 " +
           esc(levelName(c.severity, false)) + "</span>";
  }

  std::string levelName(const std::string& id, bool likelihood) const {
    const auto& m = m_p.riskMatrix;
    if (likelihood) {
      for (const auto& l : m.likelihoods) {
        if (l.id == id) return l.name.empty() ? l.id : l.name;
      }
    } else {
      for (const auto& s : m.severities) {
        if (s.id == id) return s.name.empty() ? s.id : s.name;
      }
    }
    return id;
  }

  std::string mitigationRef(const std::string& id) const {
    const auto it = m_mitigations.find(id);
    if (it == m_mitigations.end()) return "<span class=\"id\">" + esc(id) + "</span>";
    const models::Mitigation& m = *it->second;
    return esc(m.title.empty() ? m.id : m.title) + " " + badge(spelt(m.status), mitigationColour(m.status));
  }

  std::string list(const std::vector<std::string>& items, const std::string& none = "\u2014") const {
    if (items.empty()) return none;
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

  std::string idList(const std::vector<std::string>& ids) const {
    std::vector<std::string> items;
    for (const auto& id : ids) items.push_back("<span class=\"id\">" + esc(id) + "</span>");
    return list(items);
  }

  void figure(const std::string& svg, std::size_t index, const std::string& caption) {
    if (svg.empty()) {
      out() << "<p class=\"note\">The drawing could not be made (see the appendix's notes).</p>\n";
      return;
    }
    if (qt()) {
      out() << "<p align=\"center\"><img src=\"diagram:" << index << "\"></p>\n<p class=\"caption\">" << esc(caption) << "</p>\n";
      return;
    }
    out() << "<figure>\n" << svg << "<figcaption>" << esc(caption) << "</figcaption>\n</figure>\n";
  }

  // ---- title and contents -------------------------------------------------------------------

  std::string titleBlock() const {
    std::ostringstream t;
    t << "<h1>" << esc(title()) << "</h1>\n<p class=\"muted\">Threat, safety and compliance report, made by Thornwood "
      << THORNWOOD_VERSION << "</p>\n";
    if (!m_p.description.empty()) t << "<p>" << esc(m_p.description) << "</p>\n";
    t << table("facts") << "\n<tr><th>Model file</th><td class=\"id\">" << esc(m_r.file) << "</td></tr>\n";
    if (!m_r.modelSha256.empty()) t << "<tr><th>SHA-256 of the model file</th><td class=\"id\">" << esc(m_r.modelSha256) << "</td></tr>\n";
    if (!m_r.options.generatedAt.empty()) t << "<tr><th>Generated</th><td>" << esc(m_r.options.generatedAt) << "</td></tr>\n";
    t << "</table>\n";
    return t.str();
  }

  std::string toc() const {
    std::ostringstream t;
    if (qt()) {
      t << "<h2>Contents</h2>\n<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"font-size: 8pt\">\n";
      for (const auto& e : m_toc) {
        t << "<tr><td>" << (e.level == 2 ? "&nbsp;&nbsp;&nbsp;&nbsp;" : "<b>") << "<a href=\"#" << e.anchor << "\">" << esc(e.title)
          << "</a>" << (e.level == 2 ? "" : "</b>") << "</td><td align=\"right\">" << kPageMarker << e.anchor << kEndMarker
          << "</td></tr>\n";
      }
      t << "</table>\n";
      return t.str();
    }
    t << "<nav class=\"toc\"><h2 style=\"border: none; break-before: auto; page-break-before: auto\">Contents</h2>\n<ol>\n";
    bool open = false;
    for (const auto& e : m_toc) {
      if (e.level == 1) {
        if (open) t << "</ul></li>\n";
        t << "<li><a href=\"#" << e.anchor << "\">" << esc(e.title) << "</a>";
        t << "<ul class=\"small\">";
        open = true;
      } else {
        t << "<li><a href=\"#" << e.anchor << "\">" << esc(e.title) << "</a></li>";
      }
    }
    if (open) t << "</ul></li>\n";
    t << "</ol></nav>\n";
    std::string s = t.str();
    // Sections without subsections leave an empty list behind.
    for (std::size_t at; (at = s.find("<ul class=\"small\"></ul>")) != std::string::npos;) s.erase(at, 23);
    return s;
  }

  // ---- 1 summary ------------------------------------------------------------------------------

  void summary() {
    heading(1, "summary", "1 Summary");
    const auto& sys = m_p.system;
    std::map<models::ThreatStatus, std::size_t> byStatus;
    std::size_t obsolete = 0;
    for (const auto& t : m_p.threats) {
      if (t.obsolete) ++obsolete;
      else ++byStatus[t.status];
    }
    std::map<models::MitigationStatus, std::size_t> mitigationsBy;
    double costInPlace = 0, costToDo = 0;
    for (const auto& m : m_p.mitigations) {
      ++mitigationsBy[m.status];
      (models::inPlace(m) ? costInPlace : costToDo) += m.cost;
    }
    out() << table("facts") << "\n";
    out() << "<tr><th>System</th><td>" << sys.components.size() << " components, " << sys.flows.size() << " data flows, "
          << sys.zones.size() << " trust zones</td></tr>\n";
    out() << "<tr><th>Threats</th><td>" << (m_p.threats.size() - obsolete) << ": ";
    bool first = true;
    for (const auto s : {models::ThreatStatus::Open, models::ThreatStatus::Mitigated, models::ThreatStatus::Accepted,
                         models::ThreatStatus::Transferred, models::ThreatStatus::NotApplicable}) {
      if (!byStatus[s]) continue;
      out() << (first ? "" : ", ") << byStatus[s] << " " << spelt(s);
      first = false;
    }
    if (obsolete) out() << " (and " << obsolete << " obsolete)";
    out() << "</td></tr>\n";
    // Residual risk of the threats, by class.
    const auto& m = m_p.riskMatrix;
    std::vector<std::size_t> residual(m.classes.size(), 0);
    std::size_t none = 0;
    for (const auto& t : m_r.analysis.threats) {
      if (t.residual && t.residual->riskClass) ++residual[*t.residual->riskClass];
      else if (!t.residual) ++none;
    }
    out() << "<tr><th>Residual risk of the threats</th><td>";
    for (std::size_t k = m.classes.size(); k-- > 0;) {
      if (!residual[k]) continue;
      out() << "<span class=\"risk\" style=\"background-color: " << classColour(k, m.classes.size()) << "\">"
            << residual[k] << " " << esc(m.classes[k].name.empty() ? m.classes[k].id : m.classes[k].name) << "</span> ";
    }
    out() << none << " with none left</td></tr>\n";
    out() << "<tr><th>Mitigations</th><td>" << m_p.mitigations.size() << ": " << mitigationsBy[models::MitigationStatus::Verified]
          << " verified, " << mitigationsBy[models::MitigationStatus::Implemented] << " implemented, "
          << mitigationsBy[models::MitigationStatus::Planned] << " planned, " << mitigationsBy[models::MitigationStatus::Proposed]
          << " proposed; cost in place " << number(costInPlace) << ", still to do " << number(costToDo) << "</td></tr>\n";
    for (const auto& a : m_r.attacks) {
      out() << "<tr><th>Attack: " << esc(treeName(a.tree)) << "</th><td>" << attackLine(a) << "</td></tr>\n";
    }
    for (const auto& f : m_r.analysis.faultTrees) {
      out() << "<tr><th>Fault tree: " << esc(treeName(f.id)) << "</th><td>P(top) " << probability(f.before) << " with no mitigation, "
            << probability(f.after) << " with the mitigations in place</td></tr>\n";
    }
    std::vector<std::string> unacceptable, computed;
    for (const auto& h : m_r.analysis.hazards) {
      if (h.after.riskClass && !m.classes[*h.after.riskClass].acceptable) unacceptable.push_back(h.id);
      else if (h.computedAfter && h.computedAfter->riskClass && !m.classes[*h.computedAfter->riskClass].acceptable) {
        computed.push_back(h.id);
      }
    }
    out() << "<tr><th>Hazards</th><td>" << m_p.hazards.size() << "; residual risk not acceptable as rated: "
          << (unacceptable.empty() ? std::string("none") : idList(unacceptable));
    if (!computed.empty()) out() << "; acceptable as rated but not as its fault tree's probability implies: " << idList(computed);
    out() << "</td></tr>\n";
    for (const auto& b : m_r.coverage) {
      out() << "<tr><th>" << esc(b.title) << (b.edition.empty() ? "" : " " + esc(b.edition)) << "</th><td>" << percent(b.share())
            << " of the applicable requirements met (" << b.met << " met, " << b.planned << " planned, " << b.gaps << " gaps, "
            << b.notApplicable << " not applicable)</td></tr>\n";
    }
    out() << "<tr><th>CI gate (project thresholds)</th><td>"
          << (m_r.gate.passed() ? "<span class=\"pass\">passes</span>" : "<span class=\"fail\">fails</span>");
    std::vector<std::string> failed;
    for (const auto& c : m_r.gate.checks) {
      if (c.run && !c.passed) failed.push_back(esc(c.title) + " (" + std::to_string(c.findings.size()) + ")");
    }
    if (!failed.empty()) out() << ": " << list(failed);
    out() << "</td></tr>\n</table>\n";
  }

  std::string treeName(const std::string& id) const {
    for (const auto& t : m_p.attackTrees) {
      if (t.id == id) return t.name.empty() ? t.id : t.name;
    }
    for (const auto& t : m_p.faultTrees) {
      if (t.id == id) return t.name.empty() ? t.id : t.name;
    }
    return id;
  }

  static std::string probability(const models::TreeRun& run) {
    if (!run.result) return "not computed (a limit stopped the analysis)";
    return optional(run.result->probability);
  }

  static std::string optional(const std::optional<double>& v) { return v ? number(*v) : std::string("\u2014"); }

  static const models::MetricResult* metric(const std::optional<models::AttackAnalysis>& a, models::AttackMetric which) {
    if (!a) return nullptr;
    for (const auto& m : a->metrics) {
      if (m.metric == which) return &m;
    }
    return nullptr;
  }

  std::string attackLine(const AttackSection& a) const {
    const auto* before = metric(a.before, models::AttackMetric::Cost);
    const auto* after = metric(a.after, models::AttackMetric::Cost);
    std::ostringstream s;
    if (a.after && a.after->scenarioCount == 0) {
      s << "every scenario blocked by the mitigations in place";
    } else {
      s << "least cost " << (before && before->value ? number(*before->value) : std::string("\u2014")) << " with no mitigation, "
        << (after && after->value ? number(*after->value) : std::string("\u2014")) << " with the mitigations in place";
    }
    if (a.plan && a.plan->cost) s << "; every scenario blocked by mitigations costing " << number(*a.plan->cost);
    return s.str();
  }

  // ---- 2 system ---------------------------------------------------------------------------------

  void systemSection() {
    heading(1, "system", "2 System");
    const auto& sys = m_p.system;
    figure(m_r.systemSvg, 0,
           "Figure 1. The system: components in their trust zones (a solid border marks a firewall at the zone's boundary) "
           "and the data flows between them; dashed red arrows are flows that are not encrypted.");
    std::map<std::string, std::string> zoneOf;
    for (const auto& z : sys.zones) {
      for (const auto& mbr : z.members) zoneOf.emplace(mbr, z.name.empty() ? z.id : z.name);
    }
    heading(2, "components", "Components");
    out() << table() << "\n<thead><tr><th>Component</th><th>Kind</th><th>Trust zone</th><th>Security properties</th></tr></thead>\n";
    for (const auto& c : sys.components) {
      const auto& pr = c.properties;
      std::vector<std::string> facts;
      if (pr.authenticatesBeforeSending) facts.push_back("authenticates before sending");
      if (pr.updateMechanism != models::UpdateMechanism::None) {
        facts.push_back("updates " + spelt(pr.updateMechanism) + (pr.updatesAuthenticated ? ", signed and checked" : ", not authenticated"));
      }
      if (pr.secureBoot) facts.push_back("secure boot");
      if (pr.defaultCredentials) facts.push_back("<b>default credentials</b>");
      if (pr.debugPortExposed) facts.push_back("<b>debug port exposed</b>");
      if (pr.tamperDetection) facts.push_back("tamper detection");
      if (pr.physicalExposure != models::PhysicalExposure::None) facts.push_back("physically " + spelt(pr.physicalExposure));
      if (pr.wireless != models::WirelessLink::None) facts.push_back(spelt(pr.wireless));
      if (pr.storesPersonalData) facts.push_back("stores personal data");
      if (pr.logs) facts.push_back(pr.logsIntegrityProtected ? "integrity-protected logs" : "logs");
      if (!pr.redundancyGroup.empty()) facts.push_back("redundancy group " + esc(pr.redundancyGroup));
      const auto z = zoneOf.find(c.id);
      out() << "<tr><td>" << esc(c.name.empty() ? c.id : c.name) << "<br><span class=\"id small\">" << esc(c.id)
            << "</span></td><td>" << spelt(c.kind) << "</td><td>" << (z == zoneOf.end() ? "\u2014" : esc(z->second)) << "</td><td>"
            << list(facts) << "</td></tr>\n";
    }
    out() << "</table>\n";
    heading(2, "flows", "Data flows");
    out() << table() << "\n<thead><tr><th>Flow</th><th>From \u2192 to</th><th>Protocol</th><th>Data</th><th>Protection</th></tr></thead>\n";
    for (const auto& f : sys.flows) {
      std::vector<std::string> protection;
      protection.push_back(f.encrypted ? "encrypted" : "<b>not encrypted</b>");
      protection.push_back(f.authenticated ? "authenticated" : "not authenticated");
      if (f.integrityProtected) protection.push_back("integrity-protected");
      if (f.rateLimited) protection.push_back("rate-limited");
      out() << "<tr><td>" << esc(f.name.empty() ? f.id : f.name) << "<br><span class=\"id small\">" << esc(f.id) << "</span></td><td>"
            << esc(nameOf(f.source)) << " \u2192 " << esc(nameOf(f.target)) << "</td><td>" << esc(f.protocol) << "</td><td>"
            << spelt(f.classification) << "</td><td>" << list(protection) << "</td></tr>\n";
    }
    out() << "</table>\n";
    heading(2, "zones", "Trust zones");
    out() << table() << "\n<thead><tr><th>Zone</th><th class=\"num\">Trust</th><th>Inside</th><th>Boundary</th><th class=\"num\">Members</th></tr></thead>\n";
    for (const auto& z : sys.zones) {
      std::vector<std::string> boundary;
      if (z.firewall) boundary.push_back("firewall");
      if (z.filtering) boundary.push_back("filtering");
      out() << "<tr><td>" << esc(z.name.empty() ? z.id : z.name) << "</td><td class=\"num\">" << z.trust << "</td><td>"
            << (z.parent.empty() ? "\u2014" : esc(nameOf(z.parent))) << "</td><td>" << list(boundary, "open") << "</td><td class=\"num\">"
            << z.members.size() << "</td></tr>\n";
    }
    out() << "</table>\n";
  }

  // ---- 3 threats --------------------------------------------------------------------------------

  void threatsSection() {
    heading(1, "threats", "3 Threats");
    out() << "<p>Each threat's inherent risk is its stated likelihood and impact; its residual risk is what is left with the "
             "mitigations in place (from its attack tree where it has one, otherwise from its status).</p>\n";
    // STRIDE x status.
    const std::vector<models::ThreatStatus> statuses{models::ThreatStatus::Open, models::ThreatStatus::Mitigated,
                                                     models::ThreatStatus::Accepted, models::ThreatStatus::Transferred,
                                                     models::ThreatStatus::NotApplicable};
    out() << table() << "\n<thead><tr><th>STRIDE category</th>";
    for (const auto s : statuses) out() << "<th class=\"num\">" << spelt(s) << "</th>";
    out() << "<th class=\"num\">total</th></tr></thead>\n";
    for (std::size_t c = 0; c < models::Names<models::Stride>::values.size(); ++c) {
      const auto cat = static_cast<models::Stride>(c);
      std::size_t total = 0;
      std::vector<std::size_t> counts;
      for (const auto s : statuses) {
        const auto n = static_cast<std::size_t>(std::count_if(m_p.threats.begin(), m_p.threats.end(), [&](const auto& t) {
          return !t.obsolete && t.category == cat && t.status == s;
        }));
        counts.push_back(n);
        total += n;
      }
      out() << "<tr><td>" << spelt(cat) << "</td>";
      for (auto n : counts) out() << "<td class=\"num\">" << n << "</td>";
      out() << "<td class=\"num\"><b>" << total << "</b></td></tr>\n";
    }
    out() << "</table>\n";

    // By element, in the order of the system.
    std::vector<std::string> targets;
    for (const auto& c : m_p.system.components) targets.push_back(c.id);
    for (const auto& f : m_p.system.flows) targets.push_back(f.id);
    for (const auto& z : m_p.system.zones) targets.push_back(z.id);
    std::set<std::string> known(targets.begin(), targets.end());
    for (const auto& t : m_p.threats) {
      if (!known.count(t.target)) {
        known.insert(t.target);
        targets.push_back(t.target);
      }
    }
    for (const auto& target : targets) {
      std::vector<const models::Threat*> ts;
      for (const auto& t : m_p.threats) {
        if (t.target == target && !t.obsolete) ts.push_back(&t);
      }
      if (ts.empty()) continue;
      heading(2, "threats-" + anchorOf(target), nameOf(target));
      threatTable(ts);
    }
    std::vector<const models::Threat*> obsolete;
    for (const auto& t : m_p.threats) {
      if (t.obsolete) obsolete.push_back(&t);
    }
    if (!obsolete.empty()) {
      heading(2, "threats-obsolete", "Obsolete threats");
      out() << "<p>Their rule no longer applies to the design; they are kept, as found, for the record.</p>\n";
      threatTable(obsolete);
    }
  }

  /// Ids are [A-Za-z0-9_-] in valid models; anything else is replaced, so anchors are safe.
  static std::string anchorOf(const std::string& id) {
    std::string a;
    for (const char c : id) a += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return a;
  }

  void threatTable(const std::vector<const models::Threat*>& ts) {
    out() << table() << "\n<thead><tr><th>Threat</th><th>STRIDE</th><th>Status</th><th>Inherent risk</th><th>Residual risk</th>"
          << "<th>Mitigations</th></tr></thead>\n";
    for (const models::Threat* t : ts) {
      const models::ThreatRisk* risk = m_threatRisk.count(t->id) ? m_threatRisk.at(t->id) : nullptr;
      std::vector<std::string> ms;
      for (const auto& id : t->mitigations) ms.push_back(mitigationRef(id));
      out() << "<tr><td>" << esc(t->title.empty() ? t->id : t->title) << "<br><span class=\"id small\">" << esc(t->id) << "</span>";
      if (!t->justification.empty()) out() << "<br><span class=\"small\"><i>" << esc(t->justification) << "</i></span>";
      std::vector<std::string> refs;
      for (const auto& c : t->capec) refs.push_back(esc(c));
      for (const auto& c : t->cwe) refs.push_back(esc(c));
      if (!refs.empty()) out() << "<br><span class=\"small muted\">" << list(refs) << "</span>";
      out() << "</td><td>" << spelt(t->category) << "</td><td>" << badge(spelt(t->status), threatColour(t->status)) << "</td><td>"
            << (risk ? riskCell(risk->inherent) : "\u2014") << "</td><td>"
            << (risk ? (risk->residual ? riskCell(*risk->residual) : std::string("none left")) : "\u2014");
      if (risk && risk->basis == "attack tree" && risk->probabilityBefore && risk->probabilityAfter) {
        out() << "<br><span class=\"small muted\">attack success " << number(*risk->probabilityBefore) << " \u2192 "
              << number(*risk->probabilityAfter) << "</span>";
      }
      out() << "</td><td>" << list(ms) << "</td></tr>\n";
    }
    out() << "</table>\n";
  }

  // ---- 4 attack trees ---------------------------------------------------------------------------

  /// The name of an attack step: "node" of `tree`, or "tree/node" of an embedded tree.
  std::string leafName(const std::string& leaf, const std::string& tree) const {
    const auto slash = leaf.find('/');
    const std::string treeId = slash == std::string::npos ? tree : leaf.substr(0, slash);
    const std::string node = slash == std::string::npos ? leaf : leaf.substr(slash + 1);
    for (const auto& t : m_p.attackTrees) {
      if (t.id != treeId) continue;
      for (const auto& n : t.nodes) {
        if (n.id == node && !n.name.empty()) return n.name;
      }
    }
    return node;
  }

  std::string stepNames(const std::vector<std::string>& leaves, const std::string& tree) const {
    std::vector<std::string> names;
    for (const auto& leaf : leaves) names.push_back(esc(leafName(leaf, tree)));
    return list(names);
  }

  void attackSection() {
    heading(1, "attack-trees", "4 Attack trees");
    out() << "<p>Set semantics: an attack scenario is a minimal set of steps that achieves the goal; its cost and time are "
             "the sums over its steps, its skill the highest, its success probability the product. Every figure is the "
             "exact optimum over the scenarios, so a step shared between branches is counted once.</p>\n";
    if (m_r.attacks.empty()) out() << "<p class=\"muted\">The project has no attack trees.</p>\n";
    for (std::size_t i = 0; i < m_r.attacks.size(); ++i) {
      const AttackSection& a = m_r.attacks[i];
      heading(2, "at-" + anchorOf(a.tree), treeName(a.tree));
      figure(a.svg, 1 + i,
             "Figure " + std::to_string(2 + i) + ". Attack tree " + a.tree +
                 "; the attacker's cheapest scenario with the mitigations in place is marked, and each countermeasure is "
                 "drawn beside the step it defends (dashed until it is in place).");
      out() << table("facts") << "\n<thead><tr><th></th><th class=\"num\">No mitigation</th><th class=\"num\">Mitigations in place</th></tr></thead>\n";
      auto row = [&](const char* label, models::AttackMetric which) {
        const auto* b = metric(a.before, which);
        const auto* f = metric(a.after, which);
        out() << "<tr><th>" << label << "</th><td class=\"num\">" << (b && b->value ? number(*b->value) : "\u2014")
              << "</td><td class=\"num\">" << (f && f->value ? number(*f->value) : "\u2014") << "</td></tr>\n";
      };
      out() << "<tr><th>Attack scenarios</th><td class=\"num\">" << (a.before ? std::to_string(a.before->scenarioCount) : "\u2014")
            << "</td><td class=\"num\">" << (a.after ? std::to_string(a.after->scenarioCount) : "\u2014") << "</td></tr>\n";
      row("Attacker's least cost", models::AttackMetric::Cost);
      row("Attacker's least time (h)", models::AttackMetric::Time);
      row("Least skill needed", models::AttackMetric::Skill);
      row("Greatest success probability", models::AttackMetric::Probability);
      out() << "</table>\n";
      if (a.after && !a.after->scenarios.empty()) {
        out() << "<p><b>Cheapest scenarios left with the mitigations in place</b>"
              << (a.after->scenariosTruncated ? " (the first " + std::to_string(a.after->scenarios.size()) + " of " +
                                                    std::to_string(a.after->scenarioCount) + ")"
                                              : std::string())
              << "</p>\n";
        out() << table() << "\n<thead><tr><th class=\"num\">#</th><th class=\"num\">Cost</th><th class=\"num\">Time (h)</th>"
              << "<th class=\"num\">Skill</th><th class=\"num\">Probability</th><th>Steps</th></tr></thead>\n";
        for (std::size_t k = 0; k < a.after->scenarios.size(); ++k) {
          const auto& s = a.after->scenarios[k];
          auto cell = [](const std::optional<double>& v) { return v ? number(*v) : std::string("\u2014"); };
          out() << "<tr><td class=\"num\">" << k + 1 << "</td><td class=\"num\">" << cell(s.cost) << "</td><td class=\"num\">"
                << cell(s.time) << "</td><td class=\"num\">" << cell(s.skill) << "</td><td class=\"num\">" << cell(s.probability)
                << "</td><td>" << stepNames(s.leaves, a.tree) << "</td></tr>\n";
        }
        out() << "</table>\n";
      } else if (a.after) {
        out() << "<p>No scenario is left: the mitigations in place block every way to the goal.</p>\n";
      }
      defencePlan(a);
      for (const auto& n : a.notes) out() << "<p class=\"note\">" << esc(core::format(n)) << "</p>\n";
    }
  }

  void defencePlan(const AttackSection& a) {
    if (!a.plan) return;
    const models::DefencePlan& plan = *a.plan;
    out() << "<p><b>Optimal mitigation set.</b> ";
    if (plan.candidates.empty()) {
      out() << "No mitigation acts on this tree.</p>\n";
      return;
    }
    if (!plan.cost) {
      out() << "No set of the " << plan.candidates.size() << " mitigations that act on this tree blocks every scenario; "
            << plan.unblockable.size() << " scenario" << (plan.unblockable.size() == 1 ? "" : "s")
            << " survive all of them, for example: " << (plan.unblockable.empty() ? "\u2014" : stepNames(plan.unblockable.front(), a.tree))
            << ".</p>\n";
      return;
    }
    out() << "The cheapest set that blocks all " << plan.scenarioCount << " scenarios costs <b>" << number(*plan.cost)
          << "</b> (exact, over the " << plan.candidates.size() << " mitigations that act on this tree, whatever their status):</p>\n";
    out() << table() << "\n<thead><tr><th>Mitigation</th><th class=\"num\">Cost</th><th>Blocks on its own</th></tr></thead>\n";
    for (const auto& id : plan.mitigations) {
      const auto it = m_mitigations.find(id);
      std::size_t blocked = 0;
      std::vector<std::string> examples;
      for (const auto& e : plan.explanation) {
        if (e.mitigation != id) continue;
        blocked = e.scenarios.size();
        for (std::size_t k = 0; k < e.scenarios.size() && k < 3; ++k) examples.push_back(stepNames(e.scenarios[k], a.tree));
      }
      out() << "<tr><td>" << mitigationRef(id) << "</td><td class=\"num\">" << (it == m_mitigations.end() ? "\u2014" : number(it->second->cost))
            << "</td><td>" << blocked << " scenario" << (blocked == 1 ? "" : "s");
      if (!examples.empty()) {
        out() << ": ";
        for (std::size_t k = 0; k < examples.size(); ++k) out() << (k ? "; " : "") << "{" << examples[k] << "}";
        if (blocked > examples.size()) out() << "; \u2026";
      }
      out() << "</td></tr>\n";
    }
    out() << "</table>\n";
    if (plan.explanationTruncated) out() << "<p class=\"note\">The tree has more scenarios than were checked one by one; the counts are of those checked.</p>\n";
  }

  // ---- 5 fault trees ----------------------------------------------------------------------------

  void faultSection() {
    heading(1, "fault-trees", "5 Fault trees");
    out() << "<p>Exact top-event probabilities from the binary decision diagram over the mission time of "
          << number(m_p.settings.missionTime) << " h; minimal cut sets from the zero-suppressed diagram, counted exactly.</p>\n";
    if (m_r.analysis.faultTrees.empty()) out() << "<p class=\"muted\">The project has no fault trees.</p>\n";
    for (std::size_t i = 0; i < m_r.analysis.faultTrees.size(); ++i) {
      const models::FaultTreeAnalysis& f = m_r.analysis.faultTrees[i];
      heading(2, "ft-" + anchorOf(f.id), treeName(f.id));
      const std::string* svg = nullptr;
      for (const auto& s : m_r.faults) {
        if (s.tree == f.id) svg = &s.svg;
      }
      figure(svg ? *svg : std::string(), 1 + m_r.attacks.size() + i,
             "Figure " + std::to_string(2 + m_r.attacks.size() + i) + ". Fault tree " + f.id +
                 "; its most probable cut set with the mitigations in place is marked, and each mitigation is drawn beside "
                 "the event it acts on.");
      out() << table("facts") << "\n<thead><tr><th></th><th class=\"num\">No mitigation</th><th class=\"num\">Mitigations in place</th></tr></thead>\n";
      auto row = [&](const char* label, auto get) {
        out() << "<tr><th>" << label << "</th><td class=\"num\">" << (f.before.result ? get(*f.before.result) : "\u2014")
              << "</td><td class=\"num\">" << (f.after.result ? get(*f.after.result) : "\u2014") << "</td></tr>\n";
      };
      row("P(top), exact", [](const core::AnalysisResult& r) { return optional(r.probability); });
      row("Rare-event approximation", [](const core::AnalysisResult& r) { return optional(r.rareEvent); });
      row("Min-cut upper bound", [](const core::AnalysisResult& r) { return optional(r.mcub); });
      row("Minimal cut sets", [](const core::AnalysisResult& r) { return std::to_string(r.cutSets.count); });
      out() << "</table>\n";
      cutSetTable(f.after);
    }
  }

  void cutSetTable(const models::TreeRun& run) {
    if (!run.result || run.result->cutSets.list.empty()) return;
    struct Row {
      double p;
      std::size_t order;
      std::string names;
    };
    std::vector<Row> rows;
    std::map<std::string, std::string> eventNames;
    for (const auto& t : m_p.faultTrees) {
      for (const auto& e : t.events) eventNames[e.id] = e.name.empty() ? e.id : e.name;
    }
    for (const auto& set : run.result->cutSets.list) {
      double p = 1;
      std::vector<std::string> names;
      for (core::NodeId v : set) {
        p *= run.graph.probability(v).value_or(1.0);
        const std::string& id = run.graph.name(v);
        const auto it = eventNames.find(id);
        names.push_back(esc(it != eventNames.end() ? it->second : leafName(id, std::string())));
      }
      rows.push_back({p, set.size(), list(names, "")});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.p > b.p; });
    const std::size_t shown = std::min(rows.size(), m_r.options.topCutSets);
    out() << "<p><b>Most probable cut sets with the mitigations in place</b> (" << shown << " of " << run.result->cutSets.count
          << ")</p>\n";
    out() << table() << "\n<thead><tr><th class=\"num\">#</th><th class=\"num\">Order</th><th class=\"num\">Probability</th><th>Events</th></tr></thead>\n";
    for (std::size_t k = 0; k < shown; ++k) {
      out() << "<tr><td class=\"num\">" << k + 1 << "</td><td class=\"num\">" << rows[k].order << "</td><td class=\"num\">"
            << number(rows[k].p) << "</td><td>" << rows[k].names << "</td></tr>\n";
    }
    out() << "</table>\n";
  }

  // ---- 6 hazards ----------------------------------------------------------------------------------

  void riskMatrix(bool after) {
    const auto& m = m_p.riskMatrix;
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::string>> cells;
    for (const auto& h : m_p.hazards) {
      const models::Rating& r = after ? h.after : h.before;
      const auto l = m.likelihoodIndex(r.likelihood);
      const auto s = m.severityIndex(r.severity);
      if (l && s) cells[{*l, *s}].push_back(h.id);
    }
    out() << "<p><b>" << (after ? "After mitigation (residual)" : "Before mitigation") << "</b></p>\n";
    out() << "<table class=\"matrix\"" << (qt() ? " border=\"1\" cellspacing=\"0\" cellpadding=\"3\"" : "") << ">\n<tr><th class=\"axis\">likelihood \\ severity</th>";
    for (const auto& s : m.severities) out() << "<th>" << esc(s.name.empty() ? s.id : s.name) << "</th>";
    out() << "</tr>\n";
    for (std::size_t l = m.likelihoods.size(); l-- > 0;) {
      out() << "<tr><th>" << esc(m.likelihoods[l].name.empty() ? m.likelihoods[l].id : m.likelihoods[l].name) << "</th>";
      for (std::size_t s = 0; s < m.severities.size(); ++s) {
        const auto cls = m.classIndex(l < m.cells.size() && s < m.cells[l].size() ? m.cells[l][s] : std::string());
        out() << "<td" << (cls ? " style=\"background-color: " + classColour(*cls, m.classes.size()) + "\"" : std::string()) << ">";
        const auto it = cells.find({l, s});
        if (it != cells.end()) out() << "<b>" << idList(it->second) << "</b>";
        else out() << "<span class=\"small muted\">" << (cls ? esc(m.classes[*cls].id) : "") << "</span>";
        out() << "</td>";
      }
      out() << "</tr>\n";
    }
    out() << "</table>\n";
  }

  void hazardSection() {
    heading(1, "hazards", "6 Hazard log");
    out() << (qt() ? "" : "<div class=\"pair\"><div>");
    riskMatrix(false);
    out() << (qt() ? "" : "</div><div>");
    riskMatrix(true);
    out() << (qt() ? "" : "</div></div>") << "\n";
    out() << table() << "\n<thead><tr><th>Hazard</th><th>Situation \u2192 harm</th><th>Before</th><th>After (residual)</th>"
          << "<th>From the fault tree</th><th>Mitigations</th></tr></thead>\n";
    for (const auto& h : m_p.hazards) {
      const models::HazardAnalysis* a = m_hazardRisk.count(h.id) ? m_hazardRisk.at(h.id) : nullptr;
      std::vector<std::string> ms;
      for (const auto& id : h.mitigations) ms.push_back(mitigationRef(id));
      out() << "<tr><td>" << esc(h.title.empty() ? h.id : h.title) << "<br><span class=\"id small\">" << esc(h.id) << "</span></td><td>"
            << esc(h.situation) << (h.harm.empty() ? "" : " \u2192 " + esc(h.harm)) << "</td><td>" << (a ? riskCell(a->before) : "\u2014")
            << "</td><td>" << (a ? riskCell(a->after) : "\u2014");
      if (a && a->after.riskClass) {
        out() << "<br>" << (m_p.riskMatrix.classes[*a->after.riskClass].acceptable ? "<span class=\"pass\">acceptable</span>"
                                                                                    : "<span class=\"fail\">not acceptable</span>");
      }
      out() << "</td><td>";
      if (a && a->probabilityAfter) {
        out() << "<span class=\"small\">" << esc(treeName(h.faultTree)) << "</span><br>P " << number(*a->probabilityBefore) << " \u2192 "
              << number(*a->probabilityAfter);
        if (a->computedAfter) out() << "<br>" << riskCell(*a->computedAfter);
      } else {
        out() << (h.faultTree.empty() ? "\u2014" : esc(treeName(h.faultTree)));
      }
      out() << "</td><td>" << list(ms) << "</td></tr>\n";
    }
    out() << "</table>\n";
  }

  // ---- 7 resilience -------------------------------------------------------------------------------

  void resilienceSection() {
    heading(1, "resilience", "7 Resilience");
    out() << "<p>Mitigations by the resilience goal they serve (NIST SP 800-160 vol. 2): anticipate, withstand, recover, "
             "evolve. A goal with nothing in place is a weakness of the design, whatever the threat list says.</p>\n";
    out() << (qt() ? "" : "<div class=\"phases\">");
    for (std::size_t k = 0; k < models::Names<models::ResiliencePhase>::values.size(); ++k) {
      const auto phase = static_cast<models::ResiliencePhase>(k);
      std::vector<const models::Mitigation*> ms;
      for (const auto& m : m_p.mitigations) {
        if (m.phase == phase) ms.push_back(&m);
      }
      const auto inPlace = std::count_if(ms.begin(), ms.end(), [](const auto* m) { return models::inPlace(*m); });
      out() << (qt() ? "" : "<div>") << "<h3>" << esc(spelt(phase)) << " <span class=\"small muted\">(" << inPlace << " of " << ms.size()
            << " in place)</span></h3>\n";
      if (ms.empty()) {
        out() << "<p class=\"fail\">No mitigation serves this goal.</p>" << (qt() ? "" : "</div>") << "\n";
        continue;
      }
      out() << table() << "\n<thead><tr><th>Mitigation</th><th class=\"num\">Cost</th><th>Addresses</th></tr></thead>\n";
      for (const models::Mitigation* m : ms) {
        std::vector<std::string> addressed;
        for (const auto& t : m_p.threats) {
          if (std::find(t.mitigations.begin(), t.mitigations.end(), m->id) != t.mitigations.end()) addressed.push_back(t.id);
        }
        for (const auto& h : m_p.hazards) {
          if (std::find(h.mitigations.begin(), h.mitigations.end(), m->id) != h.mitigations.end()) addressed.push_back(h.id);
        }
        out() << "<tr><td>" << mitigationRef(m->id) << "</td><td class=\"num\">" << number(m->cost) << "</td><td>" << idList(addressed)
              << "</td></tr>\n";
      }
      out() << "</table>" << (qt() ? "" : "</div>") << "\n";
    }
    out() << (qt() ? "" : "</div>") << "\n";
  }

  // ---- 8 compliance -------------------------------------------------------------------------------

  void complianceSection() {
    heading(1, "compliance", "8 Compliance");
    out() << "<p>A requirement is <b>met</b> when an implemented or verified mitigation serves it; <b>planned</b> when only "
             "proposed or planned ones do (which is not met); a <b>gap</b> when none does; <b>not applicable</b> with the "
             "project's reason. Gaps come first. Requirement titles and summaries are Thornwood's own paraphrases.</p>\n";
    if (m_r.coverage.empty()) out() << "<p class=\"muted\">The project selects no compliance baseline.</p>\n";
    for (const auto& b : m_r.coverage) {
      heading(2, "baseline-" + anchorOf(b.baseline), b.title + (b.edition.empty() ? "" : " " + b.edition));
      out() << "<p>" << percent(b.share()) << " of the applicable requirements met: " << badge(std::to_string(b.gaps) + " gaps", stateColour(models::RequirementState::Gap))
            << " " << badge(std::to_string(b.planned) + " planned", stateColour(models::RequirementState::Planned)) << " "
            << badge(std::to_string(b.met) + " met", stateColour(models::RequirementState::Met)) << " "
            << badge(std::to_string(b.notApplicable) + " not applicable", stateColour(models::RequirementState::NotApplicable))
            << "</p>\n";
      out() << table() << "\n<thead><tr><th>Requirement</th><th>Status</th><th>State</th><th>Evidence</th></tr></thead>\n";
      for (const auto state : {models::RequirementState::Gap, models::RequirementState::Planned, models::RequirementState::Met,
                               models::RequirementState::NotApplicable}) {
        for (const auto& rc : b.requirements) {
          if (rc.state != state) continue;
          const auto& req = *rc.requirement;
          out() << "<tr><td><span class=\"id\">" << esc(req.id) << "</span> " << esc(req.title);
          if (!req.summary.empty() && req.summary != req.title) out() << "<br><span class=\"small muted\">" << esc(req.summary) << "</span>";
          out() << "</td><td class=\"small\">" << esc(models::describeStatus(rc.status)) << (rc.status.empty() ? "" : "<br><span class=\"muted\">" + esc(rc.status) + "</span>")
                << "</td><td>" << badge(std::string(models::describe(rc.state)), stateColour(rc.state)) << "</td><td>";
          if (rc.state == models::RequirementState::NotApplicable) {
            out() << "<i>" << esc(rc.justification) << "</i>";
          } else {
            std::vector<std::string> ms;
            for (const auto& id : rc.mitigations) ms.push_back(mitigationRef(id));
            out() << list(ms, "<span class=\"muted\">no mitigation serves it</span>");
            if (!rc.threats.empty()) out() << "<br><span class=\"small\">threats: " << idList(rc.threats) << "</span>";
            if (!rc.hazards.empty()) out() << "<br><span class=\"small\">hazards: " << idList(rc.hazards) << "</span>";
          }
          if (!req.related.empty()) {
            std::vector<std::string> links;
            for (const auto& l : req.related) links.push_back(esc(l.baseline) + " " + esc(l.requirement));
            out() << "<br><span class=\"small muted\">related (stated cross-walk): " << list(links) << "</span>";
          }
          out() << "</td></tr>\n";
        }
      }
      out() << "</table>\n";
    }
  }

  // ---- 9 appendix ---------------------------------------------------------------------------------

  void appendix() {
    heading(1, "appendix", "9 Appendix: model settings and provenance");
    const auto& s = m_p.settings;
    out() << table("facts") << "\n";
    out() << "<tr><th>Mission time</th><td>" << number(s.missionTime) << " h</td></tr>\n";
    out() << "<tr><th>Cut-set probability cut-off</th><td>" << (s.cutOff > 0 ? number(s.cutOff) : std::string("none")) << "</td></tr>\n";
    out() << "<tr><th>Cut-set order limit</th><td>" << (s.limitOrder > 0 ? std::to_string(s.limitOrder) : std::string("none")) << "</td></tr>\n";
    out() << "<tr><th>Cut sets listed per tree</th><td>" << s.maxCutSets << "</td></tr>\n";
    out() << "<tr><th>Gate: open threats from class</th><td>" << (s.gate.openThreatClass.empty() ? std::string("not checked") : esc(s.gate.openThreatClass))
          << "</td></tr>\n";
    out() << "<tr><th>Gate: unacceptable residual hazards</th><td>" << (s.gate.failOnUnacceptableResidual ? "fail" : "not checked") << "</td></tr>\n";
    out() << "<tr><th>Gate: largest top-event probability</th><td>"
          << (s.gate.maxTopProbability ? number(*s.gate.maxTopProbability) : std::string("not checked")) << "</td></tr>\n";
    out() << "<tr><th>Thornwood version</th><td>" << THORNWOOD_VERSION << "</td></tr>\n";
    out() << "<tr><th>Model file</th><td class=\"id\">" << esc(m_r.file) << "</td></tr>\n";
    if (!m_r.modelSha256.empty()) out() << "<tr><th>SHA-256 of the model file</th><td class=\"id\">" << esc(m_r.modelSha256) << "</td></tr>\n";
    out() << "</table>\n";
    const auto& m = m_p.riskMatrix;
    out() << "<h3>Risk matrix</h3>\n" << table() << "\n<thead><tr><th>Likelihood level</th><th>Upper bound of its probability band</th></tr></thead>\n";
    for (const auto& l : m.likelihoods) {
      out() << "<tr><td>" << esc(l.name.empty() ? l.id : l.name) << " <span class=\"id small\">" << esc(l.id) << "</span></td><td>"
            << (l.maxProbability ? number(*l.maxProbability) : std::string("\u2014")) << "</td></tr>\n";
    }
    out() << "</table>\n" << table() << "\n<thead><tr><th>Risk class</th><th>Acceptable</th></tr></thead>\n";
    for (std::size_t k = 0; k < m.classes.size(); ++k) {
      out() << "<tr><td><span class=\"risk\" style=\"background-color: " << classColour(k, m.classes.size()) << "\">"
            << esc(m.classes[k].name.empty() ? m.classes[k].id : m.classes[k].name) << "</span></td><td>"
            << (m.classes[k].acceptable ? "yes" : "no") << "</td></tr>\n";
    }
    out() << "</table>\n";
    if (!m_r.notes.empty()) {
      out() << "<h3>Notes</h3>\n<ul>\n";
      for (const auto& n : m_r.notes) out() << "<li class=\"small\">" << esc(core::format(n)) << "</li>\n";
      out() << "</ul>\n";
    }
  }

  const Report& m_r;
  const models::Project& m_p;
  HtmlFlavour m_f;
  std::ostream* m_out = nullptr;
  std::vector<TocEntry> m_toc;
  std::map<std::string, std::string> m_names;
  std::map<std::string, const models::Mitigation*> m_mitigations;
  std::map<std::string, const models::ThreatRisk*> m_threatRisk;
  std::map<std::string, const models::HazardAnalysis*> m_hazardRisk;
};

}  // namespace

std::string toHtml(const Report& report, HtmlFlavour flavour) { return Writer(report, flavour).write(); }

}  // namespace thornwood::exporters
