#include "core/bdd.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "core/zbdd.h"

using namespace thornwood::core;

TEST_CASE("equal functions get equal handles", "[core][bdd]") {
  Bdd bdd(1000);
  const Edge a = bdd.variable(0), b = bdd.variable(1), c = bdd.variable(2);
  // a ∧ (b ∨ c) built two ways.
  const Edge left = bdd.andOp(a, bdd.orOp(b, c));
  const Edge right = bdd.orOp(bdd.andOp(a, b), bdd.andOp(c, a));
  CHECK(left == right);
  CHECK(bdd.orOp(a, negate(a)) == kTrue);
  CHECK(bdd.andOp(a, negate(a)) == kFalse);
  CHECK(negate(negate(left)) == left);
  CHECK(bdd.xorOp(a, a) == kFalse);
  CHECK(bdd.xorOp(a, negate(a)) == kTrue);
  // De Morgan through complement edges.
  CHECK(bdd.orOp(negate(a), negate(b)) == negate(bdd.andOp(a, b)));
}

TEST_CASE("the low edge of a stored node is never complemented", "[core][bdd]") {
  Bdd bdd(1000);
  const Edge f = bdd.orOp(negate(bdd.variable(0)), bdd.andOp(bdd.variable(1), bdd.variable(2)));
  std::vector<Edge> stack{f};
  while (!stack.empty()) {
    const Edge e = regular(stack.back());
    stack.pop_back();
    if (nodeIndex(e) == 0) continue;
    CHECK_FALSE(isComplement(bdd.low(e)));
    stack.push_back(bdd.low(e));
    stack.push_back(bdd.high(e));
  }
}

TEST_CASE("probability of small formulas by hand", "[core][bdd]") {
  Bdd bdd(1000);
  const std::vector<double> p{0.1, 0.2, 0.3};
  const Edge a = bdd.variable(0), b = bdd.variable(1), c = bdd.variable(2);
  // P(a ∨ b ∨ c) = 1 - 0.9 * 0.8 * 0.7
  CHECK(bdd.probability(bdd.orOp(a, bdd.orOp(b, c)), p) == Approx(0.496).epsilon(1e-14));
  // P(ab ∨ bc) = P(b) (1 - (1 - P(a))(1 - P(c))) = 0.2 * 0.37
  CHECK(bdd.probability(bdd.orOp(bdd.andOp(a, b), bdd.andOp(b, c)), p) ==
        Approx(0.074).epsilon(1e-14));
  // 2 of 3: ab + ac + bc - 2abc
  const std::vector<Edge> in{a, b, c};
  CHECK(bdd.probability(bdd.atLeast(in, 2), p) == Approx(0.098).epsilon(1e-14));
  // Odd parity of three: a(1-b)(1-c) + ... + abc
  CHECK(bdd.probability(bdd.xorOp(a, bdd.xorOp(b, c)), p) == Approx(0.404).epsilon(1e-14));
  // P(¬a ∧ b) = 0.9 * 0.2
  CHECK(bdd.probability(bdd.andOp(negate(a), b), p) == Approx(0.18).epsilon(1e-14));
}

TEST_CASE("tiny probabilities keep their digits through complements", "[core][bdd]") {
  Bdd bdd(1000);
  const std::vector<double> p{1e-9, 2e-9, 3e-9};
  const Edge a = bdd.variable(0), b = bdd.variable(1), c = bdd.variable(2);
  // ¬(¬(abc)) built through De Morgan: the answer is 6e-27, far below 1 - P's resolution.
  const Edge f = negate(bdd.orOp(negate(a), bdd.orOp(negate(b), negate(c))));
  CHECK(bdd.probability(f, p) == Approx(6e-27).epsilon(1e-12));
}

TEST_CASE("the node budget stops the build with a flag, not a crash", "[core][bdd]") {
  Bdd bdd(20);
  Edge f = kFalse;
  for (std::uint32_t v = 0; v + 1 < 40; v += 2) {
    f = bdd.orOp(f, bdd.andOp(bdd.variable(v), bdd.variable(v + 1)));
  }
  CHECK(bdd.exceeded());
  CHECK(bdd.nodeCount() <= 20);
}

TEST_CASE("a cancelled manager stops making nodes and says why", "[core][bdd]") {
  std::atomic<bool> cancel{false};
  Bdd bdd(1000);
  bdd.setCancel(&cancel);
  const Edge a = bdd.variable(0), b = bdd.variable(1);
  bdd.andOp(a, b);
  CHECK(!bdd.exceeded());
  const std::size_t nodes = bdd.nodeCount();
  cancel = true;
  bdd.variable(2);  // would be a new node: refused, and the results from here on are void
  CHECK(bdd.nodeCount() == nodes);
  CHECK(bdd.exceeded());
  CHECK(bdd.cancelled());
  CHECK(!bdd.stoppedByWork());
}

