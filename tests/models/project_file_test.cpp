#include "models/project_file.h"

#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "models/project_analysis.h"
#include "models/project_diff.h"
#include "models/validate.h"
#include "support.h"

using namespace thornwood;
using models::Json;

namespace {

const std::string kSmartLock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Json smartLock() { return Json::parse(readAll(kSmartLock)); }

/// Every diagnostic as "place: problem", for readable failures.
std::vector<std::string> problems(const models::LoadOutcome& o) {
  std::vector<std::string> out;
  for (const auto& d : o.diagnostics) out.push_back(d.place + ": " + d.problem);
  return out;
}

/// True when some diagnostic is placed at `place` and its problem contains `text`.
bool reports(const models::LoadOutcome& o, const std::string& place, const std::string& text) {
  for (const auto& d : o.diagnostics) {
    if (d.place == place && d.problem.find(text) != std::string::npos) return true;
  }
  return false;
}

models::LoadOutcome parse(const Json& doc) { return models::parseProject(doc.dump(), "t.thornwood.json"); }

}  // namespace

TEST_CASE("the test project loads with no problem", "[models][file]") {
  const auto loaded = models::loadProject(kSmartLock);
  INFO(Catch::Detail::stringify(problems(loaded)));
  REQUIRE(loaded.project);
  CHECK(loaded.diagnostics.empty());
  const models::Project& p = *loaded.project;
  CHECK(p.name == "Smart lock (test model)");
  CHECK(p.system.components.size() == 3);
  CHECK(p.system.components[0].properties.wireless == models::WirelessLink::Ble);
  CHECK(p.system.components[0].properties.physicalExposure == models::PhysicalExposure::Public);
  CHECK(p.system.flows[0].classification == models::DataClassification::Credentials);
  CHECK(p.system.zones[2].parent == "internet");
  CHECK(p.threats[1].rule == "iot.default-credentials");
  CHECK(p.threats[0].rule.empty());
  CHECK(p.attackTrees[0].nodes[1].kind == models::AttackNodeKind::Sand);
  CHECK(p.faultTrees[0].events[2].rate == Approx(1e-6));
  REQUIRE(p.faultTrees[0].events[2].distribution);
  CHECK(p.faultTrees[0].events[2].distribution->b == 3);
  CHECK(p.mitigations[1].effects[0].factor == 10);
  CHECK(p.riskMatrix == models::RiskMatrix::standard());
}

TEST_CASE("load then save gives the same bytes, and the same project", "[models][file]") {
  const std::string original = readAll(kSmartLock);
  const auto loaded = models::parseProject(original, kSmartLock);
  REQUIRE(loaded.project);
  const std::string saved = models::serialise(*loaded.project);
  CHECK(saved == original);
  const auto again = models::parseProject(saved, "again");
  REQUIRE(again.project);
  CHECK(*again.project == *loaded.project);
}

TEST_CASE("the canonical form puts keys in the format's order whatever the input order", "[models][file]") {
  // Keys shuffled (nlohmann::json sorts them alphabetically) load to the same project.
  const nlohmann::json sorted = nlohmann::json::parse(readAll(kSmartLock));
  const auto loaded = models::parseProject(sorted.dump(), "sorted");
  REQUIRE(loaded.project);
  CHECK(models::serialise(*loaded.project) == readAll(kSmartLock));
}

TEST_CASE("the text writer prints what the document's dump(2) prints", "[models][file]") {
  auto p = models::loadProject(kSmartLock).project.value();
  p.name = "quote \" backslash \\ newline \n tab \t bell \x07 accents \xc3\xa9 kanji \xe6\x97\xa5 del \x7f";
  p.description = "";
  p.system.components[0].description = "/slash/ and <angle> & \"quotes\"";
  p.settings.cutOff = 1e-300;
  p.settings.missionTime = 0.1 + 0.2;
  Json doc = Json::object();
  doc["format"] = "thornwood";
  doc["format_version"] = models::kFormatVersion;
  doc["generator"] = std::string("Thornwood ") + THORNWOOD_VERSION;
  Json body = models::toJson(p);
  for (auto& [key, value] : body.items()) doc[key] = std::move(value);
  CHECK(models::serialise(p) == doc.dump(2) + "\n");
  // And it reads back to the same project.
  const auto again = models::parseProject(models::serialise(p), "again");
  REQUIRE(again.project);
  CHECK(*again.project == p);
}

