#include "exporters/bundle/bundle.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "exporters/diagram_dot.h"
#include "exporters/digest.h"
#include "exporters/gate_report.h"
#include "exporters/mef_writer.h"
#include "exporters/project_report.h"
#include "models/project_file.h"

namespace thornwood::exporters {

namespace {

namespace fs = std::filesystem;

struct BundleFile {
  std::string path;
  std::string bytes;
};

core::Diagnostic ioError(const std::string& place, const std::string& problem) {
  return core::error(core::ErrorCode::Io, place, problem);
}

core::Result<std::vector<BundleFile>> contents(const Report& report, const std::string& modelName, const std::string& modelBytes,
                                               const PdfWriter& toPdf) {
  std::vector<BundleFile> files;
  files.push_back({"report.html", toHtml(report)});
  auto pdf = toPdf(report);
  if (!pdf) return core::fail(pdf.error());
  files.push_back({"report.pdf", std::move(*pdf)});
  for (const std::string_view table : kCsvTables) {
    files.push_back({"tables/" + std::string(table) + ".csv", *csvTable(report, table)});
  }
  // The CI gate with the project's thresholds, in each form a pipeline reads, pointing at the
  // model's copy in the bundle.
  const std::string model = "model/" + modelName;
  const auto lines = pointerLines(modelBytes);
  files.push_back({"check/check.sarif", toSarif(report.gate, model, lines).dump(2) + "\n"});
  files.push_back({"check/check.junit.xml", toJUnit(report.gate, model, lines)});
  files.push_back({"check/check.json", toJson(report.gate, model, lines).dump(2) + "\n"});
  files.push_back({"analysis.json", toJson(report.project, report.analysis, model, {}).dump(2) + "\n"});
  if (!report.project.faultTrees.empty()) {
    for (const auto& [scope, name] : {std::pair{models::MitigationScope::None, "as-modelled"},
                                      std::pair{models::MitigationScope::InPlace, "mitigations-in-place"}}) {
      auto mef = projectToMef(report.project, scope);
      if (!mef) return core::fail(mef.error());
      files.push_back({std::string("fault-trees/") + name + ".mef.xml", std::move(*mef)});
    }
  }
  for (const auto& id : diagramIds(report.project)) {
    auto dot = toDot(report.project, id);
    if (!dot) return core::fail(dot.error());
    auto svg = renderSvg(*dot, "d");
    if (!svg) return core::fail(svg.error());
    files.push_back({"drawings/" + id + ".dot", *dot});
    files.push_back({"drawings/" + id + ".svg", svgFile(*svg)});
  }
  files.push_back({model, modelBytes});
  if (report.options.cancel && report.options.cancel->load()) {
    return core::fail(core::error(core::ErrorCode::Cancelled, "", "the bundle was cancelled"));
  }
  std::sort(files.begin(), files.end(), [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
  return files;
}

std::optional<std::string> readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A manifest's path that stays inside the bundle: relative, without "..". Manifests are
/// input like any file: one naming "../x" must not make us touch or read outside the folder.
bool insideBundle(const std::string& path) {
  const fs::path p(path);
  if (path.empty() || p.is_absolute() || p.has_root_name()) return false;
  return std::none_of(p.begin(), p.end(), [](const fs::path& part) { return part == ".."; });
}

/// The files an earlier bundle in `dir` lists (its manifest), or nothing when there is none.
std::set<std::string> earlierBundle(const fs::path& dir) {
  std::set<std::string> out;
  const auto text = readAll(dir / "manifest.json");
  if (!text) return out;
  try {
    const auto manifest = nlohmann::json::parse(*text);
    for (const auto& f : manifest.at("files")) {
      const std::string path = f.at("path").get<std::string>();
      if (insideBundle(path)) out.insert(path);
    }
  } catch (const std::exception&) {
  }
  return out;
}

}  // namespace

core::Result<BundleWritten> writeBundle(const Report& report, const std::string& modelName, const std::string& modelBytes,
                                        const std::string& dir, bool replace, const PdfWriter& pdf) {
  std::error_code ec;
  const fs::path root(dir);
  if (fs::exists(root, ec) && !fs::is_empty(root, ec) && !replace) {
    return core::fail(ioError(dir, "is not empty: choose a new folder, or replace the bundle in it"));
  }
  auto files = contents(report, modelName, modelBytes, pdf);
  if (!files) return core::fail(files.error());
  const std::set<std::string> before = earlierBundle(root);

  nlohmann::ordered_json manifest;
  manifest["format"] = "thornwood-evidence-bundle";
  manifest["format_version"] = 1;
  manifest["thornwood_version"] = THORNWOOD_VERSION;
  manifest["project"] = report.project.name;
  BundleWritten written;
  written.modelSha256 = sha256Hex(modelBytes);
  manifest["model"] = {{"file", "model/" + modelName}, {"sha256", written.modelSha256}};
  if (!report.options.generatedAt.empty()) manifest["generated_at"] = report.options.generatedAt;
  manifest["files"] = nlohmann::ordered_json::array();
  std::string sums;
  for (const auto& f : *files) {
    const fs::path target = root / f.path;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return core::fail(ioError(target.parent_path().string(), "cannot make the folder: " + ec.message()));
    if (auto saved = models::writeFileAtomically(target.string(), f.bytes); !saved) return core::fail(saved.error());
    const std::string hash = sha256Hex(f.bytes);
    manifest["files"].push_back({{"path", f.path}, {"sha256", hash}, {"bytes", f.bytes.size()}});
    sums += hash + "  " + f.path + "\n";
    written.files.push_back(f.path);
  }
  const std::string manifestText = manifest.dump(2) + "\n";
  sums += sha256Hex(manifestText) + "  manifest.json\n";
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"manifest.json", manifestText}, {"SHA256SUMS", sums}}) {
    if (auto saved = models::writeFileAtomically((root / name).string(), bytes); !saved) return core::fail(saved.error());
    written.files.push_back(name);
  }
  // What the earlier bundle had and this one has not (a drawing of a tree since deleted).
  const std::set<std::string> now(written.files.begin(), written.files.end());
  for (const auto& old : before) {
    if (!now.count(old)) fs::remove(root / old, ec);
  }
  return written;
}

