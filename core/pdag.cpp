#include "core/pdag.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <map>
#include <array>
#include <set>
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

Pdag::Lit Pdag::makeGate(Kind kind, std::vector<Lit> in, int k, std::uint32_t reuse) {
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
    if (rest.size() <= 32) {  // most gates: a scan costs less than a hash set
      for (const Lit& l : rest) {
        if (std::find(unique.begin(), unique.end(), l) == unique.end()) unique.push_back(l);
      }
    } else {
      std::unordered_set<std::uint64_t> seen;
      for (const Lit& l : rest) {
        if (seen.insert(l.key()).second) unique.push_back(l);
      }
    }
    rest = std::move(unique);
    if (rest.empty()) return kind == Kind::And ? kTrueLit : kFalseLit;
    if (rest.size() == 1) return rest[0];
    return newGate(kind, std::move(rest), 0, reuse);
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
    return withParity(newGate(Kind::Xor, std::move(ordered), 0, reuse));
  }
  return newGate(Kind::AtLeast, std::move(rest), k, reuse);
}

Pdag::Lit Pdag::newGate(Kind kind, std::vector<Lit> inputs, int k, std::uint32_t reuse) {
  Node n;
  n.isGate = true;
  n.kind = kind;
  n.k = k;
  n.children = std::move(inputs);
  if (reuse != 0) {
    m_nodes[reuse] = std::move(n);
    return Lit{reuse, false};
  }
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

Pdag::Timings Pdag::timings(const std::vector<std::uint32_t>& order) const {
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
  for (std::uint32_t g : order) {
    for (const Lit& c : m_nodes[g].children) {
      if (c.node == 0) continue;
      t.lo[g] = std::min({t.lo[g], t.enter[c.node], t.lo[c.node]});
      t.hi[g] = std::max({t.hi[g], t.last[c.node], t.hi[c.node]});
    }
  }
  return t;
}

std::vector<bool> Pdag::modules() const { return modules(postOrder()); }

std::vector<bool> Pdag::modules(const std::vector<std::uint32_t>& order) const {
  // A gate is a module when every visit to its descendants happens between entering and
  // leaving the gate.
  std::vector<bool> result(m_nodes.size(), false);
  if (!m_nodes[m_top.node].isGate) return result;
  const Timings t = timings(order);
  for (std::uint32_t g : order) result[g] = t.enter[g] < t.lo[g] && t.hi[g] < t.exit[g];
  result[m_top.node] = true;
  return result;
}

void Pdag::restructure(Preprocessing level, const std::atomic<bool>* cancel) {
  m_cancel = cancel;
  m_rewriteWork = 0;
  if (!m_nodes[m_top.node].isGate) return;
  if (level == Preprocessing::ModulesOnly) {
    groupModularInputs();
    return;
  }
  // SCRAM's phase II, run twice as SCRAM does when it normalises: each pass leaves work
  // for the next (new modules bound the redundancy search; merged inputs make new
  // common nodes). Constants, single inputs and duplicates are cleaned after each step.
  using Step = void (Pdag::*)();
  static constexpr Step kPhase[] = {
      &Pdag::mergeIdenticalGates, &Pdag::groupModularInputs, &Pdag::coalesce,
      &Pdag::mergeCommonInputs,   &Pdag::distribute,         &Pdag::groupModularInputs,
      &Pdag::removeRedundantOccurrences, &Pdag::decomposeCommonNodes, &Pdag::groupModularInputs,
      &Pdag::coalesce,            &Pdag::groupModularInputs};
  for (int pass = 0; pass < 2; ++pass) {
    for (Step step : kPhase) {
      if (spent() || !m_nodes[m_top.node].isGate) return;
      (this->*step)();
    }
  }
}

void Pdag::parents(const std::vector<std::uint32_t>& order, std::vector<std::vector<std::uint32_t>>& out) const {
  out.resize(m_nodes.size());
  for (auto& list : out) list.clear();
  for (std::uint32_t g : order) {
    for (const Lit& c : m_nodes[g].children) {
      // A gate's inputs are pushed together, so a repeated input repeats at the back.
      if (c.node != 0 && (out[c.node].empty() || out[c.node].back() != g)) out[c.node].push_back(g);
    }
  }
}

const Pdag::Structure& Pdag::structure() {
  if (!m_structureValid) {
    const std::vector<std::uint32_t> order = postOrder();
    parents(order, m_structure.parents);
    m_structure.modules = modules(order);
    m_structureValid = true;
    for (const auto& p : m_structure.parents) m_rewriteWork += p.size() + 1;
  }
  return m_structure;
}

void Pdag::simplify(bool mergeIdentical) {
  changed();
  if (!m_nodes[m_top.node].isGate) return;
  std::vector<Lit> rep(m_nodes.size());
  for (std::size_t i = 0; i < rep.size(); ++i) rep[i] = Lit{static_cast<std::uint32_t>(i), false};
  std::map<std::vector<std::uint64_t>, std::uint32_t> defined;
  for (std::uint32_t g : postOrder()) {
    const Node& n = m_nodes[g];
    std::vector<Lit> in;
    in.reserve(n.children.size());
    for (const Lit& c : n.children) in.push_back(c.negated ? !rep[c.node] : rep[c.node]);
    Lit r = makeGate(n.kind, std::move(in), n.k, g);
    if (mergeIdentical && r.node == g) {
      // SCRAM's "multiple definitions": a gate with the same kind and inputs as one met
      // before is that gate.
      std::vector<std::uint64_t> key{static_cast<std::uint64_t>(m_nodes[g].kind),
                                     static_cast<std::uint64_t>(m_nodes[g].k)};
      for (const Lit& c : m_nodes[g].children) key.push_back(c.key());
      std::sort(key.begin() + 2, key.end());
      const auto [it, added] = defined.emplace(std::move(key), g);
      if (!added) r = Lit{it->second, r.negated};
    }
    rep[g] = r;
  }
  m_top = m_top.negated ? !rep[m_top.node] : rep[m_top.node];
}

std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> Pdag::commonNodes() {
  const auto& p = structure().parents;
  std::vector<std::uint32_t> gates, variables;
  std::vector<bool> seen(m_nodes.size(), false);
  std::vector<std::uint32_t> queue{m_top.node};
  seen[m_top.node] = true;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (const Lit& c : m_nodes[queue[i]].children) {
      if (c.node == 0 || seen[c.node]) continue;
      seen[c.node] = true;
      if (m_nodes[c.node].isGate) queue.push_back(c.node);
      if (p[c.node].size() > 1) (m_nodes[c.node].isGate ? gates : variables).push_back(c.node);
    }
  }
  return {std::move(gates), std::move(variables)};
}

