#include "core/sifting.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/bdd.h"

using namespace thornwood::core;

namespace {

/// Value of a diagram under an assignment given per level.
bool evaluate(const Bdd& bdd, Edge e, const std::vector<bool>& valueAtLevel) {
  while (nodeIndex(e) != 0) e = valueAtLevel[bdd.var(e)] ? bdd.high(e) : bdd.low(e);
  return e == kTrue;
}

/// Nodes reachable from all roots together, terminal included.
std::size_t sharedSize(const Bdd& bdd, const std::vector<Edge>& roots) {
  std::vector<char> seen(bdd.nodeCount(), 0);
  std::vector<std::uint32_t> stack;
  for (Edge r : roots) stack.push_back(nodeIndex(r));
  std::size_t count = 0;
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    if (seen[i]) continue;
    seen[i] = 1;
    ++count;
    if (i == 0) continue;
    const Edge e = makeEdge(i, false);
    stack.push_back(nodeIndex(bdd.low(e)));
    stack.push_back(nodeIndex(bdd.high(e)));
  }
  return count;
}

/// x1y1 + ... + xnyn with x_i at level base + i and y_i at level base + n + i: every x above
/// every y, the worst order for it.
Edge separatedPairs(Bdd& bdd, std::uint32_t n, std::uint32_t base = 0) {
  Edge f = kFalse;
  for (std::uint32_t i = 0; i < n; ++i) {
    f = bdd.orOp(f, bdd.andOp(bdd.variable(base + i), bdd.variable(base + n + i)));
  }
  return f;
}

/// The last four of `gates` random gates (AND, OR, XOR) over variables 0..vars-1 and
/// earlier gates, some inputs negated.
std::vector<Edge> randomRoots(Bdd& bdd, std::uint32_t seed, std::uint32_t vars, int gates) {
  std::mt19937 rng(seed);
  std::vector<Edge> pool;
  for (std::uint32_t v = 0; v < vars; ++v) pool.push_back(bdd.variable(v));
  for (int g = 0; g < gates; ++g) {
    const Edge a = pool[rng() % pool.size()] ^ (rng() % 4 == 0 ? 1u : 0u);
    const Edge b = pool[rng() % pool.size()] ^ (rng() % 4 == 0 ? 1u : 0u);
    switch (rng() % 3) {
      case 0:
        pool.push_back(bdd.andOp(a, b));
        break;
      case 1:
        pool.push_back(bdd.orOp(a, b));
        break;
      default:
        pool.push_back(bdd.xorOp(a, b));
        break;
    }
  }
  return {pool.end() - 4, pool.end()};
}

}  // namespace

TEST_CASE("sifting finds the interleaved order of x1y1 + ... + xnyn", "[core][sifting]") {
  // With every x above every y the diagram remembers which x were true: 2^n - 1 nodes of x,
  // one per subset of the x above, and 2^n - 1 of y, one per nonempty set of y still
  // wanted; with the single terminal, 2^(n+1) - 1. Interleaved, each pair takes two nodes
  // (Bryant 1986): 2n and the terminal.
  constexpr std::uint32_t n = 8;
  Bdd bdd(1 << 20);
  const Edge f = separatedPairs(bdd, n);
  REQUIRE(bdd.size(f) == (1u << (n + 1)) - 1);

  std::vector<Edge> roots{f};
  const SiftResult result = sift(bdd, roots, 2 * n);
  CHECK(result.nodesBefore == (1u << (n + 1)) - 2);
  CHECK(result.nodesAfter == 2 * n);
  CHECK(bdd.size(roots[0]) == 2 * n + 1);
  // Each x sits next to its y.
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto gap =
        static_cast<int>(result.newLevel[i]) - static_cast<int>(result.newLevel[n + i]);
    CHECK((gap == 1 || gap == -1));
  }
  // P(x_i y_i for some i) with P = 1/2 everywhere: 1 - (3/4)^n.
  std::vector<double> p(2 * n, 0.5);
  CHECK(bdd.probability(roots[0], p) == Approx(1.0 - std::pow(0.75, n)).epsilon(1e-14));
}

TEST_CASE("sifting keeps every root's function on random formulas", "[core][sifting]") {
  constexpr std::uint32_t vars = 9;
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    Bdd bdd(1 << 20);
    std::vector<Edge> roots = randomRoots(bdd, seed, vars, 14);
    const std::vector<Edge> before = roots;
    // The truth table of each root before, by assignment of the variables (levels = vars).
    std::vector<std::vector<bool>> table(roots.size());
    for (std::uint32_t bits = 0; bits < (1u << vars); ++bits) {
      std::vector<bool> value(vars);
      for (std::uint32_t v = 0; v < vars; ++v) value[v] = (bits >> v) & 1u;
      for (std::size_t r = 0; r < roots.size(); ++r)
        table[r].push_back(evaluate(bdd, before[r], value));
    }
    const std::size_t sizeBefore = sharedSize(bdd, roots);
    std::vector<double> p(vars);
    for (std::uint32_t v = 0; v < vars; ++v) p[v] = 0.05 + 0.1 * v;
    std::vector<double> probBefore;
    for (Edge r : roots) probBefore.push_back(bdd.probability(r, p));

    const SiftResult result = sift(bdd, roots, vars);
    INFO("seed " << seed);
    // A permutation of the levels, and never larger than before.
    std::vector<std::uint32_t> sorted = result.newLevel;
    std::sort(sorted.begin(), sorted.end());
    for (std::uint32_t v = 0; v < vars; ++v) CHECK(sorted[v] == v);
    CHECK(result.nodesAfter <= result.nodesBefore);
    CHECK(sharedSize(bdd, roots) == result.nodesAfter + 1);
    CHECK(result.nodesBefore + 1 == sizeBefore);
    // Same functions: variable v now lives at level newLevel[v].
    std::vector<double> pAtLevel(vars);
    for (std::uint32_t v = 0; v < vars; ++v) pAtLevel[result.newLevel[v]] = p[v];
    for (std::uint32_t bits = 0; bits < (1u << vars); ++bits) {
      std::vector<bool> valueAtLevel(vars);
      for (std::uint32_t v = 0; v < vars; ++v) valueAtLevel[result.newLevel[v]] = (bits >> v) & 1u;
      for (std::size_t r = 0; r < roots.size(); ++r) {
        REQUIRE(evaluate(bdd, roots[r], valueAtLevel) == table[r][bits]);
      }
    }
    for (std::size_t r = 0; r < roots.size(); ++r) {
      CHECK(bdd.probability(roots[r], pAtLevel) == Approx(probBefore[r]).epsilon(1e-12));
    }
    // The diagram is canonical again: building a root anew in the new order finds it.
    const Edge again = bdd.andOp(roots[0], roots[1]);
    const Edge twice = bdd.andOp(roots[1], roots[0]);
    CHECK(again == twice);
  }
}

