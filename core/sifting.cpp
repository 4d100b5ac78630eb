#include "core/sifting.h"

#include <algorithm>

#include "core/detail/hash.h"

namespace thornwood::core {

namespace {

/// The diagrams in a form that can be reordered in place: one hash table per variable, so
/// that two adjacent levels can be swapped touching only their own nodes, and a reference
/// count per node, so that nodes a swap leaves unused are freed at once (Rudell 1993;
/// CUDD's cuddSwapInPlace is the same scheme). A node keeps its index, and so its
/// function, through every swap: only the variable it tests and its children change.
class Sifter {
 public:
  Sifter(const Bdd& bdd, std::vector<Edge>& roots, std::uint32_t levels) : m_levels(levels) {
    m_tables.resize(levels);
    m_levelOf.resize(levels);
    m_varAt.resize(levels);
    for (std::uint32_t v = 0; v < levels; ++v)
      m_levelOf[v] = m_varAt[v] = v;  // levels start as they are
    m_nodes.push_back(Node{kTrue, kTrue, 1, 0});
    m_var.push_back(kTerminalVar);
    // Children have smaller indices in the Bdd: one descending sweep marks what the roots
    // reach, one ascending sweep copies it, children first.
    std::vector<std::uint32_t> index(bdd.nodeCount(), 0);
    constexpr std::uint32_t kMarked = 1;
    for (Edge r : roots) index[nodeIndex(r)] = kMarked;
    for (std::size_t i = index.size(); i-- > 1;) {
      if (index[i] != kMarked) continue;
      const Edge e = makeEdge(static_cast<std::uint32_t>(i), false);
      index[nodeIndex(bdd.low(e))] = kMarked;
      index[nodeIndex(bdd.high(e))] = kMarked;
    }
    index[0] = 0;
    for (std::size_t i = 1; i < index.size(); ++i) {
      if (index[i] != kMarked) continue;
      const Edge e = makeEdge(static_cast<std::uint32_t>(i), false);
      const Edge low = map(index, bdd.low(e));
      const Edge high = map(index, bdd.high(e));
      const auto n = static_cast<std::uint32_t>(m_nodes.size());
      m_nodes.push_back(Node{low, high, 0, 0});
      m_var.push_back(bdd.var(e));
      ++m_nodes[nodeIndex(low)].ref;
      ++m_nodes[nodeIndex(high)].ref;
      insert(n);
      index[i] = n;
    }
    for (Edge& r : roots) {
      r = map(index, r);
      ++m_nodes[nodeIndex(r)].ref;
    }
    m_live = m_nodes.size() - 1;
    computeInteractions(roots);
  }

  std::size_t live() const { return m_live; }
  std::size_t swaps() const { return m_swaps; }
  const std::vector<std::uint32_t>& levelOf() const { return m_levelOf; }

  void siftAll(const SiftOptions& options) {
    std::vector<std::uint32_t> vars(m_levels);
    for (std::uint32_t v = 0; v < m_levels; ++v) vars[v] = v;
    // The most populated levels first (Rudell): they have the most to gain.
    std::stable_sort(vars.begin(), vars.end(), [&](std::uint32_t a, std::uint32_t b) {
      return m_tables[a].count > m_tables[b].count;
    });
    for (std::uint32_t v : vars) {
      if (m_swaps >= options.maxSwaps) break;
      if (options.cancel && options.cancel->load(std::memory_order_relaxed)) break;
      if (m_tables[v].count == 0) continue;
      siftVariable(v, options);
    }
  }

  /// The diagrams back into a Bdd's form: children before parents, levels as now ordered.
  std::vector<BddNode> exportNodes(std::vector<Edge>& roots) const {
    std::vector<BddNode> out;
    out.reserve(m_live + 1);
    out.push_back(BddNode{kTerminalVar, kTrue, kTrue});
    std::vector<std::uint32_t> index(m_nodes.size(), 0);
    std::vector<char> done(m_nodes.size(), 0);
    done[0] = 1;
    std::vector<std::uint32_t> stack;
    for (Edge r : roots) {
      stack.push_back(nodeIndex(r));
      while (!stack.empty()) {
        const std::uint32_t i = stack.back();
        if (done[i]) {
          stack.pop_back();
          continue;
        }
        const Node& n = m_nodes[i];
        const std::uint32_t lo = nodeIndex(n.low), hi = nodeIndex(n.high);
        if (!done[lo] || !done[hi]) {
          if (!done[lo]) stack.push_back(lo);
          if (!done[hi]) stack.push_back(hi);
          continue;
        }
        stack.pop_back();
        done[i] = 1;
        index[i] = static_cast<std::uint32_t>(out.size());
        out.push_back(BddNode{m_levelOf[m_var[i]], map(index, n.low), map(index, n.high)});
      }
    }
    for (Edge& r : roots) r = map(index, r);
    return out;
  }

