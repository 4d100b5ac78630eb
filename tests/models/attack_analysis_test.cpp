#include "models/attack_analysis.h"

#include <catch2/catch.hpp>

#include "models/project_file.h"

using namespace thornwood;
using models::AttackMetric;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

models::AttackNode leaf(const std::string& id, double cost) {
  models::AttackNode n;
  n.id = id;
  n.name = id;
  n.kind = models::AttackNodeKind::Leaf;
  n.cost = cost;
  return n;
}

models::AttackNode gate(const std::string& id, models::AttackNodeKind kind, std::vector<std::string> children) {
  models::AttackNode n;
  n.id = id;
  n.name = id;
  n.kind = kind;
  n.children = std::move(children);
  return n;
}

const models::MetricResult& metric(const models::AttackAnalysis& a, AttackMetric m) {
  for (const auto& r : a.metrics) {
    if (r.metric == m) return r;
  }
  FAIL("no metric");
  throw;
}

}  // namespace

TEST_CASE("minimal cost on a tree with shared actions is 25 (set semantics), not the naive 35", "[models][attack]") {
  // ../shared/samples/adtool/transcribed/adtrees_post_tree.xml, from wwidel/adtrees
  // tests/tree_factory.py post_tree(), whose test (tests/test_rbu.py) states 25 with set
  // semantics and 35 by naive bottom-up: root = AND(OR(a, b), OR(AND(d, c), b), c), with b
  // and c the same actions wherever they appear; a 10, b 16, c 10, d 5.
  models::Project p;
  p.name = "adtrees post_tree";
  p.attackTrees.push_back(models::AttackTree{
      "post", "post_tree", "root",
      {gate("root", models::AttackNodeKind::And, {"left", "mid", "c"}),
       gate("left", models::AttackNodeKind::Or, {"a", "b"}),
       gate("mid", models::AttackNodeKind::Or, {"ref", "b"}),
       gate("ref", models::AttackNodeKind::And, {"d", "c"}), leaf("a", 10), leaf("b", 16), leaf("c", 10), leaf("d", 5)}});
  const auto a = models::analyseAttackTree(p, "post");
  REQUIRE(a);
  const auto& cost = metric(*a, AttackMetric::Cost);
  REQUIRE(cost.value);
  CHECK(*cost.value == 25);
  CHECK(cost.scenario == std::vector<std::string>{"a", "c", "d"});
  // What naive bottom-up gives, for the record: it pays c twice.
  const double naive = std::min(10.0, 16.0) + std::min(5.0 + 10.0, 16.0) + 10.0;
  CHECK(naive == 35);
  // Every minimal scenario, cheapest first: {a, c, d} 25, {b, c} 26.
  REQUIRE(a->scenarios.size() == 2);
  CHECK(a->scenarios[0].leaves == std::vector<std::string>{"a", "c", "d"});
  CHECK(a->scenarios[1].leaves == std::vector<std::string>{"b", "c"});
  CHECK(a->scenarios[1].cost == 26);
  // Without time, skill and probability on the leaves those metrics are refused, with notes.
  CHECK_FALSE(metric(*a, AttackMetric::Probability).value);
  std::size_t refused = 0;
  for (const auto& n : a->notes) refused += n.problem.rfind("no ", 0) == 0 && n.problem.find("leaves lack it") != std::string::npos;
  CHECK(refused == 3);
  CHECK(a->costProbability.empty());
}

TEST_CASE("the smart-lock unlock tree, by hand, before and with mitigations", "[models][attack]") {
  const auto p = models::loadProject(kSmartLock).project.value();
  // Leaves: capture 50 EUR 1 h skill 3 p 0.5; forward 200 EUR 0.5 h skill 6 p 0.4;
  // default_pin 0 EUR 0.1 h skill 0 p 0.1. Scenarios: {capture, forward} (SAND) and {default_pin}.
  SECTION("no mitigation") {
    models::AttackOptions o;
    o.scope = models::MitigationScope::None;
    const auto a = models::analyseAttackTree(p, "at_unlock", o);
    REQUIRE(a);
    CHECK(a->scenarioCount == 2);
    CHECK(*metric(*a, AttackMetric::Cost).value == 0);
    CHECK(metric(*a, AttackMetric::Cost).scenario == std::vector<std::string>{"default_pin"});
    CHECK(*metric(*a, AttackMetric::Time).value == Approx(0.1));
    CHECK(*metric(*a, AttackMetric::Skill).value == 0);
    CHECK(*metric(*a, AttackMetric::Probability).value == Approx(0.5 * 0.4));
    CHECK(metric(*a, AttackMetric::Probability).scenario == std::vector<std::string>{"capture", "forward"});
    // (cost, probability): the free, unlikely PIN and the 250 EUR, likelier relay.
    REQUIRE(a->costProbability.size() == 2);
    CHECK(a->costProbability[0].cost == 0);
    CHECK(a->costProbability[0].other == Approx(0.1));
    CHECK(a->costProbability[1].cost == 250);
    CHECK(a->costProbability[1].other == Approx(0.2));
    // (cost, time): the PIN is both cheapest and quickest, so it alone is on the front.
    REQUIRE(a->costTime.size() == 1);
    CHECK(a->costTime[0].scenario == std::vector<std::string>{"default_pin"});
  }
  SECTION("with the implemented unique PIN, only the relay remains") {
    const auto a = models::analyseAttackTree(p, "at_unlock");
    REQUIRE(a);
    CHECK(a->scenarioCount == 1);
    CHECK(*metric(*a, AttackMetric::Cost).value == 250);
    CHECK(*metric(*a, AttackMetric::Time).value == Approx(1.5));
    CHECK(*metric(*a, AttackMetric::Skill).value == 6);
    CHECK(*metric(*a, AttackMetric::Probability).value == Approx(0.2));
  }
  SECTION("with every mitigation there is no way in") {
    models::AttackOptions o;
    o.scope = models::MitigationScope::All;
    const auto a = models::analyseAttackTree(p, "at_unlock", o);
    REQUIRE(a);
    CHECK(a->scenarioCount == 0);
    CHECK_FALSE(metric(*a, AttackMetric::Cost).value);
  }
}
