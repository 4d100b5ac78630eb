// Every model in ../shared/benchmarks/fault-trees/expected.json, checked against the values
// published there: counts and counts per order must be equal, probabilities within the
// printed precision of the published value (or its stated tolerance).
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <tuple>

#include "core/fault_tree_analysis.h"
#include "importers/mef_reader.h"
#include "models/fault_tree.h"
#include "support.h"

using namespace thornwood;
using nlohmann::json;
using test::Sets;

namespace {

/// Solved by no anchor (SCRAM stopped at 100 s, XFTA ran out of memory, nothing published):
/// until the engine solves it we expect a clean Limit error within the default budget.
/// das9701, the other such model, is solved and checked like every other.
const std::set<std::string> kUnsolved = {"aralia/nus9601.xml"};

/// Features the reader refuses for now, with the element it must name.
const std::map<std::string, std::string> kUnsupported = {};

struct Settings {
  std::optional<int> limitOrder;
  double cutOff = 0.0;
  core::Method method = core::Method::Bdd;
  auto key() const { return std::make_tuple(limitOrder.value_or(-1), cutOff, method); }
};

/// SCRAM's default limit order (20) unless the settings text overrides it. SCRAM's default
/// cut-off of 1e-8 does not apply to its BDD cut sets: its published counts for 200_event
/// (287 at order 15) and CEA9601 (54,436 at order 4) include sets far below 1e-8.
Settings scramSettings(const std::string& text) {
  Settings s{20, 0.0};
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"(limit-order (\d+))"))) s.limitOrder = std::stoi(m[1]);
  if (std::regex_search(text, m, std::regex(R"(--cut-off ([0-9.eE+-]+))"))) s.cutOff = std::stod(m[1]);
  return s;
}

struct Model {
  std::string key;
  std::optional<models::CompiledFaultTree> compiled;
  std::vector<core::Diagnostic> diagnostics;
  core::NodeId top = 0;
  std::map<std::tuple<int, double, core::Method, bool>, core::Result<core::AnalysisResult>> cache;

  const core::Result<core::AnalysisResult>& analyse(const Settings& s, bool list) {
    const auto k = std::tuple_cat(s.key(), std::make_tuple(list));
    if (auto it = cache.find(k); it != cache.end()) return it->second;
    core::AnalysisOptions o;
    o.limitOrder = s.limitOrder;
    o.cutOff = s.cutOff;
    o.method = s.method;
    o.maxCutSets = list ? 100000 : 0;
    return cache.emplace(k, core::analyse(compiled->graph, top, o)).first->second;
  }
};

std::string digitsText(const json& v) { return v.dump(); }

/// Set per model from expected.json's consistency flags: "last-digit rounding" widens the
/// printed-precision check from half a unit to one unit in the last digit.
bool gRoundingFlagged = false;

void checkNumber(const std::string& what, double value, const json& stated, const json& entry,
                 double extraAbs = 0.0) {
  INFO(what << ": ours " << value << ", published " << stated.dump());
  const int digits = test::significantDigits(digitsText(stated));
  if (extraAbs > 0.0 && std::fabs(value - stated.get<double>()) <= extraAbs) {
    SUCCEED();
  } else if (gRoundingFlagged) {
    CHECK(test::withinPrinted(value, stated.get<double>(), digits, 1.0));
  } else if (entry.contains("tolerance_abs")) {
    CHECK(std::fabs(value - stated.get<double>()) <= entry["tolerance_abs"].get<double>());
  } else if (entry.contains("exact_tolerance_abs") && what == "exact_probability") {
    CHECK(std::fabs(value - stated.get<double>()) <= entry["exact_tolerance_abs"].get<double>());
  } else {
    CHECK(test::withinPrinted(value, stated.get<double>(), digits));
  }
}

Sets statedSets(const json& mcs) {
  if (mcs.is_string()) {
    const std::string s = mcs.get<std::string>();
    if (s.rfind("UNITY", 0) == 0) return Sets{{}};
    return Sets{};
  }
  Sets out;
  for (const auto& set : mcs) out.insert(set.get<std::set<std::string>>());
  return out;
}

void checkCounts(const core::AnalysisResult& r, const json& count, const json& perOrder) {
  if (count.is_number()) CHECK(r.cutSets.count == count.get<std::uint64_t>());
  if (perOrder.is_object()) {
    std::map<int, std::uint64_t> want;
    for (const auto& [k, v] : perOrder.items()) want[std::stoi(k)] = v.get<std::uint64_t>();
    CHECK(r.cutSets.byOrder == want);
  }
  if (perOrder.is_string()) {
    std::map<int, std::uint64_t> want;
    std::istringstream in(perOrder.get<std::string>());
    std::uint64_t n = 0;
    for (int order = 1; in >> n; ++order) {
      if (n != 0) want[order] = n;
    }
    CHECK(r.cutSets.byOrder == want);
  }
}