core::Result<BundleCheck> verifyBundle(const std::string& dir, const std::string& model) {
  const fs::path root(dir);
  const fs::path manifestPath = root / "manifest.json";
  const auto text = readAll(manifestPath);
  if (!text) return core::fail(ioError(manifestPath.string(), "cannot read the manifest"));
  BundleCheck check;
  std::set<std::string> listed{"manifest.json", "SHA256SUMS"};
  try {
    const auto manifest = nlohmann::json::parse(*text);
    if (manifest.at("format").get<std::string>() != "thornwood-evidence-bundle") {
      return core::fail(core::error(core::ErrorCode::Malformed, manifestPath.string(), "not a Thornwood evidence bundle manifest"));
    }
    for (const auto& f : manifest.at("files")) {
      const std::string path = f.at("path").get<std::string>();
      if (!insideBundle(path)) {
        return core::fail(core::error(core::ErrorCode::Malformed, manifestPath.string(),
                                      "the manifest names a file outside the bundle: \"" + path + "\""));
      }
      listed.insert(path);
      ++check.checked;
      const auto hash = sha256OfFile((root / path).string());
      if (!hash) check.missing.push_back(path);
      else if (*hash != f.at("sha256").get<std::string>()) check.altered.push_back(path);
    }
    if (!model.empty()) {
      const auto hash = sha256OfFile(model);
      if (!hash) return core::fail(ioError(model, "cannot read the model"));
      check.modelDiffers = *hash != manifest.at("model").at("sha256").get<std::string>();
    }
  } catch (const std::exception& e) {
    return core::fail(core::error(core::ErrorCode::Malformed, manifestPath.string(), std::string("not a readable manifest: ") + e.what()));
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string rel = fs::relative(it->path(), root).generic_string();
    if (!listed.count(rel)) check.extra.push_back(rel);
  }
  std::sort(check.extra.begin(), check.extra.end());
  return check;
}

}  // namespace thornwood::exporters
