#include "app/cli/cli.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "exporters/digest.h"

using nlohmann::json;

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int status = thornwood::cli::run(args, out, err);
  return Run{status, out.str(), err.str()};
}

const std::string kExample = std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-lock-unlock.xml";

}  // namespace

TEST_CASE("usage errors exit 2 with the usage text", "[app][cli]") {
  CHECK(cli({}).status == 2);
  CHECK(cli({"frobnicate"}).status == 2);
  const Run r = cli({"analyse", kExample, "--limit-order", "x"});
  CHECK(r.status == 2);
  CHECK(r.err.find("--limit-order needs a whole number") != std::string::npos);
  CHECK(cli({"analyse"}).status == 2);
  CHECK(cli({"--help"}).status == 0);
}

TEST_CASE("the JSON contract of analyse", "[app][cli]") {
  const Run r = cli({"analyse", kExample, "--format", "json"});
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("thornwood_version").is_string());
  CHECK(j.at("file") == kExample);
  REQUIRE(j.at("results").size() == 1);
  const json& res = j["results"][0];
  CHECK(res.at("top") == "lock_opens_unauthorised");
  CHECK(res.at("cut_sets").at("count") == 11);
  CHECK(res["cut_sets"].at("by_order") == json({{"1", 1}, {"2", 9}, {"3", 1}}));
  CHECK(res["cut_sets"].at("list").size() == 11);
  CHECK(res["cut_sets"].at("list")[0] == json({"motor_driver_short"}));
  CHECK(res["cut_sets"].at("truncated") == false);
  CHECK(res.at("stats").at("bdd_nodes").get<int>() > 0);
  CHECK(res["stats"].at("zbdd_nodes").get<int>() > 0);
  CHECK(res["stats"].contains("time_ms"));
  // What ran before the BDD: one of the race's two kinds (the option --no-modules: none).
  const std::string preprocessing = res["stats"].at("preprocessing");
  CHECK((preprocessing == "full" || preprocessing == "modules"));
  CHECK(json::parse(cli({"analyse", kExample, "--format", "json", "--no-modules"}).out)["results"][0]["stats"].at(
            "preprocessing") == "none");
  CHECK(j.at("diagnostics").is_array());

  // By hand: six independent branches under one OR.
  const double t = 8760;
  const double motor = -std::expm1(-5e-8 * t);
  const double tamper = 0.002 * -std::expm1(-2e-7 * t);
  const double relay = 0.01 * 0.9 * 0.3;
  const double cloud = (1 - 0.97 * 0.99 * 0.999) * 0.6;
  const double hub = (1 - 0.98 * 0.99) * 0.5;
  const double firmware = 0.005 + 0.01 + 0.02 - 2 * 0.001;
  const double top =
      1 - (1 - motor) * (1 - tamper) * (1 - relay) * (1 - cloud) * (1 - hub) * (1 - firmware);
  CHECK(res.at("probability").get<double>() == Approx(top).epsilon(1e-12));
  const double rare = motor + tamper + relay + 0.6 * (0.03 + 0.01 + 0.001) +
                      0.5 * (0.02 + 0.01) + (0.005 + 0.01 + 0.02);
  CHECK(res.at("rare_event").get<double>() == Approx(rare).epsilon(1e-12));
}

TEST_CASE("output is byte-identical from run to run", "[app][cli]") {
  const Run a = cli({"analyse", kExample, "--format", "json", "--no-timing"});
  const Run b = cli({"analyse", kExample, "--format", "json", "--no-timing"});
  CHECK(a.status == 0);
  CHECK(a.out == b.out);
}

