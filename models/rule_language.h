#pragma once

// The condition language of threat rules (docs/rules.md): a small, side-effect-free
// expression language over one system element and its neighbourhood. It has no loops, no
// assignments and no way to call code; every name is checked against the element's fields
// when the rule is read, so a typo is an error with its column, not a rule that never fires.
//
//   kind in ['device', 'sensor'] and not properties.secure_boot
//   crosses_boundary and not encrypted
//   any(outgoing, not authenticated) and zone.trust < 2

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "models/project.h"

namespace thornwood::models {

/// The kind of element a rule looks at.
enum class RuleSubject { Component, Flow, Zone };

/// Facts about a project that conditions read, computed once per run: each component's zone,
/// its flows in and out, trust, firewalls on the way from the Internet, reachability.
class RuleContext {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  explicit RuleContext(const Project& project);

  const Project& project() const { return m_project; }
  std::size_t zoneOf(std::size_t component) const { return m_zoneOf[component]; }
  const std::vector<std::size_t>& outgoing(std::size_t component) const { return m_out[component]; }
  const std::vector<std::size_t>& incoming(std::size_t component) const { return m_in[component]; }
  const std::vector<std::size_t>& members(std::size_t zone) const { return m_members[zone]; }
  std::size_t component(const std::string& id) const;
  std::size_t zoneParent(std::size_t zone) const { return m_zoneParent[zone]; }
  /// A firewall on the boundary of the component's zone or of a zone around it.
  bool behindFirewall(std::size_t component) const { return m_behindFirewall[component]; }
  /// In a zone of trust 0, or receiving a flow from a component that is.
  bool internetFacing(std::size_t component) const { return m_internetFacing[component]; }
  /// Some chain of flows leads to it from a component in a zone of trust 0.
  bool internetReachable(std::size_t component) const { return m_internetReachable[component]; }
  /// Other components of its redundancy group.
  std::size_t redundancyPeers(std::size_t component) const { return m_peers[component]; }

 private:
  const Project& m_project;
  std::vector<std::size_t> m_zoneOf;
  std::vector<std::vector<std::size_t>> m_out;
  std::vector<std::vector<std::size_t>> m_in;
  std::vector<std::vector<std::size_t>> m_members;
  std::vector<std::size_t> m_zoneParent;
  std::vector<bool> m_behindFirewall;
  std::vector<bool> m_internetFacing;
  std::vector<bool> m_internetReachable;
  std::vector<std::size_t> m_peers;
  std::vector<std::pair<std::string, std::size_t>> m_componentIds;  // sorted, for lookup
};

namespace detail {
struct Node;
}

/// A parsed, checked condition. Copies share the immutable syntax tree.
class Condition {
 public:
  /// Parses `text` as a condition over `subject`. A problem is a Malformed diagnostic whose
  /// place is "column N" (1-based) in the text.
  static core::Result<Condition> parse(std::string_view text, RuleSubject subject);

  /// True when the condition holds for element `index` of the subject's list.
  bool holds(const RuleContext& context, std::size_t index) const;

  const std::string& text() const { return m_text; }

 private:
  std::string m_text;
  RuleSubject m_subject = RuleSubject::Component;
  // Shared, never mutated: a rule set is copied into each run and the tree is large-ish.
  std::shared_ptr<const detail::Node> m_root;
};

}  // namespace thornwood::models