/// The settings a stated result was computed with.
Settings statedSettings(const Model& m, const json& s) {
  const std::string source = s.value("source", "");
  const bool fromScram = source.rfind("rakhimov/scram", 0) == 0;
  Settings settings = fromScram ? scramSettings(s.value("settings", "")) : Settings{};
  if (m.key == "aralia/edf9206.xml" && source.rfind("openpra-org/aralia-fault-tree-dataset", 0) == 0) {
    // The table's 385,825,320 is the count up to order 20, SCRAM's default limit; the full
    // count, 7,159,688,704, agrees with SCRAM's own per-order counts where SCRAM finishes.
    settings.limitOrder = 20;
  }
  return settings;
}

void checkStated(Model& m, const json& s) {
  const std::string source = s.value("source", "");
  const Settings settings = statedSettings(m, s);
  const bool list = s.contains("mcs") || s.contains("mcs_count_limit_order_5");
  if (s.contains("mcs_count_limit_order_5")) return;  // checked in its own test below
  const auto& result = m.analyse(settings, list && s.contains("mcs"));
  INFO(m.key << " / " << source);
  REQUIRE(result);
  const core::AnalysisResult& r = *result;
  checkCounts(r, s.value("mcs_count", json()), s.value("mcs_per_order", json()));
  if (s.contains("mcs")) {
    CHECK(test::namesOf(m.compiled->graph, r.cutSets.list) == statedSets(s["mcs"]));
  }
  const bool tableWrong = s.contains("consistency_flags");
  if (s.contains("top_event_probability") && s["top_event_probability"].is_number() && !tableWrong) {
    const std::string text = s.value("probability_text", s["top_event_probability"].dump());
    INFO("probability " << *r.probability << " vs table " << text);
    CHECK(test::withinPrinted(*r.probability, s["top_event_probability"].get<double>(),
                              test::significantDigits(text)));
  }
  for (const char* key : {"exact_probability", "probability"}) {
    if (s.contains(key) && s[key].is_number()) checkNumber(key, r.probability.value(), s[key], s);
  }
  if (s.contains("rare_event_probability")) {
    checkNumber("rare_event_probability", r.rareEvent.value(), s["rare_event_probability"], s);
  }
  if (s.contains("mcub_probability")) checkNumber("mcub_probability", r.mcub.value(), s["mcub_probability"], s);
}

void checkScramRun(Model& m, const json& run) {
  if (run.value("exit", "") != "ok") return;
  const std::string command = run.value("command", "");
  const Settings settings = scramSettings(command);
  const auto& result = m.analyse(settings, false);
  INFO(m.key << " / " << command);
  REQUIRE(result);
  const core::AnalysisResult& r = *result;
  if (run.contains("mcs_count")) {
    checkCounts(r, run["mcs_count"], run.value("mcs_per_order_from_1", json()));
  }
  if (run.contains("probability_exact")) {
    checkNumber("exact_probability", r.probability.value(), run["probability_exact"], json::object());
  }
  if (run.contains("probability_rare_event")) {
    checkNumber("rare_event_probability", r.rareEvent.value(), run["probability_rare_event"], json::object());
  }
  if (run.contains("probability_mcub")) {
    // SCRAM forms 1 - prod(1 - P) directly; with n sets near P = 0 that carries an absolute
    // rounding error up to about n * 2^-52 (its das9204 MCUB even exceeds its rare-event
    // sum, which no true MCUB can). We form it as -expm1(sum log1p(-P)).
    const double scramRounding = static_cast<double>(r.cutSets.count) * 2.3e-16;
    checkNumber("mcub_probability", r.mcub.value(), run["probability_mcub"], json::object(),
                scramRounding);
  }
}

std::optional<json> expected() {
  const auto shared = test::sharedDir();
  if (!shared) {
    WARN("../shared is absent: benchmark models skipped");
    return std::nullopt;
  }
  std::ifstream in(*shared / "benchmarks/fault-trees/expected.json");
  return json::parse(in);
}

