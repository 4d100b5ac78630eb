#pragma once

// Escaping for the markup the exporters write (HTML, SVG, Graphviz HTML-like labels, DOT
// strings) and the small text helpers they share. Every user string goes through one of
// these before it reaches a file.

#include <string>
#include <string_view>
#include <vector>

namespace thornwood::exporters::detail {

/// Text for HTML or XML content and attribute values: & < > " ' as entities; control
/// characters other than tab and newline, which XML forbids, dropped.
std::string escapeMarkup(std::string_view text);

/// A DOT double-quoted string's content: " and \ escaped, newlines as \n (which Graphviz
/// reads as a centred line break), control characters dropped.
std::string escapeDot(std::string_view text);

/// At most `max` characters (UTF-8 code points), with an ellipsis when cut; never splits a
/// multi-byte character.
std::string clipped(std::string_view text, std::size_t max);

/// `text` broken at spaces into lines of at most `width` characters (a longer word is cut),
/// at most `maxLines` of them, the last with an ellipsis when text is left over.
std::vector<std::string> wrapped(std::string_view text, std::size_t width, std::size_t maxLines);

/// The file format's spelling made readable: "denial_of_service" -> "denial of service".
std::string spaced(std::string_view spelling);

}  // namespace thornwood::exporters::detail
