#include "core/zbdd.h"

#include <algorithm>

#include "core/detail/hash.h"

namespace thornwood::core {

using detail::hashNode;
using detail::mix;

Zbdd::Zbdd(std::size_t nodeBudget) : m_budget(nodeBudget) {
  m_nodes.push_back(ZbddNode{kTerminalVar, kEmpty, kEmpty});
  m_nodes.push_back(ZbddNode{kTerminalVar, kBase, kBase});
  m_unique.assign(1u << 12, 0);
  m_withoutCache.resize(1u << 12);
  m_opCache.resize(1u << 12);
}

ZEdge Zbdd::makeNode(std::uint32_t var, ZEdge low, ZEdge high) {
  if (high == kEmpty) return low;
  const std::size_t mask = m_unique.size() - 1;
  std::size_t slot = hashNode(var, low, high) & mask;
  while (m_unique[slot] != 0) {
    const ZbddNode& n = m_nodes[m_unique[slot]];
    if (n.var == var && n.low == low && n.high == high) return m_unique[slot];
    slot = (slot + 1) & mask;
  }
  if (m_nodes.size() >= m_budget) {
    m_exceeded = true;
    return kEmpty;
  }
  if (m_workLimit &&
      m_nodes.size() + m_workOffset > m_workLimit->load(std::memory_order_relaxed)) {
    m_exceeded = m_stoppedByWork = true;
    return kEmpty;
  }
  if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
    m_exceeded = m_cancelled = true;
    return kEmpty;
  }
  const auto index = static_cast<ZEdge>(m_nodes.size());
  m_nodes.push_back(ZbddNode{var, low, high});
  m_unique[slot] = index;
  if (m_nodes.size() * 2 > m_unique.size()) growUniqueTable();
  if (m_nodes.size() > m_withoutCache.size() * 2 && m_withoutCache.size() < (1u << 23)) {
    m_withoutCache.assign(m_withoutCache.size() * 2, CacheEntry{});
  }
  if (m_nodes.size() > m_opCache.size() * 2 && m_opCache.size() < (1u << 22)) {
    m_opCache.assign(m_opCache.size() * 2, OpEntry{});
  }
  return index;
}

void Zbdd::growUniqueTable() {
  std::vector<std::uint32_t> table(m_unique.size() * 2, 0);
  const std::size_t mask = table.size() - 1;
  for (std::uint32_t i = 2; i < m_nodes.size(); ++i) {
    const ZbddNode& n = m_nodes[i];
    std::size_t slot = hashNode(n.var, n.low, n.high) & mask;
    while (table[slot] != 0) slot = (slot + 1) & mask;
    table[slot] = i;
  }
  m_unique.swap(table);
}

ZEdge Zbdd::without(ZEdge p, ZEdge q) {
  if (m_exceeded) return kEmpty;
  if (p == kEmpty || q == kEmpty) return p;
  if (p == q) return kEmpty;
  if (q == kBase) return kEmpty;  // every set contains the empty set
  if (p == kBase) {
    // {∅} survives unless q holds ∅, i.e. unless the low chain of q ends in kBase.
    ZEdge e = q;
    while (!isTerminal(e)) e = low(e);
    return e == kBase ? kEmpty : kBase;
  }
  const std::size_t slot = mix((static_cast<std::uint64_t>(p) << 32) ^ q) & (m_withoutCache.size() - 1);
  if (m_withoutCache[slot].a == p && m_withoutCache[slot].b == q) return m_withoutCache[slot].result;
  const std::uint32_t vp = var(p);
  const std::uint32_t vq = var(q);
  ZEdge r;
  if (vp < vq) {
    const ZEdge r0 = without(low(p), q);
    const ZEdge r1 = without(high(p), q);
    r = makeNode(vp, r0, r1);
  } else if (vp > vq) {
    r = without(p, low(q));  // the sets of q with vq cannot be inside a set of p
  } else {
    const ZEdge r0 = without(low(p), low(q));
    const ZEdge r1 = without(without(high(p), low(q)), high(q));
    r = makeNode(vp, r0, r1);
  }
  if (m_exceeded) return kEmpty;
  m_withoutCache[mix((static_cast<std::uint64_t>(p) << 32) ^ q) & (m_withoutCache.size() - 1)] =
      CacheEntry{p, q, r};
  return r;
}

ZEdge Zbdd::minimalSolutions(const Bdd& bdd, Edge f, int maxOrder) {
  if (m_exceeded || maxOrder < 0) return kEmpty;
  if (f == kTrue) return kBase;
  if (f == kFalse) return kEmpty;
  // Without a limit every order shares one memo entry.
  const std::uint64_t key = (static_cast<std::uint64_t>(f) << 32) |
                            static_cast<std::uint32_t>(std::min(maxOrder, kNoOrderLimit));
  if (const auto it = m_minsol.find(key); it != m_minsol.end()) return it->second;
  const ZEdge z0 = minimalSolutions(bdd, bdd.low(f), maxOrder);
  const ZEdge z1 = minimalSolutions(bdd, bdd.high(f), maxOrder == kNoOrderLimit ? maxOrder : maxOrder - 1);
  // Sets of z1 have at most maxOrder - 1 variables, so only such sets of z0 can lie inside
  // them; z0's larger sets change nothing.
  const ZEdge r = makeNode(bdd.var(f), z0, without(z1, z0));
  if (m_exceeded) return kEmpty;
  m_minsol.emplace(key, r);
  return r;
}

