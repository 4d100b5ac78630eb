#include "core/logic_graph.h"

#include <catch2/catch.hpp>

using namespace thornwood::core;

namespace {

bool mentions(const std::vector<Diagnostic>& ds, const std::string& place, const std::string& text) {
  for (const auto& d : ds) {
    if (d.place == place && d.problem.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a cycle is reported with its path, never looped on", "[core][graph]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a", 0.1);
  const NodeId g1 = g.addGate("g1");
  const NodeId g2 = g.addGate("g2");
  const NodeId g3 = g.addGate("g3");
  g.defineGate(g1, GateKind::Or, {a, g2});
  g.defineGate(g2, GateKind::And, {g3, a});
  g.defineGate(g3, GateKind::Or, {g1});
  const auto ds = g.validate();
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].problem.find("cycle") != std::string::npos);
  CHECK(ds[0].problem.find("\"g1\" -> \"g2\" -> \"g3\" -> \"g1\"") != std::string::npos);
}

TEST_CASE("structural problems are all collected", "[core][graph]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a");
  const NodeId b = g.addVariable("b");
  const NodeId vote = g.addGate("vote");
  const NodeId empty = g.addGate("empty");
  const NodeId neg = g.addGate("neg");
  const NodeId undefined = g.addGate("undefined");
  const NodeId card = g.addGate("card");
  const NodeId top = g.addGate("top");
  g.defineGate(vote, GateKind::AtLeast, {a, b}, 3);
  g.defineGate(empty, GateKind::Or, {});
  g.defineGate(neg, GateKind::Not, {a, b});
  g.defineGate(card, GateKind::Cardinality, {a, b}, 2, 1);
  g.defineGate(top, GateKind::And, {vote, empty, neg, undefined, card});
  const auto ds = g.validate();
  CHECK(ds.size() == 5);
  CHECK(mentions(ds, "vote", "needs k in [1, 2], not 3"));
  CHECK(mentions(ds, "empty", "has no inputs"));
  CHECK(mentions(ds, "neg", "takes 1 input, not 2"));
  CHECK(mentions(ds, "undefined", "never defined"));
  CHECK(mentions(ds, "card", "min <= max"));
}

TEST_CASE("roots are the gates nothing uses", "[core][graph]") {
  LogicGraph g;
  const NodeId a = g.addVariable("a");
  const NodeId g1 = g.addGate("g1");
  const NodeId g2 = g.addGate("g2");
  const NodeId g3 = g.addGate("g3");
  g.defineGate(g1, GateKind::Or, {a, g2});
  g.defineGate(g2, GateKind::And, {a});
  g.defineGate(g3, GateKind::Not, {a});
  CHECK(g.roots() == std::vector<NodeId>{g1, g3});
  CHECK(g.validate().empty());
}
