#include "core/pdag.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace thornwood::core {

namespace {

constexpr Pdag::Lit kTrueLit{0, false};
constexpr Pdag::Lit kFalseLit{0, true};

}  // namespace

Pdag::Pdag(const LogicGraph& graph, NodeId top) : m_graph(graph), m_memo(graph.size()) {
  m_nodes.emplace_back();  // node 0: the constant true
  // Iterative post-order so that deep graphs cannot overflow the stack.
  std::vector<std::pair<NodeId, std::size_t>> stack{{top, 0}};
  while (!stack.empty()) {
    const NodeId id = stack.back().first;
    if (m_memo[id]) {
      stack.pop_back();
      continue;
    }
    switch (graph.kind(id)) {
      case NodeKind::Variable: {
        Node n;
        n.variable = id;
        m_memo[id] = Lit{static_cast<std::uint32_t>(m_nodes.size()), false};
        m_nodes.push_back(std::move(n));
        stack.pop_back();
        continue;
      }
      case NodeKind::Constant:
        m_memo[id] = graph.constantValue(id) ? kTrueLit : kFalseLit;
        stack.pop_back();
        continue;
      case NodeKind::Gate:
        break;
    }
    const Gate& g = graph.gate(id);
    std::size_t& next = stack.back().second;
    if (next < g.children.size()) {
      const NodeId child = g.children[next++];
      if (!m_memo[child]) stack.emplace_back(child, 0);
      continue;
    }
    std::vector<Lit> inputs;
    inputs.reserve(g.children.size());
    for (NodeId c : g.children) inputs.push_back(*m_memo[c]);
    m_memo[id] = combine(g, std::move(inputs));
    stack.pop_back();
  }
  m_top = *m_memo[top];
}

Pdag::Lit Pdag::combine(const Gate& gate, std::vector<Lit> in) {
  switch (gate.kind) {
    case GateKind::And:
    case GateKind::Inhibit:
      return makeGate(Kind::And, std::move(in));
    case GateKind::Or:
      return makeGate(Kind::Or, std::move(in));
    case GateKind::Nand:
      return !makeGate(Kind::And, std::move(in));
    case GateKind::Nor:
      return !makeGate(Kind::Or, std::move(in));
    case GateKind::Not:
      return !in[0];
    case GateKind::Null:
      return in[0];
    case GateKind::Xor:
      return makeGate(Kind::Xor, std::move(in));
    case GateKind::Iff:
      return !makeGate(Kind::Xor, std::move(in));
    case GateKind::Imply:
      return makeGate(Kind::Or, {!in[0], in[1]});
    case GateKind::AtLeast:
      return makeGate(Kind::AtLeast, std::move(in), gate.min);
    case GateKind::Cardinality: {
      const Lit atLeastMin = makeGate(Kind::AtLeast, in, gate.min);
      const Lit atLeastAbove = makeGate(Kind::AtLeast, std::move(in), gate.max + 1);
      return makeGate(Kind::And, {atLeastMin, !atLeastAbove});
    }
  }
  return kFalseLit;
}

