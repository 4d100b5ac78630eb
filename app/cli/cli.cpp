#include "app/cli/cli.h"

#include "app/cli/common.h"
#include "app/cli/export_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "core/fault_tree_analysis.h"
#include "exporters/analysis_report.h"
#include "importers/adtool_reader.h"
#include "importers/mef_reader.h"
#include "importers/threat_dragon_reader.h"
#include "exporters/compliance_report.h"
#include "exporters/diff_report.h"
#include "exporters/gate_report.h"
#include "exporters/project_report.h"
#include "models/attack_analysis.h"
#include "models/fault_tree.h"
#include "models/names.h"
#include "models/project_analysis.h"
#include "models/project_diff.h"
#include "exporters/graph_layout.h"
#include "models/gate.h"
#include "models/project_file.h"
#include "models/threat_rules.h"
#include "models/validate.h"

namespace thornwood::cli {

namespace {

const char* const kUsage =
    "usage: thornwood-cli analyse FILE... [--top GATE] [--limit-order N] [--cut-off P]\n"
    "                     [--mission-time H] [--max-cut-sets N] [--format text|json]\n"
    "                     [--node-budget N] [--ordering auto|ascending|descending|depth-first|gates-first|sifting]\n"
    "                     [--method bdd|zbdd] [--no-modules] [--no-timing]\n"
    "       thornwood-cli analyse PROJECT.thornwood.json [--format text|json] [--node-budget N] [--no-timing]\n"
    "       thornwood-cli validate FILE...\n"
    "       thornwood-cli format FILE... [--check]\n"
    "       thornwood-cli layout FILE...\n"
    "       thornwood-cli coverage PROJECT.thornwood.json [--format text|json]\n"
    "       thornwood-cli check PROJECT.thornwood.json [--config thornwood-check.json]\n"
    "                     [--format text|json|sarif|junit] [--output FILE]\n"
    "       thornwood-cli export PROJECT.thornwood.json --format html|pdf|csv|dot|svg|mef [--output FILE]\n"
    "                     [--baseline ID]... [--table threats|mitigations|hazards|requirements]\n"
    "                     [--diagram system|TREE] [--tree TREE] [--mitigations none|in-place|all] [--timestamp]\n"
    "       thornwood-cli export PROJECT.thornwood.json --bundle DIR [--baseline ID]... [--timestamp] [--force]\n"
    "       thornwood-cli verify DIR [--model PROJECT.thornwood.json]\n"
    "       thornwood-cli diff OLD NEW [--format text|json] [--no-timing]\n"
    "       thornwood-cli threats PROJECT.json [--rules FILE]... [--write] [--format text|json]\n"
    "       thornwood-cli threats --check-rules [--rules FILE]...\n"
    "       thornwood-cli attack PROJECT.json [--tree ID] [--metric cost|time|skill|probability] [--pareto]\n"
    "                     [--mitigations none|in-place|all] [--max-scenarios N] [--optimise-mitigations [--budget B]]\n"
    "                     [--format text|json]\n"
    "       thornwood-cli import adtool|threat-dragon IN -o OUT.thornwood.json [--force]\n"
    "       thornwood-cli --version | --help\n"
    "\n"
    "analyse   exact top-event probability (BDD), minimal cut sets (ZBDD), rare-event and\n"
    "          min-cut-upper-bound approximations of Open-PSA MEF fault trees (a model may\n"
    "          span several files), or of every tree and hazard of a Thornwood project.\n"
    "          --method zbdd builds the cut sets bottom-up with no BDD (coherent trees; no\n"
    "          exact probability): with --limit-order it reaches trees no BDD order fits.\n"
    "          Exit status: 0 done, 1 a limit stopped it, 2 bad input.\n"
    "validate  every problem of Thornwood project files as file:pointer: problem; exit 2 if\n"
    "          any is an error.\n"
    "check     the CI gate: fails (exit 1) on validation errors, open threats at or above a risk\n"
    "          class, hazards with unacceptable residual risk, a top event above a probability,\n"
    "          or a baseline's coverage below a share (thresholds from the project's settings,\n"
    "          overridden by --config); findings point at the element's line. With --output the\n"
    "          chosen format goes to FILE and the text to stdout.\n"
    "export    the report for reviewers (html: one self-contained file; pdf), its tables as CSV,\n"
    "          a drawing as Graphviz DOT or SVG, the fault trees as Open-PSA MEF; --bundle writes\n"
    "          all of them with a manifest of SHA-256 digests (and SHA256SUMS).\n"
    "verify    checks an evidence bundle against its manifest (and --model against the model\n"
    "          it was made from); exit 1 when anything differs.\n"
    "coverage  the compliance coverage of the baselines the project selects: each requirement\n"
    "          met (an implemented or verified mitigation serves it), planned (only proposed or\n"
    "          planned ones do), a gap, or not applicable (with the project's reason)\n"
    "layout    lays out the system diagram of project files afresh with Graphviz (positions\n"
    "          and zone sizes only; the model is untouched)\n"
    "format    rewrites project files in the canonical form (what Save writes); with --check\n"
    "          changes nothing and exits 1 when a file is not in it.\n"
    "diff      what changed between two versions of a project: elements by id, field by field;\n"
    "          risk (probabilities, hazard classes); layout apart. Exit 0 same, 1 differ,\n"
    "          2 bad input. Given git's seven external-diff arguments it diffs as git asks.\n"
    "threats   runs the threat rules (built in, plus --rules files) over the system and merges\n"
    "          what they find into the project's threats; --write saves the project. With\n"
    "          --check-rules, runs every rule on its own examples instead.\n"
    "attack    the attacker's view of attack trees (set semantics, exact on shared nodes): least\n"
    "          cost, time and skill, greatest probability, scenarios ranked by --metric, and\n"
    "          with --pareto the (cost, probability) and (cost, time) fronts; with\n"
    "          --optimise-mitigations the cheapest set of mitigations that blocks every scenario,\n"
    "          and with --budget the set within it that leaves the attacker the worst best attack\n"
    "          by --metric (cost or probability).\n"
    "import    reads another tool's file into a new project (ADTool XML attack-defence trees,\n"
    "          OWASP Threat Dragon v1/v2 JSON models),\n"
    "          reporting every part it could not carry over; never overwrites without --force.\n";

}  // namespace

namespace detail {

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

}  // namespace detail

namespace {

using namespace detail;

struct AnalyseArgs {
  std::vector<std::string> files;
  std::optional<std::string> top;
  std::optional<double> missionTime;
  std::string format = "text";
  bool timing = true;
  core::AnalysisOptions options;
};

bool isProjectFile(const std::string& path) {
  const std::string_view suffix = ".json";
  return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int analyseProject(const AnalyseArgs& a, std::ostream& out, std::ostream& err) {
  const std::string& file = a.files.front();
  models::LoadOutcome loaded = models::loadProject(file);
  for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
  if (!loaded.project) {
    if (a.format == "json") {
      const models::Project none;
      const models::ProjectAnalysis nothing;
      out << exporters::toJson(none, nothing, file, loaded.diagnostics).dump(2) << "\n";
    }
    return kBadInput;
  }
  models::ProjectAnalysisOptions options;
  options.nodeBudget = a.options.nodeBudget;
  options.timing = a.timing;
  const models::ProjectAnalysis analysis = models::analyse(*loaded.project, file, options);
  for (const auto& d : analysis.diagnostics) printDiagnostic(err, d);
  if (a.format == "json") {
    out << exporters::toJson(*loaded.project, analysis, file, loaded.diagnostics).dump(2) << "\n";
  } else {
    out << exporters::toText(*loaded.project, analysis, file);
  }
  return analysis.limitReached ? kLimit : kOk;
}

int validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files(args.begin() + 1, args.end());
  for (const auto& f : files) {
    if (!f.empty() && f[0] == '-') return usageError(err, "unknown option " + f);
  }
  if (files.empty()) return usageError(err, "validate needs at least one file");
  bool failed = false;
  for (const auto& file : files) {
    const models::LoadOutcome loaded = models::loadProject(file);
    for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
    failed = failed || !loaded.project;
    if (loaded.project) out << file << ": valid\n";
  }
  return failed ? kBadInput : kOk;
}

int format(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  bool check = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--check") check = true;
    else if (!args[i].empty() && args[i][0] == '-') return usageError(err, "unknown option " + args[i]);
    else files.push_back(args[i]);
  }
  if (files.empty()) return usageError(err, "format needs at least one file");
  int status = kOk;
  for (const auto& file : files) {
    const models::LoadOutcome loaded = models::loadProject(file);
    for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
    if (!loaded.project) {
      status = kBadInput;
      continue;
    }
    const std::string canonical = models::serialise(*loaded.project);
    std::ifstream in(file, std::ios::binary);
    const std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (current == canonical) continue;
    if (check) {
      out << file << ": not in canonical form\n";
      if (status == kOk) status = kLimit;
      continue;
    }
    if (auto saved = models::writeFileAtomically(file, canonical); !saved) {
      printDiagnostic(err, saved.error());
      status = kBadInput;
      continue;
    }
    out << file << ": rewritten\n";
  }
  return status;
}

int diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  std::string format = "text";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--format") {
      if (i + 1 >= args.size() || (args[i + 1] != "text" && args[i + 1] != "json")) {
        return usageError(err, "--format is text or json");
      }
      format = args[++i];
    } else if (args[i] == "--no-timing") {
      // Accepted for symmetry with analyse; diff prints no timing.
    } else if (!args[i].empty() && args[i][0] == '-' && args[i] != "-") {
      return usageError(err, "unknown option " + args[i]);
    } else {
      files.push_back(args[i]);
    }
  }
  // git's GIT_EXTERNAL_DIFF / diff.<driver>.command: path old-file old-hex old-mode new-file
  // new-hex new-mode. git stops when the command exits non-zero, so that mode exits 0.
  const bool gitMode = files.size() == 7;
  std::string beforeName, afterName;
  if (gitMode) {
    beforeName = "a/" + files[0];
    afterName = "b/" + files[0];
    files = {files[1], files[4]};
  } else if (files.size() == 2) {
    beforeName = files[0];
    afterName = files[1];
  } else {
    return usageError(err, "diff needs two files (or git's seven external-diff arguments)");
  }
  // A side git gives as /dev/null (a new or deleted file) is an empty project.
  auto load = [&](const std::string& path) -> models::LoadOutcome {
    if (path != "/dev/null") return models::loadProject(path);
    models::LoadOutcome none;
    none.project.emplace();
    return none;
  };
  const models::LoadOutcome a = load(files[0]);
  const models::LoadOutcome b = load(files[1]);
  std::vector<core::Diagnostic> diagnostics = a.diagnostics;
  diagnostics.insert(diagnostics.end(), b.diagnostics.begin(), b.diagnostics.end());
  for (const auto& d : diagnostics) printDiagnostic(err, d);
  if (!a.project || !b.project) return kBadInput;
  models::ProjectAnalysisOptions options;
  options.timing = false;
  models::ProjectDiff changes = models::diff(*a.project, *b.project);
  const models::ProjectAnalysis ra = models::analyse(*a.project, files[0], options);
  const models::ProjectAnalysis rb = models::analyse(*b.project, files[1], options);
  models::addRiskChanges(changes, *a.project, ra, *b.project, rb);
  if (format == "json") {
    out << exporters::toJson(changes, beforeName, afterName, diagnostics).dump(2) << "\n";
  } else {
    out << exporters::toText(changes, beforeName, afterName);
  }
  if (gitMode) return kOk;
  return changes.empty() ? kOk : 1;
}

