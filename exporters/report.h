#pragma once

// The report a compliance reviewer reads (issue #7), gathered once and written as one
// self-contained HTML file (inline CSS and SVG, no script, nothing fetched), as the HTML that
// the PDF exporter lays out with Qt (exporters/pdf), and as CSV tables. Sections: summary;
// system diagram and data flows; threats by element and STRIDE; attack trees with the
// attacker's optima, scenarios and the cheapest blocking mitigations; fault trees with their
// probability and top cut sets; the hazard log with the risk matrices before and after; the
// resilience view (mitigations by phase); the compliance matrix of each baseline, gaps
// first; an appendix with the model's settings, the file's SHA-256 and Thornwood's version.
// No clock is read: the same project gives the same bytes unless a time is asked for.

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "models/attack_analysis.h"
#include "models/compliance.h"
#include "models/gate.h"
#include "models/project.h"
#include "models/project_analysis.h"

namespace thornwood::exporters {

struct ReportOptions {
  /// Baselines to report on, by id; empty: every baseline the project selects.
  std::vector<std::string> baselines;
  /// Shown on the title page when not empty (the caller formats it); no clock otherwise.
  std::string generatedAt;
  std::size_t topCutSets = 10;    ///< per fault tree, most probable first
  std::size_t topScenarios = 10;  ///< per attack tree, cheapest first
  /// Set by another thread to stop; building then fails with ErrorCode::Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct AttackSection {
  std::string tree;
  std::optional<models::AttackAnalysis> before;  ///< no mitigation
  std::optional<models::AttackAnalysis> after;   ///< the mitigations in place
  std::optional<models::DefencePlan> plan;       ///< the cheapest set that blocks every scenario
  std::vector<core::Diagnostic> notes;           ///< what could not be computed, and why
  std::string svg;  ///< the tree, the attacker's cheapest scenario (in place) marked
};

struct FaultSection {
  std::string tree;
  std::string svg;  ///< the tree, its most probable cut set (in place) marked
};

struct Report {
  models::Project project;
  std::string file;         ///< as given, for the title page
  std::string modelSha256;  ///< of the model file's bytes; empty when not given
  ReportOptions options;
  models::ProjectAnalysis analysis;
  std::vector<models::BaselineCoverage> coverage;  ///< the baselines reported on
  models::GateResult gate;                           ///< the CI gate with the project's thresholds
  std::string systemSvg;
  std::vector<AttackSection> attacks;  ///< in the project's order
  std::vector<FaultSection> faults;    ///< in the project's order
  std::vector<core::Diagnostic> notes;  ///< validation warnings and analysis notes
};

/// Analyses the project and draws its diagrams. A project with validation errors, a
/// baseline that is not selected, or a cancel gives an error and no report.
core::Result<Report> buildReport(models::Project project, std::string file, std::string modelSha256,
                                 const ReportOptions& options = {});

enum class HtmlFlavour {
  Browser,  ///< the file a reviewer opens: full CSS, print rules, inline SVG
  Qt,       ///< for QTextDocument (the PDF): its CSS subset, drawings as <img src="diagram:N">
            ///< (N indexes drawings()), and page numbers left as kPageMarker + anchor + kEndMarker
};

/// The page-number placeholders of the Qt flavour's table of contents: escaping drops
/// control characters from user strings, so no user text can contain them.
inline constexpr char kPageMarker = '\x01';
inline constexpr char kEndMarker = '\x02';

std::string toHtml(const Report& report, HtmlFlavour flavour = HtmlFlavour::Browser);

/// The drawings of the report in the order the Qt flavour numbers them.
std::vector<const std::string*> drawings(const Report& report);

/// The report's tables for spreadsheets and trackers (RFC 4180: CRLF line ends, fields
/// quoted where needed; a field that a spreadsheet would run as a formula, starting with
/// = + - @, tab or CR, gets a leading apostrophe).
std::string threatsCsv(const Report& report);
std::string mitigationsCsv(const Report& report);
std::string hazardsCsv(const Report& report);
std::string requirementsCsv(const Report& report);

/// The names of the CSV tables, in the order a bundle writes them.
inline constexpr std::string_view kCsvTables[] = {"threats", "mitigations", "hazards", "requirements"};
/// The table of that name (one of kCsvTables); nothing for another name.
std::optional<std::string> csvTable(const Report& report, std::string_view table);

}  // namespace thornwood::exporters
