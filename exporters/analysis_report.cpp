#include "exporters/analysis_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exporters/detail/numbers.h"

namespace thornwood::exporters {

using detail::number;
using detail::optionalNumber;

namespace {
constexpr const char* kNoProbabilities = "n/a (no probabilities)";
}  // namespace

nlohmann::json toJson(const core::Diagnostic& d) {
  return nlohmann::json{{"severity", std::string(core::toString(d.severity))},
                        {"code", std::string(core::toString(d.code))},
                        {"file", d.file},
                        {"place", d.place},
                        {"message", d.problem}};
}

nlohmann::json toJson(const TopResult& tr, const core::LogicGraph* graph) {
  const core::AnalysisResult& r = tr.result;
  nlohmann::json j = nlohmann::json::object();
  j["top"] = graph ? graph->name(r.top) : std::to_string(r.top);
  j["coherent"] = r.coherent;
  j["probability"] = optionalNumber(r.probability);
  j["rare_event"] = optionalNumber(r.rareEvent);
  j["mcub"] = optionalNumber(r.mcub);
  nlohmann::json byOrder = nlohmann::json::object();
  for (const auto& [order, count] : r.cutSets.byOrder) byOrder[std::to_string(order)] = count;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& set : r.cutSets.list) {
    nlohmann::json names = nlohmann::json::array();
    for (core::NodeId v : set) names.push_back(graph ? graph->name(v) : std::to_string(v));
    list.push_back(std::move(names));
  }
  j["cut_sets"] = {{"count", r.cutSets.count},
                   {"count_saturated", r.cutSets.saturated},
                   {"by_order", byOrder},
                   {"list", list},
                   {"truncated", r.cutSets.truncated},
                   {"selection", r.cutSets.rankedByObjective          ? "objective"
                                 : r.cutSets.selectionByVariableOrder ? "variable-order"
                                                                      : "name"}};
  j["stats"] = {{"bdd_nodes", r.stats.bddNodes},
                {"zbdd_nodes", r.stats.zbddNodes},
                {"modules", r.stats.modules},
                {"variables", r.stats.variables},
                {"method", std::string(core::toString(r.stats.method))},
                {"ordering", std::string(core::toString(r.stats.ordering))},
                {"preprocessing", r.stats.preprocessing},
                {"bdd_nodes_made", r.stats.bddNodesMade},
                {"bdd_collections", r.stats.bddCollections},
                {"bdd_reorderings", r.stats.bddReorderings},
                {"time_ms", std::round(tr.timeMs * 1000.0) / 1000.0}};
  return j;
}

nlohmann::json toJson(const AnalysisReport& report, const core::LogicGraph* graph) {
  nlohmann::json out = nlohmann::json::object();
  out["thornwood_version"] = THORNWOOD_VERSION;
  out["file"] = report.files.empty() ? std::string() : report.files.front();
  out["files"] = report.files;
  nlohmann::json settings = nlohmann::json::object();
  settings["limit_order"] =
      report.options.limitOrder ? nlohmann::json(*report.options.limitOrder) : nlohmann::json(nullptr);
  settings["cut_off"] = report.options.cutOff;
  settings["max_cut_sets"] = report.options.maxCutSets;
  settings["mission_time"] = optionalNumber(report.missionTime);
  out["settings"] = settings;
  nlohmann::json results = nlohmann::json::array();
  for (const TopResult& tr : report.results) results.push_back(toJson(tr, graph));
  out["results"] = std::move(results);
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : report.diagnostics) diags.push_back(toJson(d));
  for (const TopResult& tr : report.results) {
    for (const auto& d : tr.result.notes) diags.push_back(toJson(d));
  }
  out["diagnostics"] = std::move(diags);
  return out;
}

std::string toText(const AnalysisReport& report, const core::LogicGraph* graph) {
  std::ostringstream out;
  out << "Thornwood " << THORNWOOD_VERSION << ": ";
  for (std::size_t i = 0; i < report.files.size(); ++i) out << (i ? ", " : "") << report.files[i];
  out << "\n";
  for (const TopResult& tr : report.results) {
    const core::AnalysisResult& r = tr.result;
    out << "\nTop event " << (graph ? graph->name(r.top) : std::to_string(r.top))
        << (r.coherent ? "" : " (non-coherent)") << "\n";
    auto line = [&out](const char* label, const std::optional<double>& v,
                       const char* missing = kNoProbabilities) {
      out << "  " << label << (v ? number(*v) : std::string(missing)) << "\n";
    };
    line("probability (exact):   ", r.probability,
         r.stats.method == core::Method::Zbdd ? "not computed (ZBDD method: cut sets only)"
                                              : kNoProbabilities);
    line("rare-event approx.:    ", r.rareEvent);
    line("min-cut upper bound:   ", r.mcub);
    out << "  minimal cut sets:      " << r.cutSets.count << (r.cutSets.saturated ? "+" : "")
        << "\n";
    for (const auto& [order, count] : r.cutSets.byOrder) {
      out << "    order " << order << ": " << count << "\n";
    }
    if (!r.cutSets.list.empty()) {
      out << "  cut sets" << (r.cutSets.truncated ? " (first " + std::to_string(r.cutSets.list.size()) + ")" : std::string()) << ":\n";
      for (const auto& set : r.cutSets.list) {
        out << "    {";
        for (std::size_t i = 0; i < set.size(); ++i) {
          out << (i ? ", " : "") << (graph ? graph->name(set[i]) : std::to_string(set[i]));
        }
        out << "}\n";
      }
    }
    out << "  BDD nodes " << r.stats.bddNodes << ", ZBDD nodes " << r.stats.zbddNodes
        << ", modules " << r.stats.modules << ", " << number(tr.timeMs) << " ms\n";
  }
  return out.str();
}

}  // namespace thornwood::exporters
