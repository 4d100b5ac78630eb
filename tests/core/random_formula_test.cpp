// Cross-checks of the engine against brute force on seeded random small formulas: the BDD
// probability against a truth table, the ZBDD cut sets against the minimal solutions found
// by enumerating every assignment, and the approximations against sums over those sets.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "core/fault_tree_analysis.h"
#include "support.h"

using namespace thornwood::core;

namespace {

struct RandomFormula {
  LogicGraph graph;
  std::vector<NodeId> variables;
  NodeId top = 0;
};

RandomFormula makeFormula(std::mt19937& rng, bool allowNegation) {
  RandomFormula f;
  const int nv = std::uniform_int_distribution<int>(2, 8)(rng);
  std::vector<NodeId> pool;
  for (int i = 0; i < nv; ++i) {
    const double p = std::uniform_real_distribution<double>(0.01, 0.9)(rng);
    f.variables.push_back(f.graph.addVariable("v" + std::to_string(i), p));
    pool.push_back(f.variables.back());
  }
  if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) {
    pool.push_back(f.graph.addConstant("h", std::uniform_int_distribution<int>(0, 1)(rng) == 1));
  }
  const int ng = std::uniform_int_distribution<int>(1, 9)(rng);
  std::vector<GateKind> kinds{GateKind::And, GateKind::Or, GateKind::AtLeast, GateKind::Inhibit,
                              GateKind::Null};
  if (allowNegation) {
    for (GateKind k : {GateKind::Not, GateKind::Xor, GateKind::Nand, GateKind::Nor,
                       GateKind::Iff, GateKind::Imply, GateKind::Cardinality}) {
      kinds.push_back(k);
    }
  }
  for (int i = 0; i < ng; ++i) {
    const GateKind kind = kinds[std::uniform_int_distribution<std::size_t>(0, kinds.size() - 1)(rng)];
    int n = std::uniform_int_distribution<int>(2, 4)(rng);
    if (kind == GateKind::Not || kind == GateKind::Null) n = 1;
    if (kind == GateKind::Inhibit || kind == GateKind::Iff || kind == GateKind::Imply) n = 2;
    std::vector<NodeId> children;
    // Prefer recent nodes so that gates nest; duplicates are allowed on purpose.
    for (int c = 0; c < n; ++c) {
      const std::size_t lo = pool.size() > 6 ? pool.size() - 6 : 0;
      children.push_back(pool[std::uniform_int_distribution<std::size_t>(lo, pool.size() - 1)(rng)]);
    }
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      children.push_back(pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)]);
      if (n == 1 || kind == GateKind::Inhibit || kind == GateKind::Iff || kind == GateKind::Imply) {
        children.pop_back();
      }
    }
    int min = 0, max = 0;
    const int size = static_cast<int>(children.size());
    if (kind == GateKind::AtLeast) min = std::uniform_int_distribution<int>(1, size)(rng);
    if (kind == GateKind::Cardinality) {
      min = std::uniform_int_distribution<int>(0, size)(rng);
      max = std::uniform_int_distribution<int>(min, size)(rng);
    }
    const NodeId g = f.graph.addGate("g" + std::to_string(i));
    f.graph.defineGate(g, kind, children, min, max);
    pool.push_back(g);
    f.top = g;
  }
  return f;
}

struct BruteForce {
  double probability = 0;
  std::set<std::set<NodeId>> minimalSolutions;
};

BruteForce bruteForce(const RandomFormula& f) {
  BruteForce out;
  const std::size_t nv = f.variables.size();
  std::vector<std::uint32_t> solutions;
  for (std::uint32_t mask = 0; mask < (1u << nv); ++mask) {
    std::vector<bool> value(f.graph.size(), false);
    double p = 1;
    for (std::size_t i = 0; i < nv; ++i) {
      const bool on = (mask >> i) & 1u;
      value[f.variables[i]] = on;
      const double pi = *f.graph.probability(f.variables[i]);
      p *= on ? pi : 1 - pi;
    }
    if (!thornwood::test::evaluate(f.graph, f.top, value)) continue;
    out.probability += p;
    solutions.push_back(mask);
  }
  for (std::uint32_t s : solutions) {
    const bool minimal = std::none_of(solutions.begin(), solutions.end(), [s](std::uint32_t t) {
      return t != s && (t & s) == t;
    });
    if (!minimal) continue;
    std::set<NodeId> set;
    for (std::size_t i = 0; i < nv; ++i) {
      if ((s >> i) & 1u) set.insert(f.variables[i]);
    }
    out.minimalSolutions.insert(set);
  }
  return out;
}

