#pragma once

#include <cstddef>

namespace thornwood::models::detail {

/// A file compiled into the program (cmake/embed_files.cmake writes the table).
struct EmbeddedFile {
  const char* name;
  const unsigned char* data;
  std::size_t size;
};

/// resources/rules/*.json, sorted by name.
extern const EmbeddedFile kBuiltinRuleFiles[];
extern const std::size_t kBuiltinRuleFileCount;

/// resources/compliance/*.json, sorted by name.
extern const EmbeddedFile kCatalogueFiles[];
extern const std::size_t kCatalogueFileCount;

}  // namespace thornwood::models::detail
