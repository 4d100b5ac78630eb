#include "models/attack_analysis.h"

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "core/fault_tree_analysis.h"

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

TEST_CASE("the cheapest set of mitigations that blocks every scenario, with its explanation", "[models][attack][defence]") {
  const auto p = models::loadProject(kSmartLock).project.value();
  const auto plan = models::cheapestBlockingSet(p, "at_unlock");
  REQUIRE(plan);
  // m_pin (2,000) blocks the default PIN, m_distance (40,000) the relay's forward step; the
  // relay and the PIN are separate ways in, so both are needed.
  CHECK(plan->candidates == std::vector<std::string>{"m_distance", "m_pin"});
  REQUIRE(plan->cost);
  CHECK(*plan->cost == 42000);
  CHECK(plan->mitigations == std::vector<std::string>{"m_distance", "m_pin"});
  REQUIRE(plan->explanation.size() == 2);
  CHECK(plan->explanation[0].mitigation == "m_distance");
  CHECK(plan->explanation[0].scenarios == std::vector<std::vector<std::string>>{{"capture", "forward"}});
  CHECK(plan->explanation[1].scenarios == std::vector<std::vector<std::string>>{{"default_pin"}});
  CHECK(plan->scenarioCount == 2);
  CHECK(plan->unblockable.empty());
}

TEST_CASE("when no set blocks everything, the scenarios that survive every candidate are named", "[models][attack][defence]") {
  auto p = models::loadProject(kSmartLock).project.value();
  p.mitigations.erase(p.mitigations.begin() + 2);  // without distance bounding nothing stops the relay
  const auto plan = models::cheapestBlockingSet(p, "at_unlock");
  REQUIRE(plan);
  CHECK_FALSE(plan->cost);
  CHECK(plan->unblockable == std::vector<std::vector<std::string>>{{"capture", "forward"}});
}

namespace {

/// A random attack tree over up to 7 leaves with shared children, and up to 6 mitigations
/// blocking random nodes.
models::Project randomDefenceProject(std::mt19937& rng) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  models::Project p;
  p.name = "random";
  models::AttackTree t{"t", "t", "", {}};
  const int leaves = pick(2, 7);
  std::vector<std::string> pool;
  for (int i = 0; i < leaves; ++i) {
    t.nodes.push_back(leaf("l" + std::to_string(i), pick(0, 9)));
    pool.push_back(t.nodes.back().id);
  }
  const int gates = pick(1, 6);
  for (int i = 0; i < gates; ++i) {
    const auto kinds = {models::AttackNodeKind::And, models::AttackNodeKind::Or, models::AttackNodeKind::Sand,
                        models::AttackNodeKind::AtLeast};
    const auto kind = *(kinds.begin() + pick(0, 3));
    std::vector<std::string> children;
    const int n = pick(2, 3);
    for (int c = 0; c < n; ++c) {
      const std::string& ch = pool[static_cast<std::size_t>(pick(std::max(0, static_cast<int>(pool.size()) - 5), static_cast<int>(pool.size()) - 1))];
      if (std::find(children.begin(), children.end(), ch) == children.end()) children.push_back(ch);
    }
    models::AttackNode g = gate("g" + std::to_string(i), kind, children);
    if (kind == models::AttackNodeKind::AtLeast) g.k = pick(1, static_cast<int>(children.size()));
    t.nodes.push_back(g);
    pool.push_back(g.id);
  }
  t.root = pool.back();
  p.attackTrees.push_back(t);
  const int mitigations = pick(1, 6);
  for (int m = 0; m < mitigations; ++m) {
    models::Mitigation mit;
    mit.id = "m" + std::to_string(m);
    mit.title = mit.id;
    mit.cost = pick(1, 20);
    const int effects = pick(1, 2);
    for (int e = 0; e < effects; ++e) {
      mit.effects.push_back(models::Effect{models::EffectKind::Blocks, "t",
                                           pool[static_cast<std::size_t>(pick(0, static_cast<int>(pool.size()) - 1))], 1});
    }
    p.mitigations.push_back(mit);
  }
  return p;
}

}  // namespace

namespace {

/// The mitigations a bit mask picks, and their total cost.
std::pair<std::set<std::string>, double> subset(const models::Project& p, std::uint32_t mask) {
  std::set<std::string> active;
  double cost = 0;
  for (std::size_t i = 0; i < p.mitigations.size(); ++i) {
    if ((mask >> i) & 1u) {
      active.insert(p.mitigations[i].id);
      cost += p.mitigations[i].cost;
    }
  }
  return {active, cost};
}

}  // namespace

