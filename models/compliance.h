#pragma once

// Compliance (issue #7): the baselines' requirements as catalogues compiled into Thornwood
// (resources/compliance/), a project's choice of baselines, and its coverage: for each
// requirement of each selected baseline, whether an implemented or verified mitigation
// serves it (met), only proposed or planned ones do (planned, which is not met), none does
// (a gap), or it does not apply (with the justification the project gives).

#include <map>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"

namespace thornwood::models {

/// A link to a related requirement that a published source states (the cross-walk in
/// resources/compliance/crosswalk.json; none claims equivalence). The other side may be a
/// baseline Thornwood has no catalogue of (OWASP IoT Top 10 2018, ETSI TS 103 645 V1.1.1).
struct CrossLink {
  std::string baseline;
  std::string requirement;
  std::string relation;  ///< how the source presents the link
  std::string source;
};

struct CatalogueRequirement {
  std::string id;
  std::string title;
  std::string summary;  ///< our own one-sentence paraphrase, never the standard's text
  std::string category;
  /// The requirement's status by edition where the baseline states one ("M", "R",
  /// "M C(1)", ...); absent where the edition has no status for it.
  std::map<std::string, std::string> status;
  std::vector<std::string> editions;  ///< editions that have it; empty: every edition
  std::vector<CrossLink> related;     ///< in the cross-walk's order, links from either side
};

struct Catalogue {
  std::string id;  ///< e.g. "etsi-en-303-645"
  std::string title;
  std::string version;
  std::vector<std::string> editions;  ///< e.g. V2.1.1 and V3.1.3; empty: one edition
  std::vector<CatalogueRequirement> requirements;

  const CatalogueRequirement* find(const std::string& requirement) const;
  /// The requirements of an edition (all of them when the baseline has no editions).
  std::vector<const CatalogueRequirement*> requirementsOf(const std::string& edition) const;
};

/// The built-in catalogues, sorted by id; read once, on first use.
const std::vector<Catalogue>& catalogues();
const Catalogue* findCatalogue(const std::string& id);

/// A status as a baseline writes it ("M", "R C(12)", "M F(a)") in words: "mandatory",
/// "recommended, conditional", "mandatory, if the feature is present"; empty for none.
std::string describeStatus(const std::string& code);

enum class RequirementState { Met, Planned, Gap, NotApplicable };
std::string_view toString(RequirementState state);
/// The state in words, for people: "met", "planned, not met", "gap", "not applicable".
std::string_view describe(RequirementState state);

struct RequirementCoverage {
  const CatalogueRequirement* requirement = nullptr;
  std::string status;  ///< in the selected edition: "M", "R", "M C(1)", ...; may be empty
  RequirementState state = RequirementState::Gap;
  std::vector<std::string> mitigations;  ///< every mitigation that serves it, in project order
  std::string justification;             ///< of a requirement that does not apply
  std::vector<std::string> threats;      ///< threats those mitigations address
  std::vector<std::string> hazards;      ///< hazards those mitigations address
};

struct BaselineCoverage {
  std::string baseline;
  std::string title;
  std::string edition;
  std::vector<RequirementCoverage> requirements;  ///< in the catalogue's order
  std::size_t met = 0, planned = 0, gaps = 0, notApplicable = 0;
  /// Met among those that apply; 1 when none applies.
  double share() const;
};

/// Coverage of every baseline the project selects, in the project's order. Selections that
/// validation refuses (unknown baseline or edition) are left out.
std::vector<BaselineCoverage> coverage(const Project& project);

/// The compliance problems of a project, each at its JSON pointer: unknown or repeated
/// baselines, a missing or unknown edition, a not-applicable entry for an unknown
/// requirement or without a justification, and mitigations citing requirements that the
/// catalogues do not have.
std::vector<core::Diagnostic> validateCompliance(const Project& project, const std::string& file);

}  // namespace thornwood::models
