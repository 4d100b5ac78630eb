#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/detail/huge_pages.h"

namespace thornwood::core {

/// An edge into the BDD: node index shifted left by one, low bit = complement mark.
/// Node 0 is the single terminal (true); false is its complement.
using Edge = std::uint32_t;
inline constexpr Edge kTrue = 0;
inline constexpr Edge kFalse = 1;
inline constexpr std::uint32_t kTerminalVar = 0xffffffffu;

constexpr Edge negate(Edge e) {
  return e ^ 1u;
}
constexpr bool isComplement(Edge e) {
  return (e & 1u) != 0;
}
constexpr Edge regular(Edge e) {
  return e & ~1u;
}
constexpr std::uint32_t nodeIndex(Edge e) {
  return e >> 1;
}
constexpr Edge makeEdge(std::uint32_t index, bool complement) {
  return (index << 1) | (complement ? 1u : 0u);
}

struct BddNode {
  std::uint32_t var;  ///< the variable's level: smaller is nearer the root
  Edge low;           ///< never complemented (canonical form)
  Edge high;
};

struct BddStats {
  std::uint64_t made = 0;       ///< nodes created
  std::uint64_t reused = 0;     ///< unique-table hits
  std::uint64_t cacheHits = 0;  ///< computed-table hits
  std::uint64_t cacheMisses = 0;
};

/// Reduced ordered BDD with complement edges (Brace, Rudell, Bryant 1990), hash-consed in a
/// unique table, with a lossy computed table. Variables are identified by their level.
/// When the node budget is exceeded every operation returns kFalse and exceeded() turns true:
/// callers check it after each top-level operation and report a Limit error.
class Bdd {
 public:
  explicit Bdd(std::size_t nodeBudget);

  /// Never paused (see setPauseAt): a caller needs its variables to start an operation.
  Edge variable(std::uint32_t var) {
    const std::size_t pauseAt = std::exchange(m_pauseAt, kNever);
    const Edge e = makeNode(var, kFalse, kTrue);
    m_pauseAt = pauseAt;
    return e;
  }
  Edge andOp(Edge f, Edge g);
  Edge orOp(Edge f, Edge g) { return negate(andOp(negate(f), negate(g))); }
  Edge xorOp(Edge f, Edge g);
  /// At least k of the inputs true (Rauzy 1993: vote gates by Shannon expansion on inputs).
  Edge atLeast(std::span<const Edge> inputs, int k);

  /// Mark-and-compact garbage collection: keeps the nodes reachable from `roots` and returns
  /// the roots renumbered, in the same order. Every other edge held by the caller becomes
  /// invalid, and the computed table is cleared. Node order (children before parents) is kept.
  std::vector<Edge> collectGarbage(std::vector<Edge> roots);
  /// Replaces every node by `nodes` (node 0 the terminal, children before parents), as
  /// reordering leaves them; every edge held by the caller becomes invalid and the computed
  /// table is cleared. Counts in stats() go on.
  void replaceNodes(std::vector<BddNode> nodes);
  std::size_t collections() const { return m_collections; }

  /// Stop (as exceeded()) once offset + nodes made here passes *limit, which another thread
  /// may lower meanwhile; used to abandon a variable order that is losing a race.
  void setWorkLimit(const std::atomic<std::uint64_t>* limit, std::uint64_t offset) {
    m_workLimit = limit;
    m_workOffset = offset;
  }
  bool stoppedByWork() const { return m_stoppedByWork; }
  /// Stop (as exceeded()) once *cancel is set, by another thread; cancelled() says so.
  void setCancel(const std::atomic<bool>* cancel) { m_cancel = cancel; }
  bool cancelled() const { return m_cancelled; }

  /// Stop operations (as exceeded(), with paused() true) once the table holds this many
  /// nodes, so that the caller can collect garbage or reorder, then resume() and run the
  /// stopped operation again. kNever, the default, never pauses.
  static constexpr std::size_t kNever = static_cast<std::size_t>(-1);
  void setPauseAt(std::size_t nodes) { m_pauseAt = nodes; }
  bool paused() const { return m_paused; }
  /// After a pause: operations run again. The computed table stays: an operation caches a
  /// result only after checking exceeded(), so it holds finished results alone. The nodes
  /// made before the pause are valid, and garbage unless something holds them.
  void resume();

  bool exceeded() const { return m_exceeded; }
  std::size_t nodeCount() const { return m_nodes.size(); }
  std::size_t nodeBudget() const { return m_budget; }
  const BddStats& stats() const { return m_stats; }

  std::uint32_t var(Edge e) const { return m_nodes[nodeIndex(e)].var; }
  /// Cofactors with the complement of e pushed down.
  Edge low(Edge e) const { return m_nodes[nodeIndex(e)].low ^ (e & 1u); }
  Edge high(Edge e) const { return m_nodes[nodeIndex(e)].high ^ (e & 1u); }
  /// Value of the function when every variable is false.
  bool valueAtZero(Edge e) const;
  /// Number of nodes reachable from the root.
  std::size_t size(Edge root) const;

  /// Exact probability of the function, variables independent with P(var) = varProb[var].
  /// Both P and 1-P are carried up the graph so that neither is formed by a subtraction near 1.
  double probability(Edge root, std::span<const double> varProb);

 private:
  Edge makeNode(std::uint32_t var, Edge low, Edge high);
  void growCache();

  struct CacheEntry {
    std::uint32_t a = 0xffffffffu;
    std::uint32_t b = 0;
    std::uint32_t op = 0;
    std::uint32_t result = 0;
  };
  enum Op : std::uint32_t { kAnd = 1, kXor = 2 };

  template <class T>
  using Table = std::vector<T, detail::HugePageAllocator<T>>;
  Table<BddNode> m_nodes;
  /// Unique-table slot: the node index (0 = empty) and the high half of its hash, so that
  /// a probe touches the node only when the tags agree.
  struct Slot {
    std::uint32_t index = 0;
    std::uint32_t tag = 0;
  };
  void rebuildUniqueTable(std::size_t slots);
  /// After collectGarbage or replaceNodes: a unique table sized to the nodes, empty caches.
  void nodesRenumbered();

  Table<Slot> m_unique;  // open addressing, linear probing
  Table<CacheEntry> m_cache;
  std::size_t m_budget;
  bool m_exceeded = false;
  bool m_stoppedByWork = false;
  bool m_cancelled = false;
  bool m_paused = false;
  std::size_t m_pauseAt = kNever;
  const std::atomic<bool>* m_cancel = nullptr;
  const std::atomic<std::uint64_t>* m_workLimit = nullptr;
  std::uint64_t m_workOffset = 0;
  std::size_t m_collections = 0;
  BddStats m_stats;
  // Scratch for probability(): per node P and Q=1-P, valid when m_probStamp matches.
  std::vector<double> m_p, m_q;
  std::vector<std::uint32_t> m_probMark;
  std::uint32_t m_probStamp = 0;
  // Scratch for size(): a node was seen when its mark equals the stamp.
  mutable std::vector<std::uint32_t> m_sizeMark;
  mutable std::uint32_t m_sizeStamp = 0;
};

}  // namespace thornwood::core
