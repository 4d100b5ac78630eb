#include "core/fault_tree_analysis.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "support.h"

using namespace thornwood::core;
using thornwood::test::namesOf;
using thornwood::test::Sets;

namespace {

/// A small graph built by name, for hand-checked cases.
struct Builder {
  LogicGraph g;
  std::map<std::string, NodeId> ids;

  NodeId var(const std::string& n, double p) { return ids[n] = g.addVariable(n, p); }
  NodeId constant(const std::string& n, bool v) { return ids[n] = g.addConstant(n, v); }
  NodeId gate(const std::string& n, GateKind k, std::vector<std::string> in, int min = 0, int max = 0) {
    const NodeId id = g.addGate(n);
    std::vector<NodeId> children;
    for (const auto& c : in) children.push_back(ids.at(c));
    g.defineGate(id, k, children, min, max);
    return ids[n] = id;
  }
  AnalysisResult analyse(const std::string& top, const AnalysisOptions& o = {}) {
    REQUIRE(g.validate().empty());
    auto r = thornwood::core::analyse(g, ids.at(top), o);
    REQUIRE(r);
    return *r;
  }
};

Builder abc() {
  Builder b;
  b.var("a", 0.1);
  b.var("b", 0.2);
  b.var("c", 0.3);
  return b;
}

}  // namespace

TEST_CASE("2-of-3 vote", "[core][analysis]") {
  Builder b = abc();
  b.gate("top", GateKind::AtLeast, {"a", "b", "c"}, 2);
  const AnalysisResult r = b.analyse("top");
  CHECK(*r.probability == Approx(0.098).epsilon(1e-12));  // ab + ac + bc - 2abc
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a", "b"}, {"a", "c"}, {"b", "c"}});
  CHECK(*r.rareEvent == Approx(0.11).epsilon(1e-12));
  CHECK(*r.mcub == Approx(1 - 0.98 * 0.97 * 0.94).epsilon(1e-12));
  CHECK(r.cutSets.byOrder == std::map<int, std::uint64_t>{{2, 3}});
  CHECK(r.coherent);
}

TEST_CASE("NOT: exact probability, cut sets drop the negated event", "[core][analysis]") {
  Builder b = abc();
  b.gate("notb", GateKind::Not, {"b"});
  b.gate("top", GateKind::And, {"a", "notb"});
  const AnalysisResult r = b.analyse("top");
  CHECK(*r.probability == Approx(0.1 * 0.8).epsilon(1e-12));
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a"}});
  CHECK_FALSE(r.coherent);
  CHECK_FALSE(r.notes.empty());
}

TEST_CASE("XOR of two events", "[core][analysis]") {
  Builder b = abc();
  b.gate("top", GateKind::Xor, {"a", "b"});
  const AnalysisResult r = b.analyse("top");
  CHECK(*r.probability == Approx(0.1 * 0.8 + 0.9 * 0.2).epsilon(1e-12));
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a"}, {"b"}});
}

TEST_CASE("a shared subtree is counted once", "[core][analysis]") {
  Builder b = abc();
  b.var("d", 0.4);
  b.gate("s", GateKind::And, {"c", "d"});
  b.gate("g1", GateKind::Or, {"a", "s"});
  b.gate("g2", GateKind::Or, {"b", "s"});
  b.gate("top", GateKind::And, {"g1", "g2"});
  // (a ∨ s)(b ∨ s) = ab ∨ s with s = cd independent of a and b.
  const double pab = 0.1 * 0.2, ps = 0.3 * 0.4;
  for (auto modules : {Modularisation::On, Modularisation::Off}) {
    AnalysisOptions o;
    o.modules = modules;
    const AnalysisResult r = b.analyse("top", o);
    CHECK(*r.probability == Approx(pab + ps - pab * ps).epsilon(1e-12));
    CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a", "b"}, {"c", "d"}});
  }
}

