#include "importers/threat_dragon_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <fstream>

#include "models/validate.h"
#include "support.h"

using namespace thornwood;

namespace {

const models::Threat* threat(const models::Project& p, const std::string& title) {
  for (const auto& t : p.threats) {
    if (t.title == title) return &t;
  }
  return nullptr;
}

const models::TrustZone* zoneOf(const models::Project& p, const std::string& component) {
  for (const auto& z : p.system.zones) {
    if (std::find(z.members.begin(), z.members.end(), component) != z.members.end()) return &z;
  }
  return nullptr;
}

std::string samples() {
  const auto shared = test::sharedDir();
  return shared ? (*shared / "samples" / "threat-dragon").string() : std::string();
}

}  // namespace

TEST_CASE("every Threat Dragon sample imports into a valid project", "[importers][threat-dragon]") {
  if (samples().empty()) {
    WARN("../shared is absent: skipped");
    return;
  }
  std::size_t files = 0;
  for (const char* version : {"v1", "v2"}) {
    for (const auto& entry : std::filesystem::directory_iterator(samples() + "/" + version)) {
      ++files;
      INFO(entry.path().string());
      const auto o = importers::readThreatDragon(entry.path().string());
      for (const auto& d : o.diagnostics) {
        UNSCOPED_INFO(core::format(d));
        CHECK(d.severity == core::Severity::Warning);
        CHECK(d.file == entry.path().string());
        CHECK_FALSE(d.place.empty());
      }
      REQUIRE(o.project);
      const auto problems = models::validate(*o.project, "imported");
      for (const auto& d : problems) UNSCOPED_INFO(core::format(d));
      CHECK(models::noErrors(problems));
    }
  }
  CHECK(files == 6);
}

TEST_CASE("Threat Dragon v2: elements, threats, mitigations and regions of a boundary line", "[importers][threat-dragon]") {
  if (samples().empty()) {
    WARN("../shared is absent: skipped");
    return;
  }
  const auto o = importers::readThreatDragon(samples() + "/v2/iot-device.json");
  REQUIRE(o.project);
  const models::Project& p = *o.project;
  CHECK(p.name == "Internet of Things (IoT) Device");
  CHECK(p.system.components.size() == 11);  // 1 actor, 9 processes, 1 store
  CHECK(p.system.flows.size() == 14);
  // The IoT device's tampering threat, as the file states it.
  const models::Threat* t = threat(p, "IoT configuration changed");
  REQUIRE(t);
  CHECK(t->category == models::Stride::Tampering);
  CHECK(t->status == models::ThreatStatus::Open);
  CHECK(t->impact == "serious");  // severity Medium
  CHECK(t->target == "iot_device");
  CHECK(t->description == "The IoT configuration can be changed by a malicious actor");
  REQUIRE(t->mitigations.size() == 1);
  const auto m = std::find_if(p.mitigations.begin(), p.mitigations.end(),
                              [&](const models::Mitigation& x) { return x.id == t->mitigations[0]; });
  REQUIRE(m != p.mitigations.end());
  CHECK(m->description == "The IoT configuration should be Read Only");
  CHECK(m->status == models::MitigationStatus::Proposed);
  // A mitigated threat's mitigation counts as implemented.
  const models::Threat* sql = threat(p, "SQL injection");
  REQUIRE(sql);
  CHECK(sql->status == models::ThreatStatus::Mitigated);
  // The "Internet" line separates the devices on the left from the cloud on the right.
  REQUIRE(zoneOf(p, "iot_device"));
  REQUIRE(zoneOf(p, "cloud_api"));
  CHECK(zoneOf(p, "iot_device") == zoneOf(p, "user"));
  CHECK(zoneOf(p, "iot_device") != zoneOf(p, "cloud_api"));
  CHECK(zoneOf(p, "cloud_api") == zoneOf(p, "mysql_database"));
  // The guess of each process's kind is reported, with the cell's pointer.
  const bool guessReported = std::any_of(o.diagnostics.begin(), o.diagnostics.end(), [](const core::Diagnostic& d) {
    return d.problem.rfind("process \"IoT Device\" imported as a device", 0) == 0 && d.place.rfind("/detail/diagrams/0/cells/", 0) == 0;
  });
  CHECK(guessReported);
}

