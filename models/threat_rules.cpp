#include "models/threat_rules.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "models/detail/embedded.h"
#include "models/detail/json_reader.h"
#include "models/names.h"

namespace thornwood::models {

namespace {

using detail::child;
using detail::Need;
using detail::Reader;

constexpr std::string_view kRulesFormat = "thornwood-rules";

void readRule(Reader& r, const Json& j, const std::string& at, Rule& rule, std::vector<core::Diagnostic>& out,
              const std::string& file) {
  if (!r.object(j, at,
                {"id", "title", "description", "category", "element", "applies", "mitigated_by", "fallback",
                 "likelihood", "impact", "mitigations", "capec", "cwe", "requirements", "examples"})) {
    return;
  }
  if (const Json* examples = r.field(j, at, "examples", Need::Optional)) rule.examples = *examples;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  rule.file = file;
  rule.pointer = at;
  r.text(j, at, "id", rule.id, req);
  r.text(j, at, "title", rule.title, req);
  r.text(j, at, "description", rule.description, opt);
  r.choice(j, at, "category", rule.category, req);
  std::string element;
  r.text(j, at, "element", element, req);
  if (element == "component") rule.subject = RuleSubject::Component;
  else if (element == "flow") rule.subject = RuleSubject::Flow;
  else if (element == "zone") rule.subject = RuleSubject::Zone;
  else if (!element.empty()) r.problem(child(at, "element"), "\"" + element + "\" is not one of component, flow, zone");
  r.flag(j, at, "fallback", rule.fallback, opt);
  r.text(j, at, "likelihood", rule.likelihood, req);
  r.text(j, at, "impact", rule.impact, req);
  r.strings(j, at, "mitigations", rule.mitigations, opt);
  r.strings(j, at, "capec", rule.capec, opt);
  r.strings(j, at, "cwe", rule.cwe, opt);
  r.list(j, at, "requirements", rule.requirements, opt,
         [&](const Json& q, const std::string& p, RequirementRef& ref) { detail::readRequirement(r, q, p, ref); });
  auto condition = [&](const char* key, Need need) -> std::optional<Condition> {
    std::string text;
    r.text(j, at, key, text, need);
    if (text.empty()) return std::nullopt;
    auto parsed = Condition::parse(text, rule.subject);
    if (parsed) return std::move(*parsed);
    core::Diagnostic d = parsed.error();
    d.file = file;
    d.problem = "rule \"" + rule.id + "\": " + d.place + ": " + d.problem;
    d.place = child(at, key);
    out.push_back(std::move(d));
    return std::nullopt;
  };
  if (auto applies = condition("applies", req)) rule.applies = std::move(*applies);
  rule.mitigatedBy = condition("mitigated_by", opt);
}

std::string readFile(const std::string& path, std::vector<core::Diagnostic>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.push_back(core::error(core::ErrorCode::Io, "", "cannot open rule file"));
    out.back().file = path;
    return {};
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The text of a new threat's title: the rule's title with "{name}" replaced.
std::string titleFor(const Rule& rule, const std::string& name) {
  std::string title = rule.title;
  for (std::size_t at = title.find("{name}"); at != std::string::npos; at = title.find("{name}", at + name.size())) {
    title.replace(at, 6, name);
  }
  return title;
}

std::string level(const std::vector<LikelihoodLevel>& levels, const std::string& wanted) {
  for (const auto& l : levels) {
    if (l.id == wanted) return wanted;
  }
  return levels.empty() ? wanted : levels[levels.size() / 2].id;
}

std::string severity(const std::vector<SeverityLevel>& levels, const std::string& wanted) {
  for (const auto& l : levels) {
    if (l.id == wanted) return wanted;
  }
  return levels.empty() ? wanted : levels[levels.size() / 2].id;
}

std::string autoJustification(const Rule& rule) {
  return "The design satisfies rule " + rule.id + ": " + (rule.mitigatedBy ? rule.mitigatedBy->text() : std::string());
}

}  // namespace

RuleLoadOutcome parseRules(std::string_view text, const std::string& file) {
  RuleLoadOutcome out;
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::exception& e) {
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    out.diagnostics.push_back(core::error(core::ErrorCode::Malformed, "", "not JSON: " + what));
    out.diagnostics.back().file = file;
    return out;
  }
  Reader r(file, out.diagnostics);
  if (!r.object(doc, "", {"format", "format_version", "description", "source", "rules"})) return out;
  std::string format;
  r.text(doc, "", "format", format, Need::Required);
  if (!format.empty() && format != kRulesFormat) r.problem("/format", "not a rule file: \"format\" must be \"thornwood-rules\"");
  int version = 0;
  r.integer(doc, "", "format_version", version, Need::Required);
  if (version > 1) {
    out.diagnostics.push_back(core::error(core::ErrorCode::Unsupported, "/format_version",
                                          "rule format version " + std::to_string(version) + " is newer than this Thornwood reads"));
    out.diagnostics.back().file = file;
    return out;
  }
  RuleSet set;
  std::vector<core::Diagnostic> conditionProblems;
  r.list(doc, "", "rules", set.rules, Need::Required,
         [&](const Json& j, const std::string& at, Rule& rule) { readRule(r, j, at, rule, conditionProblems, file); });
  out.diagnostics.insert(out.diagnostics.end(), conditionProblems.begin(), conditionProblems.end());
  RuleSet none;
  const auto duplicates = addRules(none, set);
  out.diagnostics.insert(out.diagnostics.end(), duplicates.begin(), duplicates.end());
  if (out.diagnostics.empty()) out.rules = std::move(none);
  return out;
}

RuleLoadOutcome loadRules(const std::string& path) {
  RuleLoadOutcome out;
  const std::string text = readFile(path, out.diagnostics);
  if (!out.diagnostics.empty()) return out;
  return parseRules(text, path);
}

RuleLoadOutcome builtinRules() {
  RuleLoadOutcome out;
  RuleSet all;
  for (std::size_t i = 0; i < detail::kBuiltinRuleFileCount; ++i) {
    const detail::EmbeddedFile& f = detail::kBuiltinRuleFiles[i];
    RuleLoadOutcome one =
        parseRules(std::string_view(reinterpret_cast<const char*>(f.data), f.size), std::string("resources/rules/") + f.name);
    out.diagnostics.insert(out.diagnostics.end(), one.diagnostics.begin(), one.diagnostics.end());
    if (one.rules) {
      const auto clashes = addRules(all, *one.rules);
      out.diagnostics.insert(out.diagnostics.end(), clashes.begin(), clashes.end());
    }
  }
  if (out.diagnostics.empty()) out.rules = std::move(all);
  return out;
}

std::vector<core::Diagnostic> addRules(RuleSet& into, const RuleSet& more) {
  std::vector<core::Diagnostic> out;
  std::map<std::string, std::string> known;  // id -> "file:pointer" of its first definition
  for (const Rule& r : into.rules) known.emplace(r.id, r.file + ":" + r.pointer);
  for (const Rule& r : more.rules) {
    const auto [it, inserted] = known.emplace(r.id, r.file + ":" + r.pointer);
    if (!inserted) {
      core::Diagnostic d = core::error(core::ErrorCode::Malformed, r.pointer + "/id",
                                       "rule id \"" + r.id + "\" is already used at " + it->second);
      d.file = r.file;
      out.push_back(std::move(d));
      continue;
    }
    into.rules.push_back(r);
  }
  return out;
}

std::vector<Finding> runRules(const RuleSet& rules, const Project& project) {
  const RuleContext context(project);
  std::vector<std::vector<Finding>> byRule(rules.rules.size());
  // (element, category) pairs some specific rule found, for the fallbacks.
  std::set<std::pair<std::string, Stride>> covered;
  auto elements = [&project](RuleSubject s) -> std::size_t {
    switch (s) {
      case RuleSubject::Component: return project.system.components.size();
      case RuleSubject::Flow: return project.system.flows.size();
      case RuleSubject::Zone: return project.system.zones.size();
    }
    return 0;
  };
  auto identity = [&project](RuleSubject s, std::size_t i) -> std::pair<const std::string*, const std::string*> {
    switch (s) {
      case RuleSubject::Component: return {&project.system.components[i].id, &project.system.components[i].name};
      case RuleSubject::Flow: return {&project.system.flows[i].id, &project.system.flows[i].name};
      case RuleSubject::Zone: return {&project.system.zones[i].id, &project.system.zones[i].name};
    }
    return {nullptr, nullptr};
  };
  for (const bool fallbacks : {false, true}) {
    for (std::size_t r = 0; r < rules.rules.size(); ++r) {
      const Rule& rule = rules.rules[r];
      if (rule.fallback != fallbacks) continue;
      const std::size_t n = elements(rule.subject);
      for (std::size_t i = 0; i < n; ++i) {
        const auto [id, name] = identity(rule.subject, i);
        if (fallbacks && covered.count({*id, rule.category})) continue;
        if (!rule.applies.holds(context, i)) continue;
        const bool mitigated = rule.mitigatedBy && rule.mitigatedBy->holds(context, i);
        byRule[r].push_back(Finding{&rule, *id, *name, mitigated});
        if (!fallbacks) covered.insert({*id, rule.category});
      }
    }
  }
  std::vector<Finding> out;
  for (auto& findings : byRule) out.insert(out.end(), findings.begin(), findings.end());
  return out;
}

std::vector<core::Diagnostic> checkExamples(const Rule& rule) {
  std::vector<core::Diagnostic> out;
  auto problem = [&](const std::string& where, const std::string& text) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, rule.pointer + "/examples" + where,
                                     "rule \"" + rule.id + "\": " + text);
    d.file = rule.file;
    out.push_back(std::move(d));
  };
  if (!rule.examples.is_object() || !rule.examples.contains("element") || !rule.examples["element"].is_string()) {
    problem("", "has no examples (\"element\", \"fires\", \"mitigated\")");
    return out;
  }
  const std::string element = rule.examples["element"].get<std::string>();
  RuleSet one;
  one.rules.push_back(rule);
  for (const char* which : {"fires", "mitigated"}) {
    if (!rule.examples.contains(which)) {
      problem("", std::string("has no \"") + which + "\" example");
      continue;
    }
    Json doc = Json::object();
    doc["format"] = "thornwood";
    doc["format_version"] = 1;
    doc["project"] = Json{{"name", "example"}};
    doc["system"] = rule.examples[which];
    ReadOutcome read = fromJson(doc, rule.file);
    if (!read.project) {
      problem(std::string("/") + which, "the example is not a valid system: " + read.diagnostics.front().place + ": " +
                                            read.diagnostics.front().problem);
      continue;
    }
    bool fired = false;
    for (const Finding& f : runRules(one, *read.project)) {
      if (f.element == element && !f.mitigated) fired = true;
    }
    const bool wanted = std::string(which) == "fires";
    if (fired != wanted) {
      problem(std::string("/") + which, wanted ? "does not fire on \"" + element + "\" in its \"fires\" example"
                                               : "still fires on \"" + element + "\" in its \"mitigated\" example");
    }
  }
  return out;
}

