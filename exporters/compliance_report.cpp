#include "exporters/compliance_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "models/names.h"

namespace thornwood::exporters {

namespace {

using nlohmann::json;

std::string statusOf(const models::Project& p, const std::string& mitigation) {
  for (const auto& m : p.mitigations) {
    if (m.id == mitigation) return std::string(models::nameOf(m.status));
  }
  return "unknown";
}

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

}  // namespace

json toJson(const models::Project& p, const std::vector<models::BaselineCoverage>& coverage, const std::string& file) {
  json out;
  out["file"] = file;
  json baselines = json::array();
  for (const auto& b : coverage) {
    json jb;
    jb["baseline"] = b.baseline;
    jb["title"] = b.title;
    jb["edition"] = b.edition;
    jb["met"] = b.met;
    jb["planned"] = b.planned;
    jb["gaps"] = b.gaps;
    jb["not_applicable"] = b.notApplicable;
    jb["share_met"] = b.share();
    json reqs = json::array();
    for (const auto& r : b.requirements) {
      json jr;
      jr["id"] = r.requirement->id;
      jr["title"] = r.requirement->title;
      jr["status"] = r.status;
      jr["state"] = std::string(models::toString(r.state));
      json ms = json::array();
      for (const auto& m : r.mitigations) ms.push_back({{"id", m}, {"status", statusOf(p, m)}});
      jr["mitigations"] = ms;
      jr["threats"] = r.threats;
      jr["hazards"] = r.hazards;
      if (!r.justification.empty()) jr["justification"] = r.justification;
      reqs.push_back(std::move(jr));
    }
    jb["requirements"] = std::move(reqs);
    baselines.push_back(std::move(jb));
  }
  out["baselines"] = std::move(baselines);
  return out;
}

std::string toText(const models::Project& p, const std::vector<models::BaselineCoverage>& coverage, const std::string& file) {
  std::ostringstream o;
  o << "Compliance coverage: " << file << " (" << p.name << ")\n";
  if (coverage.empty()) o << "  no baseline selected (add \"compliance\": {\"baselines\": [...]} to the project)\n";
  for (const auto& b : coverage) {
    o << "\n" << b.baseline << (b.edition.empty() ? "" : " " + b.edition) << ": " << b.met << " of "
      << (b.met + b.planned + b.gaps) << " applicable requirements met (" << percent(b.share()) << "), " << b.planned
      << " planned, " << b.gaps << " gaps, " << b.notApplicable << " not applicable\n";
    for (auto state : {models::RequirementState::Gap, models::RequirementState::Planned, models::RequirementState::Met,
                       models::RequirementState::NotApplicable}) {
      for (const auto& r : b.requirements) {
        if (r.state != state) continue;
        o << "  " << models::toString(r.state);
        for (std::size_t pad = models::toString(r.state).size(); pad < 15; ++pad) o << ' ';
        o << r.requirement->id;
        if (!r.status.empty()) o << " [" << r.status << "]";
        o << "  " << r.requirement->title;
        if (!r.mitigations.empty()) {
          o << "  <- ";
          for (std::size_t i = 0; i < r.mitigations.size(); ++i) {
            o << (i ? ", " : "") << r.mitigations[i] << " (" << statusOf(p, r.mitigations[i]) << ")";
          }
        }
        if (!r.justification.empty()) o << "  because: " << r.justification;
        o << "\n";
      }
    }
  }
  return o.str();
}

}  // namespace thornwood::exporters