Pdag::Lit Pdag::makeGate(Kind kind, std::vector<Lit> in, int k) {
  // Constant propagation first: a constant input either decides the gate or drops out.
  std::vector<Lit> rest;
  rest.reserve(in.size());
  bool parity = false;
  int trueCount = 0;
  for (const Lit& l : in) {
    if (!isConstant(l)) {
      rest.push_back(l);
      continue;
    }
    const bool value = !l.negated;
    switch (kind) {
      case Kind::And:
        if (!value) return kFalseLit;
        break;
      case Kind::Or:
        if (value) return kTrueLit;
        break;
      case Kind::AtLeast:
        if (value) ++trueCount;
        break;
      case Kind::Xor:
        parity ^= value;
        break;
    }
  }
  auto withParity = [&parity](Lit l) { return parity ? !l : l; };

  if (kind == Kind::AtLeast) {
    k -= trueCount;
    const int n = static_cast<int>(rest.size());
    if (k <= 0) return kTrueLit;
    if (k > n) return kFalseLit;
    if (k == n) kind = Kind::And;
    if (k == 1) kind = Kind::Or;
  }
  if (kind == Kind::And || kind == Kind::Or) {
    // Duplicates go; x with ¬x decides the gate. First occurrences keep file order.
    std::vector<Lit> sorted = rest;
    std::sort(sorted.begin(), sorted.end(), [](Lit a, Lit b) {
      return a.node != b.node ? a.node < b.node : a.negated < b.negated;
    });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].node == sorted[i - 1].node && sorted[i].negated != sorted[i - 1].negated) {
        return kind == Kind::And ? kFalseLit : kTrueLit;
      }
    }
    std::vector<Lit> unique;
    unique.reserve(rest.size());
    std::unordered_set<std::uint64_t> seen;
    for (const Lit& l : rest) {
      if (seen.insert(std::uint64_t{l.node} * 2 + (l.negated ? 1 : 0)).second) unique.push_back(l);
    }
    rest = std::move(unique);
    if (rest.empty()) return kind == Kind::And ? kTrueLit : kFalseLit;
    if (rest.size() == 1) return rest[0];
    return newGate(kind, std::move(rest), 0);
  }
  if (kind == Kind::Xor) {
    // x ⊕ x = 0 and x ⊕ ¬x = 1: pairs on the same node cancel.
    std::vector<Lit> sorted = rest;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](Lit a, Lit b) { return a.node < b.node; });
    std::vector<Lit> kept;
    for (std::size_t i = 0; i < sorted.size();) {
      if (i + 1 < sorted.size() && sorted[i].node == sorted[i + 1].node) {
        parity ^= sorted[i].negated != sorted[i + 1].negated;
        i += 2;
        continue;
      }
      kept.push_back(sorted[i]);
      ++i;
    }
    // Keep file order among the survivors (each node survives at most once, with the sign
    // of the occurrence that survived).
    std::unordered_map<std::uint32_t, Lit> survivors;
    for (const Lit& l : kept) survivors.emplace(l.node, l);
    std::vector<Lit> ordered;
    for (const Lit& l : rest) {
      const auto it = survivors.find(l.node);
      if (it == survivors.end()) continue;
      ordered.push_back(it->second);
      survivors.erase(it);
    }
    if (ordered.empty()) return withParity(kFalseLit);
    if (ordered.size() == 1) return withParity(ordered[0]);
    return withParity(newGate(Kind::Xor, std::move(ordered), 0));
  }
  return newGate(Kind::AtLeast, std::move(rest), k);
}

Pdag::Lit Pdag::newGate(Kind kind, std::vector<Lit> inputs, int k) {
  Node n;
  n.isGate = true;
  n.kind = kind;
  n.k = k;
  n.children = std::move(inputs);
  m_nodes.push_back(std::move(n));
  return Lit{static_cast<std::uint32_t>(m_nodes.size() - 1), false};
}

bool Pdag::coherent() const {
  if (m_top.negated && !isConstant(m_top)) return false;
  for (std::uint32_t g : postOrder()) {
    const Node& n = m_nodes[g];
    if (n.kind == Kind::Xor) return false;
    for (const Lit& c : n.children) {
      if (c.negated) return false;
    }
  }
  return true;
}

std::vector<std::uint32_t> Pdag::postOrder() const {
  std::vector<std::uint32_t> out;
  if (!m_nodes[m_top.node].isGate) return out;
  std::vector<bool> seen(m_nodes.size(), false);
  std::vector<std::pair<std::uint32_t, std::size_t>> stack{{m_top.node, 0}};
  seen[m_top.node] = true;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const Node& n = m_nodes[node];
    if (next < n.children.size()) {
      const std::uint32_t c = n.children[next++].node;
      if (!seen[c] && m_nodes[c].isGate) {
        seen[c] = true;
        stack.emplace_back(c, 0);
      }
      continue;
    }
    out.push_back(node);
    stack.pop_back();
  }
  return out;
}

Pdag::Timings Pdag::timings() const {
  // Dutuit & Rauzy 1996: number every visit in one depth-first walk.
  const std::size_t size = m_nodes.size();
  constexpr std::uint32_t kNone = 0;
  Timings t;
  t.enter.assign(size, kNone);
  t.exit.assign(size, kNone);
  t.last.assign(size, kNone);
  std::uint32_t time = 0;
  std::vector<std::pair<std::uint32_t, std::size_t>> stack{{m_top.node, 0}};
  t.enter[m_top.node] = ++time;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const Node& n = m_nodes[node];
    if (next < n.children.size()) {
      const std::uint32_t c = n.children[next++].node;
      if (c == 0) continue;
      ++time;
      if (t.enter[c] != kNone) {
        t.last[c] = time;
        continue;
      }
      t.enter[c] = time;
      t.last[c] = time;
      if (m_nodes[c].isGate) stack.emplace_back(c, 0);
      continue;
    }
    t.exit[node] = ++time;
    t.last[node] = std::max(t.last[node], time);
    stack.pop_back();
  }
  // min of first visits and max of last visits over all descendants, children first.
  t.lo.assign(size, std::numeric_limits<std::uint32_t>::max());
  t.hi.assign(size, 0);
  for (std::uint32_t g : postOrder()) {
    for (const Lit& c : m_nodes[g].children) {
      if (c.node == 0) continue;
      t.lo[g] = std::min({t.lo[g], t.enter[c.node], t.lo[c.node]});
      t.hi[g] = std::max({t.hi[g], t.last[c.node], t.hi[c.node]});
    }
  }
  return t;
}

