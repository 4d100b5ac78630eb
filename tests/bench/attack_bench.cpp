// Attack-tree benchmark: how long the attacker's metrics (four optima, two Pareto fronts,
// ranked scenarios) and the cheapest blocking set take on one generated attack tree of N
// nodes, in process, as the GUI recomputes them after an edit. Median of R runs.
//
//   attack_bench [--nodes 1000] [--runs 11]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "models/attack_analysis.h"

using namespace thornwood;

namespace {

/// Shaped like trees people draw: a third gates (AND, OR, SAND, an occasional 2-of-3), two
/// thirds leaves with cost, time, skill and probability, 5% of leaves shared by two parents,
/// and a mitigation on one node in twenty.
models::Project generate(int nodes) {
  std::mt19937 rng(1000);
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  models::Project p;
  p.name = "attack benchmark";
  models::AttackTree t{"big", "big", "n0", {}};
  t.nodes.resize(static_cast<std::size_t>(nodes));
  std::vector<int> gates{0};
  t.nodes[0].id = "n0";
  t.nodes[0].name = "root";
  t.nodes[0].kind = models::AttackNodeKind::Or;
  for (int i = 1; i < nodes; ++i) {
    auto& n = t.nodes[static_cast<std::size_t>(i)];
    n.id = "n" + std::to_string(i);
    n.name = n.id;
    const bool gate = i < nodes / 3;
    if (gate) {
      const int k = i % 10;
      n.kind = k < 5 ? models::AttackNodeKind::Or : k < 8 ? models::AttackNodeKind::And
             : k < 9 ? models::AttackNodeKind::Sand : models::AttackNodeKind::AtLeast;
    } else {
      n.kind = models::AttackNodeKind::Leaf;
      n.cost = 10.0 * (1 + pick(100));
      n.time = 1.0 + pick(48);
      n.skill = pick(9);
      n.probability = 0.05 + 0.05 * pick(19);
    }
    // AND-like gates take at most three children, so scenarios stay as people draw them.
    auto parent = [&]() {
      for (int attempt = 0;; ++attempt) {
        const int g = gates[static_cast<std::size_t>(pick(static_cast<int>(gates.size())))];
        const auto& gn = t.nodes[static_cast<std::size_t>(g)];
        if (gn.kind == models::AttackNodeKind::Or || gn.children.size() < 3 || attempt > 20) return g;
      }
    };
    t.nodes[static_cast<std::size_t>(parent())].children.push_back(n.id);
    if (!gate && pick(20) == 0) {
      auto& other = t.nodes[static_cast<std::size_t>(parent())].children;
      if (std::find(other.begin(), other.end(), n.id) == other.end()) other.push_back(n.id);
    }
    if (gate) gates.push_back(i);
  }
  for (auto& n : t.nodes) {
    if (n.kind == models::AttackNodeKind::AtLeast) n.k = std::max<int>(1, static_cast<int>(n.children.size()) - 1);
    if (n.kind != models::AttackNodeKind::Leaf && n.children.empty()) {
      n.kind = models::AttackNodeKind::Leaf;
      n.cost = 100;
      n.time = 1;
      n.skill = 1;
      n.probability = 0.5;
    }
  }
  for (int i = 7; i < nodes; i += 20) {  // not the root: blocking it would end the game
    models::Mitigation m;
    m.id = "m" + std::to_string(i);
    m.title = m.id;
    m.cost = 1000.0 * (1 + pick(20));
    m.status = pick(2) == 0 ? models::MitigationStatus::Implemented : models::MitigationStatus::Proposed;
    m.effects.push_back(models::Effect{models::EffectKind::Blocks, "big", t.nodes[static_cast<std::size_t>(i)].id, 1});
    p.mitigations.push_back(m);
  }
  p.attackTrees.push_back(std::move(t));
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int nodes = 1000;
  int runs = 11;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--nodes") nodes = std::stoi(argv[i + 1]);
    if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  const models::Project p = generate(nodes);
  models::AttackOptions o;
  o.pareto = true;
  std::vector<double> metrics, plan, budgeted;
  std::size_t evaluations = 0;
  std::uint64_t scenarios = 0;
  std::size_t front = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    const auto a = models::analyseAttackTree(p, "big", o);
    metrics.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    auto t1 = std::chrono::steady_clock::now();
    const auto d = models::cheapestBlockingSet(p, "big");
    plan.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
    auto t2 = std::chrono::steady_clock::now();
    const auto b = models::bestSetUnderBudget(p, "big", 20000, models::AttackMetric::Cost);
    budgeted.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t2).count());
    if (b) evaluations = b->setsTried;
    if (!a || !d || !b) {
      std::fprintf(stderr, "analysis failed\n");
      return 1;
    }
    scenarios = a->scenarioCount;
    front = a->costProbability.size();
  }
  std::printf("attack tree of %d nodes, %zu mitigations: %llu minimal scenarios, (cost, probability) front of %zu points\n",
              nodes, p.mitigations.size(), static_cast<unsigned long long>(scenarios), front);
  std::printf("| metrics + fronts + ranking ms | cheapest blocking set ms | best set within 20,000 ms (%zu sets evaluated) |\n"
              "|---|---|---|\n| %.1f | %.1f | %.1f |\n",
              evaluations, median(metrics), median(plan), median(budgeted));
  return 0;
}