TEST_CASE("bad input exits 2 with file:place: problem on stderr", "[app][cli]") {
  const auto path = std::filesystem::temp_directory_path() / "thornwood-cli-bad.xml";
  std::ofstream(path) << "<opsa-mef>\n<define-fault-tree name=\"x\">\n<define-gate name=\"g\">"
                         "<or><gate name=\"nope\"/></or></define-gate>\n</define-fault-tree></opsa-mef>\n";
  const Run r = cli({"analyse", path.string(), "--format", "json"});
  std::filesystem::remove(path);
  CHECK(r.status == 2);
  CHECK(r.err.find(path.string() + ":3:") != std::string::npos);
  CHECK(r.err.find("unknown gate \"nope\"") != std::string::npos);
  const json j = json::parse(r.out);
  CHECK(j["results"].empty());
  CHECK(j["diagnostics"][0]["severity"] == "error");
}

TEST_CASE("a node budget too small exits 1 with a Limit message", "[app][cli]") {
  const Run r = cli({"analyse", kExample, "--node-budget", "16", "--no-modules"});
  CHECK(r.status == 1);
  CHECK(r.err.find("node budget of 16 exceeded") != std::string::npos);
}

TEST_CASE("analyse with a chosen top gate and a capped list", "[app][cli]") {
  const Run r = cli({"analyse", kExample, "--top", "firmware_compromise", "--format", "json",
                     "--max-cut-sets", "2"});
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  const json& cs = j["results"][0]["cut_sets"];
  CHECK(cs["count"] == 3);
  CHECK(cs["truncated"] == true);
  CHECK(cs["list"] == json::array({json::array({"debug_port_open", "no_secure_boot"}),
                                  json::array({"debug_port_open", "update_not_signed"})}));
  CHECK(cli({"analyse", kExample, "--top", "no_such_gate"}).status == 2);
}

