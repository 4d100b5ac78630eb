#pragma once

// Reading untrusted XML files the same way in every importer: a size limit checked before
// reading, no DTD (refused), no entity beyond the five predefined ones, and line:column
// places for every message.

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace thornwood::importers::detail {

struct XmlDocument {
  std::string path;
  std::string text;
  pugi::xml_document xml;
  std::vector<std::size_t> lineStarts;

  /// "line:column" of a byte offset, 1-based; empty for a negative offset.
  std::string placeOf(std::ptrdiff_t offset) const;
  /// Of an element: where its '<' is (pugixml points at the name).
  std::string placeOf(const pugi::xml_node& n) const;
};

/// Loads `path` into `doc`. On failure adds an Io, Limit, Malformed or Unsupported (a DTD)
/// diagnostic to `out` and returns false.
bool loadXml(const std::string& path, std::size_t maxBytes, XmlDocument& doc, std::vector<core::Diagnostic>& out);

/// The same for text already in memory; `name` names it in messages.
bool parseXml(std::string text, const std::string& name, XmlDocument& doc, std::vector<core::Diagnostic>& out);

}  // namespace thornwood::importers::detail