 private:
  struct Node {
    Edge low;  // never complemented
    Edge high;
    std::uint32_t ref;   // live parents plus roots; 0 only for a node being made
    std::uint32_t next;  // next node in the same bucket, 0 at the end
  };
  struct Subtable {
    std::vector<std::uint32_t> buckets = std::vector<std::uint32_t>(8, 0);
    std::size_t count = 0;
  };

  static Edge map(const std::vector<std::uint32_t>& index, Edge e) {
    return makeEdge(index[nodeIndex(e)], isComplement(e));
  }
  static std::size_t bucketOf(const Subtable& t, Edge low, Edge high) {
    return detail::mix((static_cast<std::uint64_t>(low) << 32) | high) & (t.buckets.size() - 1);
  }
  bool tests(Edge e, std::uint32_t var) const {
    return m_var[nodeIndex(e)] == var;  // the terminal's kTerminalVar is no variable
  }

  void insert(std::uint32_t n) {
    Subtable& t = m_tables[m_var[n]];
    if (t.count + 1 > t.buckets.size() * 2) {
      std::vector<std::uint32_t> old(t.buckets.size() * 4, 0);
      old.swap(t.buckets);
      for (std::uint32_t head : old) {
        while (head != 0) {
          const std::uint32_t next = m_nodes[head].next;
          const std::size_t b = bucketOf(t, m_nodes[head].low, m_nodes[head].high);
          m_nodes[head].next = t.buckets[b];
          t.buckets[b] = head;
          head = next;
        }
      }
    }
    const std::size_t b = bucketOf(t, m_nodes[n].low, m_nodes[n].high);
    m_nodes[n].next = t.buckets[b];
    t.buckets[b] = n;
    ++t.count;
  }

  void remove(std::uint32_t n) {
    Subtable& t = m_tables[m_var[n]];
    std::uint32_t* link = &t.buckets[bucketOf(t, m_nodes[n].low, m_nodes[n].high)];
    while (*link != n) link = &m_nodes[*link].next;
    *link = m_nodes[n].next;
    --t.count;
  }

  /// The node (var, low, high), found or made with no references yet; the caller refs it.
  Edge makeNode(std::uint32_t var, Edge low, Edge high) {
    if (low == high) return low;
    const bool complement = isComplement(low);
    if (complement) {
      low = negate(low);
      high = negate(high);
    }
    const Subtable& t = m_tables[var];
    for (std::uint32_t i = t.buckets[bucketOf(t, low, high)]; i != 0; i = m_nodes[i].next) {
      if (m_nodes[i].low == low && m_nodes[i].high == high) return makeEdge(i, complement);
    }
    std::uint32_t n;
    if (!m_free.empty()) {
      n = m_free.back();
      m_free.pop_back();
      m_nodes[n] = Node{low, high, 0, 0};
      m_var[n] = var;
    } else {
      n = static_cast<std::uint32_t>(m_nodes.size());
      m_nodes.push_back(Node{low, high, 0, 0});
      m_var.push_back(var);
    }
    insert(n);
    return makeEdge(n, complement);
  }

  void ref(Edge e) {
    const std::uint32_t i = nodeIndex(e);
    if (i == 0) return;
    if (m_nodes[i].ref++ == 0) {  // a node just made: it now holds its children
      ++m_live;
      ref(m_nodes[i].low);
      ref(m_nodes[i].high);
    }
  }

  void deref(Edge e) {
    const std::uint32_t i = nodeIndex(e);
    if (i == 0) return;
    if (--m_nodes[i].ref == 0) {
      --m_live;
      remove(i);
      m_free.push_back(i);
      deref(m_nodes[i].low);
      deref(m_nodes[i].high);
    }
  }

