// The reviewer's report (exporters/report.h), its CSV tables, the drawings and the MEF export:
// every section there, numbers carried through exactly (checked against hand computations
// and against a second analysis of the exported MEF), every user string escaped, and the
// same bytes from the same project.
#include <catch2/catch.hpp>

#include "support.h"
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "exporters/diagram_dot.h"
#include "exporters/digest.h"
#include "exporters/mef_writer.h"
#include "exporters/report.h"
#include "importers/mef_reader.h"
#include "models/fault_tree.h"
#include "models/project_file.h"

using namespace thornwood;
using Catch::Matchers::WithinRel;
using thornwood::test::anyOf;

namespace {

const char* const kExamples[] = {"smart-home-hub.thornwood.json", "infusion-pump.thornwood.json",
                                 "iiot-gateway-cluster.thornwood.json"};

models::Project load(const std::string& path) {
  const auto loaded = models::loadProject(path);
  REQUIRE(loaded.project);
  return *loaded.project;
}

std::string example(const std::string& name) { return std::string(THORNWOOD_SOURCE_DIR) + "/examples/" + name; }

exporters::Report report(const models::Project& p, const exporters::ReportOptions& o = {}) {
  auto r = exporters::buildReport(p, "model.thornwood.json", "", o);
  if (!r) FAIL(core::format(r.error()));
  return std::move(*r);
}

/// RFC 4180 records: fields split at commas outside quotes, "" inside quotes a quote, records
/// at CRLF outside quotes.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.emplace_back(1);
      ++i;
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::string column(const std::vector<std::vector<std::string>>& rows, std::size_t row, const std::string& name) {
  const auto& header = rows.front();
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return rows.at(row).at(static_cast<std::size_t>(it - header.begin()));
}

}  // namespace

TEST_CASE("the report has every section a reviewer reads", "[exporters][report]") {
  const auto r = report(load(example("smart-home-hub.thornwood.json")));
  const std::string html = exporters::toHtml(r);
  for (const char* section : {"1 Summary", "2 System", "3 Threats", "4 Attack trees", "5 Fault trees", "6 Hazard log",
                              "7 Resilience", "8 Compliance", "9 Appendix: model settings and provenance"}) {
    CHECK(html.find(std::string(">") + section + "</h2>") != std::string::npos);
  }
  // Inline drawings: the system and each tree, and nothing fetched from elsewhere.
  CHECK(std::count(html.begin(), html.end(), '\0') == 0);
  std::size_t svgs = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++svgs;
  CHECK(svgs == 1 + r.project.attackTrees.size() + r.project.faultTrees.size());
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*"(https?:|//|file:))")));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  // The compliance matrix lists gaps before what is met, in each baseline.
  const auto gapAt = html.find(">gap</span>", html.find("8 Compliance"));
  const auto metAt = html.find(">met</span>", html.find("8 Compliance"));
  REQUIRE(gapAt != std::string::npos);
  REQUIRE(metAt != std::string::npos);
  CHECK(gapAt < metAt);
  // No time unless asked; then it is shown.
  CHECK(html.find("Generated") == std::string::npos);
  exporters::ReportOptions o;
  o.generatedAt = "2026-12-01T10:00:00Z";
  CHECK(exporters::toHtml(report(r.project, o)).find("2026-12-01T10:00:00Z") != std::string::npos);
}

TEST_CASE("the report's numbers are the exact ones, as computed by hand", "[exporters][report]") {
  const auto r = report(load(example("smart-home-hub.thornwood.json")));
  const auto rows = parseCsv(exporters::hazardsCsv(r));
  std::size_t fire = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][0] == "h_fire") fire = i;
  }
  REQUIRE(fire > 0);
  // As in examples_test: ft_fire = smoke OR (empty AND (hub OR internet OR cloud OR push)).
  const double path = anyOf({0.003, 1e-3, 5e-4, 0.05});
  CHECK_THAT(std::stod(column(rows, fire, "p_top_before")), WithinRel(anyOf({0.03, 0.4 * path}), 1e-12));
  CHECK_THAT(std::stod(column(rows, fire, "p_top_after")), WithinRel(anyOf({0.006, 0.4 * path}), 1e-12));
  CHECK(column(rows, fire, "computed_class_after") == "high");
  // The HTML shows the same value, to six digits.
  char shown[32];
  std::snprintf(shown, sizeof shown, "%.6g", anyOf({0.03, 0.4 * path}));
  CHECK(exporters::toHtml(r).find(shown) != std::string::npos);
}

