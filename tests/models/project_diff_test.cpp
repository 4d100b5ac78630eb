#include "models/project_diff.h"

#include <catch2/catch.hpp>

#include "models/project_file.h"

using namespace thornwood;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

models::Project smartLock() { return models::loadProject(kSmartLock).project.value(); }

models::ProjectDiff diffWithRisk(const models::Project& a, const models::Project& b) {
  models::ProjectAnalysisOptions o;
  o.timing = false;
  models::ProjectDiff d = models::diff(a, b);
  models::addRiskChanges(d, a, models::analyse(a, "a", o), b, models::analyse(b, "b", o));
  return d;
}

}  // namespace

TEST_CASE("a project does not differ from itself", "[models][diff]") {
  const auto p = smartLock();
  CHECK(diffWithRisk(p, p).empty());
}

TEST_CASE("a field edit is one change, with its path and both values", "[models][diff]") {
  const auto a = smartLock();
  auto b = a;
  b.system.components[0].properties.secureBoot = false;
  const auto d = models::diff(a, b);
  REQUIRE(d.model.size() == 1);
  CHECK(d.model[0].collection == "system.components");
  CHECK(d.model[0].id == "lock");
  CHECK(d.model[0].kind == models::ChangeKind::Changed);
  REQUIRE(d.model[0].fields.size() == 1);
  CHECK(d.model[0].fields[0].field == "properties.secure_boot");
  CHECK(d.model[0].fields[0].before == true);
  CHECK(d.model[0].fields[0].after == false);
  CHECK(d.layout.empty());
}

TEST_CASE("added, removed and reordered elements", "[models][diff]") {
  const auto a = smartLock();
  auto b = a;
  b.threats.erase(b.threats.begin() + 2);  // t_logs removed
  std::swap(b.mitigations[0], b.mitigations[1]);  // order only: no change
  models::Threat added = a.threats[0];
  added.id = "t_jam";
  added.attackTree.clear();
  b.threats.push_back(added);
  const auto d = models::diff(a, b);
  REQUIRE(d.model.size() == 2);
  CHECK(d.model[0].id == "t_logs");
  CHECK(d.model[0].kind == models::ChangeKind::Removed);
  CHECK(d.model[1].id == "t_jam");
  CHECK(d.model[1].kind == models::ChangeKind::Added);
}

TEST_CASE("nodes inside a tree are matched by id", "[models][diff]") {
  const auto a = smartLock();
  auto b = a;
  b.attackTrees[0].nodes[4].probability = 0.3;                    // default_pin
  b.attackTrees[0].nodes.erase(b.attackTrees[0].nodes.begin() + 1);  // relay removed
  b.attackTrees[0].nodes[0].children = {"default_pin"};
  const auto d = models::diff(a, b);
  REQUIRE(d.model.size() == 1);
  std::vector<std::string> fields;
  for (const auto& f : d.model[0].fields) fields.push_back(f.field);
  CHECK(fields == std::vector<std::string>{"nodes[relay]", "nodes[unlock].children", "nodes[default_pin].probability"});
  CHECK(d.model[0].fields[0].after.is_null());
}

TEST_CASE("moving a box is a layout change, not a model change", "[models][diff]") {
  const auto a = smartLock();
  auto b = a;
  b.layout[1].x += 40;
  const auto d = diffWithRisk(a, b);
  CHECK(d.model.empty());
  CHECK(d.risk.empty());
  REQUIRE(d.layout.size() == 1);
  CHECK(d.layout[0].id == b.layout[1].element);
  CHECK(d.layout[0].fields[0].field == "x");
}

TEST_CASE("what an implemented mitigation changes in risk", "[models][diff]") {
  const auto a = smartLock();
  auto b = a;
  b.mitigations[2].status = models::MitigationStatus::Implemented;  // distance bounding blocks the relay
  const auto d = diffWithRisk(a, b);
  std::vector<std::string> measures;
  for (const auto& r : d.risk) measures.push_back(r.subject + " " + r.id + " " + r.measure);
  CHECK(measures == std::vector<std::string>{"fault_tree ft_open probability_after",
                                             "attack_tree at_unlock probability_after",
                                             "hazard h_intrusion computed_class_after"});
  // By hand: with every attack blocked only the motor and the glitch branch remain.
  const double glitch = 1 - std::exp(-1e-6 * 8760);
  CHECK(d.risk[0].after.get<double>() == Approx(1 - (1 - 1e-3) * (1 - glitch * 0.01)).epsilon(1e-12));
  CHECK(d.risk[1].after == 0.0);
  // 0.00109 is "occasional" (1e-3, 1e-2]; with "critical" that is "serious".
  CHECK(d.risk[2].before == "high");
  CHECK(d.risk[2].after == "serious");
}

TEST_CASE("a baseline selected, dropped or changed is a model change", "[models][diff][compliance]") {
  const auto before = smartLock();
  auto after = before;
  after.compliance.baselines = {{"etsi-en-303-645", "V2.1.1", {}}};
  auto d = models::diff(before, after);
  REQUIRE(d.model.size() == 1);
  CHECK(d.model[0].collection == "compliance.baselines");
  CHECK(d.model[0].id == "etsi-en-303-645");
  CHECK(d.model[0].kind == models::ChangeKind::Added);
  auto later = after;
  later.compliance.baselines[0].edition = "V3.1.3";
  d = models::diff(after, later);
  REQUIRE(d.model.size() == 1);
  CHECK(d.model[0].kind == models::ChangeKind::Changed);
  REQUIRE(d.model[0].fields.size() == 1);
  CHECK(d.model[0].fields[0].field == "edition");
  CHECK(models::diff(later, before).model[0].kind == models::ChangeKind::Removed);
}
