#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/logic_graph.h"

namespace thornwood::test {

/// ../shared beside the repository, or empty when this clone has none.
std::optional<std::filesystem::path> sharedDir();

/// 1 - prod(1 - p): the probability that any of independent events happens (an OR), as
/// one computes it by hand.
double anyOf(std::initializer_list<double> ps);

/// Cut sets as sets of names, the way a reader writes them down.
using Sets = std::set<std::set<std::string>>;
Sets namesOf(const core::LogicGraph& g, const std::vector<std::vector<core::NodeId>>& list);

/// |value - stated| within `units` (half, by default) of a unit in the last printed digit of
/// `stated`, which is written with `digits` significant digits.
bool withinPrinted(double value, double stated, int digits, double units = 0.5);

/// Significant digits in the shortest decimal form of v (as JSON prints it).
int significantDigits(const std::string& text);

/// 1 to 8 seeded random edits of `text`: a byte replaced from `alphabet`, a run deleted, or a
/// piece of the text copied elsewhere. For tests that hostile input never crashes a reader.
std::string mutate(const std::string& text, std::mt19937& rng, const std::string& alphabet);

/// The value of node `n` when each variable v is value[v], straight from the definitions of
/// the connectives: the engine's answers are checked against it, never computed by it.
bool evaluate(const core::LogicGraph& g, core::NodeId n, const std::vector<bool>& value);

}  // namespace thornwood::test
