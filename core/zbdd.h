#pragma once

#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/bdd.h"

namespace thornwood::core {

/// An edge into the ZBDD: a node index. Node 0 is the empty family, node 1 the family that
/// holds only the empty set. Children are always made before parents, so a node's index is
/// larger than its children's: ascending index order is a topological order.
using ZEdge = std::uint32_t;
inline constexpr ZEdge kEmpty = 0;
inline constexpr ZEdge kBase = 1;

struct ZbddNode {
  std::uint32_t var;
  ZEdge low;   ///< the sets without var
  ZEdge high;  ///< the sets with var, var removed
};

/// Zero-suppressed BDD (Minato 1993) for families of sets, used for minimal cut sets.
/// Shares variable levels with the Bdd it reads. The node budget works as in Bdd.
class Zbdd {
 public:
  explicit Zbdd(std::size_t nodeBudget);

  ZEdge makeNode(std::uint32_t var, ZEdge low, ZEdge high);
  /// The sets of p that contain no set of q (Rauzy 1993, "without").
  ZEdge without(ZEdge p, ZEdge q);
  /// Minimal solutions of the BDD function f (Rauzy 2001): the sets S of variables such that
  /// f is true when exactly S is true, minimal under inclusion. For a monotone f these are
  /// its minimal cut sets; otherwise they are the cut sets of its monotone closure, i.e. the
  /// prime implicants with their negative literals dropped and the non-minimal ones removed.
  /// With maxOrder, only the solutions with at most that many variables are kept, and the
  /// recursion prunes every branch that would need more (Rauzy 2001, cut-offs): a small
  /// order limit makes even huge families cheap.
  ZEdge minimalSolutions(const Bdd& bdd, Edge f, int maxOrder = kNoOrderLimit);
  static constexpr int kNoOrderLimit = 0x3fffffff;

  // Families of minimal sets built bottom-up from a coherent formula, without a BDD (the
  // method of SCRAM's ZBDD analysis and of Rauzy's Aralia): a variable is {{x}}, an OR the
  // minimal union of its inputs' families, an AND their minimal product. Every operand must
  // be minimal and hold no set over maxOrder variables; so does every result.
  /// {{var}}.
  ZEdge single(std::uint32_t var) { return makeNode(var, kEmpty, kBase); }
  /// The minimal sets of p ∪ q.
  ZEdge minimalUnion(ZEdge p, ZEdge q);
  /// The minimal sets of {a ∪ b : a in p, b in q} with at most maxOrder variables.
  ZEdge minimalProduct(ZEdge p, ZEdge q, int maxOrder = kNoOrderLimit);
  /// The sets of p with at most maxOrder variables (none when maxOrder < 0).
  ZEdge truncate(ZEdge p, int maxOrder);

  std::uint32_t var(ZEdge e) const { return m_nodes[e].var; }
  ZEdge low(ZEdge e) const { return m_nodes[e].low; }
  ZEdge high(ZEdge e) const { return m_nodes[e].high; }
  bool isTerminal(ZEdge e) const { return e <= kBase; }
  bool exceeded() const { return m_exceeded; }
  /// As Bdd::setWorkLimit.
  void setWorkLimit(const std::atomic<std::uint64_t>* limit, std::uint64_t offset) {
    m_workLimit = limit;
    m_workOffset = offset;
  }
  bool stoppedByWork() const { return m_stoppedByWork; }
  /// Stop (as exceeded()) once *cancel is set, by another thread; cancelled() says so.
  void setCancel(const std::atomic<bool>* cancel) { m_cancel = cancel; }
  bool cancelled() const { return m_cancelled; }
  std::size_t nodeCount() const { return m_nodes.size(); }
  /// Nodes reachable from root (terminals included), ascending, so children come first.
  std::vector<ZEdge> reachable(ZEdge root) const;

 private:
  struct CacheEntry {
    std::uint32_t a = 0xffffffffu;
    std::uint32_t b = 0;
    std::uint32_t result = 0;
  };
  struct OpEntry {
    std::uint32_t a = 0xffffffffu;
    std::uint32_t b = 0;
    std::uint64_t tag = 0;  // operation and order limit
    std::uint32_t result = 0;
  };
  void growUniqueTable();
  ZEdge unite(ZEdge p, ZEdge q);
  OpEntry& opSlot(std::uint64_t tag, ZEdge a, ZEdge b);

  std::vector<ZbddNode> m_nodes;
  std::vector<std::uint32_t> m_unique;
  std::vector<CacheEntry> m_withoutCache;
  std::vector<OpEntry> m_opCache;                     // unite, truncate and minimalProduct
  std::unordered_map<std::uint64_t, ZEdge> m_minsol;  // (edge, order limit) -> family
  std::size_t m_budget;
  bool m_exceeded = false;
  bool m_stoppedByWork = false;
  bool m_cancelled = false;
  const std::atomic<bool>* m_cancel = nullptr;
  const std::atomic<std::uint64_t>* m_workLimit = nullptr;
  std::uint64_t m_workOffset = 0;
};

}  // namespace thornwood::core
