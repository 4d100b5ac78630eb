#include "exporters/gate_report.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace thornwood::exporters {

namespace {

using nlohmann::json;

/// Walks JSON text keeping the line and the pointer of the value being read. Only positions
/// are wanted (the model is read elsewhere), so it stops quietly at anything malformed.
class PointerScanner {
 public:
  PointerScanner(std::string_view text, int maxDepth) : m_text(text), m_maxDepth(maxDepth) {}

  std::map<std::string, int> run() {
    skipSpace();
    value("", 0);
    return std::move(m_lines);
  }

 private:
  bool more() const { return m_pos < m_text.size() && m_ok; }
  char peek() const { return m_text[m_pos]; }

  void skipSpace() {
    while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) {
      if (m_text[m_pos] == '\n') ++m_line;
      ++m_pos;
    }
  }

  std::string string() {
    std::string out;
    ++m_pos;  // the opening quote
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) ++m_pos;  // the escaped character, as is
      if (m_text[m_pos] == '\n') ++m_line;
      out += m_text[m_pos++];
    }
    if (m_pos >= m_text.size()) m_ok = false;
    ++m_pos;  // the closing quote
    return out;
  }

  static std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  void value(const std::string& pointer, int depth) {
    if (!more() || depth > 512) return void(m_ok = false);
    if (depth <= m_maxDepth) m_lines.emplace(pointer.empty() ? "" : pointer, m_line);
    const char c = peek();
    if (c == '{') {
      ++m_pos;
      skipSpace();
      if (more() && peek() == '}') return void(++m_pos);
      while (more()) {
        skipSpace();
        if (!more() || peek() != '"') return void(m_ok = false);
        const std::string key = string();
        skipSpace();
        if (!more() || peek() != ':') return void(m_ok = false);
        ++m_pos;
        skipSpace();
        value(pointer + "/" + escape(key), depth + 1);
        skipSpace();
        if (!more()) return;
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        if (peek() == '}') return void(++m_pos);
        return void(m_ok = false);
      }
    } else if (c == '[') {
      ++m_pos;
      skipSpace();
      if (more() && peek() == ']') return void(++m_pos);
      for (std::size_t index = 0; more(); ++index) {
        skipSpace();
        value(pointer + "/" + std::to_string(index), depth + 1);
        skipSpace();
        if (!more()) return;
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        if (peek() == ']') return void(++m_pos);
        return void(m_ok = false);
      }
    } else if (c == '"') {
      string();
    } else {
      while (more() && std::string_view(",]} \t\r\n").find(peek()) == std::string_view::npos) ++m_pos;
    }
  }

  std::string_view m_text;
  int m_maxDepth;
  std::size_t m_pos = 0;
  int m_line = 1;
  bool m_ok = true;
  std::map<std::string, int> m_lines;
};

const char* verdict(const models::GateCheck& c) { return !c.run ? "SKIP" : c.passed ? "PASS" : "FAIL"; }

std::size_t failures(const models::GateResult& r) {
  return static_cast<std::size_t>(std::count_if(r.checks.begin(), r.checks.end(), [](const auto& c) { return !c.passed; }));
}

std::size_t skipped(const models::GateResult& r) {
  return static_cast<std::size_t>(std::count_if(r.checks.begin(), r.checks.end(), [](const auto& c) { return !c.run && c.passed; }));
}

std::string where(const models::GateFinding& f, const std::string& file, const std::map<std::string, int>& lines) {
  if (!f.place.empty()) return file + ":" + f.place;
  return file + ":" + std::to_string(lineOf(f, lines));
}

}  // namespace

std::map<std::string, int> pointerLines(std::string_view text, int maxDepth) { return PointerScanner(text, maxDepth).run(); }

int lineOf(const models::GateFinding& finding, const std::map<std::string, int>& lines) {
  if (!finding.place.empty()) {
    const std::size_t colon = finding.place.find(':');
    try {
      return std::max(1, std::stoi(finding.place.substr(0, colon)));
    } catch (const std::exception&) {
      return 1;
    }
  }
  // An element's "id" line, which names it; else the pointer itself, or the nearest
  // enclosing one that was recorded.
  if (const auto it = lines.find(finding.pointer + "/id"); !finding.pointer.empty() && it != lines.end()) return it->second;
  for (std::string p = finding.pointer;; p = p.substr(0, p.rfind('/'))) {
    if (const auto it = lines.find(p); it != lines.end()) return it->second;
    if (p.empty()) return 1;
  }
}