TEST_CASE("Threat Dragon v1: labels from attrs, threats on cells, boxes as nested zones", "[importers][threat-dragon]") {
  if (samples().empty()) {
    WARN("../shared is absent: skipped");
    return;
  }
  const auto o = importers::readThreatDragon(samples() + "/v1/demo-threat-model.json");
  REQUIRE(o.project);
  const models::Project& p = *o.project;
  const models::Threat* t = threat(p, "Accessing DB credentials");
  REQUIRE(t);
  CHECK(t->category == models::Stride::InformationDisclosure);
  CHECK(t->impact == "critical");  // severity High
  CHECK(t->target == "worker_config");  // the "Worker Config" store
  const auto b = importers::readThreatDragon(samples() + "/v2/three-tier-web-app.json");
  REQUIRE(b.project);
  // Two boxes: the UI alone, the service and the database together.
  REQUIRE(b.project->system.zones.size() == 2);
  CHECK(zoneOf(*b.project, "web_service") == zoneOf(*b.project, "postgressql"));
  CHECK(zoneOf(*b.project, "web_ui") != zoneOf(*b.project, "web_service"));
}

TEST_CASE("bad Threat Dragon input gets a clear error", "[importers][threat-dragon]") {
  const auto dir = std::filesystem::temp_directory_path();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const auto notTd = importers::readThreatDragon(write("td-not.json", R"({"format": "thornwood"})"));
  CHECK_FALSE(notTd.project);
  CHECK(notTd.diagnostics.at(0).problem == "not a Threat Dragon model: expected \"summary\" and \"detail.diagrams\"");
  const auto broken = importers::readThreatDragon(write("td-broken.json", "{\"summary\": {"));
  CHECK_FALSE(broken.project);
  CHECK(broken.diagnostics.at(0).problem.rfind("not JSON", 0) == 0);
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "[";
  const auto nested = importers::readThreatDragon(write("td-deep.json", deep));
  CHECK(nested.diagnostics.at(0).code == core::ErrorCode::Limit);
  // A flow to nowhere is reported, not dropped in silence.
  const auto dangling = importers::readThreatDragon(write("td-dangling.json", R"({"version": "2.0.0",
    "summary": {"title": "t"}, "detail": {"diagrams": [{"cells": [
      {"shape": "process", "id": "p1", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10}, "data": {"type": "tm.Process", "name": "API"}},
      {"shape": "flow", "id": "f1", "source": {"cell": "p1"}, "target": {"cell": "gone"}, "data": {"type": "tm.Flow", "name": "Lost"}}]}]}})"));
  REQUIRE(dangling.project);
  CHECK(dangling.project->system.flows.empty());
  CHECK(std::any_of(dangling.diagnostics.begin(), dangling.diagnostics.end(), [](const core::Diagnostic& d) {
    return d.place == "/detail/diagrams/0/cells/1" && d.problem == "flow \"Lost\" does not join two elements of the diagram and was not imported";
  }));
  for (const char* f : {"td-not.json", "td-broken.json", "td-deep.json", "td-dangling.json"}) std::filesystem::remove(dir / f);
}

TEST_CASE("mutated Threat Dragon files never crash the importer", "[importers][threat-dragon]") {
  const std::string original = R"({"version": "2.2.0", "summary": {"title": "Mini"}, "detail": {"diagrams": [{"cells": [
    {"shape": "actor", "id": "a", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10}, "data": {"type": "tm.Actor", "name": "User"}},
    {"shape": "process", "id": "p", "position": {"x": 100, "y": 0}, "size": {"width": 10, "height": 10},
     "data": {"type": "tm.Process", "name": "IoT hub", "threats": [{"title": "Spoof", "type": "Spoofing", "status": "Open",
       "severity": "High", "description": "d", "mitigation": "Authenticate"}]}},
    {"shape": "flow", "id": "f", "source": {"cell": "a"}, "target": {"cell": "p"}, "data": {"type": "tm.Flow", "name": "Login", "isEncrypted": true}},
    {"shape": "trust-boundary-curve", "id": "b", "source": {"x": 50, "y": -50}, "target": {"x": 50, "y": 50}, "data": {"type": "tm.Boundary", "name": "Net"}},
    {"shape": "trust-boundary-box", "id": "x", "position": {"x": 90, "y": -10}, "size": {"width": 40, "height": 40}, "data": {"type": "tm.BoundaryBox"}}
  ]}]}})";
  const auto path = std::filesystem::temp_directory_path() / "td-mutated.json";
  std::mt19937 rng(616);
  int projects = 0;
  for (int round = 0; round < 300; ++round) {
    std::ofstream(path) << test::mutate(original, rng, "{}[]:,\" abcdeflnoprstxy0123456789.-");
    const auto o = importers::readThreatDragon(path.string());
    if (!o.project) {
      CHECK_FALSE(o.diagnostics.empty());
      continue;
    }
    ++projects;
    CHECK(models::noErrors(models::validate(*o.project, "m")));
  }
  std::filesystem::remove(path);
  CHECK(projects > 0);
}
