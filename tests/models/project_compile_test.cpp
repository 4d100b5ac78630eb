#include "models/project_compile.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "core/fault_tree_analysis.h"
#include "models/project_analysis.h"
#include "models/project_file.h"
#include "support.h"

using namespace thornwood;
using test::Sets;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

models::Project smartLock() { return models::loadProject(kSmartLock).project.value(); }

core::AnalysisResult analyseTree(const models::CompiledTree& t) {
  auto r = core::analyse(t.graph, t.top, core::AnalysisOptions{});
  REQUIRE(r);
  return *r;
}

// By hand, from the file: P(capture) 0.5, P(forward) 0.4, P(default_pin) 0.1; motor 1e-3;
// watchdog 0.01; power glitch rate 1e-6 /h over 8760 h.
const double kGlitch = 1 - std::exp(-1e-6 * 8760);
const double kRelay = 0.5 * 0.4;

}  // namespace

TEST_CASE("an attack tree compiles with SAND as AND and blocked nodes as false", "[models][compile]") {
  const auto p = smartLock();
  SECTION("no mitigation") {
    auto t = models::compileAttackTree(p, "at_unlock", models::MitigationScope::None);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    CHECK(test::namesOf(t->graph, r.cutSets.list) == Sets{{"capture", "forward"}, {"default_pin"}});
    CHECK_THAT(*r.probability, Catch::Matchers::WithinRel(1 - (1 - kRelay) * (1 - 0.1), 1e-12));
  }
  SECTION("the implemented unique PIN blocks the default PIN") {
    auto t = models::compileAttackTree(p, "at_unlock", models::MitigationScope::InPlace);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    CHECK(test::namesOf(t->graph, r.cutSets.list) == Sets{{"capture", "forward"}});
    CHECK_THAT(*r.probability, Catch::Matchers::WithinRel(kRelay, 1e-12));
  }
  SECTION("every mitigation, distance bounding included, blocks every attack") {
    auto t = models::compileAttackTree(p, "at_unlock", models::MitigationScope::All);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    CHECK(r.cutSets.count == 0);
    CHECK(*r.probability == 0.0);
  }
}

TEST_CASE("a fault tree compiles with its embedded attack tree, rates and mitigations", "[models][compile]") {
  const auto p = smartLock();
  SECTION("before mitigation") {
    auto t = models::compileFaultTree(p, "ft_open", models::MitigationScope::None);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    CHECK(test::namesOf(t->graph, r.cutSets.list) ==
          Sets{{"motor_fault"}, {"at_unlock/default_pin"}, {"at_unlock/capture", "at_unlock/forward"},
               {"power_glitch", "watchdog_fails"}});
    const double attack = 1 - (1 - kRelay) * (1 - 0.1);
    const double expected = 1 - (1 - 1e-3) * (1 - attack) * (1 - kGlitch * 0.01);
    CHECK_THAT(*r.probability, Catch::Matchers::WithinRel(expected, 1e-12));
  }
  SECTION("with every mitigation: the planned second motor channel divides motor_fault by 10") {
    auto t = models::compileFaultTree(p, "ft_open", models::MitigationScope::All);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    CHECK(test::namesOf(t->graph, r.cutSets.list) == Sets{{"motor_fault"}, {"power_glitch", "watchdog_fails"}});
    CHECK_THAT(*r.probability, Catch::Matchers::WithinRel(1 - (1 - 1e-4) * (1 - kGlitch * 0.01), 1e-12));
  }
  SECTION("an attack tree shared through a tree reference stays one set of variables") {
    auto q = p;
    q.attackTrees.push_back(models::AttackTree{
        "at_twice", "Both", "both",
        {models::AttackNode{"both", "both", models::AttackNodeKind::And, 0, {"a", "b"}, "", {}, {}, {}, {}, {}},
         models::AttackNode{"a", "a", models::AttackNodeKind::TreeRef, 0, {}, "at_unlock", {}, {}, {}, {}, {}},
         models::AttackNode{"b", "b", models::AttackNodeKind::TreeRef, 0, {}, "at_unlock", {}, {}, {}, {}, {}}}});
    auto t = models::compileAttackTree(q, "at_twice", models::MitigationScope::None);
    REQUIRE(t);
    const auto r = analyseTree(*t);
    // (X and X) is X: exact on the shared subtree, where bottom-up would square it.
    CHECK_THAT(*r.probability, Catch::Matchers::WithinRel(1 - (1 - kRelay) * (1 - 0.1), 1e-12));
    CHECK(r.cutSets.count == 2);
  }
}