void crossCheck(std::uint32_t seed, bool allowNegation) {
  std::mt19937 rng(seed);
  const RandomFormula f = makeFormula(rng, allowNegation);
  REQUIRE(f.graph.validate().empty());
  const BruteForce truth = bruteForce(f);
  double rare = 0, logComplement = 0;
  for (const auto& set : truth.minimalSolutions) {
    double p = 1;
    for (NodeId v : set) p *= *f.graph.probability(v);
    rare += p;
    logComplement += std::log1p(-p);
  }
  for (auto ordering : {VariableOrdering::DepthFirst, VariableOrdering::Ascending,
                        VariableOrdering::Descending, VariableOrdering::GatesFirst,
                        VariableOrdering::Sifting, VariableOrdering::Auto}) {
    for (auto modules : {Modularisation::On, Modularisation::Off}) {
      AnalysisOptions o;
      o.ordering = ordering;
      o.modules = modules;
      o.siftThreshold = 4;  // reorder as soon as there is anything to reorder
      INFO("seed " << seed << " ordering " << static_cast<int>(ordering) << " modules "
                   << static_cast<int>(modules));
      const auto r = analyse(f.graph, f.top, o);
      REQUIRE(r);
      CHECK(r->probability.value() == Approx(truth.probability).margin(1e-12));
      std::set<std::set<NodeId>> sets;
      for (const auto& s : r->cutSets.list) sets.insert(std::set<NodeId>(s.begin(), s.end()));
      CHECK(sets == truth.minimalSolutions);
      CHECK(r->cutSets.count == truth.minimalSolutions.size());
      CHECK(r->rareEvent.value() == Approx(std::min(1.0, rare)).margin(1e-12));
      CHECK(r->mcub.value() == Approx(-std::expm1(logComplement)).margin(1e-12));
    }
  }
}

/// The ZBDD method (no BDD) against brute force: the minimal cut sets up to each order
/// limit, their count and the approximations from them.
void crossCheckZbddMethod(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const RandomFormula f = makeFormula(rng, false);
  REQUIRE(f.graph.validate().empty());
  const BruteForce truth = bruteForce(f);
  for (int limit : {-1, 0, 1, 2, 3}) {
    std::set<std::set<NodeId>> expected;
    double rare = 0, logComplement = 0;
    for (const auto& set : truth.minimalSolutions) {
      if (limit >= 0 && set.size() > static_cast<std::size_t>(limit)) continue;
      expected.insert(set);
      double p = 1;
      for (NodeId v : set) p *= *f.graph.probability(v);
      rare += p;
      logComplement += std::log1p(-p);
    }
    for (auto ordering :
         {VariableOrdering::Auto, VariableOrdering::DepthFirst, VariableOrdering::Ascending}) {
      for (auto modules : {Modularisation::On, Modularisation::Off}) {
        AnalysisOptions o;
        o.method = Method::Zbdd;
        o.ordering = ordering;
        o.modules = modules;
        if (limit >= 0) o.limitOrder = limit;
        INFO("seed " << seed << " limit " << limit << " ordering " << static_cast<int>(ordering)
                     << " modules " << static_cast<int>(modules));
        const auto r = analyse(f.graph, f.top, o);
        REQUIRE(r);
        // No BDD, so no exact probability, unless the formula is a constant.
        if (r->probability) CHECK((*r->probability == 0.0 || *r->probability == 1.0));
        std::set<std::set<NodeId>> sets;
        for (const auto& s : r->cutSets.list) sets.insert(std::set<NodeId>(s.begin(), s.end()));
        CHECK(sets == expected);
        CHECK(r->cutSets.count == expected.size());
        CHECK(r->rareEvent.value() == Approx(std::min(1.0, rare)).margin(1e-12));
        CHECK(r->mcub.value() == Approx(-std::expm1(logComplement)).margin(1e-12));
      }
    }
  }
}

}  // namespace

TEST_CASE("random coherent formulas match brute force", "[core][random]") {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) crossCheck(seed, false);
}

TEST_CASE("the ZBDD method's cut sets of random coherent formulas match brute force",
          "[core][random][zbdd]") {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) crossCheckZbddMethod(seed);
}

