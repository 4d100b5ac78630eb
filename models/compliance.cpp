#include "models/compliance.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "models/detail/embedded.h"

namespace thornwood::models {

namespace {

using Json = nlohmann::json;

std::string text(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// One catalogue file as the shared data shapes it (README of resources/compliance/).
Catalogue parseCatalogue(const Json& doc) {
  Catalogue c;
  c.id = text(doc, "baseline");
  c.title = text(doc, "title");
  c.version = text(doc, "version");
  std::set<std::string> editions;
  for (const Json& r : doc.at("requirements")) {
    CatalogueRequirement req;
    req.id = text(r, "id");
    req.title = text(r, "title");
    req.summary = text(r, "summary");
    req.category = text(r, "category");
    if (const auto s = r.find("status"); s != r.end() && s->is_object()) {
      for (const auto& [edition, value] : s->items()) {
        editions.insert(edition);
        if (value.is_string()) req.status[edition] = value.get<std::string>();
      }
    }
    if (const auto e = r.find("editions"); e != r.end() && e->is_array()) {
      for (const Json& edition : *e) {
        if (edition.is_string()) req.editions.push_back(edition.get<std::string>());
      }
    }
    c.requirements.push_back(std::move(req));
  }
  c.editions.assign(editions.begin(), editions.end());
  return c;
}

/// Adds each stated pair of the cross-walk to both of its requirements (where Thornwood has
/// the requirement's catalogue).
void addCrossWalk(const Json& doc, std::vector<Catalogue>& catalogues) {
  auto find = [&](const std::string& baseline, const std::string& id) -> CatalogueRequirement* {
    for (Catalogue& c : catalogues) {
      if (c.id != baseline) continue;
      for (CatalogueRequirement& r : c.requirements) {
        if (r.id == id) return &r;
      }
    }
    return nullptr;
  };
  // A side names one requirement ("id") or a group of them ("ids").
  auto idsOf = [](const Json& side) {
    std::vector<std::string> ids;
    if (const auto one = side.find("id"); one != side.end() && one->is_string()) ids.push_back(one->get<std::string>());
    if (const auto many = side.find("ids"); many != side.end() && many->is_array()) {
      for (const Json& id : *many) {
        if (id.is_string()) ids.push_back(id.get<std::string>());
      }
    }
    return ids;
  };
  for (const Json& pair : doc.at("pairs")) {
    const Json& from = pair.at("from");
    const Json& to = pair.at("to");
    const std::string relation = text(pair, "relation"), source = text(pair, "source");
    for (const std::string& a : idsOf(from)) {
      for (const std::string& b : idsOf(to)) {
        if (CatalogueRequirement* r = find(text(from, "baseline"), a)) {
          r->related.push_back(CrossLink{text(to, "baseline"), b, relation, source});
        }
        if (CatalogueRequirement* r = find(text(to, "baseline"), b)) {
          r->related.push_back(CrossLink{text(from, "baseline"), a, relation, source});
        }
      }
    }
  }
}

std::vector<Catalogue> readCatalogues() {
  std::vector<Catalogue> out;
  std::vector<Json> crossWalks;
  for (std::size_t i = 0; i < detail::kCatalogueFileCount; ++i) {
    const detail::EmbeddedFile& f = detail::kCatalogueFiles[i];
    Json doc = Json::parse(reinterpret_cast<const char*>(f.data), reinterpret_cast<const char*>(f.data) + f.size);
    if (doc.contains("pairs")) crossWalks.push_back(std::move(doc));
    else if (doc.contains("baseline") && doc.contains("requirements")) out.push_back(parseCatalogue(doc));
  }
  std::sort(out.begin(), out.end(), [](const Catalogue& a, const Catalogue& b) { return a.id < b.id; });
  for (const Json& doc : crossWalks) addCrossWalk(doc, out);
  return out;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

const CatalogueRequirement* Catalogue::find(const std::string& requirement) const {
  const auto it = std::find_if(requirements.begin(), requirements.end(), [&](const auto& r) { return r.id == requirement; });
  return it == requirements.end() ? nullptr : &*it;
}

std::vector<const CatalogueRequirement*> Catalogue::requirementsOf(const std::string& edition) const {
  std::vector<const CatalogueRequirement*> out;
  for (const auto& r : requirements) {
    if (editions.empty() || r.editions.empty() || std::find(r.editions.begin(), r.editions.end(), edition) != r.editions.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

const std::vector<Catalogue>& catalogues() {
  static const std::vector<Catalogue> all = readCatalogues();
  return all;
}

const Catalogue* findCatalogue(const std::string& id) {
  const auto& all = catalogues();
  const auto it = std::find_if(all.begin(), all.end(), [&](const Catalogue& c) { return c.id == id; });
  return it == all.end() ? nullptr : &*it;
}

std::string describeStatus(const std::string& code) {
  if (code.empty()) return "";
  std::string out = code[0] == 'M' ? "mandatory" : code[0] == 'R' ? "recommended" : code;
  if (code.find("C(") != std::string::npos || code.find(" C ") != std::string::npos) out += ", conditional";
  if (code.find("F(") != std::string::npos) out += ", if the feature is present";
  return out;
}

std::string_view describe(RequirementState state) {
  switch (state) {
    case RequirementState::Met: return "met";
    case RequirementState::Planned: return "planned, not met";
    case RequirementState::Gap: return "gap";
    case RequirementState::NotApplicable: return "not applicable";
  }
  return "gap";
}

std::string_view toString(RequirementState state) {
  switch (state) {
    case RequirementState::Met: return "met";
    case RequirementState::Planned: return "planned";
    case RequirementState::Gap: return "gap";
    case RequirementState::NotApplicable: return "not_applicable";
  }
  return "gap";
}

double BaselineCoverage::share() const {
  const std::size_t applicable = met + planned + gaps;
  return applicable == 0 ? 1.0 : static_cast<double>(met) / static_cast<double>(applicable);
}

std::vector<BaselineCoverage> coverage(const Project& p) {
  std::vector<BaselineCoverage> out;
  for (const BaselineSelection& sel : p.compliance.baselines) {
    const Catalogue* c = findCatalogue(sel.baseline);
    if (!c) continue;
    if (!c->editions.empty() && std::find(c->editions.begin(), c->editions.end(), sel.edition) == c->editions.end()) continue;
    BaselineCoverage b;
    b.baseline = c->id;
    b.title = c->title;
    b.edition = sel.edition;
    for (const CatalogueRequirement* req : c->requirementsOf(sel.edition)) {
      RequirementCoverage rc;
      rc.requirement = req;
      if (const auto s = req->status.find(sel.edition); s != req->status.end()) rc.status = s->second;
      bool inPlace = false;
      for (const Mitigation& m : p.mitigations) {
        const bool serves = std::any_of(m.requirements.begin(), m.requirements.end(), [&](const RequirementRef& r) {
          return r.baseline == c->id && r.requirement == req->id;
        });
        if (!serves) continue;
        rc.mitigations.push_back(m.id);
        inPlace = inPlace || m.status == MitigationStatus::Implemented || m.status == MitigationStatus::Verified;
        for (const Threat& t : p.threats) {
          if (std::find(t.mitigations.begin(), t.mitigations.end(), m.id) != t.mitigations.end() &&
              std::find(rc.threats.begin(), rc.threats.end(), t.id) == rc.threats.end()) {
            rc.threats.push_back(t.id);
          }
        }
        for (const Hazard& h : p.hazards) {
          if (std::find(h.mitigations.begin(), h.mitigations.end(), m.id) != h.mitigations.end() &&
              std::find(rc.hazards.begin(), rc.hazards.end(), h.id) == rc.hazards.end()) {
            rc.hazards.push_back(h.id);
          }
        }
      }
      const auto na = std::find_if(sel.notApplicable.begin(), sel.notApplicable.end(),
                                   [&](const NotApplicable& n) { return n.requirement == req->id; });
      if (na != sel.notApplicable.end() && !na->justification.empty()) {
        rc.state = RequirementState::NotApplicable;
        rc.justification = na->justification;
        ++b.notApplicable;
      } else if (inPlace) {
        rc.state = RequirementState::Met;
        ++b.met;
      } else if (!rc.mitigations.empty()) {
        rc.state = RequirementState::Planned;  // only proposed or planned mitigations: not met
        ++b.planned;
      } else {
        rc.state = RequirementState::Gap;
        ++b.gaps;
      }
      b.requirements.push_back(std::move(rc));
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<core::Diagnostic> validateCompliance(const Project& p, const std::string& file) {
  std::vector<core::Diagnostic> out;
  auto error = [&](const std::string& place, std::string problem) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, place, std::move(problem));
    d.file = file;
    out.push_back(std::move(d));
  };
  std::set<std::string> seen;
  for (std::size_t i = 0; i < p.compliance.baselines.size(); ++i) {
    const BaselineSelection& sel = p.compliance.baselines[i];
    const std::string at = "/compliance/baselines/" + std::to_string(i);
    const Catalogue* c = findCatalogue(sel.baseline);
    if (!c) {
      std::string known;
      for (const Catalogue& k : catalogues()) known += (known.empty() ? "" : ", ") + k.id;
      error(at + "/baseline", "unknown baseline " + quoted(sel.baseline) + " (known: " + known + ")");
      continue;
    }
    if (!seen.insert(sel.baseline).second) error(at + "/baseline", "baseline " + quoted(sel.baseline) + " is selected twice");
    if (!c->editions.empty() && std::find(c->editions.begin(), c->editions.end(), sel.edition) == c->editions.end()) {
      std::string editions;
      for (const auto& e : c->editions) editions += (editions.empty() ? "" : ", ") + e;
      error(at + "/edition", (sel.edition.empty() ? std::string("an edition is needed") : "unknown edition " + quoted(sel.edition)) +
                                 " for " + sel.baseline + " (" + editions + ")");
      continue;
    }
    if (c->editions.empty() && !sel.edition.empty()) {
      error(at + "/edition", sel.baseline + " has one edition: leave \"edition\" out");
    }
    const auto inEdition = c->requirementsOf(sel.edition);
    std::set<std::string> listed;
    for (std::size_t n = 0; n < sel.notApplicable.size(); ++n) {
      const NotApplicable& na = sel.notApplicable[n];
      const std::string nat = at + "/not_applicable/" + std::to_string(n);
      const bool known = std::any_of(inEdition.begin(), inEdition.end(), [&](const auto* r) { return r->id == na.requirement; });
      if (!known) error(nat + "/requirement", "unknown requirement " + quoted(na.requirement) + " of " + sel.baseline + " " + sel.edition);
      if (!listed.insert(na.requirement).second) error(nat + "/requirement", "requirement " + quoted(na.requirement) + " is listed twice");
      if (na.justification.find_first_not_of(" \t\n") == std::string::npos) {
        error(nat + "/justification", "a requirement that does not apply needs the reason why");
      }
    }
  }
  for (std::size_t m = 0; m < p.mitigations.size(); ++m) {
    const Mitigation& mit = p.mitigations[m];
    for (std::size_t r = 0; r < mit.requirements.size(); ++r) {
      const RequirementRef& ref = mit.requirements[r];
      const std::string at = "/mitigations/" + std::to_string(m) + "/requirements/" + std::to_string(r);
      const Catalogue* c = findCatalogue(ref.baseline);
      if (!c) error(at + "/baseline", "unknown baseline " + quoted(ref.baseline));
      else if (!c->find(ref.requirement)) error(at + "/requirement", "unknown requirement " + quoted(ref.requirement) + " of " + ref.baseline);
    }
  }
  return out;
}

}  // namespace thornwood::models
