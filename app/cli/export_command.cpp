#include "app/cli/export_command.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "app/cli/common.h"
#include "exporters/diagram_dot.h"
#include "exporters/digest.h"
#include "exporters/gate_report.h"
#include "exporters/mef_writer.h"
#include "exporters/pdf/pdf_report.h"
#include "exporters/project_report.h"
#include "exporters/report.h"
#include "models/project_file.h"

namespace thornwood::cli {

namespace {

using namespace detail;
namespace fs = std::filesystem;

std::optional<std::string> readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string utcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct ExportArgs {
  std::string file;
  std::string format;
  std::string output;
  std::string bundle;
  std::string diagram = "system";
  std::string table;
  std::string tree;
  models::MitigationScope scope = models::MitigationScope::None;
  bool timestamp = false;
  bool force = false;
  exporters::ReportOptions report;
};

int writeOut(const std::string& bytes, const std::string& output, std::ostream& out, std::ostream& err) {
  if (output.empty() || output == "-") {
    out << bytes;
    return kOk;
  }
  if (auto saved = models::writeFileAtomically(output, bytes); !saved) {
    printDiagnostic(err, saved.error());
    return kBadInput;
  }
  return kOk;
}

/// One file of the bundle, written atomically; its path is relative to the bundle.
struct BundleFile {
  std::string path;
  std::string bytes;
};

core::Result<std::vector<BundleFile>> bundleFiles(const exporters::Report& report, const std::string& modelFile,
                                                  const std::string& modelBytes) {
  std::vector<BundleFile> files;
  files.push_back({"report.html", exporters::toHtml(report)});
  auto pdf = exporters::toPdf(report);
  if (!pdf) return core::fail(pdf.error());
  files.push_back({"report.pdf", std::move(*pdf)});
  files.push_back({"tables/threats.csv", exporters::threatsCsv(report)});
  files.push_back({"tables/mitigations.csv", exporters::mitigationsCsv(report)});
  files.push_back({"tables/hazards.csv", exporters::hazardsCsv(report)});
  files.push_back({"tables/requirements.csv", exporters::requirementsCsv(report)});
  // The CI gate with the project's thresholds, in every form a pipeline reads.
  const auto lines = exporters::pointerLines(modelBytes);
  const std::string modelName = fs::path(modelFile).filename().string();
  files.push_back({"check/check.sarif", exporters::toSarif(report.gate, "model/" + modelName, lines).dump(2) + "\n"});
  files.push_back({"check/check.junit.xml", exporters::toJUnit(report.gate, "model/" + modelName, lines)});
  files.push_back({"check/check.json", exporters::toJson(report.gate, "model/" + modelName, lines).dump(2) + "\n"});
  files.push_back({"analysis.json", exporters::toJson(report.project, report.analysis, "model/" + modelName, {}).dump(2) + "\n"});
  if (!report.project.faultTrees.empty()) {
    auto mef = exporters::projectToMef(report.project, models::MitigationScope::None);
    if (!mef) return core::fail(mef.error());
    files.push_back({"fault-trees/as-modelled.mef.xml", std::move(*mef)});
    mef = exporters::projectToMef(report.project, models::MitigationScope::InPlace);
    if (!mef) return core::fail(mef.error());
    files.push_back({"fault-trees/mitigations-in-place.mef.xml", std::move(*mef)});
  }
  for (const auto& id : exporters::diagramIds(report.project)) {
    auto dot = exporters::toDot(report.project, id);
    if (!dot) return core::fail(dot.error());
    auto svg = exporters::renderSvg(*dot, "d");
    if (!svg) return core::fail(svg.error());
    files.push_back({"drawings/" + id + ".dot", *dot});
    files.push_back({"drawings/" + id + ".svg",
                     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n" + *svg});
  }
  files.push_back({"model/" + modelName, modelBytes});
  std::sort(files.begin(), files.end(), [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
  return files;
}

int writeBundle(const ExportArgs& a, const exporters::Report& report, const std::string& modelBytes, std::ostream& out,
                std::ostream& err) {
  std::error_code ec;
  if (fs::exists(a.bundle, ec) && !fs::is_empty(a.bundle, ec) && !a.force) {
    printDiagnostic(err, core::error(core::ErrorCode::Io, a.bundle, "is not empty: choose a new folder, or --force to replace its files"));
    return kBadInput;
  }
  auto files = bundleFiles(report, a.file, modelBytes);
  if (!files) {
    printDiagnostic(err, files.error());
    return kBadInput;
  }
  nlohmann::ordered_json manifest;
  manifest["format"] = "thornwood-evidence-bundle";
  manifest["format_version"] = 1;
  manifest["thornwood_version"] = THORNWOOD_VERSION;
  manifest["project"] = report.project.name;
  manifest["model"] = {{"file", "model/" + fs::path(a.file).filename().string()}, {"sha256", exporters::sha256Hex(modelBytes)}};
  if (!report.options.generatedAt.empty()) manifest["generated_at"] = report.options.generatedAt;
  manifest["files"] = nlohmann::ordered_json::array();
  std::string sums;
  for (const auto& f : *files) {
    const fs::path target = fs::path(a.bundle) / f.path;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      printDiagnostic(err, core::error(core::ErrorCode::Io, target.parent_path().string(), "cannot make the folder: " + ec.message()));
      return kBadInput;
    }
    if (auto saved = models::writeFileAtomically(target.string(), f.bytes); !saved) {
      printDiagnostic(err, saved.error());
      return kBadInput;
    }
    const std::string hash = exporters::sha256Hex(f.bytes);
    manifest["files"].push_back({{"path", f.path}, {"sha256", hash}, {"bytes", f.bytes.size()}});
    sums += hash + "  " + f.path + "\n";
  }
  const std::string manifestText = manifest.dump(2) + "\n";
  sums += exporters::sha256Hex(manifestText) + "  manifest.json\n";
  // SHA256SUMS lists every file, sorted, the manifest last: `sha256sum -c SHA256SUMS` checks
  // the bundle without Thornwood.
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"manifest.json", manifestText}, {"SHA256SUMS", sums}}) {
    if (auto saved = models::writeFileAtomically((fs::path(a.bundle) / name).string(), bytes); !saved) {
      printDiagnostic(err, saved.error());
      return kBadInput;
    }
  }
  out << a.bundle << ": " << files->size() << " files and their manifest (model SHA-256 " << manifest["model"]["sha256"].get<std::string>()
      << ")\n";
  return kOk;
}

}  // namespace

int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ExportArgs a;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool hasValue = i + 1 < args.size();
    if (arg == "--format" && hasValue) a.format = args[++i];
    else if ((arg == "--output" || arg == "-o") && hasValue) a.output = args[++i];
    else if (arg == "--bundle" && hasValue) a.bundle = args[++i];
    else if (arg == "--baseline" && hasValue) a.report.baselines.push_back(args[++i]);
    else if (arg == "--diagram" && hasValue) a.diagram = args[++i];
    else if (arg == "--table" && hasValue) a.table = args[++i];
    else if (arg == "--tree" && hasValue) a.tree = args[++i];
    else if (arg == "--mitigations" && hasValue) {
      const std::string v = args[++i];
      if (v == "none") a.scope = models::MitigationScope::None;
      else if (v == "in-place") a.scope = models::MitigationScope::InPlace;
      else if (v == "all") a.scope = models::MitigationScope::All;
      else return usageError(err, "--mitigations is none, in-place or all");
    } else if (arg == "--timestamp") a.timestamp = true;
    else if (arg == "--force") a.force = true;
    else if (!arg.empty() && arg[0] == '-' && arg != "-") return usageError(err, "unknown option " + arg);
    else if (a.file.empty()) a.file = arg;
    else return usageError(err, "export takes one project file");
  }
  if (a.file.empty()) return usageError(err, "export needs a project file");
  static const std::set<std::string> formats{"html", "pdf", "csv", "dot", "svg", "mef"};
  if (a.bundle.empty() == a.format.empty()) return usageError(err, "export needs --format FORMAT or --bundle DIR (one of them)");
  if (!a.format.empty() && !formats.count(a.format)) return usageError(err, "--format is html, pdf, csv, dot, svg or mef");
  if (a.format == "pdf" && (a.output.empty() || a.output == "-")) return usageError(err, "a PDF needs --output FILE");
  static const std::set<std::string> tables{"threats", "mitigations", "hazards", "requirements"};
  if (a.format == "csv" && !tables.count(a.table)) return usageError(err, "--format csv needs --table threats|mitigations|hazards|requirements");

  const auto modelBytes = readAll(a.file);
  const models::LoadOutcome loaded = models::loadProject(a.file);
  for (const auto& d : loaded.diagnostics) printDiagnostic(err, d);
  if (!loaded.project || !modelBytes) return kBadInput;
  const models::Project& project = *loaded.project;

  if (a.format == "dot" || a.format == "svg") {
    auto dot = exporters::toDot(project, a.diagram);
    if (!dot) return printDiagnostic(err, dot.error()), kBadInput;
    if (a.format == "dot") return writeOut(*dot, a.output, out, err);
    auto svg = exporters::renderSvg(*dot, "d");
    if (!svg) return printDiagnostic(err, svg.error()), kBadInput;
    return writeOut("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n" + *svg, a.output, out, err);
  }
  if (a.format == "mef") {
    auto mef = exporters::projectToMef(project, a.scope, a.tree);
    if (!mef) return printDiagnostic(err, mef.error()), kBadInput;
    return writeOut(*mef, a.output, out, err);
  }

  if (a.timestamp) a.report.generatedAt = utcNow();
  auto report = exporters::buildReport(project, a.file, exporters::sha256Hex(*modelBytes), a.report);
  if (!report) {
    core::Diagnostic d = report.error();
    if (d.file.empty()) d.file = a.file;
    printDiagnostic(err, d);
    return kBadInput;
  }
  if (!a.bundle.empty()) return writeBundle(a, *report, *modelBytes, out, err);
  if (a.format == "html") return writeOut(exporters::toHtml(*report), a.output, out, err);
  if (a.format == "pdf") {
    auto pdf = exporters::toPdf(*report);
    if (!pdf) return printDiagnostic(err, pdf.error()), kBadInput;
    return writeOut(*pdf, a.output, out, err);
  }
  // csv
  const std::string csv = a.table == "threats"       ? exporters::threatsCsv(*report)
                          : a.table == "mitigations" ? exporters::mitigationsCsv(*report)
                          : a.table == "hazards"     ? exporters::hazardsCsv(*report)
                                                     : exporters::requirementsCsv(*report);
  return writeOut(csv, a.output, out, err);
}

int verifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string dir, model;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--model" && i + 1 < args.size()) model = args[++i];
    else if (!args[i].empty() && args[i][0] == '-') return usageError(err, "unknown option " + args[i]);
    else if (dir.empty()) dir = args[i];
    else return usageError(err, "verify takes one bundle folder");
  }
  if (dir.empty()) return usageError(err, "verify needs a bundle folder");
  const std::string manifestPath = (fs::path(dir) / "manifest.json").string();
  const auto text = readAll(manifestPath);
  if (!text) {
    printDiagnostic(err, core::error(core::ErrorCode::Io, manifestPath, "cannot read the manifest"));
    return kBadInput;
  }
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(*text);
    if (manifest.at("format").get<std::string>() != "thornwood-evidence-bundle") throw std::runtime_error("not a bundle");
  } catch (const std::exception& e) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, "", std::string("not a Thornwood evidence bundle manifest: ") + e.what());
    d.file = manifestPath;
    printDiagnostic(err, d);
    return kBadInput;
  }
  std::size_t bad = 0, checked = 0;
  std::set<std::string> listed{"manifest.json", "SHA256SUMS"};
  try {
    for (const auto& f : manifest.at("files")) {
      const std::string path = f.at("path").get<std::string>();
      listed.insert(path);
      const fs::path full = fs::path(dir) / path;
      const auto hash = exporters::sha256OfFile(full.string());
      ++checked;
      if (!hash) {
        out << "MISSING  " << path << "\n";
        ++bad;
      } else if (*hash != f.at("sha256").get<std::string>()) {
        out << "ALTERED  " << path << "\n";
        ++bad;
      }
    }
    if (!model.empty()) {
      const auto hash = exporters::sha256OfFile(model);
      if (!hash) {
        printDiagnostic(err, core::error(core::ErrorCode::Io, model, "cannot read the model"));
        return kBadInput;
      }
      const std::string expected = manifest.at("model").at("sha256").get<std::string>();
      if (*hash != expected) {
        out << "MODEL DIFFERS  " << model << " is not the model the bundle was made from\n";
        ++bad;
      }
    }
  } catch (const std::exception& e) {
    printDiagnostic(err, core::error(core::ErrorCode::Malformed, manifestPath, std::string("manifest entry: ") + e.what()));
    return kBadInput;
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    if (!listed.count(rel)) {
      out << "EXTRA    " << rel << " (not in the manifest)\n";
      ++bad;
    }
  }
  out << dir << ": " << checked << " files checked, " << (bad ? std::to_string(bad) + " problems" : std::string("all as the manifest says"))
      << "\n";
  return bad ? kLimit : kOk;
}

}  // namespace thornwood::cli