std::vector<bool> Pdag::modules() const {
  // A gate is a module when every visit to its descendants happens between entering and
  // leaving the gate.
  std::vector<bool> result(m_nodes.size(), false);
  if (!m_nodes[m_top.node].isGate) return result;
  const Timings t = timings();
  for (std::uint32_t g : postOrder()) result[g] = t.enter[g] < t.lo[g] && t.hi[g] < t.exit[g];
  result[m_top.node] = true;
  return result;
}

void Pdag::restructure() {
  if (!m_nodes[m_top.node].isGate) return;
  groupModularInputs();
}

void Pdag::groupModularInputs() {
  const Timings t = timings();
  const std::vector<std::uint32_t>& enter = t.enter;
  const std::vector<std::uint32_t>& exit = t.exit;
  const std::vector<std::uint32_t>& last = t.last;
  const std::vector<std::uint32_t>& lo = t.lo;
  const std::vector<std::uint32_t>& hi = t.hi;
  const std::vector<std::uint32_t> order = postOrder();
  // Per gate: the inputs whose visits (their own and their descendants') fall in intervals
  // that overlap no other input's form clusters; a cluster inside the gate's own interval
  // shares nothing with the rest of the graph.
  struct Span {
    std::uint32_t lo, hi;
    std::size_t input;
  };
  for (std::uint32_t g : order) {
    const Kind kind = m_nodes[g].kind;
    const std::vector<Lit> inputs = m_nodes[g].children;
    if ((kind != Kind::And && kind != Kind::Or) || inputs.size() < 3) continue;
    std::vector<Span> spans;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::uint32_t c = inputs[i].node;
      std::uint32_t a = enter[c], b = last[c];
      if (m_nodes[c].isGate) {
        a = std::min(a, lo[c]);
        b = std::max(b, hi[c]);
      }
      spans.push_back(Span{a, b, i});
    }
    std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.lo != y.lo ? x.lo < y.lo : x.input < y.input; });
    std::vector<std::vector<std::size_t>> clusters;
    std::vector<bool> modular;
    std::uint32_t clusterHi = 0, clusterLo = 0;
    for (const Span& s : spans) {
      if (clusters.empty() || s.lo > clusterHi) {
        if (!clusters.empty()) modular.push_back(enter[g] < clusterLo && clusterHi < exit[g]);
        clusters.emplace_back();
        clusterLo = s.lo;
        clusterHi = s.hi;
      }
      clusters.back().push_back(s.input);
      clusterHi = std::max(clusterHi, s.hi);
    }
    modular.push_back(enter[g] < clusterLo && clusterHi < exit[g]);
    if (clusters.size() < 2) continue;
    // Each modular cluster of several inputs becomes a gate of its own; then, when modular
    // inputs sit beside inputs that are not, all of them go under one new gate. A group
    // takes the place of its first input, so the inputs keep their order otherwise.
    std::vector<std::optional<Lit>> replacement(inputs.size());
    std::vector<bool> dropped(inputs.size(), false);
    std::vector<std::size_t> groupedAt;  // the first input of each modular cluster
    std::vector<Lit> grouped;
    bool anyRest = false;
    for (std::size_t k = 0; k < clusters.size(); ++k) {
      std::vector<std::size_t>& members = clusters[k];
      std::sort(members.begin(), members.end());
      if (!modular[k]) {
        anyRest = true;
        continue;
      }
      Lit lit = inputs[members[0]];
      if (members.size() > 1) {
        std::vector<Lit> sub;
        for (std::size_t i : members) sub.push_back(inputs[i]);
        lit = newGate(kind, std::move(sub), 0);
      }
      for (std::size_t i : members) dropped[i] = true;
      groupedAt.push_back(members[0]);
      grouped.push_back(lit);
    }
    if (grouped.empty()) continue;
    if (anyRest && grouped.size() >= 2) {
      const std::size_t first = *std::min_element(groupedAt.begin(), groupedAt.end());
      replacement[first] = newGate(kind, std::move(grouped), 0);
    } else {
      for (std::size_t k = 0; k < grouped.size(); ++k) replacement[groupedAt[k]] = grouped[k];
    }
    std::vector<Lit> now;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (replacement[i]) now.push_back(*replacement[i]);
      else if (!dropped[i]) now.push_back(inputs[i]);
    }
    if (now.size() < 2) continue;  // one group of everything: the gate itself is that module
    m_nodes[g].children = std::move(now);
  }
}

}  // namespace thornwood::core
