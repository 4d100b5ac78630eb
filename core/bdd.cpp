#include "core/bdd.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "core/detail/hash.h"

namespace thornwood::core {

using detail::hashNode;
using detail::mix;

namespace {

std::uint64_t hashOp(std::uint32_t op, std::uint32_t a, std::uint32_t b) {
  return mix((static_cast<std::uint64_t>(a) << 32) ^ b ^ (static_cast<std::uint64_t>(op) << 61));
}

}  // namespace

Bdd::Bdd(std::size_t nodeBudget) : m_budget(nodeBudget) {
  m_nodes.push_back(BddNode{kTerminalVar, kTrue, kTrue});
  m_unique.resize(1u << 12);
  m_cache.resize(1u << 12);
}

Edge Bdd::makeNode(std::uint32_t var, Edge low, Edge high) {
  if (low == high) return low;
  if (isComplement(low)) return negate(makeNode(var, negate(low), negate(high)));
  const std::uint64_t h = hashNode(var, low, high);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = m_unique.size() - 1;
  std::size_t slot = h & mask;
  while (m_unique[slot].index != 0) {
    if (m_unique[slot].tag == tag) {
      const BddNode& n = m_nodes[m_unique[slot].index];
      if (n.var == var && n.low == low && n.high == high) {
        ++m_stats.reused;
        return makeEdge(m_unique[slot].index, false);
      }
    }
    slot = (slot + 1) & mask;
  }
  if (m_nodes.size() >= m_budget) {
    m_exceeded = true;
    return kFalse;
  }
  if (m_nodes.size() >= m_pauseAt) {
    m_exceeded = m_paused = true;
    return kFalse;
  }
  if (m_workLimit && m_stats.made + m_workOffset > m_workLimit->load(std::memory_order_relaxed)) {
    m_exceeded = m_stoppedByWork = true;
    return kFalse;
  }
  if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
    m_exceeded = m_cancelled = true;
    return kFalse;
  }
  const auto index = static_cast<std::uint32_t>(m_nodes.size());
  m_nodes.push_back(BddNode{var, low, high});
  m_unique[slot] = Slot{index, tag};
  ++m_stats.made;
  if (m_nodes.size() * 2 > m_unique.size()) {
    // Four times larger while the table is under 16 million slots (128 MB): every rebuild
    // rehashes every node, a cache miss each, and growing by two cost 8% of the time of
    // mid-sized models (perf: das9601, edf9204); beyond that memory matters more.
    rebuildUniqueTable(m_unique.size() * (m_unique.size() < (std::size_t{1} << 24) ? 4 : 2));
  }
  if (m_nodes.size() > m_cache.size() * 2 && m_cache.size() < (1u << 23)) growCache();
  return makeEdge(index, false);
}

void Bdd::rebuildUniqueTable(std::size_t slots) {
  Table<Slot> table(slots);
  const std::size_t mask = table.size() - 1;
  for (std::uint32_t i = 1; i < m_nodes.size(); ++i) {
    const BddNode& n = m_nodes[i];
    const std::uint64_t h = hashNode(n.var, n.low, n.high);
    std::size_t slot = h & mask;
    while (table[slot].index != 0) slot = (slot + 1) & mask;
    table[slot] = Slot{i, static_cast<std::uint32_t>(h >> 32)};
  }
  m_unique.swap(table);
}

void Bdd::resume() {
  assert(m_paused);
  m_exceeded = m_paused = false;
}

void Bdd::growCache() {
  // Entries are not rehashed: the cache is lossy, so starting empty is correct.
  m_cache.assign(m_cache.size() * 2, CacheEntry{});
}

