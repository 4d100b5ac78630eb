#include "importers/mef_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>

#include "core/fault_tree_analysis.h"
#include "models/fault_tree.h"
#include "support.h"

using namespace thornwood;
namespace fs = std::filesystem;

namespace {

/// A file in a fresh temporary folder, removed with the object.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& text, const std::string& name = "model.xml") {
    static std::mt19937_64 rng(std::random_device{}());
    const fs::path dir = fs::temp_directory_path() / ("thornwood-test-" + std::to_string(rng()));
    fs::create_directories(dir);
    path = dir / name;
    std::ofstream(path) << text;
  }
  ~TempFile() { fs::remove_all(path.parent_path()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

importers::MefOutcome read(const std::string& text) {
  TempFile f(text);
  return importers::readMef({f.path.string()});
}

/// The single error a bad file must produce, checked for file, place and words.
void expectError(const std::string& text, core::ErrorCode code, const std::string& place,
                 const std::string& words) {
  TempFile f(text);
  const auto out = importers::readMef({f.path.string()});
  INFO(text);
  CHECK_FALSE(out.model);
  REQUIRE_FALSE(out.diagnostics.empty());
  const core::Diagnostic& d = out.diagnostics.front();
  for (const auto& x : out.diagnostics) UNSCOPED_INFO(core::format(x));
  CHECK(d.code == code);
  CHECK(d.file == f.path.string());
  CHECK(d.place == place);
  CHECK(d.problem.find(words) != std::string::npos);
}

core::Diagnostic compileError(const std::string& text) {
  const auto out = read(text);
  REQUIRE(out.model);
  const auto compiled = models::compile(out.model->tree);
  REQUIRE_FALSE(compiled.compiled);
  REQUIRE_FALSE(compiled.diagnostics.empty());
  return compiled.diagnostics.front();
}

/// Compiles a read model and analyses its gate "top"; the test stops if either fails.
struct Analysed {
  models::CompiledFaultTree compiled;
  core::AnalysisResult result;
};

Analysed analyseTop(const importers::MefOutcome& out) {
  for (const auto& d : out.diagnostics) UNSCOPED_INFO(core::format(d));
  REQUIRE(out.model);
  auto compiled = models::compile(out.model->tree);
  REQUIRE(compiled.compiled);
  const core::LogicGraph& g = compiled.compiled->graph;
  auto r = core::analyse(g, *g.find("top"), {});
  REQUIRE(r);
  return Analysed{std::move(*compiled.compiled), std::move(*r)};
}

const char* const kHeader = "<?xml version=\"1.0\"?>\n<opsa-mef>\n<define-fault-tree name=\"FT\">\n";
const char* const kFooter = "</define-fault-tree>\n</opsa-mef>\n";

}  // namespace

TEST_CASE("malformed XML names line and column", "[importers][mef]") {
  expectError("<?xml version=\"1.0\"?>\n<opsa-mef>\n  <define-fault-tree name=\"x\">\n</opsa-mef>\n",
              core::ErrorCode::Malformed, "4:3", "malformed XML");
}

TEST_CASE("a DTD with an external entity is refused, nothing is fetched", "[importers][mef]") {
  expectError(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE opsa-mef [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
      "<opsa-mef><define-fault-tree name=\"&xxe;\"/></opsa-mef>\n",
      core::ErrorCode::Unsupported, "2:1", "document type declarations");
}

TEST_CASE("an entity-expansion bomb is refused without expanding", "[importers][mef]") {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<opsa-mef><define-fault-tree name=\"&lol9;\"/></opsa-mef>\n";
  expectError(bomb, core::ErrorCode::Unsupported, "2:1", "document type declarations");
}

TEST_CASE("unknown formula kinds are Unsupported, naming the element", "[importers][mef]") {
  expectError(std::string(kHeader) +
                  "<define-gate name=\"top\">\n  <sand><basic-event name=\"a\"/></sand>\n</define-gate>\n"
                  "<define-basic-event name=\"a\"><float value=\"0.1\"/></define-basic-event>\n" +
                  kFooter,
              core::ErrorCode::Unsupported, "5:3", "formula <sand> is not supported");
  expectError(std::string(kHeader) + "<define-event-tree name=\"sequence\"/>\n" + kFooter,
              core::ErrorCode::Unsupported, "4:1", "<define-event-tree> is not supported");
  expectError(std::string(kHeader) +
                  "<define-basic-event name=\"a\"><histogram><float value=\"1\"/></histogram>"
                  "</define-basic-event>\n" + kFooter,
              core::ErrorCode::Unsupported, "4:30", "expression <histogram> is not supported");
}

TEST_CASE("dangling references and bad values are errors with their place", "[importers][mef]") {
  expectError(std::string(kHeader) +
                  "<define-gate name=\"top\">\n<or>\n<gate name=\"missing\"/>\n</or>\n</define-gate>\n" +
                  kFooter,
              core::ErrorCode::Malformed, "6:1", "uses unknown gate \"missing\"");
  expectError(std::string(kHeader) +
                  "<define-basic-event name=\"a\">\n<float value=\"1.5\"/>\n</define-basic-event>\n" +
                  kFooter,
              core::ErrorCode::Malformed, "5:1", "outside [0, 1]");
  expectError(std::string(kHeader) +
                  "<define-basic-event name=\"a\">\n<float value=\"abc\"/>\n</define-basic-event>\n" +
                  kFooter,
              core::ErrorCode::Malformed, "5:1", "not a finite number");
  expectError(std::string(kHeader) +
                  "<define-gate name=\"g\"><and><basic-event name=\"a\"/></and></define-gate>\n"
                  "<define-gate name=\"g\"><or><basic-event name=\"a\"/></or></define-gate>\n"
                  "<define-basic-event name=\"a\"/>\n" + kFooter,
              core::ErrorCode::Malformed, "5:1", "defined twice");
}

TEST_CASE("cycles and k > n are caught when the tree is compiled", "[importers][mef]") {
  const core::Diagnostic cycle = compileError(
      std::string(kHeader) +
      "<define-gate name=\"g1\"><or><gate name=\"g2\"/><basic-event name=\"a\"/></or></define-gate>\n"
      "<define-gate name=\"g2\"><and><gate name=\"g1\"/><basic-event name=\"a\"/></and></define-gate>\n"
      "<define-basic-event name=\"a\"/>\n" + kFooter);
  CHECK(cycle.problem.find("cycle in the logic") != std::string::npos);
  CHECK_FALSE(cycle.file.empty());
  CHECK((cycle.place == "4:1" || cycle.place == "5:1"));

  const core::Diagnostic vote = compileError(
      std::string(kHeader) +
      "<define-gate name=\"v\">\n<atleast min=\"3\"><basic-event name=\"a\"/><basic-event name=\"b\"/>"
      "</atleast></define-gate>\n<define-basic-event name=\"a\"/><define-basic-event name=\"b\"/>\n" +
      kFooter);
  CHECK(vote.problem.find("needs k in [1, 2], not 3") != std::string::npos);
  CHECK(vote.place == "4:1");
}

TEST_CASE("deep nesting is refused with a Limit error, not a crash", "[importers][mef]") {
  std::string deep = std::string(kHeader) + "<define-gate name=\"top\">";
  for (int i = 0; i < 5000; ++i) deep += "<or><basic-event name=\"a\"/>";
  for (int i = 0; i < 5000; ++i) deep += "</or>";
  deep += "</define-gate><define-basic-event name=\"a\"/>" + std::string(kFooter);
  const auto out = read(deep);
  CHECK_FALSE(out.model);
  REQUIRE_FALSE(out.diagnostics.empty());
  CHECK(out.diagnostics.front().code == core::ErrorCode::Limit);
}

TEST_CASE("a missing file is an Io error", "[importers][mef]") {
  const auto out = importers::readMef({"/nonexistent/thornwood/model.xml"});
  CHECK_FALSE(out.model);
  REQUIRE(out.diagnostics.size() == 1);
  CHECK(out.diagnostics[0].code == core::ErrorCode::Io);
}

TEST_CASE("expressions, parameters, mission time and nested formulas", "[importers][mef]") {
  const std::string text = std::string(kHeader) +
                           "<define-gate name=\"top\"><or><basic-event name=\"a\"/>"
                           "<and><basic-event name=\"b\"/><not><basic-event name=\"c\"/></not></and>"
                           "</or></define-gate>\n"
                           "<define-parameter name=\"lambda\"><mul><float value=\"2\"/><float value=\"5e-4\"/></mul>"
                           "</define-parameter>\n"
                           "<define-basic-event name=\"a\"><exponential><parameter name=\"lambda\"/>"
                           "<system-mission-time/></exponential></define-basic-event>\n"
                           "<define-basic-event name=\"b\"><float value=\"0.5\"/></define-basic-event>\n"
                           "<define-basic-event name=\"c\"><float value=\"0.25\"/></define-basic-event>\n" +
                           kFooter;
  TempFile f(text);
  importers::MefOptions o;
  o.missionTime = 100;
  const Analysed a = analyseTop(importers::readMef({f.path.string()}, o));
  const core::LogicGraph& g = a.compiled.graph;
  const double pa = 1 - std::exp(-1e-3 * 100);
  CHECK(*g.probability(*g.find("a")) == Approx(pa).epsilon(1e-15));
  // a ∨ (b ∧ ¬c), independent events.
  const double pbc = 0.5 * 0.75;
  CHECK(*a.result.probability == Approx(pa + pbc - pa * pbc).epsilon(1e-12));
}

namespace {

/// A plant model in two files: the logic, whose top gate refers to the private gate of the
/// component Pump as `innerName`, and the basic-event data.
std::string plantLogic(const std::string& innerName) {
  return "<opsa-mef><define-fault-tree name=\"Plant\">"
         "<define-gate name=\"top\"><and><gate name=\"" + innerName +
         "\"/><basic-event name=\"shared\"/></and></define-gate>"
         "<define-component name=\"Pump\" role=\"private\">"
         "<define-gate name=\"inner\"><or><basic-event name=\"seal\"/><basic-event name=\"motor\"/></or>"
         "</define-gate>"
         "<define-basic-event name=\"seal\"><float value=\"0.1\"/></define-basic-event>"
         "</define-component>"
         "</define-fault-tree></opsa-mef>";
}

const char* const kPlantData =
    "<opsa-mef><model-data>"
    "<define-basic-event name=\"shared\"><float value=\"0.5\"/></define-basic-event>"
    "<define-basic-event name=\"motor\"><float value=\"0.2\"/></define-basic-event>"
    "</model-data></opsa-mef>";

}  // namespace

TEST_CASE("a private gate is not reached by its bare name from outside", "[importers][mef]") {
  TempFile logic(plantLogic("inner"), "logic.xml");
  TempFile data(kPlantData, "data.xml");
  const auto bad = importers::readMef({logic.path.string(), data.path.string()});
  CHECK_FALSE(bad.model);
  REQUIRE_FALSE(bad.diagnostics.empty());
  CHECK(bad.diagnostics.front().problem.find("unknown gate \"inner\"") != std::string::npos);
}

TEST_CASE("two files: structure and data, a private gate by its path", "[importers][mef]") {
  TempFile logic(plantLogic("Pump.inner"), "logic.xml");
  TempFile data(kPlantData, "data.xml");
  const Analysed a = analyseTop(importers::readMef({logic.path.string(), data.path.string()}));
  CHECK(*a.result.probability == Approx(0.5 * (1 - 0.9 * 0.8)).epsilon(1e-12));
}

TEST_CASE("a beta-factor CCF group by hand", "[importers][mef]") {
  // Two pumps, Q = 0.2, beta = 0.1: each fails alone with Q1 = 0.18 and both together with
  // Q2 = 0.02. Both fail when the common event occurs or both independent ones do.
  const auto out = read(std::string(kHeader) +
                        "<define-gate name=\"top\"><and><event name=\"A\"/><event name=\"B\"/></and>"
                        "</define-gate>\n"
                        "</define-fault-tree>\n<define-CCF-group name=\"pumps\" model=\"beta-factor\">"
                        "<members><basic-event name=\"A\"/><basic-event name=\"B\"/></members>"
                        "<distribution><float value=\"0.2\"/></distribution>"
                        "<factor level=\"2\"><float value=\"0.1\"/></factor></define-CCF-group>\n"
                        "</opsa-mef>\n");
  const Analysed a = analyseTop(out);
  CHECK(*a.result.probability == Approx(0.02 + 0.98 * 0.18 * 0.18).epsilon(1e-12));
  CHECK(test::namesOf(a.compiled.graph, a.result.cutSets.list) ==
        test::Sets{{"[A B]"}, {"[A]", "[B]"}});
}

TEST_CASE("periodic test with instant repair, before and after the first test", "[importers][mef]") {
  const std::string text = std::string(kHeader) +
                           "<define-gate name=\"top\"><or><basic-event name=\"a\"/>"
                           "<basic-event name=\"b\"/></or></define-gate>\n"
                           "<define-basic-event name=\"a\"><periodic-test><float value=\"1e-3\"/>"
                           "<float value=\"100\"/><float value=\"50\"/><system-mission-time/>"
                           "</periodic-test></define-basic-event>\n"
                           "<define-basic-event name=\"b\"><float value=\"0\"/></define-basic-event>\n" +
                           kFooter;
  TempFile f(text);
  for (const auto& [hours, exposed] : {std::pair{30.0, 30.0}, std::pair{275.0, 25.0}}) {
    importers::MefOptions o;
    o.missionTime = hours;
    const auto out = importers::readMef({f.path.string()}, o);
    REQUIRE(out.model);
    // At 30 h the first test (at 50 h) has not happened; at 275 h the last was at 250 h.
    CHECK(*out.model->tree.basicEvents[0].probability == Approx(1 - std::exp(-1e-3 * exposed)).epsilon(1e-14));
  }
}

TEST_CASE("a file over the size limit is refused before parsing", "[importers][mef]") {
  TempFile f(std::string(kHeader) + kFooter);
  importers::MefOptions o;
  o.maxFileBytes = 16;
  const auto out = importers::readMef({f.path.string()}, o);
  CHECK_FALSE(out.model);
  REQUIRE(out.diagnostics.size() == 1);
  CHECK(out.diagnostics[0].code == core::ErrorCode::Limit);
  CHECK(out.diagnostics[0].problem.find("more than the limit of 16") != std::string::npos);
}

TEST_CASE("mutated files never crash the reader or the engine", "[importers][mef]") {
  // Seeded byte mutations of the bundled example: each must end in a model or in
  // diagnostics, and a model that compiles must analyse.
  std::ifstream in(std::string(THORNWOOD_SOURCE_DIR) + "/examples/smart-lock-unlock.xml");
  const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(original.size() > 1000);
  std::mt19937 rng(20261125);
  const std::string alphabet = "<>/=\"' abcdefgor0123456789.-&;!\n";
  int models = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string text = test::mutate(original, rng, alphabet);
    const auto out = read(text);
    if (!out.model) {
      CHECK_FALSE(out.diagnostics.empty());
      ++rejected;
      continue;
    }
    const auto compiled = models::compile(out.model->tree);
    if (!compiled.compiled) {
      CHECK_FALSE(compiled.diagnostics.empty());
      ++rejected;
      continue;
    }
    for (core::NodeId top : compiled.compiled->graph.roots()) {
      const auto r = core::analyse(compiled.compiled->graph, top, {});
      CHECK((r.has_value() || r.error().code == core::ErrorCode::Limit));
    }
    ++models;
  }
  CHECK(models + rejected == 300);
  CHECK(rejected > 0);
}
