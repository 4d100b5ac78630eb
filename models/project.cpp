#include "models/project.h"

namespace thornwood::models {

namespace {

template <class Level>
std::optional<std::size_t> indexOf(const std::vector<Level>& levels, const std::string& id) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace

bool inPlace(const Mitigation& m) {
  return m.status == MitigationStatus::Implemented || m.status == MitigationStatus::Verified;
}

RiskMatrix RiskMatrix::standard() {
  RiskMatrix m;
  // Probability bands of MIL-STD-882E table A-II (over the item's life or the mission).
  m.likelihoods = {{"improbable", "Improbable", 1e-6},
                   {"remote", "Remote", 1e-3},
                   {"occasional", "Occasional", 1e-2},
                   {"probable", "Probable", 1e-1},
                   {"frequent", "Frequent", 1.0}};
  // Five severities as ISO 14971 annex examples use them.
  m.severities = {{"negligible", "Negligible"},
                  {"minor", "Minor"},
                  {"serious", "Serious"},
                  {"critical", "Critical"},
                  {"catastrophic", "Catastrophic"}};
  // The four risk levels of MIL-STD-882E; low and medium are acceptable (medium with review).
  m.classes = {{"low", "Low", true}, {"medium", "Medium", true}, {"serious", "Serious", false}, {"high", "High", false}};
  m.cells = {{"low", "low", "medium", "medium", "medium"},
             {"low", "medium", "medium", "medium", "serious"},
             {"low", "medium", "medium", "serious", "high"},
             {"medium", "medium", "serious", "high", "high"},
             {"medium", "serious", "serious", "high", "high"}};
  return m;
}

std::optional<std::size_t> RiskMatrix::likelihoodIndex(const std::string& id) const {
  return indexOf(likelihoods, id);
}
std::optional<std::size_t> RiskMatrix::severityIndex(const std::string& id) const { return indexOf(severities, id); }
std::optional<std::size_t> RiskMatrix::classIndex(const std::string& id) const { return indexOf(classes, id); }

std::optional<std::size_t> RiskMatrix::classOf(const Rating& r) const {
  const auto l = likelihoodIndex(r.likelihood);
  const auto s = severityIndex(r.severity);
  if (!l || !s || *l >= cells.size() || *s >= cells[*l].size()) return std::nullopt;
  return classIndex(cells[*l][*s]);
}

std::optional<std::size_t> RiskMatrix::likelihoodForProbability(double p) const {
  for (std::size_t i = 0; i < likelihoods.size(); ++i) {
    if (!likelihoods[i].maxProbability) return std::nullopt;
    if (p <= *likelihoods[i].maxProbability) return i;
  }
  return std::nullopt;
}

}  // namespace thornwood::models