TEST_CASE("shared inputs are factored out and the rest become modules", "[core][analysis]") {
  // top = g1 AND g2, g1 = a OR b OR x, g2 = x OR c, x = s AND t. As drawn, neither g1 nor g2
  // is a module (they share x), and only x is. Distributivity factors x out:
  // top = x OR ((a OR b) AND c), in which every gate is a module: x, a OR b, and (a OR b)
  // AND c, three in all.
  Builder b = abc();
  b.var("s", 0.4);
  b.var("t", 0.5);
  b.gate("x", GateKind::And, {"s", "t"});
  b.gate("g1", GateKind::Or, {"a", "b", "x"});
  b.gate("g2", GateKind::Or, {"x", "c"});
  b.gate("top", GateKind::And, {"g1", "g2"});
  // (a ∨ b ∨ x)(x ∨ c) = x ∨ (a ∨ b)c, with x = st independent of a, b, c.
  const double px = 0.4 * 0.5, pab = 1 - 0.9 * 0.8, rest = pab * 0.3;
  AnalysisOptions o;
  o.ordering = VariableOrdering::DepthFirst;
  const AnalysisResult r = b.analyse("top", o);
  CHECK(r.stats.modules == 3);
  CHECK(*r.probability == Approx(px + rest - px * rest).epsilon(1e-12));
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"s", "t"}, {"a", "c"}, {"b", "c"}});
}

TEST_CASE("house events switch branches on and off", "[core][analysis]") {
  Builder b = abc();
  b.constant("on", true);
  b.constant("off", false);
  b.gate("with_on", GateKind::And, {"a", "on"});
  b.gate("with_off", GateKind::And, {"b", "off"});
  b.gate("top", GateKind::Or, {"with_on", "with_off"});
  b.gate("never", GateKind::And, {"a", "off"});
  b.gate("always", GateKind::Or, {"a", "on"});
  const AnalysisResult r = b.analyse("top");
  CHECK(*r.probability == Approx(0.1).epsilon(1e-12));
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a"}});

  const AnalysisResult never = b.analyse("never");
  CHECK(*never.probability == 0.0);
  CHECK(never.cutSets.count == 0);
  CHECK(never.cutSets.list.empty());

  const AnalysisResult always = b.analyse("always");
  CHECK(*always.probability == 1.0);
  CHECK(always.cutSets.count == 1);
  CHECK(namesOf(b.g, always.cutSets.list) == Sets{{}});
}

TEST_CASE("INHIBIT is an AND of input and condition", "[core][analysis]") {
  Builder b = abc();
  b.var("cond", 0.5);
  b.gate("top", GateKind::Inhibit, {"a", "cond"});
  const AnalysisResult r = b.analyse("top");
  CHECK(*r.probability == Approx(0.05).epsilon(1e-12));
  CHECK(namesOf(b.g, r.cutSets.list) == Sets{{"a", "cond"}});
}

TEST_CASE("NAND, NOR, IFF, IMPLY and cardinality by hand", "[core][analysis]") {
  Builder b = abc();
  b.gate("nand", GateKind::Nand, {"a", "b"});
  b.gate("nor", GateKind::Nor, {"a", "b"});
  b.gate("iff", GateKind::Iff, {"a", "b"});
  b.gate("imply", GateKind::Imply, {"a", "b"});
  b.gate("card", GateKind::Cardinality, {"a", "b", "c"}, 1, 2);
  CHECK(*b.analyse("nand").probability == Approx(1 - 0.02).epsilon(1e-12));
  CHECK(*b.analyse("nor").probability == Approx(0.9 * 0.8).epsilon(1e-12));
  CHECK(*b.analyse("iff").probability == Approx(0.02 + 0.72).epsilon(1e-12));
  CHECK(*b.analyse("imply").probability == Approx(0.9 + 0.1 * 0.2).epsilon(1e-12));
  // 1 or 2 of three: 1 - P(none) - P(all)
  CHECK(*b.analyse("card").probability == Approx(1 - 0.9 * 0.8 * 0.7 - 0.006).epsilon(1e-12));
  // ¬(a ∨ b) is true when nothing fails: the empty cut set.
  CHECK(namesOf(b.g, b.analyse("nor").cutSets.list) == Sets{{}});
}