std::string toText(const models::GateResult& r, const std::string& file, const std::map<std::string, int>& lines) {
  std::ostringstream o;
  o << "Thornwood check: " << file << "\n";
  for (const auto& c : r.checks) {
    o << "  " << verdict(c) << "  " << c.rule << " " << c.name << ": " << c.title << "\n";
    for (const auto& f : c.findings) o << "        " << where(f, file, lines) << ": " << models::toString(f.level) << ": " << f.message << "\n";
  }
  const std::size_t failed = failures(r);
  o << (failed == 0 ? "Result: passed" : "Result: FAILED") << " (" << failed << " of " << r.checks.size() << " checks failed, "
    << skipped(r) << " not run)\n";
  return o.str();
}

json toJson(const models::GateResult& r, const std::string& file, const std::map<std::string, int>& lines) {
  json out;
  out["thornwood_version"] = THORNWOOD_VERSION;
  out["file"] = file;
  out["passed"] = r.passed();
  json checks = json::array();
  for (const auto& c : r.checks) {
    json jc{{"rule", c.rule}, {"name", c.name}, {"title", c.title}, {"run", c.run}, {"passed", c.passed}};
    json findings = json::array();
    for (const auto& f : c.findings) {
      findings.push_back({{"level", std::string(models::toString(f.level))}, {"message", f.message}, {"pointer", f.pointer},
                          {"line", lineOf(f, lines)}});
    }
    jc["findings"] = std::move(findings);
    checks.push_back(std::move(jc));
  }
  out["checks"] = std::move(checks);
  return out;
}

json toSarif(const models::GateResult& r, const std::string& file, const std::map<std::string, int>& lines) {
  json rules = json::array();
  for (const auto& c : r.checks) {
    rules.push_back({{"id", c.rule},
                     {"name", c.name},
                     {"shortDescription", {{"text", c.title}}},
                     {"defaultConfiguration", {{"level", "error"}}},
                     {"properties", {{"tags", {"thornwood", "risk"}}}}});
  }
  json results = json::array();
  for (std::size_t i = 0; i < r.checks.size(); ++i) {
    for (const auto& f : r.checks[i].findings) {
      json location{{"physicalLocation",
                     {{"artifactLocation", {{"uri", file}, {"index", 0}}}, {"region", {{"startLine", lineOf(f, lines)}}}}}};
      if (!f.pointer.empty()) location["logicalLocations"] = json::array({{{"fullyQualifiedName", f.pointer}, {"kind", "object"}}});
      results.push_back({{"ruleId", r.checks[i].rule},
                         {"ruleIndex", i},
                         {"level", std::string(models::toString(f.level))},
                         {"message", {{"text", f.message}}},
                         {"locations", json::array({location})},
                         {"partialFingerprints", {{"thornwoodFinding/v1", r.checks[i].rule + ":" + f.pointer + ":" + f.message}}}});
    }
  }
  json run{{"tool", {{"driver", {{"name", "Thornwood"}, {"version", THORNWOOD_VERSION}, {"rules", rules}}}}},
           {"artifacts", json::array({{{"location", {{"uri", file}}}}})},
           {"invocations", json::array({{{"executionSuccessful", true}}})},
           {"results", results}};
  return json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

std::string toJUnit(const models::GateResult& r, const std::string& file, const std::map<std::string, int>& lines) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "thornwood check";
  suites.append_attribute("tests") = static_cast<unsigned>(r.checks.size());
  suites.append_attribute("failures") = static_cast<unsigned>(failures(r));
  suites.append_attribute("skipped") = static_cast<unsigned>(skipped(r));
  auto suite = suites.append_child("testsuite");
  suite.append_attribute("name") = file.c_str();
  suite.append_attribute("tests") = static_cast<unsigned>(r.checks.size());
  suite.append_attribute("failures") = static_cast<unsigned>(failures(r));
  suite.append_attribute("skipped") = static_cast<unsigned>(skipped(r));
  for (const auto& c : r.checks) {
    auto tc = suite.append_child("testcase");
    tc.append_attribute("classname") = "thornwood.check";
    tc.append_attribute("name") = (c.rule + " " + c.name + ": " + c.title).c_str();
    if (!c.run && c.passed) {
      tc.append_child("skipped").append_attribute("message") = "not configured or not run";
      continue;
    }
    if (c.passed) continue;
    std::string details;
    std::size_t errors = 0;
    for (const auto& f : c.findings) {
      details += where(f, file, lines) + ": " + std::string(models::toString(f.level)) + ": " + f.message + "\n";
      errors += f.level == models::FindingLevel::Error ? 1 : 0;
    }
    auto failure = tc.append_child("failure");
    failure.append_attribute("type") = c.rule.c_str();
    failure.append_attribute("message") = (std::to_string(errors) + " finding(s)").c_str();
    failure.append_child(pugi::node_pcdata).set_value(details.c_str());
  }
  std::ostringstream o;
  doc.save(o, "  ", pugi::format_default, pugi::encoding_utf8);
  return o.str();
}

}  // namespace thornwood::exporters
