// Report benchmark (issue #7): for each bundled example, the time of each piece of the
// evidence a reviewer gets (gathering the report: analysis, coverage, attack optima, the
// cheapest blocking sets and the drawings; the HTML; the PDF; the CSV tables; the CI gate
// and its SARIF), of the whole bundle written to disk, and of `check` as a pipeline runs it
// (load, validate, analyse, gate, SARIF). Median of N runs, milliseconds, in one process;
// the first run of each piece warms Graphviz and Qt's fonts and is not counted.
//
//   report_bench [--runs 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "exporters/bundle/bundle.h"
#include "exporters/digest.h"
#include "exporters/gate_report.h"
#include "exporters/pdf/pdf_report.h"
#include "exporters/report.h"
#include "models/compliance.h"
#include "models/gate.h"
#include "models/project_analysis.h"
#include "models/project_file.h"

using namespace thornwood;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Median milliseconds of `runs` calls after one warm-up call.
double timed(int runs, const std::function<void()>& f) {
  f();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return median(ms);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
  }
  const std::string dir = std::string(THORNWOOD_SOURCE_DIR) + "/examples/";
  std::printf("%-34s %9s %8s %8s %8s %10s %10s %8s %8s\n", "example (median ms)", "gather", "html", "pdf", "csv", "gate+sarif",
              "bundle", "check", "pdf kB");
  for (const char* name : {"smart-home-hub.thornwood.json", "infusion-pump.thornwood.json", "iiot-gateway-cluster.thornwood.json"}) {
    const std::string file = dir + name;
    const std::string bytes = slurp(file);
    const auto loaded = models::loadProject(file);
    if (!loaded.project) return 2;
    const models::Project& p = *loaded.project;
    const std::string sha = exporters::sha256Hex(bytes);
    auto report = exporters::buildReport(p, file, sha, {});
    if (!report) return 2;
    const double gather = timed(runs, [&] { (void)exporters::buildReport(p, file, sha, {}); });
    const double html = timed(runs, [&] { (void)exporters::toHtml(*report); });
    std::size_t pdfBytes = 0;
    const double pdf = timed(runs, [&] { pdfBytes = exporters::toPdf(*report)->size(); });
    const double csv = timed(runs, [&] {
      (void)exporters::threatsCsv(*report);
      (void)exporters::mitigationsCsv(*report);
      (void)exporters::hazardsCsv(*report);
      (void)exporters::requirementsCsv(*report);
    });
    const auto lines = exporters::pointerLines(bytes);
    const double sarif = timed(runs, [&] { (void)exporters::toSarif(report->gate, file, lines).dump(2); });
    const auto out = std::filesystem::temp_directory_path() / "thornwood-report-bench";
    const double bundle = timed(runs, [&] {
      std::filesystem::remove_all(out);
      (void)exporters::writeBundle(*report, name, bytes, out.string(), false, &exporters::toPdf);
    });
    std::filesystem::remove_all(out);
    // `check` as a pipeline runs it, from the file on disk to SARIF.
    const double check = timed(runs, [&] {
      const auto text = slurp(file);
      const auto ls = exporters::pointerLines(text);
      const auto l = models::loadProject(file);
      models::ProjectAnalysisOptions o;
      o.timing = false;
      const auto a = models::analyse(*l.project, file, o);
      const auto g = models::runGate(*l.project, a, models::coverage(*l.project), models::gateConfigOf(*l.project));
      (void)exporters::toSarif(g, file, ls).dump(2);
    });
    std::printf("%-34s %9.1f %8.1f %8.1f %8.2f %10.2f %10.1f %8.1f %8zu\n", name, gather, html, pdf, csv, sarif, bundle, check,
                pdfBytes / 1024);
  }
  return 0;
}
