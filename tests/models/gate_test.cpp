// The CI gate's checks on the smart-lock test project, whose numbers are known by hand:
// the open threat t_relay is occasional x critical, "serious" in the 882E matrix, and so is
// hazard h_intrusion's residual rating.
#include <catch2/catch.hpp>

#include "models/gate.h"
#include "models/project_file.h"

using namespace thornwood;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

struct Gated {
  models::Project project;
  models::ProjectAnalysis analysis;
  models::GateResult run(const models::GateConfig& c) const {
    return models::runGate(project, analysis, models::coverage(project), c);
  }
};

Gated load() {
  auto loaded = models::loadProject(kSmartLock);
  REQUIRE(loaded.project);
  Gated g{*loaded.project, {}};
  models::ProjectAnalysisOptions o;
  o.timing = false;
  g.analysis = models::analyse(g.project, "lock.json", o);
  return g;
}

const models::GateCheck& byRule(const models::GateResult& r, const std::string& rule) {
  for (const auto& c : r.checks) {
    if (c.rule == rule) return c;
  }
  FAIL("no check " << rule);
  throw;
}

}  // namespace

TEST_CASE("the gate's checks against hand-known ratings", "[models][gate]") {
  const Gated g = load();
  models::GateConfig c = models::gateConfigOf(g.project);
  CHECK(c.openThreatClass == "serious");
  auto r = g.run(c);
  REQUIRE(r.checks.size() == 5);
  CHECK_FALSE(r.passed());
  CHECK(byRule(r, "TW001").passed);
  const auto& threats = byRule(r, "TW002");
  CHECK_FALSE(threats.passed);
  REQUIRE(threats.findings.size() == 1);  // t_pin is mitigated, t_logs accepted
  CHECK(threats.findings[0].pointer == "/threats/0");
  CHECK(threats.findings[0].message.find("\"t_relay\"") != std::string::npos);
  CHECK(threats.findings[0].message.find("serious") != std::string::npos);
  const auto& hazards = byRule(r, "TW003");
  REQUIRE(hazards.findings.size() == 1);
  CHECK(hazards.findings[0].pointer == "/hazards/0");
  CHECK(byRule(r, "TW004").passed);
  CHECK_FALSE(byRule(r, "TW005").run);

  // A threshold above the threat's class, residual risk not checked: it passes.
  c.openThreatClass = "high";
  c.failOnUnacceptableResidual = false;
  r = g.run(c);
  CHECK(r.passed());
  CHECK_FALSE(byRule(r, "TW003").run);

  // The top event exactly at the threshold passes; just below it fails, at the tree.
  const double top = *g.analysis.faultTrees.at(0).after.result->probability;
  c.maxTopProbability = top;
  CHECK(g.run(c).passed());
  c.maxTopProbability = top * (1 - 1e-9);
  r = g.run(c);
  REQUIRE(byRule(r, "TW004").findings.size() == 1);
  CHECK(byRule(r, "TW004").findings[0].pointer == "/fault_trees/0");
}

TEST_CASE("the gate fails a baseline's coverage below its share", "[models][gate][compliance]") {
  Gated g = load();
  g.project.compliance.baselines = {{"dhs-iot-strategic-principles-2016", "", {}}};
  models::GateConfig c;
  c.failOnUnacceptableResidual = false;
  c.minCoverage["dhs-iot-strategic-principles-2016"] = 0.0;
  CHECK(g.run(c).passed());
  c.minCoverage["dhs-iot-strategic-principles-2016"] = 0.5;  // nothing cites DHS: 0 of 28 met
  auto r = g.run(c);
  const auto& cov = byRule(r, "TW005");
  REQUIRE(cov.findings.size() == 1);
  CHECK(cov.findings[0].pointer == "/compliance/baselines/0");
  CHECK(cov.findings[0].message.find("0 of 28") != std::string::npos);
  c.minCoverage = {{"fda-premarket-cybersecurity", 0.1}};  // asked for but not selected
  CHECK(byRule(g.run(c), "TW005").findings.at(0).message.find("does not select") != std::string::npos);
}

TEST_CASE("a check configuration is read strictly", "[models][gate]") {
  models::GateConfig base;
  base.maxTopProbability = 0.5;
  auto c = models::parseGateConfig(
      R"({"open_threat_class": "high", "max_top_probability": null, "min_coverage": {"etsi-en-303-645": 0.8}})", "c.json", base);
  REQUIRE(c);
  CHECK(c->openThreatClass == "high");
  CHECK_FALSE(c->maxTopProbability);
  CHECK(c->minCoverage.at("etsi-en-303-645") == 0.8);
  CHECK(c->failOnUnacceptableResidual);  // kept from the base
  auto bad = models::parseGateConfig(R"({"max_top_probabilty": 0.1})", "c.json", base);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().place == "/max_top_probabilty");
  CHECK(bad.error().file == "c.json");
  CHECK_FALSE(models::parseGateConfig(R"({"min_coverage": {"etsi-en-303-645": 1.5}})", "c.json", base));
  CHECK_FALSE(models::parseGateConfig(R"({"min_coverage": {"iso": 0.5}})", "c.json", base));
  CHECK_FALSE(models::parseGateConfig("[1]", "c.json", base));
  CHECK_FALSE(models::parseGateConfig("{", "c.json", base));
}

TEST_CASE("a model that does not load fails validation and runs nothing else", "[models][gate]") {
  const auto loaded = models::parseProject(R"({"format": "thornwood", "format_version": 1, "project": 3})", "x.json");
  REQUIRE_FALSE(loaded.project);
  const auto r = models::failedToLoad(loaded.diagnostics);
  CHECK_FALSE(r.passed());
  CHECK_FALSE(r.checks.at(0).passed);
  CHECK_FALSE(r.checks.at(0).findings.empty());
  for (std::size_t i = 1; i < r.checks.size(); ++i) CHECK_FALSE(r.checks[i].run);
}
