// Compliance: the built-in catalogues against the counts their data states, coverage on
// crafted projects (implemented or verified vs proposed or planned vs justified not
// applicable), the evidence per requirement, validation, and the file format's round trip.
#include <catch2/catch.hpp>

#include "models/compliance.h"
#include "models/project_file.h"
#include "models/validate.h"

using namespace thornwood;
using models::RequirementState;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

models::Project smartLock() {
  auto loaded = models::loadProject(kSmartLock);
  REQUIRE(loaded.project);
  return *loaded.project;
}

models::Mitigation mitigation(const std::string& id, models::MitigationStatus status, std::vector<std::string> etsi) {
  models::Mitigation m;
  m.id = id;
  m.title = id;
  m.status = status;
  for (auto& r : etsi) m.requirements.push_back({"etsi-en-303-645", std::move(r)});
  return m;
}

const models::RequirementCoverage& requirement(const models::BaselineCoverage& b, const std::string& id) {
  for (const auto& r : b.requirements) {
    if (r.requirement->id == id) return r;
  }
  FAIL("no requirement " << id);
  throw;
}

bool hasError(const std::vector<core::Diagnostic>& ds, const std::string& place, const std::string& words) {
  return std::any_of(ds.begin(), ds.end(), [&](const core::Diagnostic& d) {
    return d.severity == core::Severity::Error && d.place == place && d.problem.find(words) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("the catalogues hold what their data says", "[models][compliance]") {
  // Counts stated in ../shared/compliance/README.md: 85 ETSI ids (68 in V2.1.1, 78 in
  // V3.1.3), NISTIR 10 capabilities and 36 sub-items, ENISA 83, DHS 28, FDA 31.
  REQUIRE(models::catalogues().size() == 5);
  const auto* etsi = models::findCatalogue("etsi-en-303-645");
  REQUIRE(etsi);
  CHECK(etsi->requirements.size() == 85);
  CHECK(etsi->editions == std::vector<std::string>{"V2.1.1", "V3.1.3"});
  CHECK(etsi->requirementsOf("V2.1.1").size() == 68);
  CHECK(etsi->requirementsOf("V3.1.3").size() == 78);
  CHECK(etsi->find("5.1-1")->status.at("V2.1.1") == "M C(1)");
  CHECK(models::findCatalogue("nistir-8259a-8259b")->requirements.size() == 46);
  CHECK(models::findCatalogue("enisa-baseline-iot-2017")->requirements.size() == 83);
  CHECK(models::findCatalogue("dhs-iot-strategic-principles-2016")->requirements.size() == 28);
  CHECK(models::findCatalogue("fda-premarket-cybersecurity")->requirements.size() == 31);
  CHECK(models::findCatalogue("enisa-baseline-iot-2017")->editions.empty());
  CHECK_FALSE(models::findCatalogue("owasp-iot-top-10"));
}

TEST_CASE("a baseline's status codes in words", "[models][compliance]") {
  // ETSI EN 303 645 Table B.1: M mandatory, R recommended, C(n) conditional, F(x) feature.
  CHECK(models::describeStatus("M") == "mandatory");
  CHECK(models::describeStatus("R C(12)") == "recommended, conditional");
  CHECK(models::describeStatus("M F(a)") == "mandatory, if the feature is present");
  CHECK(models::describeStatus("M C F(14, e)") == "mandatory, conditional, if the feature is present");
  CHECK(models::describeStatus("").empty());
}

TEST_CASE("the stated cross-walk links both sides of each pair", "[models][compliance]") {
  // crosswalk.json: NISTIR 8259B "Information Dissemination" -> EN 303 645 5.3-11, 5.3-12,
  // 5.3-13, 5.3-14, 5.3-16 (NISTIR 8259B Table 1); links to baselines without a catalogue
  // (OWASP IoT Top 10 2018) are kept on our side.
  const auto* etsi = models::findCatalogue("etsi-en-303-645");
  const auto* nist = models::findCatalogue("nistir-8259a-8259b");
  REQUIRE(etsi);
  REQUIRE(nist);
  const auto& back = etsi->find("5.3-13")->related;
  REQUIRE(back.size() == 1);
  CHECK(back[0].baseline == "nistir-8259a-8259b");
  CHECK(back[0].requirement == "Information Dissemination");
  CHECK_FALSE(back[0].source.empty());
  std::vector<std::string> toEtsi;
  for (const auto& l : nist->find("Information Dissemination")->related) {
    if (l.baseline == "etsi-en-303-645") toEtsi.push_back(l.requirement);
  }
  CHECK(toEtsi == std::vector<std::string>{"5.3-11", "5.3-12", "5.3-13", "5.3-14", "5.3-16"});
  const auto* enisa = models::findCatalogue("enisa-baseline-iot-2017");
  std::size_t owasp = 0, links = 0;
  for (const auto& r : enisa->requirements) {
    for (const auto& l : r.related) {
      ++links;
      if (l.baseline == "owasp-iot-top10-2018") ++owasp;
    }
  }
  CHECK(owasp > 0);
  CHECK(links > owasp);  // and the NISTIR 8259A pairs, from the other side
}

TEST_CASE("met needs a mitigation in place; planned is not met; not applicable needs a reason", "[models][compliance]") {
  using S = models::MitigationStatus;
  models::Project p = smartLock();
  p.mitigations = {mitigation("in_place", S::Implemented, {"5.1-1"}), mitigation("verified", S::Verified, {"5.1-3"}),
                   mitigation("planned", S::Planned, {"5.1-2", "5.1-3"}), mitigation("proposed", S::Proposed, {"5.1-4"})};
  for (auto& t : p.threats) t.mitigations.clear();
  p.threats.front().mitigations = {"planned"};
  for (auto& h : p.hazards) h.mitigations.clear();
  p.compliance.baselines = {{"etsi-en-303-645", "V2.1.1", {{"5.1-5", "The lock has no password login: it pairs by button."}}}};
  const auto cov = models::coverage(p);
  REQUIRE(cov.size() == 1);
  const auto& b = cov.front();
  CHECK(requirement(b, "5.1-1").state == RequirementState::Met);
  CHECK(requirement(b, "5.1-3").state == RequirementState::Met);  // one in place suffices
  CHECK(requirement(b, "5.1-3").mitigations == std::vector<std::string>{"verified", "planned"});
  CHECK(requirement(b, "5.1-2").state == RequirementState::Planned);
  CHECK(requirement(b, "5.1-4").state == RequirementState::Planned);
  CHECK(requirement(b, "5.1-5").state == RequirementState::NotApplicable);
  CHECK(requirement(b, "5.1-5").justification == "The lock has no password login: it pairs by button.");
  CHECK(requirement(b, "5.2-1").state == RequirementState::Gap);
  CHECK(requirement(b, "5.1-1").status == "M C(1)");
  // Evidence: the threat that cites the planned mitigation.
  CHECK(requirement(b, "5.1-2").threats == std::vector<std::string>{p.threats.front().id});
  CHECK(b.met == 2);
  CHECK(b.planned == 2);
  CHECK(b.notApplicable == 1);
  CHECK(b.met + b.planned + b.gaps + b.notApplicable == 68);
  CHECK(b.share() == Approx(2.0 / 67));
  // Implementing the planned one turns both of its requirements met.
  p.mitigations[2].status = S::Implemented;
  const auto after = models::coverage(p);
  CHECK(requirement(after.front(), "5.1-2").state == RequirementState::Met);
  CHECK(after.front().met == 3);
}

TEST_CASE("compliance problems are reported at their place", "[models][compliance]") {
  models::Project p = smartLock();
  p.compliance.baselines = {{"etsi-en-303-645", "", {}},
                            {"enisa-baseline-iot-2017", "2017", {}},
                            {"iso-21434", "", {}},
                            {"dhs-iot-strategic-principles-2016", "", {{"P9", "why"}, {"P1", " "}}},
                            {"dhs-iot-strategic-principles-2016", "", {}}};
  p.mitigations.front().requirements = {{"etsi-en-303-645", "5.99-1"}, {"nist", "x"}};
  const auto ds = models::validate(p, "lock.json");
  CHECK(hasError(ds, "/compliance/baselines/0/edition", "an edition is needed"));
  CHECK(hasError(ds, "/compliance/baselines/1/edition", "has one edition"));
  CHECK(hasError(ds, "/compliance/baselines/2/baseline", "unknown baseline \"iso-21434\""));
  CHECK(hasError(ds, "/compliance/baselines/3/not_applicable/0/requirement", "unknown requirement \"P9\""));
  CHECK(hasError(ds, "/compliance/baselines/3/not_applicable/1/justification", "reason"));
  CHECK(hasError(ds, "/compliance/baselines/4/baseline", "selected twice"));
  CHECK(hasError(ds, "/mitigations/0/requirements/0/requirement", "unknown requirement \"5.99-1\""));
  CHECK(hasError(ds, "/mitigations/0/requirements/1/baseline", "unknown baseline \"nist\""));
  CHECK(std::all_of(ds.begin(), ds.end(), [](const auto& d) { return d.file == "lock.json"; }));
}

TEST_CASE("the compliance section survives a save and is left out when empty", "[models][compliance]") {
  models::Project p = smartLock();
  const std::string without = models::serialise(p);
  CHECK(without.find("\"compliance\"") == std::string::npos);
  p.compliance.baselines = {{"etsi-en-303-645", "V3.1.3", {{"5.1-5", "No passwords."}}}, {"fda-premarket-cybersecurity", "", {}}};
  const std::string text = models::serialise(p);
  const auto again = models::parseProject(text, "again.json");
  REQUIRE(again.project);
  CHECK(again.project->compliance == p.compliance);
  CHECK(models::serialise(*again.project) == text);
  // Unknown keys are refused, as everywhere in the format.
  std::string bad = text;
  bad.replace(bad.find("\"justification\""), 15, "\"reason\"");
  CHECK_FALSE(models::parseProject(bad, "bad.json").project);
}