namespace {

const std::string kProject = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";

std::string tempCopy(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("validate prints every problem as file:pointer: problem and exits 2", "[app][cli][project]") {
  CHECK(cli({"validate", kProject}).status == 0);
  json doc = json::parse(slurp(kProject));
  doc["threats"][0]["target"] = "nowhere";
  doc["mitigations"][0]["cost"] = -1;
  const std::string bad = tempCopy("thornwood-cli-bad.thornwood.json", doc.dump(2));
  const Run r = cli({"validate", bad});
  CHECK(r.status == 2);
  CHECK(r.err.find(bad + ":/threats/0/target: unknown system element \"nowhere\"\n") != std::string::npos);
  CHECK(r.err.find(bad + ":/mitigations/0/cost: cost is -1, below 0\n") != std::string::npos);
  std::filesystem::remove(bad);
}

TEST_CASE("format rewrites to the canonical form, and --check only reports", "[app][cli][project]") {
  const std::string canonical = slurp(kProject);
  const std::string compact = json::parse(canonical).dump();
  const std::string path = tempCopy("thornwood-cli-format.thornwood.json", compact);
  CHECK(cli({"format", "--check", path}).status == 1);
  CHECK(slurp(path) == compact);
  CHECK(cli({"format", path}).status == 0);
  CHECK(slurp(path) == canonical);
  CHECK(cli({"format", "--check", path}).status == 0);
  std::filesystem::remove(path);
}

TEST_CASE("analyse on a project: trees before and after mitigation, hazards", "[app][cli][project]") {
  const Run r = cli({"analyse", kProject, "--format", "json", "--no-timing"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  // The MEF contract's keys are all there.
  for (const char* key : {"thornwood_version", "file", "results", "diagnostics"}) CHECK(j.contains(key));
  REQUIRE(j["results"].size() == 1);
  CHECK(j["results"][0]["fault_tree"] == "ft_open");
  CHECK(j["results"][0]["top"] == "door_opens");
  CHECK(j["results"][0]["cut_sets"]["count"] == 3);
  const double glitch = 1 - std::exp(-1e-6 * 8760);
  CHECK(j["fault_trees"][0]["before"]["probability"].get<double>() ==
        Approx(1 - 0.999 * 0.72 * (1 - glitch * 0.01)).epsilon(1e-12));
  CHECK(j["attack_trees"][0]["after"]["probability"].get<double>() == Approx(0.2).epsilon(1e-12));
  CHECK(j["hazards"][0]["stated"]["before"]["class"] == "high");
  CHECK(j["hazards"][0]["stated"]["after"]["class"] == "serious");
  CHECK(j["hazards"][0]["stated"]["after"]["acceptable"] == false);
  // The same input gives the same bytes.
  CHECK(cli({"analyse", kProject, "--format", "json", "--no-timing"}).out == r.out);
}

TEST_CASE("diff reports model, risk and layout changes, also in git's external-diff form", "[app][cli][project]") {
  json doc = json::parse(slurp(kProject));
  doc["mitigations"][2]["status"] = "verified";
  doc["layout"][0]["y"] = 99;
  const std::string changed = tempCopy("thornwood-cli-diff.thornwood.json", doc.dump(2));
  const Run same = cli({"diff", kProject, kProject});
  CHECK(same.status == 0);
  CHECK(same.out.find("no change") != std::string::npos);
  const Run r = cli({"diff", kProject, changed, "--format", "json"});
  REQUIRE(r.status == 1);
  const json j = json::parse(r.out);
  REQUIRE(j["model"].size() == 1);
  CHECK(j["model"][0] == json::parse(R"({"collection": "mitigations", "id": "m_distance", "change": "changed",
      "fields": [{"field": "status", "before": "proposed", "after": "verified"}]})"));
  CHECK(j["layout"].size() == 1);
  CHECK(j["risk"].size() == 3);
  const Run git = cli({"diff", "model.thornwood.json", kProject, "abc", "100644", changed, "def", "100644"});
  CHECK(git.status == 0);
  CHECK(git.out.find("Thornwood diff: a/model.thornwood.json -> b/model.thornwood.json") == 0);
  CHECK(git.out.find("~ mitigations m_distance") != std::string::npos);
  const Run added = cli({"diff", "new.thornwood.json", "/dev/null", ".", ".", kProject, "def", "100644"});
  CHECK(added.status == 0);
  CHECK(added.out.find("+ threats t_relay") != std::string::npos);
  std::filesystem::remove(changed);
}

TEST_CASE("threats runs the rules, merges, and writes only when asked", "[app][cli][rules]") {
  const std::string path = tempCopy("thornwood-cli-threats.thornwood.json", slurp(kProject));
  const std::string before = slurp(path);
  const Run dry = cli({"threats", path, "--format", "json"});
  INFO(dry.err);
  REQUIRE(dry.status == 0);
  const json j = json::parse(dry.out);
  CHECK(j.at("rules").at("count").get<int>() >= 55);
  CHECK(j.at("summary").at("written") == false);
  CHECK(slurp(path) == before);
  // The lock is publicly exposed without tamper detection: IOT-T19 applies and is open. Its
  // updates are authenticated: IOT-T11 applies and the design satisfies it.
  std::map<std::string, bool> onLock;
  for (const auto& f : j.at("findings")) {
    if (f.at("element") == "lock") onLock[f.at("rule").get<std::string>()] = f.at("satisfied_by_design").get<bool>();
  }
  REQUIRE(onLock.count("IOT-T19"));
  CHECK_FALSE(onLock["IOT-T19"]);
  REQUIRE(onLock.count("IOT-T11"));
  CHECK(onLock["IOT-T11"]);
  const Run written = cli({"threats", path, "--write"});
  CHECK(written.status == 0);
  CHECK(written.out.find("written to") != std::string::npos);
  const json saved = json::parse(slurp(path));
  CHECK(saved.at("threats").size() == j.at("threats").size());
  // A second run finds everything again and adds nothing.
  const Run again = cli({"threats", path, "--format", "json"});
  CHECK(json::parse(again.out).at("summary").at("added") == 0);
  std::filesystem::remove(path);
}

TEST_CASE("threats --check-rules runs every rule on its examples, and user rule files join in", "[app][cli][rules]") {
  const Run ok = cli({"threats", "--check-rules"});
  CHECK(ok.status == 0);
  CHECK(ok.out.find("pass their examples") != std::string::npos);
  const std::string rules = tempCopy("thornwood-cli-rules.json", R"({"format": "thornwood-rules", "format_version": 1,
    "rules": [{"id": "MY-1", "title": "Hub {name} is on the internet", "category": "elevation_of_privilege",
               "element": "component", "applies": "kind == 'hub' and internet_reachable", "likelihood": "remote",
               "impact": "minor", "examples": {"element": "h", "fires": {"components": [{"id": "h", "name": "H", "kind": "hub"}]},
               "mitigated": {"components": [{"id": "h", "name": "H", "kind": "hub"}]}}}]})");
  const Run bad = cli({"threats", "--check-rules", "--rules", rules});
  CHECK(bad.status == 2);
  CHECK(bad.err.find(rules + ":/rules/0/examples/fires: rule \"MY-1\": does not fire on \"h\" in its \"fires\" example") !=
        std::string::npos);
  std::filesystem::remove(rules);
}

TEST_CASE("attack prints the attacker's optima, ranked scenarios and Pareto fronts", "[app][cli][attack]") {
  const Run r = cli({"attack", kProject, "--tree", "at_unlock", "--pareto", "--mitigations", "none", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("semantics").get<std::string>().rfind("set semantics", 0) == 0);
  REQUIRE(j.at("results").size() == 1);
  const json& t = j["results"][0];
  CHECK(t.at("mitigations") == "none");
  CHECK(t.at("scenario_count") == 2);
  CHECK(t.at("metrics").at("cost") == json::parse(R"({"value": 0.0, "scenario": ["default_pin"]})"));
  CHECK(t["metrics"].at("probability").at("scenario") == json::array({"capture", "forward"}));
  CHECK(t.at("scenarios")[0].at("leaves") == json::array({"default_pin"}));  // cheapest first
  CHECK(t.at("pareto").at("cost_probability").size() == 2);
  CHECK(cli({"attack", kProject, "--tree", "nope"}).status == 2);
  CHECK(cli({"attack", kProject, "--metric", "speed"}).status == 2);
}

TEST_CASE("import adtool writes a new project and never overwrites without --force", "[app][cli][import]") {
  const std::string in = tempCopy("thornwood-cli-adtool.xml", R"(<adtree><node refinement="disjunctive"><label>Get in</label>
    <node refinement="disjunctive"><label>Door</label><node refinement="disjunctive" switchRole="yes"><label>Lock</label></node></node>
    <node refinement="disjunctive"><label>Window</label></node></node></adtree>)");
  const auto out = std::filesystem::temp_directory_path() / "thornwood-cli-imported.thornwood.json";
  std::filesystem::remove(out);
  const Run r = cli({"import", "adtool", in, "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json project = json::parse(slurp(out.string()));
  CHECK(project.at("attack_trees")[0].at("id") == "get_in");
  CHECK(project.at("mitigations")[0].at("title") == "Lock");
  CHECK(cli({"validate", out.string()}).status == 0);
  const Run again = cli({"import", "adtool", in, "-o", out.string()});
  CHECK(again.status == 2);
  CHECK(again.err.find("exists; use --force") != std::string::npos);
  CHECK(cli({"import", "adtool", in, "-o", out.string(), "--force"}).status == 0);
  CHECK(cli({"import", "visio", in, "-o", out.string()}).status == 2);
  std::filesystem::remove(out);
  std::filesystem::remove(in);
}

TEST_CASE("attack --optimise-mitigations with and without a budget", "[app][cli][attack]") {
  const Run r = cli({"attack", kProject, "--optimise-mitigations", "--budget", "5000", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json t = json::parse(r.out).at("results")[0];
  CHECK(t.at("optimal_mitigations").at("mitigations") == json::array({"m_distance", "m_pin"}));
  CHECK(t["optimal_mitigations"].at("cost") == 42000.0);
  CHECK(t.at("mitigations_under_budget").at("mitigations") == json::array({"m_pin"}));
  CHECK(t["mitigations_under_budget"].at("attacker_best") == 250.0);
  CHECK(cli({"attack", kProject, "--budget", "10"}).status == 2);  // only with --optimise-mitigations
  CHECK(cli({"attack", kProject, "--optimise-mitigations", "--budget", "10", "--metric", "skill"}).status == 2);
}

TEST_CASE("coverage of the smart-home example, in JSON and text", "[app][cli][compliance]") {
  const std::string home = std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-home-hub.thornwood.json";
  const Run r = cli({"coverage", home, "--format", "json"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j["baselines"].size() == 2);
  const json& etsi = j["baselines"][0];
  CHECK(etsi["baseline"] == "etsi-en-303-645");
  CHECK(etsi["edition"] == "V2.1.1");
  CHECK(etsi["requirements"].size() == 68);
  const int met = etsi["met"], planned = etsi["planned"], gaps = etsi["gaps"], na = etsi["not_applicable"];
  CHECK(met + planned + gaps + na == 68);
  CHECK(na == 2);
  // Every requirement's state agrees with its mitigations' statuses.
  int counted = 0;
  for (const json& req : etsi["requirements"]) {
    bool inPlace = false;
    for (const json& m : req["mitigations"]) inPlace = inPlace || m["status"] == "implemented" || m["status"] == "verified";
    if (req["state"] == "not_applicable") {
      CHECK(!req["justification"].get<std::string>().empty());
      continue;
    }
    CHECK(req["state"] == (inPlace ? "met" : req["mitigations"].empty() ? "gap" : "planned"));
    counted += inPlace ? 1 : 0;
  }
  CHECK(counted == met);
  CHECK(etsi["share_met"].get<double>() == Approx(static_cast<double>(met) / (68 - na)));
  CHECK(cli({"coverage", home, "--format", "json"}).out == r.out);  // deterministic
  const Run text = cli({"coverage", home});
  CHECK(text.out.find("etsi-en-303-645 V2.1.1: " + std::to_string(met) + " of " + std::to_string(68 - na)) != std::string::npos);
  // Gaps come first.
  CHECK(text.out.find("  gap ") < text.out.find("  met "));
}

namespace {

/// The line of `"id": "<id>"` in a file, found by reading it line by line.
int lineOfId(const std::string& file, const std::string& id) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find("\"id\": \"" + id + "\"") != std::string::npos) return n;
  }
  return -1;
}

}  // namespace

TEST_CASE("check: exit codes, findings at the element's line, formats", "[app][cli][gate]") {
  const std::string lock = std::string(THORNWOOD_TEST_DATA) + "/projects/smart-lock.thornwood.json";
  const Run r = cli({"check", lock, "--format", "json"});
  INFO(r.err);
  CHECK(r.status == 1);
  const json j = json::parse(r.out);
  CHECK(j["passed"] == false);
  REQUIRE(j["checks"].size() == 5);
  const json& threat = j["checks"][1]["findings"][0];
  CHECK(threat["pointer"] == "/threats/0");
  CHECK(threat["line"] == lineOfId(lock, "t_relay"));
  CHECK(j["checks"][2]["findings"][0]["line"] == lineOfId(lock, "h_intrusion"));
  CHECK(cli({"check", lock, "--format", "json"}).out == r.out);  // deterministic

  // A configuration that relaxes the thresholds passes: exit 0.
  const auto dir = std::filesystem::temp_directory_path() / "thornwood-check-test";
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "thornwood-check.json").string();
  std::ofstream(config) << R"({"open_threat_class": "high", "fail_on_unacceptable_residual": false})";
  const Run pass = cli({"check", lock, "--config", config});
  CHECK(pass.status == 0);
  CHECK(pass.out.find("Result: passed") != std::string::npos);
  // A bad configuration is bad input: exit 2, nothing checked.
  std::ofstream(config) << R"({"open_threat": "high"})";
  const Run bad = cli({"check", lock, "--config", config});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("thornwood-check.json:/open_threat") != std::string::npos);

  // SARIF to a file, the text to stdout.
  const std::string sarif = (dir / "out.sarif").string();
  const Run toFile = cli({"check", lock, "--format", "sarif", "--output", sarif});
  CHECK(toFile.status == 1);
  CHECK(toFile.out.find("FAIL  TW002") != std::string::npos);
  std::ifstream in(sarif);
  const json s = json::parse(in);
  CHECK(s["version"] == "2.1.0");
  const json& result = s["runs"][0]["results"][0];
  CHECK(result["ruleId"] == "TW002");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == lineOfId(lock, "t_relay"));
  CHECK(s["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["id"] == "TW002");
  std::filesystem::remove_all(dir);

  // A file that does not load: validation fails with the problem, exit 1.
  const Run missing = cli({"check", "no-such-file.thornwood.json", "--format", "junit"});
  CHECK(missing.status == 1);
  CHECK(missing.out.find("<failure type=\"TW001\"") != std::string::npos);
  CHECK(missing.out.find("<skipped") != std::string::npos);
}

namespace {

std::string slurpFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("export: each format, and usage errors", "[app][cli][export]") {
  const std::string hub = std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-home-hub.thornwood.json";
  const auto dir = std::filesystem::temp_directory_path() / "thornwood-export-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const Run html = cli({"export", hub, "--format", "html"});
  INFO(html.err);
  CHECK(html.status == 0);
  CHECK(html.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(cli({"export", hub, "--format", "html"}).out == html.out);
  const Run dot = cli({"export", hub, "--format", "dot", "--diagram", "at_hub"});
  CHECK(dot.status == 0);
  CHECK(dot.out.rfind("digraph \"at_hub\"", 0) == 0);
  const Run svg = cli({"export", hub, "--format", "svg"});
  CHECK(svg.out.find("<svg") != std::string::npos);
  const Run mef = cli({"export", hub, "--format", "mef", "--tree", "ft_fire", "--mitigations", "in-place"});
  CHECK(mef.status == 0);
  CHECK(mef.out.find("<define-fault-tree name=\"ft_fire\">") != std::string::npos);
  CHECK(mef.out.find("ft_intrusion") == std::string::npos);
  const Run csv = cli({"export", hub, "--format", "csv", "--table", "requirements"});
  CHECK(csv.out.rfind("baseline,edition,requirement,", 0) == 0);
  const std::string pdf = (dir / "report.pdf").string();
  const Run pdfRun = cli({"export", hub, "--format", "pdf", "-o", pdf});
  INFO(pdfRun.err);
  CHECK(pdfRun.status == 0);
  const std::string bytes = slurpFile(pdf);
  CHECK(bytes.rfind("%PDF-", 0) == 0);
  CHECK(cli({"export", hub, "--format", "pdf", "-o", pdf}).status == 0);
  CHECK(slurpFile(pdf) == bytes);  // no date or random id unless --timestamp

  CHECK(cli({"export", hub}).status == 2);
  CHECK(cli({"export", hub, "--format", "pdf"}).status == 2);  // a PDF needs a file
  CHECK(cli({"export", hub, "--format", "csv"}).status == 2);  // which table
  CHECK(cli({"export", hub, "--format", "docx"}).status == 2);
  const Run unknownTree = cli({"export", hub, "--format", "dot", "--diagram", "nope"});
  CHECK(unknownTree.status == 2);
  CHECK(unknownTree.err.find("no such drawing: \"nope\"") != std::string::npos);
  const Run notSelected = cli({"export", hub, "--format", "html", "--baseline", "fda-premarket-cybersecurity"});
  CHECK(notSelected.status == 2);
  CHECK(notSelected.err.find("does not select baseline") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("export --bundle: every file in the manifest, and verify finds any change", "[app][cli][export]") {
  const std::string hub = std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-home-hub.thornwood.json";
  const auto dir = std::filesystem::temp_directory_path() / "thornwood-bundle-test";
  std::filesystem::remove_all(dir);
  const Run made = cli({"export", hub, "--bundle", dir.string()});
  INFO(made.err);
  REQUIRE(made.status == 0);
  const json manifest = json::parse(slurpFile(dir / "manifest.json"));
  CHECK(manifest["format"] == "thornwood-evidence-bundle");
  CHECK(manifest["model"]["sha256"] == thornwood::exporters::sha256Hex(slurpFile(hub)));
  std::set<std::string> paths;
  for (const auto& f : manifest["files"]) {
    paths.insert(f["path"].get<std::string>());
    CHECK(f["sha256"] == thornwood::exporters::sha256Hex(slurpFile(dir / f["path"].get<std::string>())));
  }
  for (const char* expected : {"report.html", "report.pdf", "tables/threats.csv", "tables/mitigations.csv", "tables/hazards.csv",
                               "tables/requirements.csv", "check/check.sarif", "check/check.junit.xml", "analysis.json",
                               "fault-trees/as-modelled.mef.xml", "drawings/system.svg", "drawings/at_hub.dot",
                               "model/smart-home-hub.thornwood.json"}) {
    CHECK(paths.count(expected));
  }
  // SHA256SUMS: "hash  path" for every file, the manifest too, as sha256sum -c reads it.
  std::istringstream sums(slurpFile(dir / "SHA256SUMS"));
  std::size_t lines = 0;
  for (std::string line; std::getline(sums, line); ++lines) {
    REQUIRE(line.size() > 66);
    CHECK(line.substr(0, 64) == thornwood::exporters::sha256Hex(slurpFile(dir / line.substr(66))));
  }
  CHECK(lines == paths.size() + 1);

  const Run ok = cli({"verify", dir.string(), "--model", hub});
  CHECK(ok.status == 0);
  CHECK(ok.out.find("all as the manifest says") != std::string::npos);
  // Not over a bundle without --force; the same bytes again with it.
  CHECK(cli({"export", hub, "--bundle", dir.string()}).status == 2);
  CHECK(cli({"export", hub, "--bundle", dir.string(), "--force"}).status == 0);
  CHECK(json::parse(slurpFile(dir / "manifest.json")) == manifest);

  // One byte changed, a file added, a file removed: each reported, exit 1.
  {
    std::fstream f(dir / "tables/threats.csv", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5);
    f.put('#');
  }
  std::ofstream(dir / "extra.txt") << "x";
  std::filesystem::remove(dir / "drawings/system.svg");
  const Run changed = cli({"verify", dir.string()});
  CHECK(changed.status == 1);
  CHECK(changed.out.find("ALTERED  tables/threats.csv") != std::string::npos);
  CHECK(changed.out.find("EXTRA    extra.txt") != std::string::npos);
  CHECK(changed.out.find("MISSING  drawings/system.svg") != std::string::npos);
  // Another model than the one reported on.
  const std::string other = std::string(THORNWOOD_SOURCE_DIR) + "/examples/infusion-pump.thornwood.json";
  CHECK(cli({"verify", dir.string(), "--model", other}).out.find("MODEL DIFFERS") != std::string::npos);
  CHECK(cli({"verify", (dir / "nothing-here").string()}).status == 2);
  // A manifest is input too: one naming a file outside the bundle is refused, not followed.
  json hostile = manifest;
  hostile["files"][0]["path"] = "../../etc/passwd";
  std::ofstream(dir / "manifest.json", std::ios::trunc) << hostile.dump();
  const Run outside = cli({"verify", dir.string()});
  CHECK(outside.status == 2);
  CHECK(outside.err.find("names a file outside the bundle") != std::string::npos);
  std::filesystem::remove_all(dir);
}
