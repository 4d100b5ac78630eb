#include "importers/detail/xml_document.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace thornwood::importers::detail {

std::string XmlDocument::placeOf(std::ptrdiff_t offset) const {
  if (offset < 0) return {};
  const auto off = static_cast<std::size_t>(offset);
  const auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), off);
  const std::size_t line = static_cast<std::size_t>(it - lineStarts.begin());
  const std::size_t col = off - lineStarts[line - 1] + 1;
  return std::to_string(line) + ":" + std::to_string(col);
}

std::string XmlDocument::placeOf(const pugi::xml_node& n) const {
  std::ptrdiff_t offset = n.offset_debug();
  while (offset > 0 && text[static_cast<std::size_t>(offset)] != '<') --offset;
  return placeOf(offset);
}

bool parseXml(std::string text, const std::string& name, XmlDocument& doc, std::vector<core::Diagnostic>& out) {
  doc.path = name;
  doc.text = std::move(text);
  doc.lineStarts.assign(1, 0);
  for (std::size_t i = 0; i < doc.text.size(); ++i) {
    if (doc.text[i] == '\n') doc.lineStarts.push_back(i + 1);
  }
  // parse_doctype keeps a DOCTYPE in the tree so that we can refuse it; pugixml never
  // loads external DTDs nor expands entities other than the five predefined ones.
  const unsigned flags = pugi::parse_default | pugi::parse_doctype;
  const pugi::xml_parse_result r = doc.xml.load_buffer(doc.text.data(), doc.text.size(), flags, pugi::encoding_utf8);
  if (!r) {
    out.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Malformed, name, doc.placeOf(r.offset),
                                   std::string("malformed XML: ") + r.description()});
    return false;
  }
  for (pugi::xml_node n : doc.xml.children()) {
    if (n.type() == pugi::node_doctype) {
      out.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Unsupported, name, doc.placeOf(n),
                                     "document type declarations (DTD) are not accepted: Thornwood loads no DTD and "
                                     "expands no entity"});
      return false;
    }
  }
  return true;
}

bool loadXml(const std::string& path, std::size_t maxBytes, XmlDocument& doc, std::vector<core::Diagnostic>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Io, path, "",
                                   std::string("cannot open the file: ") + std::strerror(errno)});
    return false;
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg()));
  if (size > maxBytes) {
    out.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Limit, path, "",
                                   "the file has " + std::to_string(size) + " bytes, more than the limit of " +
                                       std::to_string(maxBytes)});
    return false;
  }
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  return parseXml(std::move(text), path, doc, out);
}

}  // namespace thornwood::importers::detail