int threats(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  std::vector<std::string> ruleFiles;
  std::string format = "text";
  bool write = false;
  bool checkRules = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--rules") {
      if (i + 1 >= args.size()) return usageError(err, "--rules needs a rule file");
      ruleFiles.push_back(args[++i]);
    } else if (args[i] == "--format") {
      if (i + 1 >= args.size() || (args[i + 1] != "text" && args[i + 1] != "json")) return usageError(err, "--format is text or json");
      format = args[++i];
    } else if (args[i] == "--write") {
      write = true;
    } else if (args[i] == "--check-rules") {
      checkRules = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usageError(err, "unknown option " + args[i]);
    } else {
      files.push_back(args[i]);
    }
  }
  if (!checkRules && files.size() != 1) return usageError(err, "threats needs one project file");
  models::RuleLoadOutcome builtin = models::builtinRules();
  std::vector<core::Diagnostic> problems = builtin.diagnostics;
  models::RuleSet rules = builtin.rules ? *builtin.rules : models::RuleSet{};
  for (const std::string& f : ruleFiles) {
    models::RuleLoadOutcome more = models::loadRules(f);
    problems.insert(problems.end(), more.diagnostics.begin(), more.diagnostics.end());
    if (more.rules) {
      const auto clashes = models::addRules(rules, *more.rules);
      problems.insert(problems.end(), clashes.begin(), clashes.end());
    }
  }
  if (checkRules) {
    std::size_t failing = 0;
    for (const models::Rule& rule : rules.rules) {
      const auto found = models::checkExamples(rule);
      failing += found.empty() ? 0 : 1;
      problems.insert(problems.end(), found.begin(), found.end());
    }
    for (const auto& d : problems) printDiagnostic(err, d);
    out << rules.rules.size() << " rules, " << rules.rules.size() - failing << " pass their examples\n";
    return problems.empty() ? kOk : kBadInput;
  }
  if (!problems.empty()) {
    for (const auto& d : problems) printDiagnostic(err, d);
    return kBadInput;
  }
  const std::string& file = files.front();
  models::LoadOutcome loaded = models::loadProject(file);
  for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
  if (!loaded.project) return kBadInput;
  models::Project project = *loaded.project;
  const std::vector<models::Finding> findings = models::runRules(rules, project);
  const models::MergeSummary summary = models::mergeFindings(project, findings, rules);
  std::size_t satisfied = 0;
  for (const auto& f : findings) satisfied += f.mitigated ? 1 : 0;
  if (write) {
    if (auto saved = models::saveProject(project, file); !saved) {
      printDiagnostic(err, saved.error());
      return kBadInput;
    }
  }
  if (format == "json") {
    nlohmann::json j = nlohmann::json::object();
    j["thornwood_version"] = THORNWOOD_VERSION;
    j["file"] = file;
    j["rules"] = {{"count", rules.rules.size()}, {"files", ruleFiles}};
    j["summary"] = {{"added", summary.added},         {"kept", summary.kept},
                    {"auto_mitigated", summary.autoMitigated}, {"reopened", summary.reopened},
                    {"obsoleted", summary.obsoleted}, {"revived", summary.revived},
                    {"written", write}};
    j["coverage"] = {{"findings", findings.size()},
                     {"satisfied_by_design", satisfied},
                     {"share", findings.empty() ? 1.0 : static_cast<double>(satisfied) / static_cast<double>(findings.size())}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings) {
      list.push_back({{"rule", f.rule->id},
                      {"element", f.element},
                      {"category", std::string(models::nameOf(f.rule->category))},
                      {"satisfied_by_design", f.mitigated}});
    }
    j["findings"] = std::move(list);
    const models::Json body = models::toJson(project);
    j["threats"] = nlohmann::json::parse(body["threats"].dump());
    j["diagnostics"] = nlohmann::json::array();
    out << j.dump(2) << "\n";
    return kOk;
  }
  out << "Thornwood " << THORNWOOD_VERSION << ": " << file << ": " << rules.rules.size() << " rules, "
      << findings.size() << " findings, " << satisfied << " satisfied by the design\n";
  out << "threats: " << summary.added << " new, " << summary.kept << " found again, " << summary.autoMitigated
      << " now mitigated by the design, " << summary.reopened << " reopened, " << summary.obsoleted
      << " obsolete, " << summary.revived << " revived" << (write ? "; written to " + file : std::string("; not written (use --write)")) << "\n\n";
  for (const models::Threat& t : project.threats) {
    std::string status(models::nameOf(t.status));
    if (t.obsolete) status += ", obsolete";
    out << "  [" << status << "] " << t.id << ": " << t.title << (t.rule.empty() ? "" : "  (" + t.rule + ")") << "\n";
  }
  return kOk;
}

