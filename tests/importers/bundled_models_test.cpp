// Published results on the Aralia models bundled in tests/data/aralia (CC0; see SOURCES.md
// there), so that a clone without ../shared still checks the engine against known values.
#include <catch2/catch.hpp>
#include <map>

#include "core/fault_tree_analysis.h"
#include "importers/mef_reader.h"
#include "models/fault_tree.h"
#include "support.h"

using namespace thornwood;

namespace {

struct Published {
  const char* file;
  double probability;  // six significant digits in the source
  std::uint64_t count;
  int countDigits;  // significant digits of the published count (0: exact)
  std::map<int, std::uint64_t> byOrder;  // empty where none is published
};

core::AnalysisResult analyseBundled(const std::string& file) {
  const auto mef = importers::readMef({std::string(THORNWOOD_TEST_DATA) + "/aralia/" + file});
  REQUIRE(mef.model);
  const auto compiled = models::compile(mef.model->tree);
  REQUIRE(compiled.compiled);
  const core::LogicGraph& g = compiled.compiled->graph;
  core::AnalysisOptions o;
  o.maxCutSets = 10;
  const auto r = core::analyse(g, *g.find("r1"), o);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("bundled Aralia models give their published results", "[importers][benchmarks]") {
  const Published models[] = {
      {"chinese.xml", 1.17058e-3, 392, 0, {{2, 12}, {4, 24}, {5, 188}, {6, 168}}},
      {"baobab2.xml", 7.13018e-4, 4805, 0, {{2, 6}, {3, 121}, {4, 268}, {5, 630}, {6, 3780}}},
      {"isp9605.xml", 1.37171e-5, 5630, 0,
       {{3, 13}, {4, 88}, {5, 462}, {6, 27}, {7, 5040}}},
      // The table prints this count as 8.20E+10 only.
      {"das9209.xml", 1.058e-13, 82'000'000'000, 3, {}},
  };
  for (const Published& p : models) {
    INFO(p.file);
    const core::AnalysisResult r = analyseBundled(p.file);
    CHECK(test::withinPrinted(*r.probability, p.probability, 6));
    if (p.countDigits == 0) {
      CHECK(r.cutSets.count == p.count);
    } else {
      CHECK(test::withinPrinted(static_cast<double>(r.cutSets.count), static_cast<double>(p.count),
                                p.countDigits));
    }
    if (!p.byOrder.empty()) CHECK(r.cutSets.byOrder == p.byOrder);
    CHECK(r.cutSets.truncated);
  }
}
