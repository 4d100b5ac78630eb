// The rewrites of Pdag::restructure (SCRAM-style preprocessing: merging identical gates, new
// modules, coalescing, merging common inputs, distributivity, redundancy elimination and
// decomposition of common nodes) must keep the function of the top exactly. Checked by
// truth tables against the LogicGraph on seeded random formulas with much sharing, and on
// hand cases where the rewritten form is known.
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "core/pdag.h"
#include "support.h"

using namespace thornwood::core;

namespace {

/// The value of a literal of the normal form under an assignment of the graph's variables.
bool evaluate(const Pdag& pdag, Pdag::Lit lit, const std::vector<bool>& value,
              std::map<std::uint32_t, bool>& memo) {
  bool v = true;
  const Pdag::Node& n = pdag.nodes()[lit.node];
  if (lit.node == 0) {
    v = true;
  } else if (!n.isGate) {
    v = value[n.variable];
  } else if (const auto it = memo.find(lit.node); it != memo.end()) {
    v = it->second;
  } else {
    int trues = 0;
    for (const Pdag::Lit& c : n.children) trues += evaluate(pdag, c, value, memo) ? 1 : 0;
    const int size = static_cast<int>(n.children.size());
    switch (n.kind) {
      case Pdag::Kind::And:
        v = trues == size;
        break;
      case Pdag::Kind::Or:
        v = trues > 0;
        break;
      case Pdag::Kind::AtLeast:
        v = trues >= n.k;
        break;
      case Pdag::Kind::Xor:
        v = trues % 2 == 1;
        break;
    }
    memo[lit.node] = v;
  }
  return lit.negated ? !v : v;
}

bool evaluate(const Pdag& pdag, const std::vector<bool>& value) {
  std::map<std::uint32_t, bool> memo;
  return evaluate(pdag, pdag.top(), value, memo);
}

/// Every assignment of the variables gives the same value before and after restructure().
void requireSameFunction(const LogicGraph& g, NodeId top, const std::vector<NodeId>& variables,
                         const std::atomic<bool>* cancel = nullptr) {
  Pdag pdag(g, top);
  pdag.restructure(Pdag::Preprocessing::Full, cancel);
  const std::size_t nv = variables.size();
  for (std::uint32_t mask = 0; mask < (1u << nv); ++mask) {
    std::vector<bool> value(g.size(), false);
    for (std::size_t i = 0; i < nv; ++i) value[variables[i]] = ((mask >> i) & 1u) != 0;
    INFO("assignment " << mask);
    REQUIRE(evaluate(pdag, value) == thornwood::test::evaluate(g, top, value));
  }
}

/// Gates with many inputs drawn from a small pool of variables and earlier gates, so that
/// most nodes are shared: the material every rewrite works on.
struct SharedFormula {
  LogicGraph graph;
  std::vector<NodeId> variables;
  NodeId top = 0;
};

SharedFormula makeShared(std::mt19937& rng, bool allowNegation) {
  SharedFormula f;
  const int nv = std::uniform_int_distribution<int>(4, 11)(rng);
  std::vector<NodeId> pool;
  for (int i = 0; i < nv; ++i) {
    f.variables.push_back(f.graph.addVariable("v" + std::to_string(i), 0.5));
    pool.push_back(f.variables.back());
  }
  std::vector<GateKind> kinds{GateKind::And, GateKind::Or, GateKind::Or, GateKind::And, GateKind::AtLeast};
  if (allowNegation) {
    for (GateKind k : {GateKind::Not, GateKind::Xor, GateKind::Nand, GateKind::Nor}) kinds.push_back(k);
  }
  const int ng = std::uniform_int_distribution<int>(6, 24)(rng);
  for (int i = 0; i < ng; ++i) {
    const GateKind kind = kinds[std::uniform_int_distribution<std::size_t>(0, kinds.size() - 1)(rng)];
    int n = std::uniform_int_distribution<int>(2, 5)(rng);
    if (kind == GateKind::Not) n = 1;
    std::vector<NodeId> children;
    for (int c = 0; c < n; ++c) {
      children.push_back(pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)]);
    }
    const int min = kind == GateKind::AtLeast ? std::uniform_int_distribution<int>(1, n)(rng) : 0;
    const NodeId g = f.graph.addGate("g" + std::to_string(i));
    f.graph.defineGate(g, kind, children, min, 0);
    pool.push_back(g);
    f.top = g;
  }
  // The top gathers the last few gates so that most of the graph is reachable.
  std::vector<NodeId> last(pool.end() - std::min<std::ptrdiff_t>(4, ng), pool.end());
  f.top = f.graph.addGate("top");
  f.graph.defineGate(f.top, std::uniform_int_distribution<int>(0, 1)(rng) ? GateKind::And : GateKind::Or, last,
                     0, 0);
  return f;
}

/// A small graph built by name.
struct Builder {
  LogicGraph g;
  std::map<std::string, NodeId> ids;
  std::vector<NodeId> variables;
  void var(const std::string& n) {
    ids[n] = g.addVariable(n, 0.5);
    variables.push_back(ids[n]);
  }
  void gate(const std::string& n, GateKind k, std::vector<std::string> in, int min = 0) {
    const NodeId id = g.addGate(n);
    std::vector<NodeId> children;
    for (const auto& c : in) children.push_back(ids.at(c));
    g.defineGate(id, k, children, min, 0);
    ids[n] = id;
  }
};