TEST_CASE("the ZBDD method refuses formulas that negate events", "[core][zbdd]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a", 0.1), b = g.addVariable("b", 0.2);
  const NodeId n = g.addGate("n");
  g.defineGate(n, GateKind::Not, {a});
  const NodeId top = g.addGate("top");
  g.defineGate(top, GateKind::And, {n, b});
  AnalysisOptions o;
  o.method = Method::Zbdd;
  const auto r = analyse(g, top, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Unsupported);
  CHECK(r.error().problem.find("coherent") != std::string::npos);
  o.method = Method::Bdd;
  const auto exact = analyse(g, top, o);
  REQUIRE(exact);
  CHECK(*exact->probability == Approx(0.9 * 0.2).epsilon(1e-15));
}

TEST_CASE("random non-coherent formulas match brute force", "[core][random]") {
  for (std::uint32_t seed = 1001; seed <= 1200; ++seed) crossCheck(seed, true);
}

namespace {

/// A random formula of 40 events and 60 AND/OR gates over them, its top the last gate.
std::pair<LogicGraph, NodeId> largerFormula(std::uint32_t seed) {
  std::mt19937 rng(seed);
  LogicGraph g;
  std::vector<NodeId> pool;
  for (int i = 0; i < 40; ++i) pool.push_back(g.addVariable("v" + std::to_string(i), 0.1));
  NodeId top = 0;
  for (int i = 0; i < 60; ++i) {
    std::vector<NodeId> children;
    for (int c = 0; c < 3; ++c) {
      children.push_back(pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)]);
    }
    top = g.addGate("g" + std::to_string(i));
    g.defineGate(top, i % 2 ? GateKind::And : GateKind::Or, children);
    pool.push_back(top);
  }
  return {std::move(g), top};
}

/// The final BDD nodes of the smaller of the two orders auto races, each run alone.
std::size_t smallestRacedBdd(const LogicGraph& g, NodeId top) {
  std::size_t smallest = std::numeric_limits<std::size_t>::max();
  for (auto ordering : {VariableOrdering::GatesFirst, VariableOrdering::Descending}) {
    AnalysisOptions o;
    o.ordering = ordering;
    const auto r = analyse(g, top, o);
    REQUIRE(r);
    smallest = std::min<std::size_t>(smallest, r->stats.bddNodes);
  }
  return smallest;
}

}  // namespace

TEST_CASE("the race between orders picks the same winner every time", "[core][random]") {
  // Larger random formulas, where the orders make different numbers of nodes: the
  // winner and its statistics must not depend on which thread finished first.
  for (std::uint32_t seed = 5001; seed <= 5040; ++seed) {
    const auto [g, top] = largerFormula(seed);
    REQUIRE(g.validate().empty());
    const auto first = analyse(g, top, {});
    REQUIRE(first);
    for (int run = 0; run < 3; ++run) {
      const auto again = analyse(g, top, {});
      REQUIRE(again);
      CHECK(again->stats.ordering == first->stats.ordering);
      CHECK(again->stats.bddNodesMade == first->stats.bddNodesMade);
      CHECK(again->stats.zbddNodes == first->stats.zbddNodes);
      CHECK(*again->probability == *first->probability);
      CHECK(again->cutSets.list == first->cutSets.list);
    }
  }
}

TEST_CASE("auto falls back to light preprocessing when both raced orders exceed the budget",
          "[core][random]") {
  // The budget is set just below what the smaller of the two raced attempts needs (no
  // garbage is collected at these sizes, so live nodes are nodes made): both stop with a
  // Limit, and auto must then try new modules only with the ascending order, which on some
  // formulas fits. Its answer must be the unlimited one.
  int fallbacksThatFit = 0;
  for (std::uint32_t seed = 5001; seed <= 5200; ++seed) {
    INFO("seed " << seed);
    const auto [g, top] = largerFormula(seed);
    REQUIRE(g.validate().empty());
    const auto unlimited = analyse(g, top, {});
    REQUIRE(unlimited);
    const std::size_t smallest = smallestRacedBdd(g, top);
    if (smallest < 8) continue;
    AnalysisOptions o;
    o.nodeBudget = smallest - 1;
    const auto r = analyse(g, top, o);
    if (!r) {
      CHECK(r.error().code == ErrorCode::Limit);
      continue;
    }
    ++fallbacksThatFit;
    CHECK(r->stats.ordering == VariableOrdering::Ascending);
    CHECK(r->stats.preprocessing == "modules");
    CHECK(*r->probability == Approx(*unlimited->probability).margin(1e-12));
    CHECK(r->cutSets.count == unlimited->cutSets.count);
  }
  CHECK(fallbacksThatFit > 0);
}

