// Project benchmark: a generated project of the size issue #4 names (10,000 components,
// 20,000 flows, 50,000 tree nodes) loaded, validated, analysed and saved, each run in its
// own process so that its peak memory is its own. Prints the median of N runs per phase.
//
//   project_bench [--runs 5] [--components 10000] [--flows 20000] [--tree-nodes 50000]
//   project_bench generate OUT.thornwood.json [sizes]   write the generated project
//   project_bench run FILE                              one run; prints phase times as JSON
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/project_analysis.h"
#include "models/project_file.h"
#include "models/threat_rules.h"

namespace fs = std::filesystem;
using namespace thornwood;

namespace {

struct Sizes {
  int components = 10000;
  int flows = 20000;
  int treeNodes = 50000;  ///< half in attack trees, half in fault trees
};

constexpr int kNodesPerTree = 250;

/// A deterministic project: trees are random but mostly tree-shaped, with a few shared
/// nodes, as drawn by people; every reference resolves.
models::Project generate(const Sizes& s) {
  std::mt19937 rng(20261125);
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  models::Project p;
  p.name = "Generated benchmark project";
  p.settings.maxCutSets = 10;
  const int zones = 100;
  for (int z = 0; z < zones; ++z) {
    models::TrustZone zone;
    zone.id = "zone" + std::to_string(z);
    zone.name = "Zone " + std::to_string(z);
    if (z >= 10) zone.parent = "zone" + std::to_string(z % 10);
    zone.trust = z % 5;
    zone.firewall = z % 3 == 0;
    p.system.zones.push_back(std::move(zone));
  }
  const auto kinds = static_cast<int>(models::ComponentKind::ExternalSystem) + 1;
  for (int c = 0; c < s.components; ++c) {
    models::Component comp;
    comp.id = "c" + std::to_string(c);
    comp.name = "Component " + std::to_string(c);
    comp.kind = static_cast<models::ComponentKind>(c % kinds);
    comp.description = "Generated component number " + std::to_string(c) + ".";
    comp.properties.authenticatesBeforeSending = chance(0.7);
    comp.properties.updateMechanism = models::UpdateMechanism::OverTheAir;
    comp.properties.updatesAuthenticated = chance(0.8);
    comp.properties.secureBoot = chance(0.5);
    comp.properties.wireless = static_cast<models::WirelessLink>(c % 10);
    comp.properties.logs = true;
    p.system.components.push_back(std::move(comp));
    p.system.zones[static_cast<std::size_t>(c % zones)].members.push_back("c" + std::to_string(c));
    p.layout.push_back(models::Placement{"c" + std::to_string(c), 100.0 * (c % 100), 80.0 * (c / 100), 0, 0});
  }
  for (int f = 0; f < s.flows; ++f) {
    models::DataFlow flow;
    flow.id = "f" + std::to_string(f);
    flow.name = "Flow " + std::to_string(f);
    const int a = pick(s.components);
    int b = pick(s.components - 1);
    if (b >= a) ++b;
    flow.source = "c" + std::to_string(a);
    flow.target = "c" + std::to_string(b);
    flow.protocol = "MQTT over TLS";
    flow.classification = static_cast<models::DataClassification>(f % 6);
    flow.encrypted = chance(0.8);
    flow.authenticated = chance(0.8);
    flow.integrityProtected = chance(0.7);
    p.system.flows.push_back(std::move(flow));
  }
  const int trees = s.treeNodes / 2 / kNodesPerTree;
  for (int t = 0; t < trees; ++t) {
    models::AttackTree at;
    at.id = "at" + std::to_string(t);
    at.name = "Attack tree " + std::to_string(t);
    at.root = "n0";
    std::vector<int> gates{0};
    at.nodes.resize(kNodesPerTree);
    at.nodes[0] = models::AttackNode{"n0", "root", models::AttackNodeKind::Or, 0, {}, "", {}, {}, {}, {}, ""};
    for (int i = 1; i < kNodesPerTree; ++i) {
      auto& n = at.nodes[static_cast<std::size_t>(i)];
      n.id = "n" + std::to_string(i);
      n.name = "step " + std::to_string(i);
      const bool gate = i < kNodesPerTree / 3;
      n.kind = gate ? (i % 3 == 0 ? models::AttackNodeKind::And : i % 3 == 1 ? models::AttackNodeKind::Or : models::AttackNodeKind::Sand)
                    : models::AttackNodeKind::Leaf;
      if (!gate) {
        n.cost = 10.0 * (1 + pick(100));
        n.time = 1.0 + pick(48);
        n.skill = pick(9);
        n.probability = 0.05 + 0.9 * std::uniform_real_distribution<double>(0, 1)(rng);
      }
      const int parent = gates[static_cast<std::size_t>(pick(static_cast<int>(gates.size())))];
      at.nodes[static_cast<std::size_t>(parent)].children.push_back(n.id);
      if (!gate && chance(0.05)) {  // a shared step
        const int other = gates[static_cast<std::size_t>(pick(static_cast<int>(gates.size())))];
        auto& ch = at.nodes[static_cast<std::size_t>(other)].children;
        if (other != parent) ch.push_back(n.id);
      }
      if (gate) gates.push_back(i);
    }
    // A gate that got no child becomes a leaf.
    for (auto& n : at.nodes) {
      if (n.kind != models::AttackNodeKind::Leaf && n.children.empty()) {
        n.kind = models::AttackNodeKind::Leaf;
        n.probability = 0.5;
        n.cost = 100;
      }
    }
    p.attackTrees.push_back(std::move(at));
  }
  for (int t = 0; t < trees; ++t) {
    models::ProjectFaultTree ft;
    ft.id = "ft" + std::to_string(t);
    ft.name = "Fault tree " + std::to_string(t);
    ft.top = "g0";
    // Shaped like trees people draw: mostly OR gates, an AND (redundancy) in seven, and an
    // AND takes at most three inputs.
    const int gateCount = kNodesPerTree / 3;
    for (int g = 0; g < gateCount; ++g) {
      models::FaultGate gate;
      gate.id = "g" + std::to_string(g);
      gate.kind = g > 0 && g % 7 == 0 ? models::FaultGateKind::And : models::FaultGateKind::Or;
      ft.gates.push_back(std::move(gate));
    }
    auto parentFor = [&](int below) {
      for (int attempt = 0;; ++attempt) {
        const int g = pick(below);
        const auto& gate = ft.gates[static_cast<std::size_t>(g)];
        if (gate.kind == models::FaultGateKind::Or || gate.inputs.size() < 3 || attempt > 20) return g;
      }
    };
    for (int g = 1; g < gateCount; ++g) {
      ft.gates[static_cast<std::size_t>(parentFor(g))].inputs.push_back("g" + std::to_string(g));
    }
    for (int e = 0; e < kNodesPerTree - gateCount; ++e) {
      models::FaultEvent ev;
      ev.id = "e" + std::to_string(e);
      if (e % 2 == 0) ev.rate = 1e-7 * (1 + pick(100));
      else ev.probability = 1e-4 * (1 + pick(100));
      if (e == 0) {
        ev.rate.reset();
        ev.probability.reset();
        ev.attackTree = "at" + std::to_string(t);
      }
      ft.events.push_back(std::move(ev));
      ft.gates[static_cast<std::size_t>(parentFor(gateCount))].inputs.push_back("e" + std::to_string(e));
      if (chance(0.05)) ft.gates[static_cast<std::size_t>(parentFor(gateCount))].inputs.push_back("e" + std::to_string(e));
    }
    for (auto& g : ft.gates) {
      std::sort(g.inputs.begin(), g.inputs.end());
      g.inputs.erase(std::unique(g.inputs.begin(), g.inputs.end()), g.inputs.end());
      if (g.inputs.empty()) g.inputs.push_back("e1");
    }
    p.faultTrees.push_back(std::move(ft));
  }
  const auto& m = p.riskMatrix;
  for (int i = 0; i < s.components / 2; ++i) {
    models::Threat t;
    t.id = "t" + std::to_string(i);
    t.title = "Threat " + std::to_string(i);
    t.category = static_cast<models::Stride>(i % 6);
    t.target = "c" + std::to_string(pick(s.components));
    t.likelihood = m.likelihoods[static_cast<std::size_t>(i) % m.likelihoods.size()].id;
    t.impact = m.severities[static_cast<std::size_t>(i / 5) % m.severities.size()].id;
    if (i < trees) t.attackTree = "at" + std::to_string(i);
    t.capec = {"CAPEC-" + std::to_string(1 + pick(700))};
    p.threats.push_back(std::move(t));
  }
  for (int i = 0; i < 1000; ++i) {
    models::Mitigation mit;
    mit.id = "m" + std::to_string(i);
    mit.title = "Mitigation " + std::to_string(i);
    mit.status = static_cast<models::MitigationStatus>(i % 4);
    mit.cost = 1000.0 * (1 + i % 20);
    mit.phase = static_cast<models::ResiliencePhase>(i % 4);
    const int tree = i % trees;
    const auto& nodes = p.attackTrees[static_cast<std::size_t>(tree)].nodes;
    mit.effects.push_back(models::Effect{models::EffectKind::Blocks, "at" + std::to_string(tree),
                                         nodes[static_cast<std::size_t>(1 + pick(kNodesPerTree - 1))].id, 1});
    mit.effects.push_back(models::Effect{models::EffectKind::Lowers, "ft" + std::to_string(tree),
                                         "e" + std::to_string(1 + pick(50)), 10});
    mit.requirements.push_back(models::RequirementRef{"etsi-en-303-645", "5.1-1"});
    p.mitigations.push_back(std::move(mit));
  }
  for (int h = 0; h < 200; ++h) {
    models::Hazard hz;
    hz.id = "h" + std::to_string(h);
    hz.title = "Hazard " + std::to_string(h);
    hz.situation = "situation";
    hz.harm = "harm";
    hz.before = models::Rating{"probable", "critical"};
    hz.after = models::Rating{"remote", "critical"};
    hz.faultTree = "ft" + std::to_string(h % trees);
    hz.mitigations = {"m" + std::to_string(h)};
    p.hazards.push_back(std::move(hz));
  }
  return p;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// One run in this process: the phases as JSON on stdout.
int runOnce(const std::string& file) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  models::LoadOutcome loaded = models::loadProject(file);
  const double load = since(t0);
  if (!loaded.project) {
    for (const auto& d : loaded.diagnostics) std::cerr << core::format(d) << "\n";
    return 2;
  }
  const auto t1 = clock::now();
  models::ProjectAnalysisOptions options;
  options.timing = false;
  const models::ProjectAnalysis analysis = models::analyse(*loaded.project, file, options);
  const double analyse = since(t1);
  const auto rules = models::builtinRules();
  if (!rules.rules) return 2;
  const auto tr = clock::now();
  const std::vector<models::Finding> findings = models::runRules(*rules.rules, *loaded.project);
  const double rulesS = since(tr);
  const auto tm = clock::now();
  models::Project merged = *loaded.project;
  const models::MergeSummary summary = models::mergeFindings(merged, findings, *rules.rules);
  const double mergeS = since(tm);
  const auto t2 = clock::now();
  const std::string saved = file + ".saved";
  if (!models::saveProject(*loaded.project, saved)) return 2;
  const double save = since(t2);
  fs::remove(saved);
  std::size_t nodes = 0;
  for (const auto& t : loaded.project->attackTrees) nodes += t.nodes.size();
  for (const auto& t : loaded.project->faultTrees) nodes += t.gates.size() + t.events.size();
  nlohmann::json out{{"load_validate_s", load},
                     {"analyse_s", analyse},
                     {"rules_s", rulesS},
                     {"merge_s", mergeS},
                     {"findings", findings.size()},
                     {"threats_added", summary.added},
                     {"save_s", save},
                     {"trees_analysed", 2 * (analysis.faultTrees.size() + analysis.attackTrees.size())},
                     {"tree_nodes", nodes},
                     {"diagnostics", analysis.diagnostics.size()}};
  std::cout << out.dump() << "\n";
  return analysis.limitReached ? 1 : 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  Sizes sizes;
  int runs = 5;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto next = [&]() { return i + 1 < args.size() ? std::stoi(args[++i]) : 0; };
    if (args[i] == "--runs") runs = next();
    else if (args[i] == "--components") sizes.components = next();
    else if (args[i] == "--flows") sizes.flows = next();
    else if (args[i] == "--tree-nodes") sizes.treeNodes = next();
    else positional.push_back(args[i]);
  }
  if (positional.size() == 2 && positional[0] == "run") return runOnce(positional[1]);
  const auto genStart = std::chrono::steady_clock::now();
  const std::string text = models::serialise(generate(sizes));
  const double genS = since(genStart);
  if (positional.size() == 2 && positional[0] == "generate") {
    std::ofstream(positional[1], std::ios::binary) << text;
    return 0;
  }
  const fs::path file = fs::temp_directory_path() / ("thornwood-bench-" + std::to_string(getpid()) + ".thornwood.json");
  std::ofstream(file, std::ios::binary) << text;
  std::cout << "generated " << file << ": " << text.size() / 1e6 << " MB, " << sizes.components << " components, "
            << sizes.flows << " flows, " << sizes.treeNodes << " tree nodes (" << genS << " s to generate)\n";
  std::vector<double> load, analyse, rulesRun, merge, save, wall, rssMb;
  std::cout.flush();
  for (int r = 0; r < runs; ++r) {
    const fs::path out = file.string() + ".out";
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string self = fs::read_symlink("/proc/self/exe");
      std::freopen(out.c_str(), "w", stdout);
      execl(self.c_str(), self.c_str(), "run", file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    wall.push_back(since(start));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::cerr << "run " << r << " failed with status " << status << "\n";
      return 1;
    }
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    load.push_back(j["load_validate_s"]);
    analyse.push_back(j["analyse_s"]);
    rulesRun.push_back(j["rules_s"]);
    merge.push_back(j["merge_s"]);
    save.push_back(j["save_s"]);
    rssMb.push_back(static_cast<double>(usage.ru_maxrss) / 1024.0);
    if (r == 0) std::cout << "first run: " << j.dump() << std::endl;
    fs::remove(out);
  }
  fs::remove(file);
  std::printf("median of %d runs (whole process, fork+exec):\n", runs);
  std::printf("| load + validate s | analyse s | rules s | merge s | save s | process wall s | peak RSS MB |\n"
              "|---|---|---|---|---|---|---|\n");
  std::printf("| %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |\n", median(load), median(analyse), median(rulesRun),
              median(merge), median(save), median(wall), median(rssMb));
  return 0;
}
