#pragma once

// Loading and saving `.thornwood.json` files: size and nesting limits, the format header, the
// migration chain from older versions, reading, validation, and atomic saves.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "models/project.h"
#include "models/project_json.h"

namespace thornwood::models {

inline constexpr int kFormatVersion = kFormatVersionValue;
inline constexpr std::string_view kFormatName = kFormatKeyValue;

/// What a file may hold before it is refused. Generous for real projects (the 10,000-component
/// benchmark project is 24 MB, 850,000 JSON values and 8 levels deep), small enough that a
/// hostile file cannot exhaust memory (a value costs the parsed document about 50 bytes,
/// however few bytes of text it takes) or the stack.
struct LoadLimits {
  std::size_t maxBytes = 256u << 20;
  int maxDepth = 64;
  std::size_t maxValues = 5'000'000;
};

/// One step of the migration chain: turns a document of version `from` into one of `from + 1`.
struct Migration {
  int from = 0;
  std::function<void(Json&)> apply;
};

/// The chain shipped with this build, oldest first. Empty while version 1 is the only one.
std::span<const Migration> migrations();

/// Brings `document` (of version `version`) to `target` with the steps of `chain`. Refuses a
/// version newer than `target`, older than the chain can reach, or a gap in the chain.
core::Result<Json> migrate(Json document, int version, int target, std::span<const Migration> chain,
                           const std::string& file);

struct LoadOutcome {
  std::optional<Project> project;  ///< set when there is no error (warnings may remain)
  std::vector<core::Diagnostic> diagnostics;
};

/// Parses untrusted JSON text within the limits (size, nesting, number of values), refusing
/// keys given twice; the error names the file and a line:column or JSON pointer.
core::Result<Json> parseJson(std::string_view text, const std::string& file, const LoadLimits& limits = {});
core::Result<Json> readJsonFile(const std::string& path, const LoadLimits& limits = {});

/// Parses and checks a document held in memory; `file` names it in diagnostics.
LoadOutcome parseProject(std::string_view text, const std::string& file, const LoadLimits& limits = {});

/// Reads `path` (refusing files over the limit before reading them) and parses it.
LoadOutcome loadProject(const std::string& path, const LoadLimits& limits = {});

/// The canonical text of a project: header, then toJson, pretty-printed with 2 spaces and a
/// final newline. Loading and saving a canonical file gives the same bytes.
std::string serialise(const Project& project);

/// Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk
/// with fsync, then renamed over `path`. On any failure `path` is untouched and the temporary
/// file removed.
core::Result<bool> writeFileAtomically(const std::string& path, std::string_view text);

core::Result<bool> saveProject(const Project& project, const std::string& path);

}  // namespace thornwood::models