TEST_CASE("sifting fits a budget that every static order exceeds", "[core][random]") {
  // Reordering as it builds, from a low threshold, the sifting attempt fits on some
  // formulas a budget below what the raced orders need. Its answer must be the unlimited
  // one wherever it fits.
  int siftedThatFit = 0;
  for (std::uint32_t seed = 5001; seed <= 5200; ++seed) {
    INFO("seed " << seed);
    const auto [g, top] = largerFormula(seed);
    const auto unlimited = analyse(g, top, {});
    REQUIRE(unlimited);
    const std::size_t smallest = smallestRacedBdd(g, top);
    if (smallest < 16) continue;
    AnalysisOptions o;
    o.ordering = VariableOrdering::Sifting;
    o.nodeBudget = smallest - 1;
    o.siftThreshold = 8;
    const auto r = analyse(g, top, o);
    if (!r) {
      CHECK(r.error().code == ErrorCode::Limit);
      continue;
    }
    // Collecting garbage as often as the low threshold asks can be enough on its own.
    if (r->stats.bddReorderings > 0) ++siftedThatFit;
    CHECK(r->stats.ordering == VariableOrdering::Sifting);
    CHECK(r->stats.preprocessing == "full");
    CHECK(*r->probability == Approx(*unlimited->probability).margin(1e-12));
    CHECK(r->cutSets.count == unlimited->cutSets.count);
    CHECK(r->cutSets.list == unlimited->cutSets.list);
  }
  CHECK(siftedThatFit > 0);
}

namespace {

/// Value of a set under an objective, from the definition.
double valueOf(const Objective& o, const std::set<NodeId>& set) {
  double v = o.aggregate == Aggregate::Product ? 1.0 : 0.0;
  for (NodeId n : set) {
    const double w = o.weights[n];
    v = o.aggregate == Aggregate::Sum ? v + w : o.aggregate == Aggregate::Product ? v * w : std::max(v, w);
  }
  return v;
}

bool better(const Objective& o, double a, double b) { return o.sense == Sense::Minimise ? a < b : a > b; }

Objective randomObjective(std::mt19937& rng, std::size_t size, Aggregate a, Sense s) {
  Objective o{a, s, std::vector<double>(size, 0.0)};
  for (double& w : o.weights) {
    // Small integers (and for products, probabilities) make ties likely: ties must be handled.
    w = a == Aggregate::Product ? std::uniform_int_distribution<int>(1, 10)(rng) / 10.0
                                : std::uniform_int_distribution<int>(0, 6)(rng);
  }
  return o;
}

void crossCheckOptima(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const RandomFormula f = makeFormula(rng, false);
  const BruteForce truth = bruteForce(f);
  const Objective cost = randomObjective(rng, f.graph.size(), Aggregate::Sum, Sense::Minimise);
  const Objective prob = randomObjective(rng, f.graph.size(), Aggregate::Product, Sense::Maximise);
  const Objective skill = randomObjective(rng, f.graph.size(), Aggregate::Max, Sense::Minimise);
  const Objective time = randomObjective(rng, f.graph.size(), Aggregate::Sum, Sense::Minimise);
  for (auto modules : {Modularisation::On, Modularisation::Off}) {
    AnalysisOptions o;
    o.modules = modules;
    o.objectives = {cost, prob, skill};
    o.fronts = {{cost, prob}, {cost, time}};
    INFO("seed " << seed << " modules " << static_cast<int>(modules));
    const auto r = analyse(f.graph, f.top, o);
    REQUIRE(r);
    REQUIRE(r->optima.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
      const Objective& obj = o.objectives[k];
      const Optimum& got = r->optima[k];
      if (truth.minimalSolutions.empty()) {
        CHECK_FALSE(got.value);
        continue;
      }
      double best = valueOf(obj, *truth.minimalSolutions.begin());
      for (const auto& set : truth.minimalSolutions) {
        if (better(obj, valueOf(obj, set), best)) best = valueOf(obj, set);
      }
      REQUIRE(got.value);
      CHECK(*got.value == Approx(best).margin(1e-12));
      // The set given attains the optimum and is one of the minimal solutions.
      const std::set<NodeId> witness(got.set.begin(), got.set.end());
      CHECK(truth.minimalSolutions.count(witness) == 1);
      CHECK(valueOf(obj, witness) == Approx(best).margin(1e-12));
    }
    REQUIRE(r->fronts.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
      const auto& [a, b] = o.fronts[k];
      // Brute-force front: the value pairs no other minimal solution dominates.
      std::set<std::pair<double, double>> expected;
      for (const auto& s : truth.minimalSolutions) {
        const double x = valueOf(a, s), y = valueOf(b, s);
        const bool dominated = std::any_of(truth.minimalSolutions.begin(), truth.minimalSolutions.end(), [&](const auto& t) {
          const double tx = valueOf(a, t), ty = valueOf(b, t);
          return (better(a, tx, x) && !better(b, y, ty)) || (better(b, ty, y) && !better(a, x, tx));
        });
        if (!dominated) expected.insert({x, y});
      }
      std::set<std::pair<double, double>> got;
      for (const FrontPoint& p : r->fronts[k]) {
        got.insert({p.first, p.second});
        const std::set<NodeId> witness(p.set.begin(), p.set.end());
        CHECK(truth.minimalSolutions.count(witness) == 1);
        CHECK(valueOf(a, witness) == Approx(p.first).margin(1e-12));
        CHECK(valueOf(b, witness) == Approx(p.second).margin(1e-12));
      }
      CHECK(got.size() == r->fronts[k].size());  // no point twice
      REQUIRE(got.size() == expected.size());
      auto e = expected.begin();
      for (auto g = got.begin(); g != got.end(); ++g, ++e) {
        CHECK(g->first == Approx(e->first).margin(1e-12));
        CHECK(g->second == Approx(e->second).margin(1e-12));
      }
    }
  }
}

}  // namespace