Edge Bdd::andOp(Edge f, Edge g) {
  if (m_exceeded) return kFalse;
  if (f == g) return f;
  if (f == negate(g)) return kFalse;
  if (f == kTrue) return g;
  if (g == kTrue) return f;
  if (f == kFalse || g == kFalse) return kFalse;
  if (f > g) std::swap(f, g);
  CacheEntry& entry = m_cache[hashOp(kAnd, f, g) & (m_cache.size() - 1)];
  if (entry.op == kAnd && entry.a == f && entry.b == g) {
    ++m_stats.cacheHits;
    return entry.result;
  }
  ++m_stats.cacheMisses;
  const std::uint32_t vf = var(f);
  const std::uint32_t vg = var(g);
  const std::uint32_t v = std::min(vf, vg);
  const Edge f0 = vf == v ? low(f) : f;
  const Edge f1 = vf == v ? high(f) : f;
  const Edge g0 = vg == v ? low(g) : g;
  const Edge g1 = vg == v ? high(g) : g;
  const Edge r0 = andOp(f0, g0);
  const Edge r1 = andOp(f1, g1);
  const Edge r = makeNode(v, r0, r1);
  if (m_exceeded) return kFalse;
  // Re-fetch: makeNode may have resized the cache.
  CacheEntry& slot = m_cache[hashOp(kAnd, f, g) & (m_cache.size() - 1)];
  slot = CacheEntry{f, g, kAnd, r};
  return r;
}

Edge Bdd::xorOp(Edge f, Edge g) {
  if (m_exceeded) return kFalse;
  // xor(¬a, b) = ¬xor(a, b): compute on regular edges, fix the sign at the end.
  const bool flip = isComplement(f) != isComplement(g);
  f = regular(f);
  g = regular(g);
  Edge r;
  if (f == g) {
    r = kFalse;
  } else if (f == kTrue) {
    r = negate(g);
  } else if (g == kTrue) {
    r = negate(f);
  } else {
    if (f > g) std::swap(f, g);
    CacheEntry& entry = m_cache[hashOp(kXor, f, g) & (m_cache.size() - 1)];
    if (entry.op == kXor && entry.a == f && entry.b == g) {
      ++m_stats.cacheHits;
      r = entry.result;
    } else {
      ++m_stats.cacheMisses;
      const std::uint32_t vf = var(f);
      const std::uint32_t vg = var(g);
      const std::uint32_t v = std::min(vf, vg);
      const Edge f0 = vf == v ? low(f) : f;
      const Edge f1 = vf == v ? high(f) : f;
      const Edge g0 = vg == v ? low(g) : g;
      const Edge g1 = vg == v ? high(g) : g;
      const Edge r0 = xorOp(f0, g0);
      const Edge r1 = xorOp(f1, g1);
      r = makeNode(v, r0, r1);
      if (m_exceeded) return kFalse;
      m_cache[hashOp(kXor, f, g) & (m_cache.size() - 1)] = CacheEntry{f, g, kXor, r};
    }
  }
  return flip ? negate(r) : r;
}

Edge Bdd::atLeast(std::span<const Edge> inputs, int k) {
  const int n = static_cast<int>(inputs.size());
  if (k <= 0) return kTrue;
  if (k > n) return kFalse;
  // row[j] = "at least j of inputs[i..n) are true", built from the last input backwards.
  std::vector<Edge> row(static_cast<std::size_t>(k) + 1, kFalse);
  row[0] = kTrue;
  for (int i = n - 1; i >= 0; --i) {
    const Edge x = inputs[static_cast<std::size_t>(i)];
    const int remaining = n - i;
    for (int j = std::min(k, remaining); j >= 1; --j) {
      // ite(x, row[j-1], row[j]) = (x ∧ row[j-1]) ∨ (¬x ∧ row[j])
      const Edge with = andOp(x, row[static_cast<std::size_t>(j - 1)]);
      const Edge without = andOp(negate(x), row[static_cast<std::size_t>(j)]);
      row[static_cast<std::size_t>(j)] = orOp(with, without);
      if (m_exceeded) return kFalse;
    }
  }
  return row[static_cast<std::size_t>(k)];
}