void Pdag::removeRedundantOccurrences() {
  // With negations a node's state would be true or false; SCRAM too optimises coherent
  // graphs only.
  if (!m_nodes[m_top.node].isGate || !coherent()) return;
  const auto [gates, variables] = commonNodes();
  for (std::uint32_t n : gates) {
    if (spent()) return;
    removeRedundantOccurrences(n);
  }
  for (std::uint32_t n : variables) {
    if (spent()) return;
    removeRedundantOccurrences(n);
  }
}

void Pdag::decomposeCommonNodes() {
  if (!m_nodes[m_top.node].isGate) return;
  auto [gates, variables] = commonNodes();
  // Deepest first, gates before variables, as SCRAM does.
  for (auto it = gates.rbegin(); it != gates.rend() && !spent(); ++it) decomposeCommonNode(*it);
  for (auto it = variables.rbegin(); it != variables.rend() && !spent(); ++it) decomposeCommonNode(*it);
}

bool Pdag::decomposeCommonNode(std::uint32_t x) {
  // For an AND parent d of x: d = x AND rest, so inside what only d reaches, x may be taken
  // true; for an OR parent, false. d qualifies when it is itself above another parent of x
  // (within x's module). A parent of x below d that is also reached from elsewhere is
  // copied, and the copy takes the constant.
  bool changedAny = false;
  for (int round = 0; round < 64; ++round) {
    if (!m_nodes[m_top.node].isGate) return changedAny;
    const Structure& now = structure();
    const auto& p = now.parents;
    if (p[x].size() < 2) return changedAny;
    const std::vector<bool>& module = now.modules;
    const std::size_t size = m_nodes.size();
    // Ancestors of the parents of x, not above the nearest module.
    std::vector<char> above(size, 0);
    std::vector<std::uint32_t> stack;
    for (std::uint32_t q : p[x]) {
      if (!module[q]) stack.insert(stack.end(), p[q].begin(), p[q].end());
    }
    while (!stack.empty()) {
      const std::uint32_t a = stack.back();
      stack.pop_back();
      if (above[a]) continue;
      above[a] = 1;
      if (!module[a]) stack.insert(stack.end(), p[a].begin(), p[a].end());
    }
    std::vector<std::uint32_t> destinations;
    for (std::uint32_t q : p[x]) {
      const Kind k = m_nodes[q].kind;
      if (above[q] && (k == Kind::And || k == Kind::Or)) destinations.push_back(q);
    }
    bool changed = false;
    for (std::uint32_t d : destinations) {
      changed = decomposeBelow(x, d, p, above);
      if (changed) break;
    }
    if (!changed) return changedAny;
    changedAny = true;
    simplify(false);
  }
  return changedAny;
}