nlohmann::json optionalJson(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

int attack(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  std::optional<std::string> tree;
  std::string format = "text";
  models::AttackOptions options;
  options.pareto = false;
  bool optimise = false;
  std::optional<double> budget;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--tree") {
      tree = value();
      if (!tree) return usageError(err, "--tree needs an attack tree id");
    } else if (a == "--metric") {
      const auto v = value();
      bool known = false;
      for (auto m : {models::AttackMetric::Cost, models::AttackMetric::Time, models::AttackMetric::Skill,
                     models::AttackMetric::Probability}) {
        if (v && *v == models::toString(m)) {
          options.rankBy = m;
          known = true;
        }
      }
      if (!known) return usageError(err, "--metric is cost, time, skill or probability");
    } else if (a == "--mitigations") {
      const auto v = value();
      if (v == "none") options.scope = models::MitigationScope::None;
      else if (v == "in-place") options.scope = models::MitigationScope::InPlace;
      else if (v == "all") options.scope = models::MitigationScope::All;
      else return usageError(err, "--mitigations is none, in-place or all");
    } else if (a == "--max-scenarios") {
      const auto v = value();
      const auto n = v ? parseInteger(*v) : std::nullopt;
      if (!n || *n < 0 || *n > 10'000'000) return usageError(err, "--max-scenarios needs a whole number in [0, 10000000]");
      options.maxScenarios = static_cast<std::size_t>(*n);
    } else if (a == "--pareto") {
      options.pareto = true;
    } else if (a == "--optimise-mitigations" || a == "--optimize-mitigations") {
      optimise = true;
    } else if (a == "--budget") {
      const auto v = value();
      budget = v ? parseNumber(*v) : std::nullopt;
      if (!budget || *budget < 0) return usageError(err, "--budget needs an amount >= 0");
    } else if (a == "--format") {
      const auto v = value();
      if (!v || (*v != "text" && *v != "json")) return usageError(err, "--format is text or json");
      format = *v;
    } else if (!a.empty() && a[0] == '-') {
      return usageError(err, "unknown option " + a);
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 1) return usageError(err, "attack needs one project file");
  if (budget && !optimise) return usageError(err, "--budget goes with --optimise-mitigations");
  if (budget && options.rankBy != models::AttackMetric::Cost && options.rankBy != models::AttackMetric::Probability) {
    return usageError(err, "with --budget, --metric is cost or probability");
  }
  const std::string& file = files.front();
  const models::LoadOutcome loaded = models::loadProject(file);
  for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
  if (!loaded.project) return kBadInput;
  std::vector<std::string> trees;
  for (const auto& t : loaded.project->attackTrees) {
    if (!tree || t.id == *tree) trees.push_back(t.id);
  }
  if (tree && trees.empty()) {
    err << file << ": no attack tree \"" << *tree << "\"\n";
    return kBadInput;
  }
  std::vector<models::AttackAnalysis> results;
  std::vector<models::DefencePlan> plans;
  std::vector<models::BudgetPlan> budgetPlans;
  std::vector<core::Diagnostic> diagnostics;
  int status = kOk;
  // Keeps a result, or reports its problem (a limit exits 1, anything else 2).
  auto keep = [&](auto result, auto& into) {
    if (result) {
      into.push_back(std::move(*result));
      return true;
    }
    core::Diagnostic d = result.error();
    d.file = file;
    printDiagnostic(err, d);
    diagnostics.push_back(d);
    status = d.code == core::ErrorCode::Limit ? kLimit : kBadInput;
    return false;
  };
  for (const std::string& id : trees) {
    if (optimise && budget) keep(models::bestSetUnderBudget(*loaded.project, id, *budget, options.rankBy), budgetPlans);
    if (optimise) keep(models::cheapestBlockingSet(*loaded.project, id), plans);
    if (!keep(models::analyseAttackTree(*loaded.project, id, options), results)) continue;
    for (core::Diagnostic d : results.back().notes) {
      d.file = file;
      printDiagnostic(err, d);
      diagnostics.push_back(std::move(d));
    }
  }
  const char* semantics =
      "set semantics: a scenario is a minimal set of leaves that makes the root succeed (SAND as AND); cost and time "
      "add up over its leaves, skill is the highest, probability the product; optima are taken over the scenarios "
      "themselves (ZBDD), so shared leaves count once";
  if (format == "json") {
    nlohmann::json j = nlohmann::json::object();
    j["thornwood_version"] = THORNWOOD_VERSION;
    j["file"] = file;
    j["semantics"] = semantics;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : results) {
      nlohmann::json r = nlohmann::json::object();
      r["tree"] = a.tree;
      r["mitigations"] = std::string(models::toString(a.scope));
      r["scenario_count"] = a.scenarioCount;
      nlohmann::json metrics = nlohmann::json::object();
      for (const auto& m : a.metrics) {
        metrics[std::string(models::toString(m.metric))] = {{"value", optionalJson(m.value)}, {"scenario", m.scenario}};
      }
      r["metrics"] = std::move(metrics);
      nlohmann::json scenarios = nlohmann::json::array();
      for (const auto& s : a.scenarios) {
        scenarios.push_back({{"leaves", s.leaves}, {"cost", optionalJson(s.cost)}, {"time", optionalJson(s.time)},
                             {"skill", optionalJson(s.skill)}, {"probability", optionalJson(s.probability)}});
      }
      r["scenarios"] = std::move(scenarios);
      r["scenarios_truncated"] = a.scenariosTruncated;
      r["ranked_by"] = std::string(models::toString(options.rankBy));
      if (options.pareto) {
        auto front = [](const std::vector<models::ParetoPoint>& pts, const char* other) {
          nlohmann::json f = nlohmann::json::array();
          for (const auto& p : pts) f.push_back({{"cost", p.cost}, {other, p.other}, {"scenario", p.scenario}});
          return f;
        };
        r["pareto"] = {{"cost_probability", front(a.costProbability, "probability")},
                       {"cost_time", front(a.costTime, "time")}};
      }
      for (const auto& plan : plans) {
        if (plan.tree != a.tree) continue;
        nlohmann::json e = nlohmann::json::array();
        for (const auto& b : plan.explanation) e.push_back({{"mitigation", b.mitigation}, {"blocks", b.scenarios}});
        r["optimal_mitigations"] = {{"candidates", plan.candidates},
                                    {"cost", optionalJson(plan.cost)},
                                    {"mitigations", plan.mitigations},
                                    {"explanation", e},
                                    {"explanation_truncated", plan.explanationTruncated},
                                    {"unblockable", plan.unblockable}};
      }
      for (const auto& plan : budgetPlans) {
        if (plan.tree != a.tree) continue;
        nlohmann::json e = nlohmann::json::array();
        for (const auto& b : plan.explanation) e.push_back({{"mitigation", b.mitigation}, {"blocks", b.scenarios}});
        r["mitigations_under_budget"] = {{"budget", plan.budget},
                                         {"metric", std::string(models::toString(plan.metric))},
                                         {"candidates", plan.candidates},
                                         {"mitigations", plan.mitigations},
                                         {"cost", plan.cost},
                                         {"attacker_best", optionalJson(plan.attackerBest)},
                                         {"attacker_best_without", optionalJson(plan.attackerBestWithout)},
                                         {"sets_tried", plan.setsTried},
                                         {"explanation", e}};
      }
      list.push_back(std::move(r));
    }
    j["results"] = std::move(list);
    nlohmann::json diags = nlohmann::json::array();
    for (const auto& d : diagnostics) diags.push_back(exporters::toJson(d));
    j["diagnostics"] = std::move(diags);
    out << j.dump(2) << "\n";
    return status;
  }
  out << "Thornwood " << THORNWOOD_VERSION << ": " << file << "\n(" << semantics << ")\n";
  auto num = [](const std::optional<double>& v) {
    if (!v) return std::string("n/a");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *v);
    return std::string(buf);
  };
  auto joined = [](const std::vector<std::string>& xs) {
    std::string s;
    for (const auto& x : xs) s += (s.empty() ? "" : ", ") + x;
    return "{" + s + "}";
  };
  for (const auto& a : results) {
    out << "\nAttack tree " << a.tree << " (mitigations " << models::toString(a.scope) << "): " << a.scenarioCount
        << " minimal scenarios\n";
    for (const auto& m : a.metrics) {
      out << "  " << (m.metric == models::AttackMetric::Probability ? "max " : "min ") << models::toString(m.metric)
          << ": " << num(m.value) << (m.scenario.empty() ? "" : "  " + joined(m.scenario)) << "\n";
    }
    out << "  scenarios by " << models::toString(options.rankBy) << (a.scenariosTruncated ? " (first listed)" : "") << ":\n";
    for (const auto& s : a.scenarios) {
      out << "    cost " << num(s.cost) << ", time " << num(s.time) << ", skill " << num(s.skill) << ", p "
          << num(s.probability) << "  " << joined(s.leaves) << "\n";
    }
    for (const auto& plan : plans) {
      if (plan.tree != a.tree) continue;
      if (!plan.cost) {
        out << "  no set of its " << plan.candidates.size() << " candidate mitigations blocks every scenario; these survive them all:";
        for (const auto& sc : plan.unblockable) out << " " << joined(sc);
        out << "\n";
        continue;
      }
      out << "  cheapest mitigations that block every scenario: " << joined(plan.mitigations) << ", cost "
          << num(plan.cost) << "\n";
      for (const auto& b : plan.explanation) {
        out << "    " << b.mitigation << " alone blocks " << b.scenarios.size() << " of the " << plan.scenarioCount
            << " unmitigated scenarios:";
        for (const auto& sc : b.scenarios) out << " " << joined(sc);
        out << "\n";
      }
    }
    for (const auto& plan : budgetPlans) {
      if (plan.tree != a.tree) continue;
      const bool byCost = plan.metric == models::AttackMetric::Cost;
      out << "  within a budget of " << num(plan.budget) << ": " << joined(plan.mitigations) << ", cost " << num(plan.cost)
          << "; the attacker's " << (byCost ? "cheapest attack costs " : "likeliest attack succeeds with p ")
          << (plan.attackerBest ? num(plan.attackerBest) : std::string("nothing: no attack is left")) << " (without: "
          << num(plan.attackerBestWithout) << "; " << plan.setsTried << " sets tried)\n";
      for (const auto& b : plan.explanation) {
        out << "    " << b.mitigation << " alone blocks:";
        for (const auto& sc : b.scenarios) out << " " << joined(sc);
        out << "\n";
      }
    }
    if (options.pareto) {
      out << "  Pareto front (cost, probability):\n";
      for (const auto& p : a.costProbability) out << "    " << num(p.cost) << ", " << num(p.other) << "  " << joined(p.scenario) << "\n";
      out << "  Pareto front (cost, time):\n";
      for (const auto& p : a.costTime) out << "    " << num(p.cost) << ", " << num(p.other) << "  " << joined(p.scenario) << "\n";
    }
  }
  return status;
}