std::vector<Edge> Bdd::collectGarbage(std::vector<Edge> roots) {
  ++m_collections;
  std::vector<std::uint32_t> newIndex(m_nodes.size(), 0);
  constexpr std::uint32_t kMarked = 1;
  // Mark: children have smaller indices, so one descending sweep propagates the marks.
  for (Edge r : roots) newIndex[nodeIndex(r)] = kMarked;
  for (std::size_t i = m_nodes.size(); i-- > 1;) {
    if (newIndex[i] != kMarked) continue;
    newIndex[nodeIndex(m_nodes[i].low)] = kMarked;
    newIndex[nodeIndex(m_nodes[i].high)] = kMarked;
  }
  // Compact in ascending order, renumbering children before their parents.
  std::uint32_t next = 1;
  newIndex[0] = 0;
  for (std::size_t i = 1; i < m_nodes.size(); ++i) {
    if (newIndex[i] != kMarked) continue;
    const BddNode n = m_nodes[i];
    m_nodes[next] = BddNode{n.var, makeEdge(newIndex[nodeIndex(n.low)], isComplement(n.low)),
                            makeEdge(newIndex[nodeIndex(n.high)], isComplement(n.high))};
    newIndex[i] = next++;
  }
  m_nodes.resize(next);
  m_nodes.shrink_to_fit();
  nodesRenumbered();
  for (Edge& r : roots) r = makeEdge(newIndex[nodeIndex(r)], isComplement(r));
  return roots;
}

void Bdd::replaceNodes(std::vector<BddNode> nodes) {
  m_nodes.assign(nodes.begin(), nodes.end());
  nodesRenumbered();
}

void Bdd::nodesRenumbered() {
  // The table is made to fit the nodes (rebuildUniqueTable allocates it anew); the caches
  // name nodes by index, so none of their entries holds any more.
  std::size_t tableSize = 1u << 12;
  while (tableSize < m_nodes.size() * 2) tableSize *= 2;
  rebuildUniqueTable(tableSize);
  std::fill(m_cache.begin(), m_cache.end(), CacheEntry{});
  m_probMark.clear();
  m_sizeMark.clear();
}

bool Bdd::valueAtZero(Edge e) const {
  while (nodeIndex(e) != 0) e = low(e);
  return e == kTrue;
}

std::size_t Bdd::size(Edge root) const {
  if (m_sizeMark.size() < m_nodes.size()) m_sizeMark.resize(m_nodes.size(), 0);
  if (++m_sizeStamp == 0) {
    std::fill(m_sizeMark.begin(), m_sizeMark.end(), 0);
    m_sizeStamp = 1;
  }
  std::vector<std::uint32_t> stack{nodeIndex(root)};
  std::size_t count = 0;
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    if (m_sizeMark[i] == m_sizeStamp) continue;
    m_sizeMark[i] = m_sizeStamp;
    ++count;
    if (i == 0) continue;
    stack.push_back(nodeIndex(m_nodes[i].low));
    stack.push_back(nodeIndex(m_nodes[i].high));
  }
  return count;
}

double Bdd::probability(Edge root, std::span<const double> varProb) {
  if (m_probMark.size() < m_nodes.size()) {
    m_p.resize(m_nodes.size());
    m_q.resize(m_nodes.size());
    m_probMark.resize(m_nodes.size(), 0);
  }
  ++m_probStamp;
  // Iterative post-order: children have smaller indices than parents but need not be visited.
  std::vector<std::uint32_t> stack{nodeIndex(root)};
  m_p[0] = 1.0;
  m_q[0] = 0.0;
  m_probMark[0] = m_probStamp;
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    if (m_probMark[i] == m_probStamp) {
      stack.pop_back();
      continue;
    }
    const BddNode& n = m_nodes[i];
    const std::uint32_t lo = nodeIndex(n.low);
    const std::uint32_t hi = nodeIndex(n.high);
    const bool loReady = m_probMark[lo] == m_probStamp;
    const bool hiReady = m_probMark[hi] == m_probStamp;
    if (!loReady) stack.push_back(lo);
    if (!hiReady) stack.push_back(hi);
    if (!loReady || !hiReady) continue;
    stack.pop_back();
    const double pv = varProb[n.var];
    const double qv = 1.0 - pv;
    // The low edge is never complemented; the high edge may be.
    const double pLo = m_p[lo], qLo = m_q[lo];
    const double pHi = isComplement(n.high) ? m_q[hi] : m_p[hi];
    const double qHi = isComplement(n.high) ? m_p[hi] : m_q[hi];
    m_p[i] = pv * pHi + qv * pLo;
    m_q[i] = pv * qHi + qv * qLo;
    m_probMark[i] = m_probStamp;
  }
  const std::uint32_t r = nodeIndex(root);
  return isComplement(root) ? m_q[r] : m_p[r];
}

}  // namespace thornwood::core
