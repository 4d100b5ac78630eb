#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/bdd.h"

namespace thornwood::core {

struct SiftOptions {
  /// A variable stops moving in one direction once the diagrams have grown past this
  /// factor of the smallest size seen during its move (Rudell's bound; CUDD uses 1.2).
  double maxGrowth = 1.2;
  /// At most this many adjacent-level swaps in one call, whatever is left to sift.
  std::size_t maxSwaps = 20'000'000;
  /// A move also stops once the levels it can still shrink could not bring the diagrams
  /// below the best size seen (Rudell's lower bound). This skips only positions that
  /// cannot win, so the order found is the same; off only to check exactly that.
  bool lowerBounds = true;
  /// Another thread sets it to stop sifting between two variables; the order reached so far
  /// is kept (every order is valid).
  const std::atomic<bool>* cancel = nullptr;
};

struct SiftResult {
  /// newLevel[old level]: where each level of the diagram went.
  std::vector<std::uint32_t> newLevel;
  std::size_t nodesBefore = 0;
  std::size_t nodesAfter = 0;
  std::size_t swaps = 0;
};

/// Dynamic variable reordering by sifting (Rudell 1993): each level in turn, the most
/// populated first, is moved through every position by swaps of adjacent levels, and left
/// where the diagrams reachable from `roots` were smallest. Functions are unchanged; only
/// the order of their variables moves. `levels` is the number of levels in use (variables
/// 0..levels-1). On return `roots` hold the same functions in the new order, every other
/// edge into `bdd` is invalid, and the computed table is empty.
SiftResult sift(Bdd& bdd, std::vector<Edge>& roots, std::uint32_t levels,
                const SiftOptions& options = {});

}  // namespace thornwood::core