  /// Which variables occur together in the support of some root (CUDD's interaction
  /// matrix). Two that never do can be swapped by exchanging their levels alone: no node of
  /// one can have a child testing the other. Left empty (everything interacts) when the
  /// matrix would be too large or the supports too costly to walk.
  void computeInteractions(const std::vector<Edge>& roots) {
    if (m_levels > kMaxInteractionLevels) return;
    const std::size_t words = (m_levels + 63) / 64;
    std::vector<std::uint64_t> matrix(static_cast<std::size_t>(m_levels) * words, 0);
    std::vector<std::uint32_t> stamp(m_nodes.size(), 0);
    std::vector<std::uint64_t> support(words);
    std::vector<std::uint32_t> stack, vars;
    std::size_t walked = 0;
    const std::size_t walkBudget = 8 * m_nodes.size() + 1024;
    std::uint32_t pass = 0;
    for (Edge r : roots) {
      ++pass;
      std::fill(support.begin(), support.end(), 0);
      stack.assign(1, nodeIndex(r));
      while (!stack.empty()) {
        const std::uint32_t i = stack.back();
        stack.pop_back();
        if (i == 0 || stamp[i] == pass) continue;
        stamp[i] = pass;
        if (++walked > walkBudget) return;  // too costly: treat every pair as interacting
        support[m_var[i] / 64] |= std::uint64_t{1} << (m_var[i] % 64);
        stack.push_back(nodeIndex(m_nodes[i].low));
        stack.push_back(nodeIndex(m_nodes[i].high));
      }
      vars.clear();
      for (std::uint32_t v = 0; v < m_levels; ++v) {
        if ((support[v / 64] >> (v % 64)) & 1u) vars.push_back(v);
      }
      for (std::uint32_t v : vars) {
        std::uint64_t* row = &matrix[static_cast<std::size_t>(v) * words];
        for (std::size_t w = 0; w < words; ++w) row[w] |= support[w];
      }
    }
    m_interactWords = words;
    m_interact = std::move(matrix);
  }

  bool interact(std::uint32_t x, std::uint32_t y) const {
    if (m_interact.empty()) return true;
    return (m_interact[static_cast<std::size_t>(x) * m_interactWords + y / 64] >> (y % 64)) & 1u;
  }

  /// Exchanges the variables at levels l and l+1. Nodes of the upper variable x that do not
  /// test the lower one y stay as they are; each that does becomes a node of y over two
  /// nodes of x: f = x ? (y ? f11 : f10) : (y ? f01 : f00) = y ? (x ? f11 : f01) : (x ? f10 : f00).
  void swap(std::uint32_t l) {
    ++m_swaps;
    const std::uint32_t x = m_varAt[l], y = m_varAt[l + 1];
    if (!interact(x, y)) {
      std::swap(m_varAt[l], m_varAt[l + 1]);
      m_levelOf[x] = l + 1;
      m_levelOf[y] = l;
      return;
    }
    Subtable& tx = m_tables[x];
    m_moving.clear();
    for (std::uint32_t& head : tx.buckets) {
      std::uint32_t* link = &head;
      while (*link != 0) {
        const std::uint32_t n = *link;
        if (tests(m_nodes[n].low, y) || tests(m_nodes[n].high, y)) {
          *link = m_nodes[n].next;
          --tx.count;
          m_moving.push_back(n);
        } else {
          link = &m_nodes[n].next;
        }
      }
    }
    for (std::uint32_t f : m_moving) {
      const Edge f0 = m_nodes[f].low, f1 = m_nodes[f].high;
      Edge f00 = f0, f01 = f0, f10 = f1, f11 = f1;
      if (tests(f0, y)) {
        f00 = m_nodes[nodeIndex(f0)].low;  // f0 is never complemented
        f01 = m_nodes[nodeIndex(f0)].high;
      }
      if (tests(f1, y)) {
        const Edge c = f1 & 1u;
        f10 = m_nodes[nodeIndex(f1)].low ^ c;
        f11 = m_nodes[nodeIndex(f1)].high ^ c;
      }
      const Edge low = makeNode(x, f00, f10);  // f00 is regular: so is low
      ref(low);
      const Edge high = makeNode(x, f01, f11);
      ref(high);
      deref(f0);
      deref(f1);
      m_var[f] = y;
      m_nodes[f].low = low;
      m_nodes[f].high = high;
      insert(f);
    }
    std::swap(m_varAt[l], m_varAt[l + 1]);
    m_levelOf[x] = l + 1;
    m_levelOf[y] = l;
  }