int import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> positional;
  std::optional<std::string> output;
  bool force = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-o" || args[i] == "--output") {
      if (i + 1 >= args.size()) return usageError(err, "-o needs the project file to write");
      output = args[++i];
    } else if (args[i] == "--force") {
      force = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usageError(err, "unknown option " + args[i]);
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() != 2 || !output) return usageError(err, "import needs FORMAT IN -o OUT");
  if (positional[0] != "adtool" && positional[0] != "threat-dragon") {
    return usageError(err, "import reads the formats adtool and threat-dragon");
  }
  if (!force && std::ifstream(*output).good()) {
    err << *output << ": exists; use --force to replace it\n";
    return kBadInput;
  }
  const importers::ImportOutcome imported =
      positional[0] == "adtool" ? importers::readAdtool(positional[1]) : importers::readThreatDragon(positional[1]);
  for (const auto& d : imported.diagnostics) printDiagnostic(err, d);
  if (!imported.project) return kBadInput;
  const auto problems = models::validate(*imported.project, *output);
  for (const auto& d : problems) printDiagnostic(err, d);
  if (!models::noErrors(problems)) return kBadInput;
  if (auto saved = models::saveProject(*imported.project, *output); !saved) {
    printDiagnostic(err, saved.error());
    return kBadInput;
  }
  std::size_t warnings = imported.diagnostics.size();
  const models::Project& p = *imported.project;
  std::size_t nodes = 0;
  for (const auto& t : p.attackTrees) nodes += t.nodes.size();
  out << *output << ": written (" << p.system.components.size() << " components, " << p.system.flows.size()
      << " flows, " << p.system.zones.size() << " zones, " << p.threats.size() << " threats, " << nodes
      << " attack-tree nodes, " << p.mitigations.size() << " mitigations; " << warnings << " warning"
      << (warnings == 1 ? "" : "s") << " on what was not carried over or was guessed)\n";
  return kOk;
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
                     core::VariableOrdering::GatesFirst, core::VariableOrdering::Sifting}) {
        if (v && *v == core::toString(o)) {
          a.options.ordering = o;
          known = true;
        }
      }
      if (!known) return usageError(err, "--ordering is auto, ascending, descending, depth-first, gates-first or sifting");
    } else if (arg == "--method") {
      const auto v = value();
      if (!v || (*v != "bdd" && *v != "zbdd")) return usageError(err, "--method is bdd or zbdd");
      a.options.method = *v == "zbdd" ? core::Method::Zbdd : core::Method::Bdd;
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

  if (a.files.size() == 1 && isProjectFile(a.files.front())) return analyseProject(a, out, err);

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
      // A limit (or a cancel) stops an analysis of good input; anything else is the input's.
      const int failure = d.code == core::ErrorCode::Limit || d.code == core::ErrorCode::Cancelled
                              ? kLimit
                              : kBadInput;
      status = std::max(status, failure);
      report.diagnostics.push_back(std::move(d));
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

int check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string file, config, format = "text", output;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) config = args[++i];
    else if (args[i] == "--format" && i + 1 < args.size()) format = args[++i];
    else if (args[i] == "--output" && i + 1 < args.size()) output = args[++i];
    else if (!args[i].empty() && args[i][0] == '-') return usageError(err, "unknown option " + args[i]);
    else if (file.empty()) file = args[i];
    else return usageError(err, "check takes one project file");
  }
  if (file.empty()) return usageError(err, "check needs a project file");
  if (format != "text" && format != "json" && format != "sarif" && format != "junit") {
    return usageError(err, "--format is text, json, sarif or junit");
  }
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto lines = exporters::pointerLines(text);
  const models::LoadOutcome loaded = models::loadProject(file);
  models::GateResult result;
  if (!loaded.project) {
    result = models::failedToLoad(loaded.diagnostics);
  } else {
    models::GateConfig gate = models::gateConfigOf(*loaded.project);
    if (!config.empty()) {
      std::ifstream cin(config, std::ios::binary);
      if (!cin) return printDiagnostic(err, core::error(core::ErrorCode::Io, config, "cannot read the check configuration")), kBadInput;
      const std::string ctext((std::istreambuf_iterator<char>(cin)), std::istreambuf_iterator<char>());
      auto parsed = models::parseGateConfig(ctext, config, gate);
      if (!parsed) return printDiagnostic(err, parsed.error()), kBadInput;
      gate = *parsed;
    }
    models::ProjectAnalysisOptions options;
    options.timing = false;
    const auto analysis = models::analyse(*loaded.project, file, options);
    result = models::runGate(*loaded.project, analysis, models::coverage(*loaded.project), gate);
  }
  std::string body;
  if (format == "text") body = exporters::toText(result, file, lines);
  else if (format == "json") body = exporters::toJson(result, file, lines).dump(2) + "\n";
  else if (format == "sarif") body = exporters::toSarif(result, file, lines).dump(2) + "\n";
  else body = exporters::toJUnit(result, file, lines);
  if (output.empty()) {
    out << body;
  } else {
    if (auto saved = models::writeFileAtomically(output, body); !saved) return printDiagnostic(err, saved.error()), kBadInput;
    if (format != "text") out << exporters::toText(result, file, lines);
  }
  return result.passed() ? kOk : kLimit;
}

int coverageCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string file, format = "text";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--format" && i + 1 < args.size()) format = args[++i];
    else if (!args[i].empty() && args[i][0] == '-') return usageError(err, "unknown option " + args[i]);
    else if (file.empty()) file = args[i];
    else return usageError(err, "coverage takes one project file");
  }
  if (file.empty()) return usageError(err, "coverage needs a project file");
  if (format != "text" && format != "json") return usageError(err, "--format is text or json");
  const models::LoadOutcome loaded = models::loadProject(file);
  for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
  if (!loaded.project) return kBadInput;
  const auto cov = models::coverage(*loaded.project);
  if (format == "json") out << exporters::toJson(*loaded.project, cov, file).dump(2) << "\n";
  else out << exporters::toText(*loaded.project, cov, file);
  return kOk;
}

int layout(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!args[i].empty() && args[i][0] == '-') return usageError(err, "unknown option " + args[i]);
    files.push_back(args[i]);
  }
  if (files.empty()) return usageError(err, "layout needs at least one file");
  int status = kOk;
  for (const auto& file : files) {
    models::LoadOutcome loaded = models::loadProject(file);
    for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
    if (!loaded.project) {
      status = kBadInput;
      continue;
    }
    auto laid = exporters::layOutSystem(*loaded.project);
    if (!laid) {
      core::Diagnostic d = laid.error();
      d.file = file;
      printDiagnostic(err, d);
      status = kBadInput;
      continue;
    }
    loaded.project->layout = std::move(*laid);
    if (auto saved = models::saveProject(*loaded.project, file); !saved) {
      printDiagnostic(err, saved.error());
      status = kBadInput;
      continue;
    }
    out << file << ": laid out (" << loaded.project->layout.size() << " boxes)\n";
  }
  return status;
}

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
  if (args[0] == "validate") return validate(args, out, err);
  if (args[0] == "format") return format(args, out, err);
  if (args[0] == "layout") return layout(args, out, err);
  if (args[0] == "coverage") return coverageCommand(args, out, err);
  if (args[0] == "check") return check(args, out, err);
  if (args[0] == "export") return exportCommand(args, out, err);
  if (args[0] == "verify") return verifyCommand(args, out, err);
  if (args[0] == "diff") return diff(args, out, err);
  if (args[0] == "threats") return threats(args, out, err);
  if (args[0] == "attack") return attack(args, out, err);
  if (args[0] == "import") return import(args, out, err);
  return usageError(err, "unknown command \"" + args[0] + "\"");
}

}  // namespace thornwood::cli
