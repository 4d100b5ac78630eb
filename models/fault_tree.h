#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/logic_graph.h"

namespace thornwood::models {

/// Where an element was defined, for messages: the file and a line:column or JSON pointer.
struct SourcePlace {
  std::string file;
  std::string place;
  bool operator==(const SourcePlace&) const = default;
};

struct BasicEvent {
  std::string id;
  std::optional<double> probability;  ///< over the mission time; empty when not given
  SourcePlace source;
  bool operator==(const BasicEvent&) const = default;
};

struct HouseEvent {
  std::string id;
  bool state = false;
  SourcePlace source;
  bool operator==(const HouseEvent&) const = default;
};

/// A gate with its connective and the ids of its inputs (gates, basic or house events).
struct FaultTreeGate {
  std::string id;
  core::GateKind kind = core::GateKind::And;
  int min = 0;  ///< k of atleast, lower bound of cardinality
  int max = 0;  ///< upper bound of cardinality
  std::vector<std::string> inputs;
  SourcePlace source;
  bool operator==(const FaultTreeGate&) const = default;
};

/// A fault tree (or a forest of them) as plain data, ids resolved.
struct FaultTree {
  std::string name;
  std::vector<FaultTreeGate> gates;
  std::vector<BasicEvent> basicEvents;
  std::vector<HouseEvent> houseEvents;
  bool operator==(const FaultTree&) const = default;
};

struct CompiledFaultTree {
  core::LogicGraph graph;
  std::vector<SourcePlace> sources;  ///< per graph node
};

/// Builds the engine's logic graph and checks it (unknown inputs, cycles, arity, k out of
/// range, duplicate ids). Every problem is reported, placed at the element's source; the
/// graph is returned only when there is none.
struct CompileOutcome {
  std::optional<CompiledFaultTree> compiled;
  std::vector<core::Diagnostic> diagnostics;
};
CompileOutcome compile(const FaultTree& tree);

}  // namespace thornwood::models