TEST_CASE("the CSV tables hold one row per element, quoted, and guard against formulas", "[exporters][report]") {
  models::Project p = load(example("smart-home-hub.thornwood.json"));
  p.threats[0].title = "=HYPERLINK(\"http://x\",\"click\")";
  p.threats[1].title = "Commas, \"quotes\" and\na line break";
  p.threats[2].justification = "@SUM(A1)";
  const auto r = report(p);
  const std::string csv = exporters::threatsCsv(r);
  CHECK(csv.find("\r\n") != std::string::npos);
  const auto rows = parseCsv(csv);
  REQUIRE(rows.size() == p.threats.size() + 1);
  for (const auto& row : rows) CHECK(row.size() == rows.front().size());
  CHECK(column(rows, 1, "title") == "'=HYPERLINK(\"http://x\",\"click\")");
  CHECK(column(rows, 2, "title") == "Commas, \"quotes\" and\na line break");
  CHECK(column(rows, 3, "justification") == "'@SUM(A1)");
  CHECK(parseCsv(exporters::mitigationsCsv(r)).size() == p.mitigations.size() + 1);
  CHECK(parseCsv(exporters::hazardsCsv(r)).size() == p.hazards.size() + 1);
  std::size_t requirements = 0;
  for (const auto& b : r.coverage) requirements += b.requirements.size();
  CHECK(parseCsv(exporters::requirementsCsv(r)).size() == requirements + 1);
}