TEST_CASE("bytes that are not UTF-8 are saved as U+FFFD, not a crash", "[models][file]") {
  auto p = models::loadProject(kSmartLock).project.value();
  p.name = "bad \xff byte";
  const std::string text = models::serialise(p);
  CHECK(text.find("\"bad \xef\xbf\xbd byte\"") != std::string::npos);
  CHECK(models::parseProject(text, "replaced").project);
}

TEST_CASE("a one-field edit is a one-line change of the saved file", "[models][file]") {
  auto p = models::loadProject(kSmartLock).project.value();
  const std::string before = models::serialise(p);
  p.system.flows[1].rateLimited = false;
  const std::string after = models::serialise(p);
  std::istringstream a(before), b(after);
  std::string la, lb;
  int changed = 0;
  int lines = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    ++lines;
    if (la != lb) ++changed;
  }
  CHECK(std::count(before.begin(), before.end(), '\n') == std::count(after.begin(), after.end(), '\n'));
  CHECK(changed == 1);
}

TEST_CASE("every shape problem is reported with its pointer", "[models][file][validation]") {
  Json doc = smartLock();
  doc["system"]["components"][1]["kind"] = "toaster";
  doc["system"]["flows"][0]["encrypted"] = "yes";
  doc["system"]["flows"][1]["encryptd"] = true;
  doc["threats"][0].erase("title");
  doc["attack_trees"][0]["nodes"][2]["cost"] = "cheap";
  doc["mitigations"][0]["cost"] = nullptr;
  const auto o = parse(doc);
  INFO(Catch::Detail::stringify(problems(o)));
  CHECK_FALSE(o.project);
  CHECK(reports(o, "/system/components/1/kind", "\"toaster\" is not one of device, sensor"));
  CHECK(reports(o, "/system/flows/0/encrypted", "expected true or false, found a string"));
  CHECK(reports(o, "/system/flows/1/encryptd", "unknown key \"encryptd\""));
  CHECK(reports(o, "/threats/0", "missing key \"title\""));
  CHECK(reports(o, "/attack_trees/0/nodes/2/cost", "expected a number, found a string"));
  CHECK(reports(o, "/mitigations/0/cost", "expected a number, found null"));
  CHECK(o.diagnostics.size() == 6);
  for (const auto& d : o.diagnostics) CHECK(d.file == "t.thornwood.json");
}

