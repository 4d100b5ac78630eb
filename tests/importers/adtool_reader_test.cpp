#include "importers/adtool_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "models/attack_analysis.h"
#include "models/validate.h"
#include "support.h"

using namespace thornwood;

namespace {

std::size_t errors(const importers::ImportOutcome& o) {
  return static_cast<std::size_t>(std::count_if(o.diagnostics.begin(), o.diagnostics.end(),
                                                [](const core::Diagnostic& d) { return d.severity == core::Severity::Error; }));
}

models::AttackAnalysis analyse(const models::Project& p, models::MitigationScope scope) {
  models::AttackOptions o;
  o.scope = scope;
  auto a = models::analyseAttackTree(p, p.attackTrees.front().id, o);
  REQUIRE(a);
  return *a;
}

std::set<std::set<std::string>> scenarios(const models::AttackAnalysis& a) {
  std::set<std::set<std::string>> out;
  for (const auto& s : a.scenarios) out.insert(std::set<std::string>(s.leaves.begin(), s.leaves.end()));
  return out;
}

}  // namespace

TEST_CASE("every ADTool sample imports into a valid project", "[importers][adtool]") {
  const auto shared = test::sharedDir();
  if (!shared) {
    WARN("../shared is absent: skipped");
    return;
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*shared / "samples" / "adtool")) {
    if (entry.path().extension() != ".xml") continue;
    ++files;
    INFO(entry.path().string());
    const auto o = importers::readAdtool(entry.path().string());
    for (const auto& d : o.diagnostics) {
      UNSCOPED_INFO(core::format(d));
      CHECK(d.file == entry.path().string());
      CHECK_FALSE(d.place.empty());  // every warning points into the file
    }
    CHECK(errors(o) == 0);
    REQUIRE(o.project);
    const auto problems = models::validate(*o.project, "imported");
    for (const auto& d : problems) UNSCOPED_INFO(core::format(d));
    CHECK(models::noErrors(problems));
    CHECK(o.project->attackTrees.size() == 1);
    analyse(*o.project, models::MitigationScope::All);  // analysable, whatever the structure
  }
  CHECK(files == 18);
}

TEST_CASE("the transcribed adtrees post_tree imports with its shared actions: minimal cost 25", "[importers][adtool]") {
  const auto shared = test::sharedDir();
  if (!shared) {
    WARN("../shared is absent: skipped");
    return;
  }
  const auto o = importers::readAdtool((*shared / "samples/adtool/transcribed/adtrees_post_tree.xml").string());
  REQUIRE(o.project);
  // Stated in ../shared/samples/expected.json (wwidel/adtrees tests/test_rbu.py): 25 with set
  // semantics, 35 naive bottom-up.
  const auto a = analyse(*o.project, models::MitigationScope::None);
  CHECK(*a.metrics.front().value == 25);
  CHECK(a.metrics.front().scenario == std::vector<std::string>{"a", "c", "d"});
  // b and c each appear twice in the file and are one node each.
  CHECK(o.project->attackTrees.front().nodes.size() == 8);
}