/// How many times each variable occurs as an input in the normal form reachable from the top.
std::map<std::string, int> occurrences(const Pdag& pdag, const LogicGraph& g) {
  std::map<std::string, int> out;
  for (std::uint32_t gate : pdag.postOrder()) {
    for (const Pdag::Lit& c : pdag.nodes()[gate].children) {
      if (!pdag.nodes()[c.node].isGate && c.node != 0) ++out[g.name(pdag.nodes()[c.node].variable)];
    }
  }
  return out;
}

/// requireSameFunction on the shared formulas of seeds first..last.
void requireSameFunctionForSeeds(std::uint32_t first, std::uint32_t last, bool allowNegation,
                                 const std::atomic<bool>* cancel = nullptr) {
  for (std::uint32_t seed = first; seed <= last; ++seed) {
    std::mt19937 rng(seed);
    const SharedFormula f = makeShared(rng, allowNegation);
    REQUIRE(f.graph.validate().empty());
    INFO("seed " << seed);
    requireSameFunction(f.graph, f.top, f.variables, cancel);
  }
}

std::size_t countModules(const Pdag& pdag) {
  std::size_t n = 0;
  for (bool m : pdag.modules()) n += m ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("restructuring keeps the function of random shared coherent formulas", "[core][pdag][random]") {
  requireSameFunctionForSeeds(1, 400, false);
}

TEST_CASE("restructuring keeps the function of random shared non-coherent formulas", "[core][pdag][random]") {
  requireSameFunctionForSeeds(5001, 5300, true);
}

TEST_CASE("a cancelled restructuring stops with the function unchanged", "[core][pdag]") {
  const std::atomic<bool> cancelled{true};
  requireSameFunctionForSeeds(1, 50, false, &cancelled);
}

TEST_CASE("a shared event below an AND parent of itself is decided there", "[core][pdag]") {
  // top = x AND (b OR (x AND a)): below top, x is true, so x AND a is a, and
  // top = x AND (a OR b) with x once and top's inputs independent: every gate a module.
  Builder b;
  for (const char* v : {"x", "a", "b"}) b.var(v);
  b.gate("xa", GateKind::And, {"x", "a"});
  b.gate("g", GateKind::Or, {"b", "xa"});
  b.gate("top", GateKind::And, {"x", "g"});
  Pdag pdag(b.g, b.ids.at("top"));
  pdag.restructure();
  CHECK(occurrences(pdag, b.g) == std::map<std::string, int>{{"a", 1}, {"b", 1}, {"x", 1}});
  CHECK(countModules(pdag) == pdag.postOrder().size());
  requireSameFunction(b.g, b.ids.at("top"), b.variables);
}

TEST_CASE("an event that forces the top wherever it occurs goes to the top", "[core][pdag]") {
  // top = (x OR a) AND (x OR b) AND (x OR c OR (x AND d)) = x OR (a AND b AND c): x AND d
  // is absorbed by x, and x = 1 makes the top true, so x's occurrences become one.
  Builder b;
  for (const char* v : {"x", "a", "b", "c", "d"}) b.var(v);
  b.gate("xd", GateKind::And, {"x", "d"});
  b.gate("g1", GateKind::Or, {"x", "a"});
  b.gate("g2", GateKind::Or, {"x", "b"});
  b.gate("g3", GateKind::Or, {"x", "c", "xd"});
  b.gate("top", GateKind::And, {"g1", "g2", "g3"});
  Pdag pdag(b.g, b.ids.at("top"));
  pdag.restructure();
  const auto count = occurrences(pdag, b.g);
  CHECK(count.at("x") == 1);
  CHECK(count.at("a") == 1);
  CHECK(count.count("d") == 0);
  requireSameFunction(b.g, b.ids.at("top"), b.variables);
}

TEST_CASE("inputs several gates share go under one gate of their own", "[core][pdag]") {
  // g1 = a OR b OR c OR p, g2 = a OR b OR c OR q, top = g1 AND g2 AND (a OR r):
  // a, b, c move under one OR that g1 and g2 share, so b and c occur once each.
  Builder b;
  for (const char* v : {"a", "b", "c", "p", "q", "r"}) b.var(v);
  b.gate("g1", GateKind::Or, {"a", "b", "c", "p"});
  b.gate("g2", GateKind::Or, {"a", "b", "c", "q"});
  b.gate("g3", GateKind::Or, {"a", "r"});
  b.gate("top", GateKind::And, {"g1", "g2", "g3"});
  Pdag pdag(b.g, b.ids.at("top"));
  pdag.restructure();
  const auto count = occurrences(pdag, b.g);
  CHECK(count.at("b") == 1);
  CHECK(count.at("c") == 1);
  requireSameFunction(b.g, b.ids.at("top"), b.variables);
}

TEST_CASE("identical gates become one", "[core][pdag]") {
  Builder b;
  for (const char* v : {"a", "b", "c"}) b.var(v);
  b.gate("g1", GateKind::AtLeast, {"a", "b", "c"}, 2);
  b.gate("g2", GateKind::AtLeast, {"c", "b", "a"}, 2);
  b.gate("top", GateKind::Xor, {"g1", "g2"});  // g1 XOR g1 = false
  Pdag pdag(b.g, b.ids.at("top"));
  pdag.restructure();
  CHECK(pdag.isConstant(pdag.top()));
  CHECK(pdag.top().negated);  // false
}