TEST_CASE("every meaning problem is reported with its pointer", "[models][file][validation]") {
  SECTION("unknown references") {
    Json doc = smartLock();
    doc["system"]["flows"][0]["target"] = "fridge";
    doc["system"]["zones"][0]["members"][1] = "tablet";
    doc["threats"][0]["target"] = "nowhere";
    doc["threats"][0]["attack_tree"] = "at_missing";
    doc["hazards"][0]["mitigations"][1] = "m_none";
    doc["mitigations"][0]["effects"][0]["node"] = "no_node";
    doc["fault_trees"][0]["gates"][1]["inputs"][0] = "ghost";
    doc["layout"][0]["element"] = "sofa";
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/system/flows/0/target", "ends at unknown component \"fridge\""));
    CHECK(reports(o, "/system/zones/0/members/1", "unknown component \"tablet\""));
    CHECK(reports(o, "/threats/0/target", "unknown system element \"nowhere\""));
    CHECK(reports(o, "/threats/0/attack_tree", "unknown attack tree \"at_missing\""));
    CHECK(reports(o, "/hazards/0/mitigations/1", "unknown mitigation \"m_none\""));
    CHECK(reports(o, "/mitigations/0/effects/0/node", "unknown node \"no_node\" in attack tree \"at_unlock\""));
    CHECK(reports(o, "/fault_trees/0/gates/1/inputs/0", "unknown event \"ghost\""));
    CHECK(reports(o, "/layout/0/element", "unknown component or zone \"sofa\""));
    CHECK(o.diagnostics.size() == 8);
  }
  SECTION("duplicate and malformed ids") {
    Json doc = smartLock();
    doc["system"]["flows"][1]["id"] = "lock";  // components, flows and zones share ids
    doc["mitigations"][2]["id"] = "m_pin";
    doc["attack_trees"][0]["nodes"][3]["id"] = "capture";
    doc["threats"][2]["id"] = "t logs";
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/system/flows/1/id", "flow id \"lock\" is already used at /system/components/0"));
    CHECK(reports(o, "/mitigations/2/id", "mitigation id \"m_pin\" is already used at /mitigations/0"));
    CHECK(reports(o, "/attack_trees/0/nodes/3/id", "node id \"capture\" is already used"));
    CHECK(reports(o, "/threats/2/id", "may use only letters, digits"));
  }
  SECTION("cycles in trees and zones") {
    Json doc = smartLock();
    doc["attack_trees"][0]["nodes"][1]["children"][1] = "unlock";
    doc["fault_trees"][0]["gates"][1]["inputs"][1] = "door_opens";
    doc["system"]["zones"][1]["parent"] = "vendor";
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/attack_trees/0/nodes/0", "cycle in the logic: \"unlock\" -> \"relay\" -> \"unlock\""));
    CHECK(reports(o, "/fault_trees/0/gates/0", "cycle in the logic"));
    CHECK(reports(o, "/system/zones/1/parent", "zone \"internet\" is nested inside itself"));
    CHECK(reports(o, "/system/zones/2/parent", "zone \"vendor\" is nested inside itself"));
  }
  SECTION("attack trees embedding each other") {
    Json doc = smartLock();
    Json second = {{"id", "at_b"}, {"name", "B"}, {"root", "r"},
                   {"nodes", Json::array({{{"id", "r"}, {"name", "R"}, {"kind", "tree"}, {"tree", "at_unlock"}}})}};
    doc["attack_trees"].push_back(second);
    doc["attack_trees"][0]["nodes"][4] = {{"id", "default_pin"}, {"name", "B"}, {"kind", "tree"}, {"tree", "at_b"}};
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/attack_trees/0", "attack trees embed each other in a cycle: \"at_unlock\" -> \"at_b\" -> \"at_unlock\""));
  }
  SECTION("values out of range") {
    Json doc = smartLock();
    doc["fault_trees"][0]["events"][0]["probability"] = 1.5;
    doc["attack_trees"][0]["nodes"][2]["probability"] = -0.1;
    doc["mitigations"][1]["cost"] = -5;
    doc["mitigations"][1]["effects"][0]["factor"] = 0.5;
    doc["attack_trees"][0]["nodes"][3]["skill"] = 11;
    doc["fault_trees"][0]["events"][2]["rate"] = -1e-6;
    doc["settings"]["cut_off"] = 2;
    doc["settings"]["mission_time"] = 0;
    doc["system"]["zones"][0]["trust"] = -1;
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/fault_trees/0/events/0/probability", "probability is 1.5, outside [0, 1]"));
    CHECK(reports(o, "/attack_trees/0/nodes/2/probability", "probability is -0.1, outside [0, 1]"));
    CHECK(reports(o, "/mitigations/1/cost", "cost is -5, below 0"));
    CHECK(reports(o, "/mitigations/1/effects/0/factor", "factor is 0.5, below 1"));
    CHECK(reports(o, "/attack_trees/0/nodes/3/skill", "skill is 11, outside [0, 10]"));
    CHECK(reports(o, "/fault_trees/0/events/2/rate", "failure rate is -1e-06, below 0"));
    CHECK(reports(o, "/settings/cut_off", "cut-off is 2, outside [0, 1]"));
    CHECK(reports(o, "/settings/mission_time", "mission time is 0 h, not above 0"));
    CHECK(reports(o, "/system/zones/0/trust", "trust is -1, outside [0, 100]"));
  }
  SECTION("k out of range and wrong arity") {
    Json doc = smartLock();
    doc["attack_trees"][0]["nodes"][1] = {{"id", "relay"}, {"name", "R"}, {"kind", "atleast"}, {"k", 3},
                                          {"children", {"capture", "forward"}}};
    doc["fault_trees"][0]["gates"][1]["kind"] = "not";
    doc["fault_trees"][0]["events"][1] = {{"id", "attack"}, {"probability", 0.1}, {"rate", 1e-5}};
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/attack_trees/0/nodes/1", "needs k in [1, 2], not 3"));
    CHECK(reports(o, "/fault_trees/0/gates/1", "not gate \"glitch_unhandled\" takes 1 input, not 2"));
    CHECK(reports(o, "/fault_trees/0/events/1", "needs exactly one of probability, rate and attack_tree, not 2"));
  }
  SECTION("risk matrix shape and unknown levels") {
    Json doc = smartLock();
    doc["risk_matrix"]["cells"][4].erase(4);
    doc["risk_matrix"]["cells"][0][0] = "dreadful";
    doc["hazards"][0]["after"]["severity"] = "apocalyptic";
    doc["threats"][0]["likelihood"] = "sometimes";
    const auto o = parse(doc);
    INFO(Catch::Detail::stringify(problems(o)));
    CHECK(reports(o, "/risk_matrix/cells/4", "row has 4 cells, one per severity level needs 5"));
    CHECK(reports(o, "/risk_matrix/cells/0/0", "unknown risk class \"dreadful\""));
    CHECK(reports(o, "/hazards/0/after/severity", "unknown severity level \"apocalyptic\""));
    CHECK(reports(o, "/threats/0/likelihood", "unknown likelihood level \"sometimes\""));
  }
  SECTION("warnings leave the project usable") {
    Json doc = smartLock();
    doc["threats"][2].erase("justification");
    const auto o = parse(doc);
    REQUIRE(o.project);
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].severity == core::Severity::Warning);
    CHECK(o.diagnostics[0].place == "/threats/2/justification");
  }
}