Model load(const std::string& key, const json& entry, std::optional<double> missionTime = {}) {
  Model m;
  m.key = key;
  std::vector<std::string> files;
  for (const auto& f : entry["files"]) {
    std::string path = f.get<std::string>();
    if (path.rfind("shared/", 0) == 0) path = path.substr(7);
    files.push_back((*test::sharedDir() / path).string());
  }
  importers::MefOptions o;
  o.missionTime = missionTime;
  auto mef = importers::readMef(files, o);
  m.diagnostics = mef.diagnostics;
  if (!mef.model) return m;
  auto compiled = models::compile(mef.model->tree);
  m.diagnostics.insert(m.diagnostics.end(), compiled.diagnostics.begin(), compiled.diagnostics.end());
  if (!compiled.compiled) return m;
  m.compiled = std::move(compiled.compiled);
  std::string top = entry.value("top_gate", "");
  for (const auto& s : entry.value("stated", json::array())) {
    if (top.empty() && s.contains("top_gate")) top = s["top_gate"].get<std::string>();
  }
  if (top.empty()) {
    const auto roots = m.compiled->graph.roots();
    REQUIRE(roots.size() == 1);
    m.top = roots.front();
  } else {
    m.top = *m.compiled->graph.find(top);
  }
  return m;
}

}  // namespace

TEST_CASE("published results of every benchmark model", "[importers][benchmarks]") {
  const auto data = expected();
  if (!data) return;
  int checked = 0;
  for (const auto& [key, entry] : (*data)["models"].items()) {
    if (key == "scram-core/single_exponential.xml") continue;  // its own test below
    SECTION(key) {
      gRoundingFlagged = entry.dump().find("last-digit rounding") != std::string::npos;
      Model m = load(key, entry);
      if (const auto it = kUnsupported.find(key); it != kUnsupported.end()) {
        REQUIRE_FALSE(m.compiled);
        REQUIRE_FALSE(m.diagnostics.empty());
        CHECK(m.diagnostics.front().code == core::ErrorCode::Unsupported);
        CHECK(m.diagnostics.front().problem.find(it->second) != std::string::npos);
        continue;
      }
      for (const auto& d : m.diagnostics) UNSCOPED_INFO(core::format(d));
      REQUIRE(m.compiled);
      if (kUnsolved.count(key) != 0) {
        const auto& r = m.analyse(Settings{}, false);
        if (!r) {
          CHECK(r.error().code == core::ErrorCode::Limit);
          WARN(key << ": not solved within the default node budget yet");
          continue;
        }
      }
      for (const auto& s : entry.value("stated", json::array())) checkStated(m, s);
      for (const auto& run : entry.value("scram_runs", json::array())) checkScramRun(m, run);
      ++checked;
    }
  }
  CHECK(checked >= 0);
}

TEST_CASE("the ZBDD method gives the published cut-set counts without a BDD",
          "[importers][benchmarks]") {
  // A second algorithm for the same sets: built bottom-up from the formula instead of read
  // off the BDD. Non-coherent models are refused; the slowest coherent ones (3 to over 30 s
  // this way) are left to the BDD test above.
  const std::set<std::string> slow = {"aralia/edf9203.xml", "aralia/edf9204.xml",
                                      "aralia/edfpa14o.xml", "aralia/edfpa14q.xml",
                                      "aralia/edfpa14r.xml"};
  const auto data = expected();
  if (!data) return;
  int compared = 0, refused = 0;
  for (const auto& [key, entry] : (*data)["models"].items()) {
    if (key == "scram-core/single_exponential.xml" || kUnsolved.count(key) || slow.count(key))
      continue;
    gRoundingFlagged = entry.dump().find("last-digit rounding") != std::string::npos;
    Model m = load(key, entry);
    if (!m.compiled) continue;
    for (const auto& s : entry.value("stated", json::array())) {
      if (!s.contains("mcs_count") && !s.contains("mcs_per_order")) continue;
      if (s.contains("mcs_count_limit_order_5")) continue;
      Settings settings = statedSettings(m, s);
      settings.method = core::Method::Zbdd;
      const auto& result = m.analyse(settings, false);
      INFO(key << " / " << s.value("source", ""));
      if (!result) {
        CHECK(result.error().code == core::ErrorCode::Unsupported);
        ++refused;
        break;
      }
      CHECK(result->stats.method == core::Method::Zbdd);
      CHECK(result->stats.bddNodes == 0);
      checkCounts(*result, s.value("mcs_count", json()), s.value("mcs_per_order", json()));
      if (s.contains("rare_event_probability") && result->rareEvent) {
        checkNumber("rare_event_probability", *result->rareEvent, s["rare_event_probability"], s);
      }
      ++compared;
    }
  }
  CHECK(compared >= 50);  // stated counts, some models with several
  CHECK(refused >= 4);    // models that negate events: cea9601, das9601, das9701, ...
}