TEST_CASE("order limit, probability cut-off and list cap", "[core][analysis]") {
  Builder b = abc();
  b.var("d", 0.4);
  b.var("e", 0.5);
  b.var("f", 0.6);
  b.gate("bc", GateKind::And, {"b", "c"});
  b.gate("def", GateKind::And, {"d", "e", "f"});
  b.gate("top", GateKind::Or, {"a", "bc", "def"});

  AnalysisOptions order;
  order.limitOrder = 2;
  const AnalysisResult r1 = b.analyse("top", order);
  CHECK(r1.cutSets.count == 2);
  CHECK(namesOf(b.g, r1.cutSets.list) == Sets{{"a"}, {"b", "c"}});
  CHECK(*r1.rareEvent == Approx(0.1 + 0.06).epsilon(1e-12));
  // The exact probability does not depend on cut-set limits.
  const double exact = 1 - 0.9 * 0.94 * 0.88;
  CHECK(*r1.probability == Approx(exact).epsilon(1e-12));

  AnalysisOptions cut;
  cut.cutOff = 0.1;  // keeps {a} (0.1) and {d,e,f} (0.12), drops {b,c} (0.06)
  const AnalysisResult r2 = b.analyse("top", cut);
  CHECK(r2.cutSets.count == 2);
  CHECK(namesOf(b.g, r2.cutSets.list) == Sets{{"a"}, {"d", "e", "f"}});
  CHECK(*r2.rareEvent == Approx(0.22).epsilon(1e-12));
  CHECK(*r2.mcub == Approx(1 - 0.9 * 0.88).epsilon(1e-12));

  AnalysisOptions cap;
  cap.maxCutSets = 2;
  const AnalysisResult r3 = b.analyse("top", cap);
  CHECK(r3.cutSets.count == 3);
  CHECK(r3.cutSets.truncated);
  REQUIRE(r3.cutSets.list.size() == 2);
  CHECK(namesOf(b.g, r3.cutSets.list) == Sets{{"a"}, {"b", "c"}});
}

TEST_CASE("the list is sorted by order, then names", "[core][analysis]") {
  Builder b;
  b.var("zeta", 0.1);
  b.var("alpha", 0.1);
  b.var("mu", 0.1);
  b.var("beta", 0.1);
  b.gate("zm", GateKind::And, {"zeta", "mu"});
  b.gate("ab", GateKind::And, {"beta", "alpha"});
  b.gate("top", GateKind::Or, {"zm", "ab", "mu"});
  const AnalysisResult r = b.analyse("top");
  REQUIRE(r.cutSets.list.size() == 2);
  CHECK(b.g.name(r.cutSets.list[0][0]) == "mu");
  CHECK(b.g.name(r.cutSets.list[1][0]) == "alpha");
  CHECK(b.g.name(r.cutSets.list[1][1]) == "beta");
}

TEST_CASE("a node budget too small is a Limit error", "[core][analysis]") {
  Builder b;
  std::vector<std::string> pairs;
  for (int i = 0; i < 12; ++i) {
    b.var("x" + std::to_string(i), 0.1);
    b.var("y" + std::to_string(i), 0.1);
    pairs.push_back("p" + std::to_string(i));
    b.gate(pairs.back(), GateKind::And, {"x" + std::to_string(i), "y" + std::to_string(i)});
  }
  b.gate("top", GateKind::Or, pairs);
  AnalysisOptions o;
  o.nodeBudget = 10;
  o.modules = Modularisation::Off;
  const auto r = analyse(b.g, b.ids.at("top"), o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Limit);
  CHECK(r.error().problem.find("node budget of 10 exceeded") != std::string::npos);
}