bool Pdag::decomposeBelow(std::uint32_t x, std::uint32_t d, const std::vector<std::vector<std::uint32_t>>& p,
                          std::vector<char> above) {
  const std::size_t size = p.size();
  bool negated = false;
  for (const Lit& c : m_nodes[d].children) {
    if (c.node == x) negated = c.negated;
  }
  // The value x takes below d.
  const bool value = (m_nodes[d].kind == Kind::And) != negated;
  // within[g]: every path from the top to g passes through d.
  std::vector<signed char> within(size, -1);
  within[d] = 1;
  auto isWithin = [&](std::uint32_t g) {
    std::vector<std::uint32_t> todo{g};
    while (!todo.empty()) {
      const std::uint32_t n = todo.back();
      if (within[n] >= 0) {
        todo.pop_back();
        continue;
      }
      if (p[n].empty()) {  // the top, not d
        within[n] = 0;
        todo.pop_back();
        continue;
      }
      bool pending = false, all = true;
      for (std::uint32_t q : p[n]) {
        if (within[q] < 0) {
          todo.push_back(q);
          pending = true;
        } else if (within[q] == 0) {
          all = false;
        }
      }
      if (pending && all) continue;
      within[n] = all ? 1 : 0;
      todo.pop_back();
    }
    return within[g] == 1;
  };
  bool changed = false;
  std::vector<char> visited(size, 0);
  const Lit constant = value ? kTrueLit : kFalseLit;
  auto setConstant = [&](std::uint32_t g) {
    for (Lit& c : m_nodes[g].children) {
      if (c.node == x) c = c.negated ? !constant : constant;
    }
  };
  std::vector<std::uint32_t> walk{d};
  visited[d] = 1;
  while (!walk.empty()) {
    const std::uint32_t a = walk.back();
    walk.pop_back();
    for (std::size_t i = 0; i < m_nodes[a].children.size(); ++i) {
      std::uint32_t g = m_nodes[a].children[i].node;
      if (!m_nodes[g].isGate || g >= size) continue;
      const bool parentOfX = std::find(p[x].begin(), p[x].end(), g) != p[x].end();
      if (parentOfX && !visited[g]) {
        if (isWithin(g)) {
          setConstant(g);
        } else {
          Node copy = m_nodes[g];
          m_nodes.push_back(std::move(copy));
          const std::uint32_t clone = static_cast<std::uint32_t>(m_nodes.size() - 1);
          setConstant(clone);
          m_nodes[a].children[i].node = clone;
          visited.push_back(1);
          within.push_back(1);
          above.push_back(above[g]);
          g = clone;
        }
        changed = true;
      }
      if (visited[g] || !above[g]) continue;
      if (g < size && !isWithin(g)) continue;
      visited[g] = 1;
      walk.push_back(g);
    }
  }
  return changed;
}