TEST_CASE("cheapest blocking sets match brute force on random small trees", "[models][attack][defence]") {
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    std::mt19937 rng(seed);
    const models::Project p = randomDefenceProject(rng);
    INFO("seed " << seed);
    // Brute force: every subset of the mitigations; blocked when no scenario survives.
    const std::size_t n = p.mitigations.size();
    std::optional<double> best;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
      const auto [active, cost] = subset(p, mask);
      auto compiled = models::compileAttackTree(p, "t", active);
      REQUIRE(compiled);
      core::AnalysisOptions o;
      o.maxCutSets = 0;
      const auto r = core::analyse(compiled->graph, compiled->top, o);
      REQUIRE(r);
      if (r->cutSets.count == 0 && (!best || cost < *best)) best = cost;
    }
    const auto plan = models::cheapestBlockingSet(p, "t");
    REQUIRE(plan);
    CHECK(plan->cost == best);
    if (!plan->cost) continue;
    // The set it names costs that much and does block everything.
    double cost = 0;
    for (const auto& m : plan->mitigations) {
      for (const auto& mit : p.mitigations) cost += mit.id == m ? mit.cost : 0.0;
    }
    CHECK(cost == *plan->cost);
    auto compiled = models::compileAttackTree(p, "t", std::set<std::string>(plan->mitigations.begin(), plan->mitigations.end()));
    const auto r = core::analyse(compiled->graph, compiled->top, core::AnalysisOptions{});
    CHECK(r->cutSets.count == 0);
  }
}

TEST_CASE("the best mitigations under a budget, by hand", "[models][attack][defence][budget]") {
  const auto p = models::loadProject(kSmartLock).project.value();
  // Candidates: m_pin 2,000 (blocks the default PIN, attack cost 0, p 0.1) and m_distance
  // 40,000 (blocks the relay, cost 250, p 0.2).
  auto plan = [&](double budget, AttackMetric m) {
    auto r = models::bestSetUnderBudget(p, "at_unlock", budget, m);
    REQUIRE(r);
    return *r;
  };
  SECTION("cost: each budget buys what raises the attacker's cheapest attack most") {
    const auto nothing = plan(1000, AttackMetric::Cost);
    CHECK(nothing.mitigations.empty());
    CHECK(*nothing.attackerBest == 0);
    CHECK(*nothing.attackerBestWithout == 0);
    const auto pin = plan(5000, AttackMetric::Cost);
    CHECK(pin.mitigations == std::vector<std::string>{"m_pin"});
    CHECK(pin.cost == 2000);
    CHECK(*pin.attackerBest == 250);
    CHECK(pin.setsTried >= 2);  // {} and {m_pin} fit
    REQUIRE(pin.explanation.size() == 1);
    CHECK(pin.explanation[0].scenarios == std::vector<std::vector<std::string>>{{"default_pin"}});
    const auto both = plan(50000, AttackMetric::Cost);
    CHECK(both.mitigations == std::vector<std::string>{"m_distance", "m_pin"});
    CHECK_FALSE(both.attackerBest);  // no attack left
  }
  SECTION("probability: the PIN does not lower the likeliest attack, so it is not bought") {
    const auto cheap = plan(5000, AttackMetric::Probability);
    CHECK(cheap.mitigations.empty());  // a tie at 0.2 goes to the cheaper set
    CHECK(*cheap.attackerBest == Approx(0.2));
    const auto distance = plan(41000, AttackMetric::Probability);
    CHECK(distance.mitigations == std::vector<std::string>{"m_distance"});
    CHECK(*distance.attackerBest == Approx(0.1));
  }
}

TEST_CASE("best sets under a budget match brute force on random small trees", "[models][attack][defence][budget]") {
  for (std::uint32_t seed = 1; seed <= 80; ++seed) {
    std::mt19937 rng(seed + 500);
    const models::Project p = randomDefenceProject(rng);
    const double budget = std::uniform_int_distribution<int>(0, 40)(rng);
    INFO("seed " << seed << " budget " << budget);
    // Brute force: every subset within the budget; the attacker's least cost with it
    // (infinite when no attack is left); best = highest, ties to the cheaper set.
    const std::size_t n = p.mitigations.size();
    double bestValue = -1;
    double bestCost = 0;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
      const auto [active, cost] = subset(p, mask);
      if (cost > budget) continue;
      auto compiled = models::compileAttackTree(p, "t", active);
      REQUIRE(compiled);
      core::AnalysisOptions o;
      o.maxCutSets = 0;
      core::Objective c{core::Aggregate::Sum, core::Sense::Minimise, std::vector<double>(compiled->graph.size(), 0.0)};
      for (core::NodeId v = 0; v < compiled->graph.size(); ++v) {
        if (compiled->graph.kind(v) != core::NodeKind::Variable) continue;
        for (const auto& node : p.attackTrees[0].nodes) {
          if (node.id == compiled->graph.name(v)) c.weights[v] = *node.cost;
        }
      }
      o.objectives.push_back(c);
      const auto r = core::analyse(compiled->graph, compiled->top, o);
      REQUIRE(r);
      const double value = r->optima[0].value ? *r->optima[0].value : 1e300;
      if (value > bestValue || (value == bestValue && cost < bestCost)) {
        bestValue = value;
        bestCost = cost;
      }
    }
    const auto plan = models::bestSetUnderBudget(p, "t", budget, AttackMetric::Cost);
    REQUIRE(plan);
    CHECK((plan->attackerBest ? *plan->attackerBest : 1e300) == bestValue);
    CHECK(plan->cost == bestCost);
  }
}

