#include "app/cli/export_command.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>

#include "app/cli/common.h"
#include "exporters/diagram_dot.h"
#include "exporters/bundle/bundle.h"
#include "exporters/digest.h"
#include "exporters/mef_writer.h"
#include "app/cli/pdf_loader.h"
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
  if (a.format == "csv" && !std::count(std::begin(exporters::kCsvTables), std::end(exporters::kCsvTables), a.table)) {
    return usageError(err, "--format csv needs --table threats|mitigations|hazards|requirements");
  }

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
    return writeOut(exporters::svgFile(*svg), a.output, out, err);
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
  if (!a.bundle.empty()) {
    auto written = exporters::writeBundle(*report, fs::path(a.file).filename().string(), *modelBytes, a.bundle, a.force,
                                          &cli::toPdf);
    if (!written) return printDiagnostic(err, written.error()), kBadInput;
    out << a.bundle << ": " << written->files.size() << " files (model SHA-256 " << written->modelSha256 << ")\n";
    return kOk;
  }
  if (a.format == "html") return writeOut(exporters::toHtml(*report), a.output, out, err);
  if (a.format == "pdf") {
    auto pdf = toPdf(*report);
    if (!pdf) return printDiagnostic(err, pdf.error()), kBadInput;
    return writeOut(*pdf, a.output, out, err);
  }
  return writeOut(*exporters::csvTable(*report, a.table), a.output, out, err);  // csv, its name checked above
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
  const auto check = exporters::verifyBundle(dir, model);
  if (!check) return printDiagnostic(err, check.error()), kBadInput;
  for (const auto& p : check->missing) out << "MISSING  " << p << "\n";
  for (const auto& p : check->altered) out << "ALTERED  " << p << "\n";
  for (const auto& p : check->extra) out << "EXTRA    " << p << " (not in the manifest)\n";
  if (check->modelDiffers) out << "MODEL DIFFERS  " << model << " is not the model the bundle was made from\n";
  const std::size_t problems = check->missing.size() + check->altered.size() + check->extra.size() + (check->modelDiffers ? 1 : 0);
  out << dir << ": " << check->checked << " files checked, "
      << (problems ? std::to_string(problems) + " problems" : std::string("all as the manifest says")) << "\n";
  return problems ? kLimit : kOk;
}

}  // namespace thornwood::cli