TEST_CASE("the project analysis rates hazards stated and computed", "[models][analysis]") {
  const auto p = smartLock();
  const auto a = models::analyse(p, "smart-lock");
  REQUIRE(a.faultTrees.size() == 1);
  REQUIRE(a.hazards.size() == 1);
  const auto& h = a.hazards[0];
  // Stated: probable x critical is high; occasional x critical is serious (the standard matrix).
  CHECK(p.riskMatrix.classes[h.before.riskClass.value()].id == "high");
  CHECK(p.riskMatrix.classes[h.after.riskClass.value()].id == "serious");
  // Computed: 0.2808 and 0.2009 are both above 0.1, so "frequent".
  REQUIRE(h.computedBefore);
  CHECK(h.computedBefore->likelihood == "frequent");
  CHECK_THAT(h.probabilityAfter.value(), Catch::Matchers::WithinRel(1 - (1 - 1e-3) * (1 - kRelay) * (1 - kGlitch * 0.01), 1e-12));
}

TEST_CASE("the project analysis gives the same result on one thread and on four", "[models][analysis]") {
  const auto p = models::loadProject(std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-home-hub.thornwood.json").project.value();
  models::ProjectAnalysisOptions one;
  one.threads = 1;
  one.timing = false;
  models::ProjectAnalysisOptions four = one;
  four.threads = 4;
  const auto a = models::analyse(p, "x", one);
  const auto b = models::analyse(p, "x", four);
  REQUIRE(a.faultTrees.size() == b.faultTrees.size());
  for (std::size_t i = 0; i < a.faultTrees.size(); ++i) {
    CHECK(a.faultTrees[i].after.result->probability == b.faultTrees[i].after.result->probability);
    CHECK(a.faultTrees[i].after.result->cutSets.list == b.faultTrees[i].after.result->cutSets.list);
  }
  CHECK(a.diagnostics == b.diagnostics);
}

TEST_CASE("threat risk before and after, and the coverage of the mitigations in place", "[models][analysis][coverage]") {
  const auto p = smartLock();
  const auto a = models::analyse(p, "smart-lock");
  REQUIRE(a.threats.size() == 3);
  // t_relay: occasional x critical = serious. Its attack tree goes from 0.28 to 0.2 with the
  // unique PIN in place: the top of "occasional" (1e-2) x 0.2 / 0.28 = 7.1e-3 is still
  // occasional, so the residual class stays serious.
  const models::ThreatRisk& relay = a.threats[0];
  CHECK(relay.id == "t_relay");
  CHECK(p.riskMatrix.classes[relay.inherent.riskClass.value()].id == "serious");
  CHECK(relay.basis == "attack tree");
  CHECK_THAT(relay.probabilityBefore.value(), Catch::Matchers::WithinRel(0.28, 1e-12));
  CHECK_THAT(relay.probabilityAfter.value(), Catch::Matchers::WithinRel(0.2, 1e-12));
  REQUIRE(relay.residual);
  CHECK(relay.residual->likelihood == "occasional");
  // t_pin is mitigated: no residual risk; t_logs is accepted: its risk stays.
  CHECK_FALSE(a.threats[1].residual);
  CHECK(a.threats[1].basis == "status");
  REQUIRE(a.threats[2].residual);
  CHECK(p.riskMatrix.classes[a.threats[2].residual->riskClass.value()].id == "medium");
  // Coverage: 1 of 3 threats mitigated; of the tree's 2 scenarios, the PIN one is blocked.
  CHECK(a.coverage.threats == 3);
  CHECK(a.coverage.threatsMitigated == 1);
  CHECK(a.coverage.scenarios == 2);
  CHECK(a.coverage.scenariosBlocked == 1);
  CHECK(a.coverage.scenariosExact);
}
