#include "app/cli/cli.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "core/fault_tree_analysis.h"
#include "exporters/analysis_report.h"
#include "importers/mef_reader.h"
#include "models/fault_tree.h"

namespace thornwood::cli {

namespace {

constexpr int kOk = 0;
constexpr int kLimit = 1;
constexpr int kBadInput = 2;

const char* const kUsage =
    "usage: thornwood-cli analyse FILE... [--top GATE] [--limit-order N] [--cut-off P]\n"
    "                     [--mission-time H] [--max-cut-sets N] [--format text|json]\n"
    "                     [--node-budget N] [--ordering auto|ascending|descending|depth-first|gates-first]\n"
    "                     [--no-modules] [--no-timing]\n"
    "       thornwood-cli --version | --help\n"
    "\n"
    "analyse  exact top-event probability (BDD), minimal cut sets (ZBDD), rare-event and\n"
    "         min-cut-upper-bound approximations of Open-PSA MEF fault trees. A model may\n"
    "         span several files. Exit status: 0 done, 1 a limit stopped it, 2 bad input.\n";

struct AnalyseArgs {
  std::vector<std::string> files;
  std::optional<std::string> top;
  std::optional<double> missionTime;
  std::string format = "text";
  bool timing = true;
  core::AnalysisOptions options;
};

void printDiagnostic(std::ostream& err, const core::Diagnostic& d) {
  core::Diagnostic shown = d;
  if (d.severity == core::Severity::Warning) shown.problem = "warning: " + d.problem;
  err << core::format(shown) << "\n";
}

std::optional<double> parseNumber(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<long long> parseInteger(const std::string& text) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used != text.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

int usageError(std::ostream& err, const std::string& problem) {
  err << "thornwood-cli: " << problem << "\n" << kUsage;
  return kBadInput;
}

int analyse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  AnalyseArgs a;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (arg == "--top") {
      a.top = value();
      if (!a.top) return usageError(err, "--top needs a gate name");
    } else if (arg == "--limit-order") {
      const auto v = value();
      const auto n = v ? parseInteger(*v) : std::nullopt;
      if (!n || *n < 0 || *n > 1'000'000) return usageError(err, "--limit-order needs a whole number >= 0");
      a.options.limitOrder = static_cast<int>(*n);
    } else if (arg == "--cut-off") {
      const auto v = value();
      const auto p = v ? parseNumber(*v) : std::nullopt;
      if (!p || *p < 0 || *p > 1) return usageError(err, "--cut-off needs a probability in [0, 1]");
      a.options.cutOff = *p;
    } else if (arg == "--mission-time") {
      const auto v = value();
      const auto t = v ? parseNumber(*v) : std::nullopt;
      if (!t || *t < 0) return usageError(err, "--mission-time needs hours >= 0");
      a.missionTime = *t;
    } else if (arg == "--max-cut-sets") {
      const auto v = value();
      const auto n = v ? parseInteger(*v) : std::nullopt;
      if (!n || *n < 0) return usageError(err, "--max-cut-sets needs a whole number >= 0");
      a.options.maxCutSets = static_cast<std::size_t>(*n);
    } else if (arg == "--node-budget") {
      const auto v = value();
      const auto n = v ? parseInteger(*v) : std::nullopt;
      if (!n || *n < 16 || *n > 2'000'000'000) {
        return usageError(err, "--node-budget needs a whole number in [16, 2000000000]");
      }
      a.options.nodeBudget = static_cast<std::size_t>(*n);
    } else if (arg == "--format") {
      const auto v = value();
      if (!v || (*v != "text" && *v != "json")) return usageError(err, "--format is text or json");
      a.format = *v;
    } else if (arg == "--ordering") {
      const auto v = value();
      bool known = false;
      for (auto o : {core::VariableOrdering::Auto, core::VariableOrdering::Ascending,
                     core::VariableOrdering::Descending, core::VariableOrdering::DepthFirst,
                     core::VariableOrdering::GatesFirst}) {
        if (v && *v == core::toString(o)) {
          a.options.ordering = o;
          known = true;
        }
      }
      if (!known) return usageError(err, "--ordering is auto, ascending, descending, depth-first or gates-first");
    } else if (arg == "--no-modules") {
      a.options.modules = core::Modularisation::Off;
    } else if (arg == "--no-timing") {
      a.timing = false;
    } else if (!arg.empty() && arg[0] == '-') {
      return usageError(err, "unknown option " + arg);
    } else {
      a.files.push_back(arg);
    }
  }
  if (a.files.empty()) return usageError(err, "analyse needs at least one file");

  exporters::AnalysisReport report;
  report.files = a.files;
  report.options = a.options;
  auto emit = [&](const core::LogicGraph* graph) {
    for (const auto& d : report.diagnostics) printDiagnostic(err, d);
    for (const auto& tr : report.results) {
      for (const auto& d : tr.result.notes) {
        core::Diagnostic shown = d;
        if (shown.file.empty()) shown.file = a.files.front();
        printDiagnostic(err, shown);
      }
    }
    if (a.format == "json") {
      out << exporters::toJson(report, graph).dump(2) << "\n";
    } else if (!report.results.empty()) {
      out << exporters::toText(report, graph);
    }
  };

  importers::MefOptions mefOptions;
  mefOptions.missionTime = a.missionTime;
  importers::MefOutcome mef = importers::readMef(a.files, mefOptions);
  report.diagnostics = mef.diagnostics;
  if (!mef.model) {
    emit(nullptr);
    return kBadInput;
  }
  report.missionTime = mef.model->missionTime;
  models::CompileOutcome compiled = models::compile(mef.model->tree);
  report.diagnostics.insert(report.diagnostics.end(), compiled.diagnostics.begin(),
                            compiled.diagnostics.end());
  if (!compiled.compiled) {
    emit(nullptr);
    return kBadInput;
  }
  const core::LogicGraph& graph = compiled.compiled->graph;
  std::vector<core::NodeId> tops;
  if (a.top) {
    const auto id = graph.find(*a.top);
    if (!id || graph.kind(*id) != core::NodeKind::Gate) {
      report.diagnostics.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Malformed,
                                                    a.files.front(), "",
                                                    "no gate named \"" + *a.top + "\" in the model"});
      emit(nullptr);
      return kBadInput;
    }
    tops.push_back(*id);
  } else {
    tops = graph.roots();
  }
  if (tops.empty()) {
    report.diagnostics.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Malformed,
                                                  a.files.front(), "", "the model has no gate to analyse"});
    emit(nullptr);
    return kBadInput;
  }
  int status = kOk;
  for (core::NodeId top : tops) {
    const auto start = std::chrono::steady_clock::now();
    auto result = core::analyse(graph, top, a.options);
    const auto stop = std::chrono::steady_clock::now();
    if (!result) {
      core::Diagnostic d = result.error();
      d.file = a.files.front();
      report.diagnostics.push_back(std::move(d));
      status = kLimit;
      continue;
    }
    const double ms =
        a.timing ? std::chrono::duration<double, std::milli>(stop - start).count() : 0.0;
    report.results.push_back(exporters::TopResult{std::move(*result), ms});
  }
  emit(&graph);
  return status;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return usageError(err, "no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << kUsage;
    return kOk;
  }
  if (args[0] == "--version") {
    out << "thornwood-cli " << THORNWOOD_VERSION << "\n";
    return kOk;
  }
  if (args[0] == "analyse" || args[0] == "analyze") return analyse(args, out, err);
  return usageError(err, "unknown command \"" + args[0] + "\"");
}

}  // namespace thornwood::cli