namespace {

void crossCheckRanking(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const RandomFormula f = makeFormula(rng, false);
  const BruteForce truth = bruteForce(f);
  for (auto [aggregate, sense] : {std::pair{Aggregate::Sum, Sense::Minimise}, std::pair{Aggregate::Product, Sense::Maximise},
                                  std::pair{Aggregate::Max, Sense::Minimise}}) {
    const Objective obj = randomObjective(rng, f.graph.size(), aggregate, sense);
    AnalysisOptions o;
    o.objectives = {obj};
    o.rankBy = 0;
    o.maxCutSets = 4;
    INFO("seed " << seed << " aggregate " << static_cast<int>(aggregate));
    const auto r = analyse(f.graph, f.top, o);
    REQUIRE(r);
    std::vector<double> expected;
    for (const auto& set : truth.minimalSolutions) expected.push_back(valueOf(obj, set));
    std::sort(expected.begin(), expected.end(), [&](double a, double b) { return better(obj, a, b); });
    expected.resize(std::min<std::size_t>(expected.size(), 4));
    CHECK(r->cutSets.rankedByObjective);
    REQUIRE(r->cutSets.list.size() == expected.size());
    std::set<std::set<NodeId>> seen;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const std::set<NodeId> set(r->cutSets.list[i].begin(), r->cutSets.list[i].end());
      CHECK(truth.minimalSolutions.count(set) == 1);
      CHECK(seen.insert(set).second);
      CHECK(valueOf(obj, set) == Approx(expected[i]).margin(1e-12));
    }
  }
}

}  // namespace

TEST_CASE("the best sets by an objective, best first, match brute force", "[core][random][optimise]") {
  for (std::uint32_t seed = 3001; seed <= 3300; ++seed) crossCheckRanking(seed);
}

TEST_CASE("optima and Pareto fronts over minimal solutions match brute force", "[core][random][optimise]") {
  for (std::uint32_t seed = 2001; seed <= 2300; ++seed) crossCheckOptima(seed);
}

TEST_CASE("objective weights must be finite and non-negative", "[core][optimise]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a", 0.5);
  const NodeId b = g.addVariable("b", 0.5);
  const NodeId top = g.addGate("top");
  g.defineGate(top, GateKind::Or, {a, b});
  AnalysisOptions o;
  o.objectives = {Objective{Aggregate::Sum, Sense::Minimise, {-1.0, 2.0, 0.0}}};
  const auto r = analyse(g, top, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().problem == "objective weights must be finite and >= 0");
}
