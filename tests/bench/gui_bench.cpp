// GUI benchmark (issue #6): open a project in the main window, lay its diagram out (Graphviz)
// and analyse it live (validation, every tree, the threat rules), for the largest bundled
// example and for a generated system of 2,000 elements. Runs offscreen; prints the median of
// N runs of each phase, in milliseconds.
//
//   gui_bench [--runs 5] [--elements 2000]
#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/gui/live_analysis.h"
#include "app/gui/main_window.h"
#include "app/gui/system_diagram.h"
#include "models/project_file.h"

using namespace thornwood;

namespace {

/// A system of `elements` elements: 5% zones (nested two deep), 60% components, the rest
/// data flows between components of the same or neighbouring zones. Deterministic.
models::Project generate(int elements) {
  std::mt19937 rng(20261125);
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  models::Project p;
  p.name = "Generated system of " + std::to_string(elements) + " elements";
  const int zones = std::max(1, elements / 20);
  const int components = elements * 60 / 100;
  const int flows = elements - zones - components;
  for (int z = 0; z < zones; ++z) {
    models::TrustZone zone;
    zone.id = "zone" + std::to_string(z);
    zone.name = "Zone " + std::to_string(z);
    if (z >= 10) zone.parent = "zone" + std::to_string(z % 10);
    zone.trust = z % 5;
    zone.firewall = z % 3 == 0;
    p.system.zones.push_back(std::move(zone));
  }
  const int kinds = static_cast<int>(models::ComponentKind::ExternalSystem) + 1;
  for (int c = 0; c < components; ++c) {
    models::Component comp;
    comp.id = "c" + std::to_string(c);
    comp.name = "Component " + std::to_string(c);
    comp.kind = static_cast<models::ComponentKind>(pick(kinds));
    comp.properties.authenticatesBeforeSending = pick(2) == 0;
    comp.properties.updateMechanism = static_cast<models::UpdateMechanism>(pick(4));
    comp.properties.defaultCredentials = pick(5) == 0;
    p.system.zones[static_cast<std::size_t>(c % zones)].members.push_back(comp.id);
    p.system.components.push_back(std::move(comp));
  }
  for (int f = 0; f < flows; ++f) {
    models::DataFlow flow;
    flow.id = "f" + std::to_string(f);
    flow.name = "Flow " + std::to_string(f);
    const int a = pick(components);
    int b = (a + 1 + pick(zones * 2)) % components;
    if (b == a) b = (a + 1) % components;
    flow.source = "c" + std::to_string(a);
    flow.target = "c" + std::to_string(b);
    flow.protocol = "mqtt";
    flow.encrypted = pick(2) == 0;
    p.system.flows.push_back(std::move(flow));
  }
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Phases {
  std::vector<double> open, layout, analyse;
};

void runOnce(const QString& file, const QString& recovery, Phases& out) {
  gui::MainWindow w(nullptr, recovery);
  w.analysis().setDelay(0);
  QElapsedTimer t;
  t.start();
  if (!w.openFile(file)) {
    std::fprintf(stderr, "gui_bench: cannot open %s\n", qPrintable(file));
    std::exit(2);
  }
  QCoreApplication::processEvents();
  out.open.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  // The analysis started by opening: wait for it before timing the layout.
  while (!w.analysis().isCurrent()) QTest::qWait(1);
  t.restart();
  w.systemEditor().diagram().autoLayout();
  QCoreApplication::processEvents();
  out.layout.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  // A layout is not a model change; analyse on request, as after an edit.
  while (!w.analysis().isCurrent()) QTest::qWait(1);
  t.restart();
  w.analysis().runNow();
  while (!w.analysis().isCurrent()) QTest::qWait(1);
  out.analyse.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
}

void report(const char* name, const models::Project& p, const Phases& r) {
  std::printf("%-34s %6zu components %6zu flows %4zu zones | open %8.1f ms | lay out %8.1f ms | analyse %8.1f ms\n", name,
              p.system.components.size(), p.system.flows.size(), p.system.zones.size(), median(r.open), median(r.layout),
              median(r.analyse));
}

}  // namespace

int main(int argc, char** argv) {
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  int runs = 5, elements = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--elements")) elements = std::atoi(argv[i + 1]);
  }
  QApplication app(argc, argv);
  app.setProperty("thornwood.headless", true);
  QTemporaryDir dir;
  const QString recovery = dir.filePath("recovery");

  // The largest bundled example, by elements.
  std::string largest;
  std::size_t most = 0;
  for (const auto& entry : std::filesystem::directory_iterator(THORNWOOD_SOURCE_DIR "/examples")) {
    if (entry.path().string().find(".thornwood.json") == std::string::npos) continue;
    const auto loaded = models::loadProject(entry.path().string());
    if (!loaded.project) continue;
    const auto& s = loaded.project->system;
    const std::size_t n = s.components.size() + s.flows.size() + s.zones.size() + loaded.project->threats.size();
    if (n > most || (n == most && entry.path().string() < largest)) {
      most = n;
      largest = entry.path().string();
    }
  }
  std::printf("gui_bench: median of %d runs (open = read, validate and build every view; lay out = Graphviz fdp and "
              "redraw; analyse = validation, trees, attack metrics, threat rules off the GUI thread)\n",
              runs);
  {
    Phases r;
    for (int i = 0; i < runs; ++i) runOnce(QString::fromStdString(largest), recovery, r);
    report(std::filesystem::path(largest).filename().string().c_str(), *models::loadProject(largest).project, r);
  }
  {
    const models::Project generated = generate(elements);
    const std::string file = dir.filePath("generated.thornwood.json").toStdString();
    if (!models::saveProject(generated, file)) return 2;
    Phases r;
    for (int i = 0; i < runs; ++i) runOnce(QString::fromStdString(file), recovery, r);
    report(("generated, " + std::to_string(elements) + " elements").c_str(), generated, r);
  }
  return 0;
}