void Pdag::mergeCommonInputs() {
  for (Kind kind : {Kind::And, Kind::Or}) {
    for (int round = 0; round < 8 && !spent() && m_nodes[m_top.node].isGate && mergeCommonInputs(kind); ++round) {
    }
  }
}

bool Pdag::mergeCommonInputs(Kind kind) {
  const std::vector<std::uint32_t> order = postOrder();
  std::vector<std::vector<std::uint32_t>> p;
  parents(order, p);
  std::vector<std::uint32_t> count(m_nodes.size(), 0);  // parents of this kind
  for (std::uint32_t g : order) {
    if (m_nodes[g].kind != kind) continue;
    for (const Lit& c : m_nodes[g].children) {
      if (!c.negated && c.node != 0) ++count[c.node];
    }
  }
  // Per candidate gate, its inputs that another gate of the kind has too.
  std::vector<std::uint32_t> gates;
  std::vector<std::vector<std::uint32_t>> shared;
  for (std::uint32_t g : order) {
    if (m_nodes[g].kind != kind) continue;
    std::vector<std::uint32_t> in;
    for (const Lit& c : m_nodes[g].children) {
      if (!c.negated && c.node != 0 && count[c.node] > 1) in.push_back(c.node);
    }
    if (in.size() < 2) continue;
    std::sort(in.begin(), in.end());
    in.erase(std::unique(in.begin(), in.end()), in.end());
    gates.push_back(g);
    shared.push_back(std::move(in));
  }
  // Options: each set of at least two inputs that two candidates have in common.
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> holders;
  for (std::size_t i = 0; i < gates.size(); ++i) {
    for (std::uint32_t a : shared[i]) holders[a].push_back(i);
  }
  std::set<std::vector<std::uint32_t>> options;
  for (std::size_t i = 0; i < gates.size(); ++i) {
    std::vector<std::size_t> others;
    for (std::uint32_t a : shared[i]) {
      for (std::size_t j : holders[a]) {
        if (j > i) others.push_back(j);
      }
    }
    std::sort(others.begin(), others.end());
    others.erase(std::unique(others.begin(), others.end()), others.end());
    for (std::size_t j : others) {
      std::vector<std::uint32_t> common;
      std::set_intersection(shared[i].begin(), shared[i].end(), shared[j].begin(), shared[j].end(),
                            std::back_inserter(common));
      if (common.size() >= 2) options.insert(std::move(common));
    }
  }
  if (options.empty()) return false;
  struct Option {
    std::vector<std::uint32_t> inputs;
    std::vector<std::size_t> holders;  // candidates that have all the inputs
  };
  std::vector<Option> table;
  for (const auto& option : options) {
    Option o{option, {}};
    for (std::size_t i : holders[option[0]]) {
      if (std::includes(shared[i].begin(), shared[i].end(), option.begin(), option.end())) o.holders.push_back(i);
    }
    table.push_back(std::move(o));
  }
  std::vector<std::size_t> parentCount(m_nodes.size(), 0);
  for (std::size_t n = 0; n < p.size(); ++n) parentCount[n] = p[n].size();
  bool any = false;
  for (;;) {
    // The best option, as SCRAM chooses: most inputs that no gate outside the option has,
    // then most with one such gate, then two.
    Option* best = nullptr;
    std::array<int, 3> bestScore{-1, -1, -1};
    for (Option& o : table) {
      if (o.holders.size() < 2) continue;
      std::array<int, 3> score{0, 0, 0};
      for (std::uint32_t a : o.inputs) {
        const std::size_t extra = parentCount[a] - std::min(parentCount[a], o.holders.size());
        if (extra < 3) ++score[extra];
      }
      if (score > bestScore) {
        bestScore = score;
        best = &o;
      }
    }
    if (!best) break;
    any = true;
    std::vector<Lit> inputs;
    for (std::uint32_t a : best->inputs) inputs.push_back(Lit{a, false});
    const Lit merged = newGate(kind, std::move(inputs), 0);
    for (std::size_t i : best->holders) {
      std::vector<Lit> now;
      for (const Lit& c : m_nodes[gates[i]].children) {
        if (c.negated || !std::binary_search(best->inputs.begin(), best->inputs.end(), c.node)) now.push_back(c);
      }
      now.push_back(merged);
      m_nodes[gates[i]].children = std::move(now);
    }
    for (std::uint32_t a : best->inputs) parentCount[a] = parentCount[a] + 1 - best->holders.size();
    // The gates just changed no longer have those inputs separately.
    const std::vector<std::size_t> done = std::move(best->holders);
    best->holders.clear();
    for (Option& o : table) {
      if (o.holders.empty()) continue;
      std::vector<std::uint32_t> both;
      std::set_intersection(o.inputs.begin(), o.inputs.end(), best->inputs.begin(), best->inputs.end(),
                            std::back_inserter(both));
      if (both.empty()) continue;
      std::erase_if(o.holders, [&](std::size_t i) { return std::find(done.begin(), done.end(), i) != done.end(); });
    }
  }
  simplify(false);
  return any;
}

