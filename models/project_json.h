#pragma once

// The JSON binding of the project model, written by hand (STYLE.md section 6): every key is
// spelled here and only here. Reading checks shapes and types and reports every problem with
// its JSON pointer; the meaning (references, ranges, cycles) is checked by validate().

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"

namespace thornwood::models {

/// Key order is part of the format: documents keep the order in which we write keys.
using Json = nlohmann::ordered_json;

/// The project's JSON, without the header keys (format, format_version, generator), with
/// keys and lists in the canonical order. Empty optional fields are left out.
Json toJson(const Project& project);

inline constexpr std::string_view kFormatKeyValue = "thornwood";
inline constexpr int kFormatVersionValue = 1;

/// The saved text: the header (format, format_version, generator) and toJson's content,
/// as nlohmann's dump(2) would print that document, with a final newline. Written
/// directly, without building the document. Bytes that are not UTF-8 become U+FFFD.
std::string toCanonicalText(const Project& project, const std::string& generator);

struct ReadOutcome {
  std::optional<Project> project;  ///< set when the document has no error
  std::vector<core::Diagnostic> diagnostics;
};

/// Reads a document of the current format version (header keys are accepted and ignored).
/// Unknown keys, missing required keys and wrong types are errors placed at their pointer.
ReadOutcome fromJson(const Json& document, const std::string& file);

}  // namespace thornwood::models
