#pragma once

// Threat rules: data (JSON rule files, docs/rules.md), not code. A rule names the kind of
// element it looks at, the condition under which the threat applies, and a separate
// condition under which the design already mitigates it. Running the rules over a project
// gives findings; merging them into the project's threats keeps everything the user wrote.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"
#include "models/project_json.h"
#include "models/rule_language.h"

namespace thornwood::models {

struct Rule {
  std::string id;
  std::string title;  ///< "{name}" stands for the element's name
  std::string description;
  Stride category = Stride::Spoofing;
  RuleSubject subject = RuleSubject::Component;
  Condition applies;
  std::optional<Condition> mitigatedBy;
  /// A fallback (the generic STRIDE-per-element rules) fires on an element only when no
  /// other rule of the same category does.
  bool fallback = false;
  std::string likelihood;  ///< default rating of new threats (risk matrix level ids)
  std::string impact;
  std::vector<std::string> mitigations;  ///< suggested, as text
  std::vector<std::string> capec;
  std::vector<std::string> cwe;
  std::vector<RequirementRef> requirements;
  /// Minimal systems on which the rule fires and does not (`{"element", "fires", "mitigated"}`),
  /// run by the tests and by `thornwood-cli threats --check-rules`; null when absent.
  Json examples;
  std::string file;     ///< where the rule was read, for messages
  std::string pointer;  ///< its JSON pointer in that file
};

struct RuleSet {
  std::vector<Rule> rules;
};

struct RuleLoadOutcome {
  std::optional<RuleSet> rules;  ///< set when no rule has an error
  std::vector<core::Diagnostic> diagnostics;
};

/// Reads a rule file (`{"format": "thornwood-rules", "format_version": 1, "rules": [...]}`).
/// A condition's syntax error names the file, the rule id and the column:
/// `iot.json:/rules/3/applies: rule "IOT-T04": column 17: unknown field "secure_bot" ...`.
RuleLoadOutcome parseRules(std::string_view text, const std::string& file);
RuleLoadOutcome loadRules(const std::string& path);

/// The rule files built into Thornwood (resources/rules/), in file-name order.
RuleLoadOutcome builtinRules();

/// Adds `more`'s rules to `into`; a rule id used twice is an error naming both places.
std::vector<core::Diagnostic> addRules(RuleSet& into, const RuleSet& more);

/// Runs a rule on its own examples: it must apply, not mitigated, to the example element in
/// "fires", and must not apply unmitigated to it in "mitigated". Every problem names the rule.
std::vector<core::Diagnostic> checkExamples(const Rule& rule);

struct Finding {
  const Rule* rule = nullptr;
  std::string element;     ///< the element's id
  std::string elementName;
  bool mitigated = false;  ///< the rule's mitigated-by condition holds
};

/// Every (rule, element) where the rule applies, in rule order then element order. Findings
/// point into `rules`, which must outlive them.
std::vector<Finding> runRules(const RuleSet& rules, const Project& project);

struct MergeSummary {
  std::size_t added = 0;          ///< new threats
  std::size_t kept = 0;           ///< threats found again (user fields untouched)
  std::size_t autoMitigated = 0;  ///< open threats the design now satisfies
  std::size_t reopened = 0;       ///< rule-mitigated threats the design no longer satisfies
  std::size_t obsoleted = 0;      ///< threats whose rule no longer applies (kept, marked)
  std::size_t revived = 0;        ///< obsolete threats whose rule applies again
};

/// Brings the project's rule-made threats up to date with `findings`. A threat is matched by
/// (rule, target), so the user's id, title, status, justification, ratings and links stay.
/// New threats get the id "<rule>.<element>", the rule's ratings and references, and the
/// status mitigated (marked auto_status) when the design satisfies the rule. A status set
/// by a person is never changed; one set by the rules follows the design. A threat whose
/// rule no longer applies is marked obsolete, never deleted. Manual threats are untouched.
MergeSummary mergeFindings(Project& project, const std::vector<Finding>& findings, const RuleSet& rules);

}  // namespace thornwood::models