TEST_CASE("events without probability still give cut sets", "[core][analysis]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a");
  const NodeId b = g.addVariable("b");
  const NodeId top = g.addGate("top");
  g.defineGate(top, GateKind::And, {a, b});
  const auto r = analyse(g, top, {});
  REQUIRE(r);
  CHECK_FALSE(r->probability);
  CHECK_FALSE(r->rareEvent);
  CHECK(namesOf(g, r->cutSets.list) == Sets{{"a", "b"}});
  CHECK_FALSE(r->notes.empty());

  AnalysisOptions cut;
  cut.cutOff = 0.5;
  const auto c = analyse(g, top, cut);
  REQUIRE(c);
  CHECK(c->cutSets.count == 1);
  CHECK(c->notes.size() == 2);  // no probabilities, and so no cut-off
}

TEST_CASE("a chain 20,000 gates deep: no recursion limit, exact answer", "[core][analysis]") {
  // g_i = e_i ∨ g_{i+1}: every gate is a module, and the BDD has 20,001 levels.
  constexpr int n = 20000;
  LogicGraph g;
  std::vector<NodeId> gates;
  for (int i = 0; i < n; ++i) gates.push_back(g.addGate("g" + std::to_string(i)));
  for (int i = 0; i < n; ++i) {
    const NodeId e = g.addVariable("e" + std::to_string(i), 1e-6);
    const NodeId next = i + 1 < n ? gates[static_cast<std::size_t>(i) + 1] : g.addVariable("last", 1e-6);
    g.defineGate(gates[static_cast<std::size_t>(i)], GateKind::Or, {e, next});
  }
  REQUIRE(g.validate().empty());
  AnalysisOptions o;
  o.maxCutSets = 5;
  const auto r = analyse(g, gates[0], o);
  REQUIRE(r);
  CHECK(*r->probability == Approx(-std::expm1((n + 1) * std::log1p(-1e-6))).epsilon(1e-12));
  CHECK(r->cutSets.count == n + 1);
  CHECK(r->cutSets.list.size() == 5);
  CHECK(*r->rareEvent == Approx((n + 1) * 1e-6).epsilon(1e-12));
}

TEST_CASE("MCUB by power series where enumerating would cost more", "[core][analysis]") {
  // AND of four ORs of ten events: 10^4 cut sets of order 4, each of probability 1e-12; the
  // series needs two terms over a ZBDD of about 40 nodes, so it is the path taken. (Small
  // formulas elsewhere take the enumeration path, checked against brute force.)
  LogicGraph g;
  std::vector<NodeId> ors;
  for (int o = 0; o < 4; ++o) {
    std::vector<NodeId> events;
    for (int e = 0; e < 10; ++e) events.push_back(g.addVariable("e" + std::to_string(o) + "_" + std::to_string(e), 1e-3));
    const NodeId gate = g.addGate("or" + std::to_string(o));
    g.defineGate(gate, GateKind::Or, events);
    ors.push_back(gate);
  }
  const NodeId top = g.addGate("top");
  g.defineGate(top, GateKind::And, ors);
  AnalysisOptions options;
  options.maxCutSets = 0;
  const auto r = analyse(g, top, options);
  REQUIRE(r);
  CHECK(r->cutSets.count == 10000);
  const double mcub = -std::expm1(10000 * std::log1p(-1e-12));
  CHECK_THAT(*r->mcub, Catch::Matchers::WithinRel(mcub, 1e-12));
  CHECK_THAT(*r->rareEvent, Catch::Matchers::WithinRel(1e-8, 1e-12));
  CHECK_THAT(*r->probability, Catch::Matchers::WithinRel(std::pow(1 - std::pow(1 - 1e-3, 10), 4), 1e-12));
}

TEST_CASE("a cancelled analysis fails with Cancelled, not a limit", "[core][analysis]") {
  Builder b = abc();
  b.gate("top", GateKind::Or, {"a", "b"});
  std::atomic<bool> cancel{true};
  AnalysisOptions o;
  o.cancel = &cancel;
  auto r = analyse(b.g, b.ids.at("top"), o);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::Cancelled);
  cancel = false;
  auto again = analyse(b.g, b.ids.at("top"), o);
  REQUIRE(again);
  CHECK(*again->probability == Approx(1 - 0.9 * 0.8).epsilon(1e-12));
}