MergeSummary mergeFindings(Project& project, const std::vector<Finding>& findings, const RuleSet& rules) {
  MergeSummary summary;
  std::map<std::pair<std::string, std::string>, std::size_t> byKey;  // (rule, target) -> threat
  std::set<std::string> ids;
  for (std::size_t t = 0; t < project.threats.size(); ++t) {
    ids.insert(project.threats[t].id);
    if (!project.threats[t].rule.empty()) byKey.emplace(std::make_pair(project.threats[t].rule, project.threats[t].target), t);
  }
  std::set<std::pair<std::string, std::string>> found;
  for (const Finding& f : findings) {
    const Rule& rule = *f.rule;
    const auto key = std::make_pair(rule.id, f.element);
    found.insert(key);
    if (const auto it = byKey.find(key); it != byKey.end()) {
      Threat& t = project.threats[it->second];
      ++summary.kept;
      if (t.obsolete) {
        t.obsolete = false;
        ++summary.revived;
      }
      if (f.mitigated && t.status == ThreatStatus::Open) {
        t.status = ThreatStatus::Mitigated;
        t.autoStatus = true;
        if (t.justification.empty()) t.justification = autoJustification(rule);
        ++summary.autoMitigated;
      } else if (!f.mitigated && t.autoStatus && t.status == ThreatStatus::Mitigated) {
        t.status = ThreatStatus::Open;
        t.autoStatus = false;
        if (t.justification == autoJustification(rule)) t.justification.clear();
        ++summary.reopened;
      }
      continue;
    }
    Threat t;
    std::string id = rule.id + "." + f.element;
    for (int n = 2; ids.count(id); ++n) id = rule.id + "." + f.element + "." + std::to_string(n);
    ids.insert(id);
    t.id = id;
    t.title = titleFor(rule, f.elementName.empty() ? f.element : f.elementName);
    t.description = rule.description;
    t.category = rule.category;
    t.target = f.element;
    t.rule = rule.id;
    t.likelihood = level(project.riskMatrix.likelihoods, rule.likelihood);
    t.impact = severity(project.riskMatrix.severities, rule.impact);
    t.capec = rule.capec;
    t.cwe = rule.cwe;
    if (f.mitigated) {
      t.status = ThreatStatus::Mitigated;
      t.autoStatus = true;
      t.justification = autoJustification(rule);
    }
    project.threats.push_back(std::move(t));
    ++summary.added;
  }
  std::set<std::string> ran;
  for (const Rule& r : rules.rules) ran.insert(r.id);
  for (Threat& t : project.threats) {
    if (t.rule.empty() || !ran.count(t.rule) || found.count({t.rule, t.target}) || t.obsolete) continue;
    t.obsolete = true;
    ++summary.obsoleted;
  }
  return summary;
}

}  // namespace thornwood::models