TEST_CASE("a hostile project gives an escaped, well-formed report", "[exporters][report]") {
  models::Project p = load(example("smart-home-hub.thornwood.json"));
  const std::string script = "<script>alert('x')</script>";
  const std::string attr = "\"><img src=x onerror=alert(1)>";
  p.name = script + " & co";
  p.description = std::string(200000, 'A') + attr;  // a huge string
  p.system.components[0].name = script + attr + "\\N \\G";  // DOT's label escapes too
  p.system.zones[0].name = attr;
  p.system.flows[0].name = "]]><!--" + script;
  p.threats[0].title = script;
  p.threats[0].justification = attr + "\x01\x02";  // control characters are dropped
  p.mitigations[0].title = script;
  p.hazards[0].title = attr;
  p.attackTrees[0].nodes[0].name = script + "\"\\";
  p.faultTrees[0].gates[0].name = "</text></svg>" + script;
  const auto r = report(p);
  // Every drawing was made (Graphviz read the DOT) and none was lost.
  CHECK(r.notes.empty());
  CHECK_FALSE(r.systemSvg.empty());
  for (const auto* svg : exporters::drawings(r)) CHECK_FALSE(svg->empty());
  for (const auto flavour : {exporters::HtmlFlavour::Browser, exporters::HtmlFlavour::Qt}) {
    const std::string html = exporters::toHtml(r, flavour);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img src=x") == std::string::npos);  // the text is there, escaped, never as a tag
    CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(html.find("</text></svg><") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("\x01\x02") == std::string::npos);  // the user's control characters are gone
    CHECK(html.find(std::string(200000, 'A')) != std::string::npos);  // kept whole in the text
    // Tags balance: every <table> closed, every <svg> closed.
    auto count = [&](const std::string& s) {
      std::size_t n = 0;
      for (std::size_t at = html.find(s); at != std::string::npos; at = html.find(s, at + 1)) ++n;
      return n;
    };
    CHECK(count("<table") == count("</table>"));
    CHECK(count("<svg") == count("</svg>"));
    CHECK(count("<tr>") == count("</tr>"));
  }
  // The labels in the drawings are clipped and escaped by Graphviz as well as by us.
  CHECK(r.systemSvg.find("<script") == std::string::npos);
  CHECK(r.systemSvg.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("the same project gives the same bytes", "[exporters][report]") {
  for (const char* name : kExamples) {
    INFO(name);
    const models::Project p = load(example(name));
    const auto a = report(p);
    const auto b = report(p);
    CHECK(exporters::toHtml(a) == exporters::toHtml(b));
    CHECK(exporters::toHtml(a, exporters::HtmlFlavour::Qt) == exporters::toHtml(b, exporters::HtmlFlavour::Qt));
    CHECK(exporters::threatsCsv(a) == exporters::threatsCsv(b));
    CHECK(exporters::requirementsCsv(a) == exporters::requirementsCsv(b));
    for (const auto& id : exporters::diagramIds(p)) {
      const auto dot = exporters::toDot(p, id);
      REQUIRE(dot);
      CHECK(*dot == *exporters::toDot(p, id));
      // Graphviz's own order of clusters varies within a process; ours must not.
      const auto svg = exporters::renderSvg(*dot);
      for (int k = 0; k < 5; ++k) CHECK(*exporters::renderSvg(*dot) == *svg);
    }
    CHECK(*exporters::projectToMef(p, models::MitigationScope::InPlace) ==
          *exporters::projectToMef(p, models::MitigationScope::InPlace));
  }
}

TEST_CASE("a report needs a valid model and the baselines it selects", "[exporters][report]") {
  models::Project p = load(example("smart-home-hub.thornwood.json"));
  exporters::ReportOptions o;
  o.baselines = {"fda-premarket-cybersecurity"};
  const auto notSelected = exporters::buildReport(p, "m.json", "", o);
  REQUIRE_FALSE(notSelected);
  CHECK(notSelected.error().problem.find("does not select baseline \"fda-premarket-cybersecurity\"") != std::string::npos);
  o.baselines = {p.compliance.baselines.back().baseline};
  const auto one = exporters::buildReport(p, "m.json", "", o);
  REQUIRE(one);
  CHECK(one->coverage.size() == 1);
  p.system.flows[0].target = "ghost";
  const auto invalid = exporters::buildReport(p, "m.json", "", {});
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().problem.find("validation error") != std::string::npos);
  std::atomic<bool> stop{true};
  exporters::ReportOptions cancelled;
  cancelled.cancel = &stop;
  const auto c = exporters::buildReport(load(example("smart-home-hub.thornwood.json")), "m.json", "", cancelled);
  REQUIRE_FALSE(c);
  CHECK(c.error().code == core::ErrorCode::Cancelled);
}

TEST_CASE("exported MEF reads back to the same probability and cut sets", "[exporters][mef]") {
  const auto dir = std::filesystem::temp_directory_path() / "thornwood-mef-roundtrip";
  std::filesystem::create_directories(dir);
  for (const char* name : kExamples) {
    const models::Project p = load(example(name));
    for (const auto scope : {models::MitigationScope::None, models::MitigationScope::InPlace}) {
      for (const auto& ft : p.faultTrees) {
        INFO(name << " " << ft.id << " " << models::toString(scope));
        auto mef = exporters::projectToMef(p, scope, ft.id);
        REQUIRE(mef);
        const auto file = (dir / (ft.id + ".xml")).string();
        std::ofstream(file, std::ios::binary) << *mef;
        const auto read = importers::readMef({file});
        for (const auto& d : read.diagnostics) UNSCOPED_INFO(core::format(d));
        REQUIRE(read.model);
        const auto compiled = models::compile(read.model->tree);
        REQUIRE(compiled.compiled);
        const core::LogicGraph& g = compiled.compiled->graph;
        const auto roots = g.roots();
        REQUIRE(roots.size() == 1);
        auto viaMef = core::analyse(g, roots.front(), {});
        REQUIRE(viaMef);
        const auto direct = models::compileFaultTree(p, ft.id, scope);
        REQUIRE(direct);
        auto ours = core::analyse(direct->graph, direct->top, {});
        REQUIRE(ours);
        CHECK_THAT(*viaMef->probability, WithinRel(*ours->probability, 1e-14));
        CHECK(viaMef->cutSets.count == ours->cutSets.count);
        CHECK(viaMef->cutSets.byOrder == ours->cutSets.byOrder);
      }
    }
  }
  // Names MEF does not allow are rewritten, kept in a label, and stay unique.
  const models::Project p = load(example("smart-home-hub.thornwood.json"));
  const auto mef = exporters::projectToMef(p, models::MitigationScope::None);
  REQUIRE(mef);
  CHECK(mef->find("name=\"at_account_phishing\"") != std::string::npos);
  CHECK(mef->find("(Thornwood id: at_account/phishing)") != std::string::npos);
  CHECK(mef->find("name=\"at_account/") == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("SHA-256 matches the published test vectors", "[exporters][digest]") {
  // FIPS 180-2 appendix B.1 and the empty string.
  CHECK(exporters::sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(exporters::sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(exporters::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const auto file = std::filesystem::temp_directory_path() / "thornwood-sha.txt";
  std::ofstream(file, std::ios::binary) << "abc";
  CHECK(exporters::sha256OfFile(file.string()) == exporters::sha256Hex("abc"));
  std::filesystem::remove(file);
  CHECK_FALSE(exporters::sha256OfFile("/nonexistent/file"));
}