namespace {
// Operation tags of the shared cache; the order limit, where there is one, goes above them.
enum : std::uint64_t { kUnite = 1, kTruncate = 2, kProduct = 3 };
std::uint64_t tagOf(std::uint64_t op, int maxOrder) {
  return op | (static_cast<std::uint64_t>(maxOrder) << 3);
}
}  // namespace

Zbdd::OpEntry& Zbdd::opSlot(std::uint64_t tag, ZEdge a, ZEdge b) {
  const std::uint64_t h =
      mix((static_cast<std::uint64_t>(a) << 32) ^ b ^ (tag * 0x9e3779b97f4a7c15ull));
  return m_opCache[h & (m_opCache.size() - 1)];
}

ZEdge Zbdd::unite(ZEdge p, ZEdge q) {
  if (m_exceeded) return kEmpty;
  if (p == kEmpty || p == q) return q;
  if (q == kEmpty) return p;
  if (p > q) std::swap(p, q);  // commutative: one cache entry for both
  if (const OpEntry& e = opSlot(kUnite, p, q); e.a == p && e.b == q && e.tag == kUnite)
    return e.result;
  // kBase's var is kTerminalVar, below every variable.
  const std::uint32_t vp = var(p);
  const std::uint32_t vq = var(q);
  ZEdge r;
  if (vp < vq) {
    r = makeNode(vp, unite(low(p), q), high(p));
  } else if (vq < vp) {
    r = makeNode(vq, unite(p, low(q)), high(q));
  } else {
    const ZEdge r0 = unite(low(p), low(q));
    r = makeNode(vp, r0, unite(high(p), high(q)));
  }
  if (m_exceeded) return kEmpty;
  opSlot(kUnite, p, q) = OpEntry{p, q, kUnite, r};
  return r;
}

ZEdge Zbdd::truncate(ZEdge p, int maxOrder) {
  if (m_exceeded || maxOrder < 0) return kEmpty;
  if (isTerminal(p) || maxOrder == kNoOrderLimit) return p;
  if (maxOrder == 0) {  // only the empty set can stay: it is in p if the low chain ends in it
    while (!isTerminal(p)) p = low(p);
    return p;
  }
  const std::uint64_t tag = tagOf(kTruncate, maxOrder);
  if (const OpEntry& e = opSlot(tag, p, 0); e.a == p && e.tag == tag) return e.result;
  const ZEdge r0 = truncate(low(p), maxOrder);
  const ZEdge r = makeNode(var(p), r0, truncate(high(p), maxOrder - 1));
  if (m_exceeded) return kEmpty;
  opSlot(tag, p, 0) = OpEntry{p, 0, tag, r};
  return r;
}

ZEdge Zbdd::minimalUnion(ZEdge p, ZEdge q) {
  // The sets of p that contain no set of q (a set in both goes too), then the sets of q
  // that contain none of those: a set of q is dropped only for a strictly smaller one.
  const ZEdge a = without(p, q);
  return unite(a, without(q, a));
}

ZEdge Zbdd::minimalProduct(ZEdge p, ZEdge q, int maxOrder) {
  if (m_exceeded || maxOrder < 0 || p == kEmpty || q == kEmpty) return kEmpty;
  if (p == kBase) return truncate(q, maxOrder);
  if (q == kBase || p == q) return truncate(p, maxOrder);  // a ∪ a = a, and p is minimal
  if (p > q) std::swap(p, q);
  const std::uint64_t tag = tagOf(kProduct, maxOrder);
  if (const OpEntry& e = opSlot(tag, p, q); e.a == p && e.b == q && e.tag == tag) return e.result;
  const int less = maxOrder == kNoOrderLimit ? maxOrder : maxOrder - 1;
  ZEdge a = p, b = q;
  if (var(b) < var(a)) std::swap(a, b);
  const std::uint32_t x = var(a);
  ZEdge r;
  if (x < var(b)) {
    // b has no set with x: a's sets with x join b's sets, one more variable each.
    const ZEdge r0 = minimalProduct(low(a), b, maxOrder);
    r = makeNode(x, r0, without(minimalProduct(high(a), b, less), r0));
  } else {
    // Sets with x come from a set with x on either side or both.
    const ZEdge r0 = minimalProduct(low(a), low(b), maxOrder);
    const ZEdge both = minimalProduct(high(a), high(b), less);
    const ZEdge left = minimalProduct(high(a), low(b), less);
    const ZEdge right = minimalProduct(low(a), high(b), less);
    const ZEdge r1 = minimalUnion(minimalUnion(both, left), right);
    r = makeNode(x, r0, without(r1, r0));
  }
  if (m_exceeded) return kEmpty;
  opSlot(tag, p, q) = OpEntry{p, q, tag, r};
  return r;
}

std::vector<ZEdge> Zbdd::reachable(ZEdge root) const {
  std::vector<bool> seen(m_nodes.size(), false);
  std::vector<ZEdge> stack{root};
  std::vector<ZEdge> out;
  while (!stack.empty()) {
    const ZEdge e = stack.back();
    stack.pop_back();
    if (seen[e]) continue;
    seen[e] = true;
    out.push_back(e);
    if (isTerminal(e)) continue;
    stack.push_back(low(e));
    stack.push_back(high(e));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace thornwood::core