  void siftVariable(std::uint32_t v, const SiftOptions& options) {
    std::size_t best = m_live;
    std::uint32_t bestLevel = m_levelOf[v];
    auto note = [&]() {
      if (m_live < best) {
        best = m_live;
        bestLevel = m_levelOf[v];
      }
      return static_cast<double>(m_live) <= options.maxGrowth * static_cast<double>(best) &&
             m_swaps < options.maxSwaps;
    };
    // Lower bounds (Rudell; Drechsler et al.): moving v can only shrink the levels that
    // interact with it on the side it moves to, and v's own level when it moves up (moving
    // down, each node of v stays, as v's or, relabelled in place, as the node of the level
    // it passed). Everything else is fixed. A move stops once even losing all of those
    // could not beat the best size seen: the positions it skips cannot be better.
    auto down = [&]() {
      std::size_t shrinkable = 0;
      for (std::uint32_t l = m_levelOf[v] + 1; l < m_levels; ++l) {
        if (interact(v, m_varAt[l])) shrinkable += m_tables[m_varAt[l]].count;
      }
      while (m_levelOf[v] + 1 < m_levels && (!options.lowerBounds || m_live < best + shrinkable)) {
        const std::uint32_t y = m_varAt[m_levelOf[v] + 1];
        if (interact(v, y)) shrinkable -= m_tables[y].count;  // above v from now on: fixed
        swap(m_levelOf[v]);
        if (!note()) break;
      }
    };
    auto up = [&]() {
      std::size_t shrinkable = 0;  // interacting levels above v
      for (std::uint32_t l = 0; l < m_levelOf[v]; ++l) {
        if (interact(v, m_varAt[l])) shrinkable += m_tables[m_varAt[l]].count;
      }
      while (m_levelOf[v] > 0 &&
             (!options.lowerBounds || m_live < best + shrinkable + m_tables[v].count)) {
        const std::uint32_t x = m_varAt[m_levelOf[v] - 1];
        if (interact(v, x)) shrinkable -= m_tables[x].count;  // below v from now on: fixed
        swap(m_levelOf[v] - 1);
        if (!note()) break;
      }
    };
    // The nearer end first, so the longer walk is the one the growth bound may cut short.
    // Between the two walks v goes back to where it started unchecked: it has been there,
    // and a growth check on the way back would judge known sizes against a newer best.
    const std::uint32_t start = m_levelOf[v];
    if (start * 2 > m_levels) {
      down();
      moveTo(v, start);
      up();
    } else {
      up();
      moveTo(v, start);
      down();
    }
    moveTo(v, bestLevel);
  }

  void moveTo(std::uint32_t v, std::uint32_t level) {
    while (m_levelOf[v] < level) swap(m_levelOf[v]);
    while (m_levelOf[v] > level) swap(m_levelOf[v] - 1);
  }

  std::uint32_t m_levels;
  std::vector<Node> m_nodes;
  // The variable each node tests, apart from the nodes: a swap reads it for every child of
  // the upper level, and 4 bytes a node stay in cache where the whole node would not.
  std::vector<std::uint32_t> m_var;
  std::vector<std::uint32_t> m_free;
  std::vector<Subtable> m_tables;  // per variable
  std::vector<std::uint32_t> m_levelOf, m_varAt;
  std::vector<std::uint32_t> m_moving;
  std::size_t m_live = 0;
  std::size_t m_swaps = 0;
  static constexpr std::uint32_t kMaxInteractionLevels = 16384;  // a matrix of 32 MB at most
  std::vector<std::uint64_t> m_interact;                         // per variable, a bit per variable
  std::size_t m_interactWords = 0;
};

}  // namespace

SiftResult sift(Bdd& bdd, std::vector<Edge>& roots, std::uint32_t levels,
                const SiftOptions& options) {
  SiftResult result;
  Sifter sifter(bdd, roots, levels);
  result.nodesBefore = sifter.live();
  sifter.siftAll(options);
  result.nodesAfter = sifter.live();
  result.swaps = sifter.swaps();
  result.newLevel = sifter.levelOf();
  bdd.replaceNodes(sifter.exportNodes(roots));
  return result;
}

}  // namespace thornwood::core