void Pdag::distribute() {
  const std::vector<bool> module = modules();
  auto keysOf = [&](std::uint32_t g) {
    std::vector<std::uint64_t> out;
    for (const Lit& c : m_nodes[g].children) out.push_back(c.key());
    std::sort(out.begin(), out.end());
    return out;
  };
  for (std::uint32_t g : postOrder()) {
    const Kind kind = m_nodes[g].kind;
    if (kind != Kind::And && kind != Kind::Or) continue;
    const Kind other = kind == Kind::And ? Kind::Or : Kind::And;
    const std::vector<std::uint64_t> own = keysOf(g);
    struct Candidate {
      std::uint32_t node;
      std::vector<std::uint64_t> keys;
    };
    std::vector<Candidate> candidates;
    std::vector<std::uint32_t> absorbed;
    for (const Lit& c : m_nodes[g].children) {
      const Node& n = m_nodes[c.node];
      if (c.negated || !n.isGate || n.kind != other || module[c.node]) continue;
      std::vector<std::uint64_t> keys = keysOf(c.node);
      std::vector<std::uint64_t> common;
      std::set_intersection(keys.begin(), keys.end(), own.begin(), own.end(), std::back_inserter(common));
      if (!common.empty()) {
        absorbed.push_back(c.node);  // a OR (a AND b) = a; a AND (a OR b) = a
        continue;
      }
      candidates.push_back(Candidate{c.node, std::move(keys)});
    }
    // (a AND b) OR (a AND b AND c) = a AND b: drop every candidate that includes another.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.keys.size() < b.keys.size(); });
    std::vector<Candidate> kept;
    for (Candidate& c : candidates) {
      const bool super = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
        return std::includes(c.keys.begin(), c.keys.end(), k.keys.begin(), k.keys.end());
      });
      if (super) {
        absorbed.push_back(c.node);
      } else {
        kept.push_back(std::move(c));
      }
    }
    std::vector<Lit> added;
    std::vector<std::uint32_t> factored;
    // Factor the candidates that share inputs, the most shared input first.
    for (;;) {
      std::map<std::uint64_t, int> uses;
      for (const Candidate& c : kept) {
        for (std::uint64_t k : c.keys) ++uses[k];
      }
      std::uint64_t best = 0;
      int most = 1;
      for (const auto& [k, n] : uses) {
        if (n > most) {
          most = n;
          best = k;
        }
      }
      if (most < 2) break;
      std::vector<Candidate> members, rest;
      for (Candidate& c : kept) {
        (std::binary_search(c.keys.begin(), c.keys.end(), best) ? members : rest).push_back(std::move(c));
      }
      kept = std::move(rest);
      std::vector<std::uint64_t> common = members[0].keys;
      for (const Candidate& c : members) {
        std::vector<std::uint64_t> both;
        std::set_intersection(common.begin(), common.end(), c.keys.begin(), c.keys.end(), std::back_inserter(both));
        common = std::move(both);
      }
      std::vector<Lit> alternatives;
      for (const Candidate& c : members) {
        std::vector<Lit> remaining;
        for (std::uint64_t k : c.keys) {
          if (!std::binary_search(common.begin(), common.end(), k)) remaining.push_back(Lit::fromKey(k));
        }
        alternatives.push_back(remaining.size() == 1 ? remaining[0] : newGate(other, std::move(remaining), 0));
        factored.push_back(c.node);
      }
      std::vector<Lit> inputs;
      for (std::uint64_t k : common) inputs.push_back(Lit::fromKey(k));
      inputs.push_back(newGate(kind, std::move(alternatives), 0));
      added.push_back(newGate(other, std::move(inputs), 0));
    }
    if (absorbed.empty() && factored.empty()) continue;
    std::vector<Lit> now;
    for (const Lit& c : m_nodes[g].children) {
      const bool gone = !c.negated && (std::find(absorbed.begin(), absorbed.end(), c.node) != absorbed.end() ||
                                       std::find(factored.begin(), factored.end(), c.node) != factored.end());
      if (!gone) now.push_back(c);
    }
    now.insert(now.end(), added.begin(), added.end());
    m_nodes[g].children = std::move(now);
  }
  simplify(false);
}

