#include "support.h"

#include <cctype>
#include <cmath>

namespace thornwood::test {

std::optional<std::filesystem::path> sharedDir() {
  const std::filesystem::path p(THORNWOOD_SHARED_DIR);
  if (std::filesystem::exists(p / "benchmarks")) return p;
  return std::nullopt;
}

Sets namesOf(const core::LogicGraph& g, const std::vector<std::vector<core::NodeId>>& list) {
  Sets out;
  for (const auto& set : list) {
    std::set<std::string> names;
    for (core::NodeId v : set) names.insert(g.name(v));
    out.insert(names);
  }
  return out;
}

bool withinPrinted(double value, double stated, int digits, double units) {
  if (stated == 0.0) return std::fabs(value) < 1e-300;
  const double exponent = std::floor(std::log10(std::fabs(stated)));
  const double tolerance = units * std::pow(10.0, exponent - (digits - 1));
  return std::fabs(value - stated) <= tolerance * (1 + 1e-9);
}

int significantDigits(const std::string& text) {
  int digits = 0;
  bool started = false;
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (!std::isdigit(static_cast<unsigned char>(c))) continue;
    if (c != '0') started = true;
    if (started) ++digits;
  }
  // Trailing zeros of an integer mantissa are not significant; ours never end in zeros.
  return digits == 0 ? 1 : digits;
}

std::string mutate(const std::string& original, std::mt19937& rng, const std::string& alphabet) {
  std::string text = original;
  const int edits = std::uniform_int_distribution<int>(1, 8)(rng);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0:
        text[at] = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
        break;
      case 1:
        text.erase(at, std::uniform_int_distribution<std::size_t>(1, 40)(rng));
        break;
      default:
        text.insert(at, text.substr(at / 2, std::uniform_int_distribution<std::size_t>(1, 60)(rng)));
    }
  }
  return text;
}

double anyOf(std::initializer_list<double> ps) {
  double none = 1;
  for (double p : ps) none *= 1 - p;
  return 1 - none;
}

bool evaluate(const core::LogicGraph& g, core::NodeId n, const std::vector<bool>& value) {
  using namespace core;
  switch (g.kind(n)) {
    case NodeKind::Variable:
      return value[n];
    case NodeKind::Constant:
      return g.constantValue(n);
    case NodeKind::Gate:
      break;
  }
  const Gate& gate = g.gate(n);
  int trues = 0;
  std::vector<bool> in;
  for (NodeId c : gate.children) {
    in.push_back(evaluate(g, c, value));
    trues += in.back() ? 1 : 0;
  }
  const int size = static_cast<int>(in.size());
  switch (gate.kind) {
    case GateKind::And:
    case GateKind::Inhibit:
      return trues == size;
    case GateKind::Or:
      return trues > 0;
    case GateKind::AtLeast:
      return trues >= gate.min;
    case GateKind::Not:
      return !in[0];
    case GateKind::Null:
      return in[0];
    case GateKind::Xor:
      return trues % 2 == 1;
    case GateKind::Nand:
      return trues < size;
    case GateKind::Nor:
      return trues == 0;
    case GateKind::Iff:
      return in[0] == in[1];
    case GateKind::Imply:
      return !in[0] || in[1];
    case GateKind::Cardinality:
      return trues >= gate.min && trues <= gate.max;
  }
  return false;
}

}  // namespace thornwood::test