TEST_CASE("hostile files get a clear error and no crash", "[models][file][limits]") {
  SECTION("not JSON, with line and column") {
    const auto o = models::parseProject("{\n  \"format\": \"thornwood\",\n  \"x\": tru\n}", "bad.json");
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].place == "3:11");  // where the parser stopped, after "tru"
    CHECK(o.diagnostics[0].problem.find("not JSON") == 0);
  }
  SECTION("deep nesting") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto o = models::parseProject(deep, "deep.json");
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].code == core::ErrorCode::Limit);
    CHECK(o.diagnostics[0].problem == "nesting is deeper than 64 levels");
  }
  SECTION("a huge array: refused by the count of values, however short the text") {
    models::LoadLimits limits;
    limits.maxValues = 1000;
    std::string text = R"({"format": "thornwood", "format_version": 1, "system": {"components": [)";
    for (int i = 0; i < 2000; ++i) text += "0,";
    text += "0]}}";
    const auto o = models::parseProject(text, "huge.json", limits);
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].code == core::ErrorCode::Limit);
    CHECK(o.diagnostics[0].problem == "more than 1000 values in the file");
    CHECK(o.diagnostics[0].place == "/system/components/998");  // values 3 to 1000 are elements 0 to 997
  }
  SECTION("a 1 GB file is refused before a byte is read") {
    const auto path = std::filesystem::temp_directory_path() / ("thornwood-1gb-" + std::to_string(::getpid()) + ".json");
    {
      std::ofstream touch(path);
    }
    std::filesystem::resize_file(path, 1ull << 30);  // sparse: costs no disk
    const auto o = models::loadProject(path.string());
    std::filesystem::remove(path);
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].code == core::ErrorCode::Limit);
    CHECK(o.diagnostics[0].problem == "file is 1073741824 bytes, over the limit of 268435456");
  }
  SECTION("numbers beyond a double, and NaN") {
    Json doc = smartLock();
    std::string text = doc.dump();
    const auto at = text.find("0.001");
    text.replace(at, 5, "1e999");
    const auto o = models::parseProject(text, "big.json");
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].problem.find("not JSON: number overflow") == 0);
    text.replace(text.find("1e999"), 5, "NaN");
    CHECK_FALSE(models::parseProject(text, "nan.json").project);
  }
  SECTION("a key given twice") {
    const auto o = models::parseProject(R"({"format": "thornwood", "format_version": 1, "format": "x"})", "twice.json");
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].problem == "key \"format\" is given twice in one object");
    CHECK(o.diagnostics[0].code == core::ErrorCode::Malformed);
    CHECK(o.diagnostics[0].place == "/");
  }
  SECTION("too large: refused before it is read") {
    models::LoadLimits limits;
    limits.maxBytes = 1000;
    const auto o = models::loadProject(kSmartLock, limits);
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].code == core::ErrorCode::Limit);
    CHECK(o.diagnostics[0].problem.find("over the limit of 1000") != std::string::npos);
  }
  SECTION("not a project") {
    CHECK(models::parseProject("[1, 2]", "a.json").diagnostics.at(0).problem == "a Thornwood project is a JSON object");
    CHECK(models::parseProject(R"({"format": "threat-dragon"})", "a.json").diagnostics.at(0).place == "/format");
    CHECK(models::loadProject("/nonexistent/x.thornwood.json").diagnostics.at(0).code == core::ErrorCode::Io);
  }
}