void Pdag::coalesce() {
  if (!m_nodes[m_top.node].isGate) return;
  const std::vector<std::uint32_t> order = postOrder();
  std::vector<std::vector<std::uint32_t>> p;
  parents(order, p);
  const std::vector<bool> module = modules(order);
  for (std::uint32_t g : order) {
    const Kind kind = m_nodes[g].kind;
    if (kind != Kind::And && kind != Kind::Or) continue;
    std::vector<Lit> now;
    bool changed = false;
    for (const Lit& c : m_nodes[g].children) {
      const Node& n = m_nodes[c.node];
      if (!c.negated && n.isGate && n.kind == kind && p[c.node].size() == 1 && !module[c.node]) {
        now.insert(now.end(), n.children.begin(), n.children.end());
        changed = true;
      } else {
        now.push_back(c);
      }
    }
    if (changed) m_nodes[g].children = std::move(now);
  }
  simplify(false);
}

bool Pdag::removeRedundantOccurrences(std::uint32_t x) {
  // Rauzy's redundancy elimination as SCRAM implements it. Set x true and see which of its
  // ancestors (up to the nearest module, outside which x is not seen) become true. A gate
  // that does is a destination when some undecided ancestor has it as an input. If x = 1
  // forces every destination, f equals f with each destination D replaced by D OR x and x
  // replaced by false in every parent that only matters through a destination. Worth it
  // when that leaves fewer occurrences of x than there were.
  if (!m_nodes[m_top.node].isGate) return false;
  const Structure& now = structure();
  const auto& p = now.parents;
  if (p[x].size() < 2) return false;
  const std::vector<bool>& module = now.modules;
  const std::size_t size = m_nodes.size();
  std::vector<char> ancestor(size, 0);
  std::optional<std::uint32_t> root;
  std::vector<std::uint32_t> stack(p[x].begin(), p[x].end());
  while (!stack.empty()) {
    const std::uint32_t g = stack.back();
    stack.pop_back();
    if (ancestor[g]) continue;
    ancestor[g] = 1;
    if (module[g]) {
      if (root && *root != g) return false;  // cannot happen: modules nest
      root = g;
      continue;
    }
    stack.insert(stack.end(), p[g].begin(), p[g].end());
  }
  if (!root) return false;
  // States, children before parents, over the ancestors.
  std::vector<char> failed(size, 0);
  std::size_t multiplicity = p[x].size();
  {
    std::vector<char> done(size, 0);
    std::vector<std::pair<std::uint32_t, std::size_t>> walk{{*root, 0}};
    done[*root] = 1;
    while (!walk.empty()) {
      auto& [g, next] = walk.back();
      const Node& n = m_nodes[g];
      if (next < n.children.size()) {
        const std::uint32_t c = n.children[next++].node;
        if (ancestor[c] && !done[c]) {
          done[c] = 1;
          walk.emplace_back(c, 0);
        }
        continue;
      }
      int count = 0;
      for (const Lit& c : n.children) count += (c.node == x || (ancestor[c.node] && failed[c.node])) ? 1 : 0;
      const int inputs = static_cast<int>(n.children.size());
      switch (n.kind) {
        case Kind::Or:
          failed[g] = count >= 1;
          break;
        case Kind::And:
          failed[g] = count == inputs;
          break;
        case Kind::AtLeast:
          failed[g] = count >= n.k;
          break;
        case Kind::Xor:
          return false;
      }
      if (failed[g] && p[g].size() > 1) multiplicity += p[g].size();
      walk.pop_back();
    }
  }
  // Destinations: decided ancestors that are inputs of undecided ones, counted per edge.
  std::vector<std::uint32_t> destinations;
  std::size_t count = 0;
  std::vector<char> undecided(size, 0);
  if (failed[*root]) {
    destinations.push_back(*root);
    count = 1;
  } else {
    std::vector<std::uint32_t> todo{*root};
    undecided[*root] = 1;
    while (!todo.empty()) {
      const std::uint32_t g = todo.back();
      todo.pop_back();
      for (const Lit& c : m_nodes[g].children) {
        if (c.node == x || !ancestor[c.node]) continue;
        if (failed[c.node]) {
          ++count;
          destinations.push_back(c.node);
        } else if (!undecided[c.node]) {
          undecided[c.node] = 1;
          todo.push_back(c.node);
        }
      }
    }
  }
  if (count == 0 || count >= multiplicity) return false;
  std::sort(destinations.begin(), destinations.end());
  destinations.erase(std::unique(destinations.begin(), destinations.end()), destinations.end());
  std::vector<std::uint32_t> redundant;
  for (std::uint32_t q : p[x]) {
    if (undecided[q]) continue;
    const auto it = std::lower_bound(destinations.begin(), destinations.end(), q);
    if (m_nodes[q].kind == Kind::Or && it != destinations.end() && *it == q) {
      destinations.erase(it);  // x stays where it is: q is already q OR x
      continue;
    }
    redundant.push_back(q);
  }
  if (redundant.empty()) return false;
  for (std::uint32_t q : redundant) {
    for (Lit& c : m_nodes[q].children) {
      if (c.node == x) c = kFalseLit;  // coherent: never negated
    }
  }
  const Lit xLit{x, false};
  for (std::uint32_t d : destinations) {
    if (m_nodes[d].kind == Kind::Or) {
      m_nodes[d].children.push_back(xLit);
      continue;
    }
    const std::uint32_t wrapper = newGate(Kind::Or, {xLit, Lit{d, false}}, 0).node;
    for (std::uint32_t q : p[d]) {
      for (Lit& c : m_nodes[q].children) {
        if (c.node == d) c.node = wrapper;
      }
    }
    if (m_top.node == d) m_top.node = wrapper;
  }
  simplify(false);
  return true;
}

void Pdag::groupModularInputs() {
  changed();
  const std::vector<std::uint32_t> order = postOrder();
  const Timings t = timings(order);
  const std::vector<std::uint32_t>& enter = t.enter;
  const std::vector<std::uint32_t>& exit = t.exit;
  const std::vector<std::uint32_t>& last = t.last;
  const std::vector<std::uint32_t>& lo = t.lo;
  const std::vector<std::uint32_t>& hi = t.hi;
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
