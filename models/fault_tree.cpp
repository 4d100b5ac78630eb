#include "models/fault_tree.h"

#include <unordered_map>

namespace thornwood::models {

namespace {

core::Diagnostic placed(const SourcePlace& at, std::string problem) {
  core::Diagnostic d = core::error(core::ErrorCode::Malformed, at.place, std::move(problem));
  d.file = at.file;
  return d;
}

}  // namespace

CompileOutcome compile(const FaultTree& tree) {
  CompileOutcome out;
  CompiledFaultTree ct;
  std::unordered_map<std::string, SourcePlace> firstDefinition;
  auto define = [&](const std::string& id, const SourcePlace& at) {
    const auto [it, inserted] = firstDefinition.emplace(id, at);
    if (inserted) return true;
    const SourcePlace& first = it->second;
    const std::string where = first.file.empty() ? first.place : first.file + ":" + first.place;
    out.diagnostics.push_back(placed(at, "\"" + id + "\" is defined twice (first at " + where + ")"));
    return false;
  };
  for (const BasicEvent& e : tree.basicEvents) {
    if (!define(e.id, e.source)) continue;
    if (e.probability && !(*e.probability >= 0.0 && *e.probability <= 1.0)) {
      out.diagnostics.push_back(placed(e.source, "basic event \"" + e.id + "\" has probability " +
                                                     std::to_string(*e.probability) +
                                                     ", outside [0, 1]"));
    }
    ct.graph.addVariable(e.id, e.probability);
    ct.sources.push_back(e.source);
  }
  for (const HouseEvent& h : tree.houseEvents) {
    if (!define(h.id, h.source)) continue;
    ct.graph.addConstant(h.id, h.state);
    ct.sources.push_back(h.source);
  }
  std::vector<std::pair<core::NodeId, const FaultTreeGate*>> gates;
  for (const FaultTreeGate& g : tree.gates) {
    if (!define(g.id, g.source)) continue;
    gates.emplace_back(ct.graph.addGate(g.id), &g);
    ct.sources.push_back(g.source);
  }
  for (const auto& [id, g] : gates) {
    std::vector<core::NodeId> inputs;
    bool ok = true;
    for (const std::string& in : g->inputs) {
      const auto child = ct.graph.find(in);
      if (!child) {
        out.diagnostics.push_back(
            placed(g->source, "gate \"" + g->id + "\" uses unknown event \"" + in + "\""));
        ok = false;
        continue;
      }
      inputs.push_back(*child);
    }
    if (ok) ct.graph.defineGate(id, g->kind, std::move(inputs), g->min, g->max);
  }
  if (!out.diagnostics.empty()) return out;
  for (core::Diagnostic d : ct.graph.validate()) {
    if (const auto node = ct.graph.find(d.place)) {
      d.file = ct.sources[*node].file;
      d.place = ct.sources[*node].place;
    }
    out.diagnostics.push_back(std::move(d));
  }
  if (out.diagnostics.empty()) out.compiled = std::move(ct);
  return out;
}

}  // namespace thornwood::models