TEST_CASE("sifting stops after the swap budget and still keeps the functions", "[core][sifting]") {
  constexpr std::uint32_t n = 6;
  Bdd bdd(1 << 20);
  const Edge f = separatedPairs(bdd, n);
  std::vector<Edge> roots{f};
  SiftOptions options;
  options.maxSwaps = 3;
  const SiftResult result = sift(bdd, roots, 2 * n, options);
  CHECK(result.swaps <= 3 + 2 * n);  // the last variable moves back to its best place
  std::vector<double> pAtLevel(2 * n);
  for (std::uint32_t v = 0; v < 2 * n; ++v) pAtLevel[result.newLevel[v]] = 0.5;
  CHECK(bdd.probability(roots[0], pAtLevel) == Approx(1.0 - std::pow(0.75, n)).epsilon(1e-14));
}

TEST_CASE("sifting stops between variables when cancelled, keeping the functions",
          "[core][sifting]") {
  constexpr std::uint32_t n = 6;
  Bdd bdd(1 << 20);
  const Edge f = separatedPairs(bdd, n);
  std::vector<Edge> roots{f};
  std::atomic<bool> cancel{true};
  SiftOptions options;
  options.cancel = &cancel;
  const SiftResult result = sift(bdd, roots, 2 * n, options);
  CHECK(result.swaps == 0);
  CHECK(result.nodesAfter == result.nodesBefore);
  std::vector<double> p(2 * n, 0.5);
  CHECK(bdd.probability(roots[0], p) == Approx(1.0 - std::pow(0.75, n)).epsilon(1e-14));
}

TEST_CASE("sifting two functions over disjoint variables finds both optima", "[core][sifting]") {
  // f over levels 0..5 and g over 6..11, each x1y1 + x2y2 + x3y3 with the x above the y.
  // No variable of f interacts with one of g, so those swaps only exchange levels; each
  // must still end interleaved: 2^(n+1) - 2 = 14 nodes each before, 2n = 6 after.
  constexpr std::uint32_t n = 3;
  Bdd bdd(1 << 20);
  std::vector<Edge> roots{separatedPairs(bdd, n), separatedPairs(bdd, n, 2 * n)};
  const SiftResult result = sift(bdd, roots, 4 * n);
  CHECK(result.nodesBefore == 2 * ((1u << (n + 1)) - 2));
  CHECK(result.nodesAfter == 2 * (2 * n));
  std::vector<double> pAtLevel(4 * n);
  for (std::uint32_t v = 0; v < 4 * n; ++v) pAtLevel[result.newLevel[v]] = 0.1 + 0.05 * v;
  for (std::uint32_t base : {0u, 2 * n}) {
    double none = 1;  // P(no pair fully true), pairs independent
    for (std::uint32_t i = 0; i < n; ++i)
      none *= 1 - (0.1 + 0.05 * (base + i)) * (0.1 + 0.05 * (base + n + i));
    CHECK(bdd.probability(roots[base == 0 ? 0 : 1], pAtLevel) == Approx(1 - none).epsilon(1e-14));
  }
}

TEST_CASE("sifting's lower bounds skip swaps but not the order it finds", "[core][sifting]") {
  // The bounds only stop a move where no later position can beat the best size seen, so
  // with and without them sifting must end in the same order, with the same size.
  std::size_t bounded = 0, exhaustive = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    constexpr std::uint32_t vars = 14;
    SiftResult result[2];
    for (int withBounds = 0; withBounds < 2; ++withBounds) {
      Bdd bdd(1 << 20);
      std::vector<Edge> roots = randomRoots(bdd, seed, vars, 40);
      SiftOptions options;
      options.lowerBounds = withBounds == 1;
      result[withBounds] = sift(bdd, roots, vars, options);
    }
    INFO("seed " << seed);
    CHECK(result[1].newLevel == result[0].newLevel);
    CHECK(result[1].nodesAfter == result[0].nodesAfter);
    CHECK(result[1].swaps <= result[0].swaps);
    bounded += result[1].swaps;
    exhaustive += result[0].swaps;
  }
  CHECK(bounded < exhaustive);  // they do cut moves short
}