TEST_CASE("a newer format version is refused, and older ones migrate step by step", "[models][file][migration]") {
  SECTION("the shipped chain refuses a newer version") {
    Json doc = smartLock();
    doc["format_version"] = models::kFormatVersion + 1;
    const auto o = parse(doc);
    REQUIRE(o.diagnostics.size() == 1);
    CHECK(o.diagnostics[0].code == core::ErrorCode::Unsupported);
    CHECK(o.diagnostics[0].place == "/format_version");
    CHECK(o.diagnostics[0].problem.find("newer than this Thornwood") != std::string::npos);
  }
  SECTION("a chain of steps runs in order") {
    const std::vector<models::Migration> chain{
        {2, [](Json& d) { d["steps"].push_back("2->3"); }},
        {1, [](Json& d) { d["steps"] = Json::array({"1->2"}); }},
    };
    const auto migrated = models::migrate(Json{{"format_version", 1}}, 1, 3, chain, "m.json");
    REQUIRE(migrated);
    CHECK((*migrated)["steps"] == Json::array({"1->2", "2->3"}));
    CHECK((*migrated)["format_version"] == 3);
  }
  SECTION("a gap in the chain is refused") {
    const std::vector<models::Migration> chain{{2, [](Json&) {}}};
    const auto migrated = models::migrate(Json::object(), 1, 3, chain, "m.json");
    REQUIRE_FALSE(migrated);
    CHECK(migrated.error().problem.find("no step from version 1") != std::string::npos);
  }
  SECTION("the current version needs no step") {
    CHECK(models::migrate(smartLock(), models::kFormatVersion, models::kFormatVersion, models::migrations(), "m"));
  }
}

TEST_CASE("saving is atomic: a failed write leaves the old file whole", "[models][file][save]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("thornwood-save-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "p.thornwood.json").string();
  const auto p = models::loadProject(kSmartLock).project.value();

  SECTION("a normal save writes the canonical text and leaves no temporary file") {
    REQUIRE(models::saveProject(p, path));
    CHECK(readAll(path) == readAll(kSmartLock));
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  }
  SECTION("a write cut short by the file-size limit") {
    {
      std::ofstream old(path);
      old << "the old contents";
    }
    // Writing past RLIMIT_FSIZE fails with EFBIG (SIGXFSZ ignored), as a full disk would.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    rlimit small = saved;
    small.rlim_cur = 512;
    ::setrlimit(RLIMIT_FSIZE, &small);
    const auto result = models::saveProject(p, path);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::signal(SIGXFSZ, SIG_DFL);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == core::ErrorCode::Io);
    CHECK(result.error().problem.find("cannot write") == 0);
    CHECK(readAll(path) == "the old contents");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  }
  SECTION("a rename that fails (the target is a folder)") {
    fs::create_directories(dir / "taken" / "inside");
    const auto result = models::saveProject(p, (dir / "taken").string());
    REQUIRE_FALSE(result);
    CHECK(fs::is_directory(dir / "taken" / "inside"));
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  }
  fs::remove_all(dir);
}

TEST_CASE("mutated project files never crash the reader, the analysis or the diff", "[models][file][limits]") {
  // Seeded byte mutations of the test project: each must end in a project or in diagnostics;
  // a project must analyse, diff against the original, and save to text that reads back.
  const std::string original = readAll(kSmartLock);
  const auto base = models::parseProject(original, "base").project.value();
  std::mt19937 rng(4242);
  int projects = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string text = test::mutate(original, rng, "{}[]:,\\\" abcdefgort0123456789.-e\\n");
    const auto loaded = models::parseProject(text, "mutated.json");
    if (!loaded.project) {
      CHECK_FALSE(loaded.diagnostics.empty());
      ++rejected;
      continue;
    }
    ++projects;
    models::ProjectAnalysisOptions o;
    o.nodeBudget = 100000;
    models::analyse(*loaded.project, "mutated.json", o);
    models::diff(base, *loaded.project);
    const auto again = models::parseProject(models::serialise(*loaded.project), "again.json");
    CHECK(again.project);
  }
  CHECK(projects + rejected == 300);
  CHECK(rejected > 0);
}
