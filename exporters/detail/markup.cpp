#include "exporters/detail/markup.h"

namespace thornwood::exporters::detail {

namespace {

bool isControl(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f; }

/// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte, so
/// a walk always advances).
std::size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/// Code points in `text` (a sequence cut short by the end counts as one).
std::size_t codePoints(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); i += sequenceLength(static_cast<unsigned char>(text[i]))) ++n;
  return n;
}

/// The first `n` code points of `text`.
std::string_view firstCodePoints(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < text.size(); ++k) i += sequenceLength(static_cast<unsigned char>(text[i]));
  return text.substr(0, std::min(i, text.size()));
}

}  // namespace

std::string escapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (!isControl(static_cast<unsigned char>(ch))) out += ch;
    }
  }
  return out;
}

std::string escapeDot(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (!isControl(static_cast<unsigned char>(ch)) && ch != '\t') {
      out += ch;
    }
  }
  return out;
}

std::string clipped(std::string_view text, std::size_t max) {
  if (codePoints(text) <= max) return std::string(text);
  return std::string(firstCodePoints(text, max == 0 ? 0 : max - 1)) + "\u2026";
}

std::vector<std::string> wrapped(std::string_view text, std::size_t width, std::size_t maxLines) {
  std::vector<std::string> lines;
  if (width < 2 || maxLines == 0) return lines;
  std::string line;
  std::size_t i = 0;
  auto flush = [&] {
    if (!line.empty()) lines.push_back(line);
    line.clear();
  };
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') ++end;
    std::string_view word = text.substr(i, end - i);
    i = end;
    if (word.empty()) break;
    const std::size_t have = codePoints(line);
    if (!line.empty() && have + 1 + codePoints(word) <= width) {
      line += ' ';
      line += word;
      continue;
    }
    flush();
    while (codePoints(word) > width) {  // a word longer than a line is cut
      const std::string_view head = firstCodePoints(word, width);
      lines.emplace_back(head);
      word.remove_prefix(head.size());
    }
    line = std::string(word);
  }
  flush();
  if (lines.size() > maxLines) {
    lines.resize(maxLines);
    std::string& last = lines.back();
    last = codePoints(last) + 2 <= width ? last + " \u2026" : std::string(firstCodePoints(last, width - 1)) + "\u2026";
  }
  return lines;
}

std::string spaced(std::string_view spelling) {
  std::string out(spelling);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

}  // namespace thornwood::exporters::detail