TEST_CASE("countermeasures and counter-attacks keep their meaning", "[importers][adtool]") {
  // Steal = AND(Pick lock, Open safe); Pick lock is countered by "Alarm", which the attacker
  // defeats by "Cut wire"; Open safe is countered by "Guard" OR "Camera".
  const auto o = importers::parseAdtool(R"(<?xml version="1.0"?>
<adtree>
  <node refinement="conjunctive"><label>Steal</label>
    <node refinement="disjunctive"><label>Pick lock</label>
      <parameter domainId="MinCost1" category="basic">10</parameter>
      <node refinement="disjunctive" switchRole="yes"><label>Alarm</label>
        <parameter domainId="MinCost1" category="basic">500</parameter>
        <node refinement="disjunctive" switchRole="yes"><label>Cut wire</label>
          <parameter domainId="MinCost1" category="basic">5</parameter></node>
      </node>
    </node>
    <node refinement="disjunctive"><label>Open safe</label>
      <parameter domainId="MinCost1" category="basic">50</parameter>
      <parameter domainId="Power1" category="basic">3</parameter>
      <node refinement="disjunctive" switchRole="yes"><label>Protect safe</label>
        <node refinement="disjunctive"><label>Guard</label><parameter domainId="MinCost1" category="basic">900</parameter></node>
        <node refinement="disjunctive"><label>Camera</label><parameter domainId="MinCost1" category="basic">300</parameter></node>
      </node>
    </node>
  </node>
  <domain id="MinCost1"><class>lu.uni.adtool.domains.adtpredefined.MinCost</class><tool>ADTool2</tool></domain>
  <domain id="Power1"><class>lu.uni.adtool.domains.adtpredefined.PowerCons</class><tool>ADTool2</tool></domain>
</adtree>)", "safe.xml");
  REQUIRE(o.project);
  CHECK(errors(o) == 0);
  // The PowerCons value is reported, with its place, not dropped in silence.
  REQUIRE(o.diagnostics.size() == 1);
  CHECK(o.diagnostics[0].place == "14:7");
  CHECK(o.diagnostics[0].problem.find("PowerCons") != std::string::npos);
  const models::Project& p = *o.project;
  CHECK(models::noErrors(models::validate(p, "safe.xml")));
  REQUIRE(p.mitigations.size() == 3);  // Alarm, Guard, Camera
  CHECK(p.mitigations[0].title == "Alarm");
  CHECK(p.mitigations[0].cost == 500);
  // No defence: pick the lock and open the safe.
  CHECK(scenarios(analyse(p, models::MitigationScope::None)) ==
        std::set<std::set<std::string>>{{"pick_lock", "open_safe"}});
  // Every defence: the alarm can still be beaten by cutting its wire, but the safe is lost.
  CHECK(scenarios(analyse(p, models::MitigationScope::All)).empty());
  // Only the alarm (as if implemented): the attacker must cut the wire too.
  models::Project alarmOnly = p;
  alarmOnly.mitigations[0].status = models::MitigationStatus::Implemented;
  CHECK(scenarios(analyse(alarmOnly, models::MitigationScope::InPlace)) ==
        std::set<std::set<std::string>>{{"pick_lock", "open_safe", "cut_wire"}});
  // Only the camera: either defence of the OR blocks the safe alone.
  models::Project cameraOnly = p;
  cameraOnly.mitigations[2].status = models::MitigationStatus::Implemented;
  CHECK(scenarios(analyse(cameraOnly, models::MitigationScope::InPlace)).empty());
}

TEST_CASE("bad ADTool input gets a clear error", "[importers][adtool]") {
  CHECK(importers::parseAdtool("<adtree><node>", "broken.xml").diagnostics.at(0).problem.rfind("malformed XML", 0) == 0);
  const auto wrong = importers::parseAdtool("<opsa-mef/>", "mef.xml");
  CHECK_FALSE(wrong.project);
  CHECK(wrong.diagnostics.at(0).problem == "expected an ADTool <adtree> or <sandtree> document, found <opsa-mef>");
  const auto dtd = importers::parseAdtool("<!DOCTYPE adtree [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><adtree/>", "dtd.xml");
  CHECK_FALSE(dtd.project);
  CHECK(dtd.diagnostics.at(0).code == core::ErrorCode::Unsupported);
  std::string deep = "<adtree>";
  for (int i = 0; i < 600; ++i) deep += "<node refinement=\"conjunctive\"><label>n</label>";
  for (int i = 0; i < 600; ++i) deep += "</node>";
  deep += "</adtree>";
  const auto nested = importers::parseAdtool(deep, "deep.xml");
  CHECK_FALSE(nested.project);
  CHECK(nested.diagnostics.back().problem == "the tree nests deeper than 500 levels");
  CHECK_FALSE(importers::readAdtool("/nonexistent.xml").project);
}

TEST_CASE("mutated ADTool files never crash the importer or the analysis", "[importers][adtool]") {
  const std::string original = R"(<?xml version="1.0"?>
<adtree>
  <node refinement="conjunctive"><label>Steal</label>
    <node refinement="disjunctive"><label>Pick lock</label>
      <parameter domainId="MinCost1" category="basic">10</parameter>
      <node refinement="disjunctive" switchRole="yes"><label>Alarm</label>
        <node refinement="disjunctive" switchRole="yes"><label>Cut wire</label></node>
      </node>
    </node>
    <node refinement="sequential"><label>Open safe</label>
      <node refinement="disjunctive"><label>Drill</label><parameter domainId="MinCost1" category="basic">50</parameter></node>
      <node refinement="disjunctive"><label>Pick lock</label><parameter domainId="MinCost1" category="basic">10</parameter></node>
    </node>
  </node>
  <domain id="MinCost1"><class>lu.uni.adtool.domains.adtpredefined.MinCost</class><tool>ADTool2</tool></domain>
</adtree>)";
  std::mt19937 rng(515);
  int projects = 0;
  for (int round = 0; round < 300; ++round) {
    const auto o = importers::parseAdtool(test::mutate(original, rng, "<>/=\"' abcdefgnor0123456789.-"), "m.xml");
    if (!o.project) {
      CHECK(errors(o) > 0);
      continue;
    }
    ++projects;
    if (models::noErrors(models::validate(*o.project, "m"))) analyse(*o.project, models::MitigationScope::All);
  }
  CHECK(projects > 0);
}