TEST_CASE("a paused operation run again after a collection gives the unpaused result",
          "[core][bdd]") {
  // f = x0 x8 + x1 x9 + ... + x7 x15 (every x above every y: 2^9 - 2 nodes), then f AND g
  // with g the odd parity of x0..x15, paused every few nodes.
  auto build = [](Bdd& bdd, std::size_t pauseEvery) {
    Edge f = kFalse, g = kFalse;
    for (std::uint32_t i = 0; i < 8; ++i) {
      f = bdd.orOp(f, bdd.andOp(bdd.variable(i), bdd.variable(8 + i)));
    }
    for (std::uint32_t v = 0; v < 16; ++v) g = bdd.xorOp(g, bdd.variable(v));
    REQUIRE(!bdd.exceeded());
    std::size_t pauses = 0;
    std::vector<Edge> roots{f, g};
    bdd.setPauseAt(bdd.nodeCount() + pauseEvery);
    Edge r = bdd.andOp(roots[0], roots[1]);
    while (bdd.paused()) {
      ++pauses;
      CHECK(r == kFalse);
      bdd.resume();
      roots = bdd.collectGarbage(roots);  // drops the stopped operation's nodes
      bdd.setPauseAt(bdd.nodeCount() + pauseEvery * (pauses + 1));
      r = bdd.andOp(roots[0], roots[1]);
    }
    CHECK(!bdd.exceeded());
    return std::pair{r, pauses};
  };
  Bdd plain(1 << 20), paused(1 << 20);
  const auto [expected, none] = build(plain, Bdd::kNever - (1 << 20));
  const auto [result, pauses] = build(paused, 5);
  CHECK(none == 0);
  CHECK(pauses > 2);
  CHECK(paused.size(result) == plain.size(expected));
  const std::vector<double> p(16, 0.5);
  // Odd parity among the 4^8 - 3^8 assignments with some pair true: the signs (-1)^parity
  // sum to 0 over all assignments and to (-1)^8 = 1 over those with no pair true (per pair,
  // 00, 01 and 10 sum to -1), so -1 over these, and (4^8 - 3^8 + 1) / 2 of them are odd.
  const double want = (std::pow(4.0, 8) - std::pow(3.0, 8) + 1) / 2.0 / std::pow(4.0, 8);
  CHECK(plain.probability(expected, p) == Approx(want).epsilon(1e-14));
  CHECK(paused.probability(result, p) == Approx(want).epsilon(1e-14));
  // Run again without a collection: what the stopped operation cached must be finished
  // results only, or the rerun would read a half-built diagram.
  {
    Bdd bdd(1 << 20);
    Edge f = kFalse, g = kFalse;
    for (std::uint32_t i = 0; i < 8; ++i) {
      f = bdd.orOp(f, bdd.andOp(bdd.variable(i), bdd.variable(8 + i)));
    }
    for (std::uint32_t v = 0; v < 16; ++v) g = bdd.xorOp(g, bdd.variable(v));
    bdd.setPauseAt(bdd.nodeCount() + 40);
    CHECK(bdd.andOp(f, g) == kFalse);
    REQUIRE(bdd.paused());
    bdd.resume();
    bdd.setPauseAt(Bdd::kNever);
    const Edge again = bdd.andOp(f, g);
    CHECK(!bdd.exceeded());
    CHECK(bdd.size(again) == plain.size(expected));
    CHECK(bdd.probability(again, p) == Approx(want).epsilon(1e-14));
  }
  // Variables are made even while paused: an operation needs them to start.
  Bdd bdd(1000);
  bdd.setPauseAt(1);
  CHECK(bdd.variable(3) != kFalse);
  CHECK(!bdd.paused());
}

namespace {

/// The sets of a ZBDD family, each as its variables, for comparing with hand-made families.
std::set<std::set<std::uint32_t>> setsOf(const Zbdd& z, ZEdge e) {
  if (e == kEmpty) return {};
  if (e == kBase) return {{}};
  std::set<std::set<std::uint32_t>> out = setsOf(z, z.low(e));
  for (std::set<std::uint32_t> s : setsOf(z, z.high(e))) {
    s.insert(z.var(e));
    out.insert(s);
  }
  return out;
}

ZEdge family(Zbdd& z, const std::set<std::set<std::uint32_t>>& sets) {
  ZEdge out = kEmpty;
  for (const auto& s : sets) {
    ZEdge one = kBase;
    for (std::uint32_t v : s) one = z.minimalProduct(one, z.single(v));
    out = z.minimalUnion(out, one);
  }
  return out;
}

}  // namespace

TEST_CASE("minimal unions and products of ZBDD families, by hand", "[core][zbdd]") {
  Zbdd z(1000);
  const ZEdge p = family(z, {{0, 1}, {2}});
  const ZEdge q = family(z, {{0, 1}, {3}});
  // A set in both stays once; before this was checked, it vanished from both sides.
  CHECK(setsOf(z, z.minimalUnion(p, q)) == std::set<std::set<std::uint32_t>>{{0, 1}, {2}, {3}});
  // {0} makes {0, 1} non-minimal, whichever side it comes from.
  const ZEdge r = family(z, {{0}});
  CHECK(setsOf(z, z.minimalUnion(p, r)) == std::set<std::set<std::uint32_t>>{{0}, {2}});
  CHECK(setsOf(z, z.minimalUnion(r, p)) == std::set<std::set<std::uint32_t>>{{0}, {2}});
  // (01 + 2)(01 + 3) = 01 + 23: 01.01 = 01, and 01.3, 2.01 contain 01.
  CHECK(setsOf(z, z.minimalProduct(p, q)) == std::set<std::set<std::uint32_t>>{{0, 1}, {2, 3}});
  // With at most one variable a set, nothing of that product is left; with two, all of it.
  CHECK(z.minimalProduct(p, q, 1) == kEmpty);
  CHECK(setsOf(z, z.minimalProduct(p, q, 2)) == std::set<std::set<std::uint32_t>>{{0, 1}, {2, 3}});
  // (0 + 1)(2 + 3)(0 + 2): of the eight products only 02, 03 and 12 are minimal.
  const ZEdge a = family(z, {{0}, {1}}), b = family(z, {{2}, {3}}), c = family(z, {{0}, {2}});
  CHECK(setsOf(z, z.minimalProduct(z.minimalProduct(a, b), c)) ==
        std::set<std::set<std::uint32_t>>{{0, 2}, {1, 2}, {0, 3}});
  CHECK(z.minimalProduct(a, kBase) == a);
  CHECK(z.minimalProduct(a, kEmpty) == kEmpty);
  CHECK(z.minimalUnion(a, kEmpty) == a);
}