TEST_CASE("nus9601's cut sets of up to 7 events, with no BDD", "[importers][benchmarks]") {
  // No BDD of nus9601 fits in memory in any order we have tried, but its low orders do.
  // Orders 3 and 4 by hand: r1 = g3 | g2 | g4 & (g7 | e5 & g8), where g2 gives 2 x 2 sets
  // of 3 events, g3 two of 3 and two of 4, g4 & g7 four of 3, and g8 none under 4. Orders 6
  // and 7: SCRAM 0.16.2's ZBDD analysis (scram --zbdd --limit-order 7 --cut-off 0, run here
  // on 2026-12-01) printed the distribution 0 0 10 2 0 1160 197832 (199,004 products).
  const auto data = expected();
  if (!data) return;
  const std::string key = "aralia/nus9601.xml";
  Model m = load(key, (*data)["models"][key]);
  REQUIRE(m.compiled);
  const auto& r = m.analyse(Settings{7, 0.0, core::Method::Zbdd}, false);
  REQUIRE(r);
  CHECK(r->cutSets.byOrder ==
        std::map<int, std::uint64_t>{{3, 10}, {4, 2}, {6, 1160}, {7, 197832}});
  CHECK(r->cutSets.count == 199004u);
  CHECK_FALSE(r->probability);
  // Every event has probability 0.01: the rare-event sum is 10e-6 + 2e-8 + 1160e-12 + ...
  CHECK(*r->rareEvent == Approx(10e-6 + 2e-8 + 1160e-12 + 197832e-14).epsilon(1e-12));
}

TEST_CASE("CEA9601 cut-set counts at limit orders 5 and 6", "[importers][benchmarks]") {
  const auto data = expected();
  if (!data) return;
  const std::string key = "scram-models/CEA9601.xml + CEA9601-basic-events.xml";
  const json& entry = (*data)["models"][key];
  Model m = load(key, entry);
  REQUIRE(m.compiled);
  for (const auto& s : entry["stated"]) {
    if (!s.contains("mcs_count_limit_order_5")) continue;
    for (int order : {5, 6}) {
      const auto& r = m.analyse(Settings{order, 0.0}, false);
      REQUIRE(r);
      CHECK(r->cutSets.count ==
            s["mcs_count_limit_order_" + std::to_string(order)].get<std::uint64_t>());
    }
  }
}

TEST_CASE("exponential probability over mission time", "[importers][benchmarks]") {
  const auto data = expected();
  if (!data) return;
  const std::string key = "scram-core/single_exponential.xml";
  const json& entry = (*data)["models"][key];
  for (const auto& s : entry["stated"]) {
    if (!s.contains("probability_vs_time_hours")) continue;
    for (const auto& [hours, p] : s["probability_vs_time_hours"].items()) {
      Model m = load(key, entry, std::stod(hours));
      REQUIRE(m.compiled);
      const auto& r = m.analyse(Settings{}, false);
      REQUIRE(r);
      INFO("t = " << hours << " h");
      CHECK(r->probability.value() == Approx(p.get<double>()).epsilon(s["tolerance_rel"].get<double>()));
    }
  }
}

TEST_CASE("das9701: two variable orders agree on what no anchor computed", "[importers][benchmarks]") {
  // SCRAM stopped at 100 s and XFTA ran out of memory on das9701; the AFTD table gives
  // 0.0744694 and 26,299,506 without naming the tool. We check two orders against each
  // other to 12 digits (the whole BDD differs between them) and against the table.
  const auto data = expected();
  if (!data) return;
  const std::string key = "aralia/das9701.xml";
  Model m = load(key, (*data)["models"][key]);
  REQUIRE(m.compiled);
  std::vector<core::AnalysisResult> results;
  for (auto ordering : {core::VariableOrdering::GatesFirst, core::VariableOrdering::Descending}) {
    core::AnalysisOptions o;
    o.ordering = ordering;
    o.maxCutSets = 0;
    auto r = core::analyse(m.compiled->graph, m.top, o);
    REQUIRE(r);
    results.push_back(*r);
  }
  CHECK(results[0].stats.bddNodesMade != results[1].stats.bddNodesMade);
  CHECK(*results[0].probability == Approx(*results[1].probability).epsilon(1e-12));
  CHECK(results[0].cutSets.byOrder == results[1].cutSets.byOrder);
  CHECK(test::withinPrinted(*results[0].probability, 0.0744694, 6));
  CHECK(results[0].cutSets.count == 26299506u);
}
