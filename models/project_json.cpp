#include "models/project_json.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <type_traits>
#include <variant>

#include "models/detail/json_reader.h"
#include "models/names.h"

namespace thornwood::models {

namespace {

// ---- writing ------------------------------------------------------------------------------
//
// One description of the canonical form, `write(out, ...)`, drives two sinks: DomSink builds
// the ordered_json that toJson returns (for diff and tests), TextSink writes the text that
// is saved, directly and several times faster than building the document first. Both give
// the same bytes (a test compares them on every example).

/// Builds an ordered_json.
class DomSink {
 public:
  Json result;

  void beginObject() { open(Json::object()); }
  void beginArray() { open(Json::array()); }
  void end() { m_stack.pop_back(); }
  void key(std::string_view k) { m_key = k; }
  void value(std::string_view v) { put(Json(std::string(v))); }
  void value(bool v) { put(Json(v)); }
  void value(double v) { put(Json(v)); }
  void value(int v) { put(Json(v)); }

 private:
  Json& put(Json v) {
    if (m_stack.empty()) {
      result = std::move(v);
      return result;
    }
    Json& parent = *m_stack.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return parent.back();
    }
    return parent[m_key] = std::move(v);
  }
  void open(Json container) { m_stack.push_back(&put(std::move(container))); }

  std::vector<Json*> m_stack;
  std::string m_key;
};

/// Writes the text nlohmann's dump(2) would write for the same document.
class TextSink {
 public:
  std::string text;

  void beginObject() { open('{'); }
  void beginArray() { open('['); }
  void end() {
    const bool empty = m_frames.back().first;
    const char close = m_frames.back().array ? ']' : '}';
    m_frames.pop_back();
    if (!empty) {
      text += '\n';
      indent();
    }
    text += close;
  }
  void key(std::string_view k) {
    separate();
    quoted(k);
    text += ": ";
    m_afterKey = true;
  }
  void value(std::string_view v) {
    element();
    quoted(v);
  }
  void value(bool v) {
    element();
    text += v ? "true" : "false";
  }
  void value(int v) {
    element();
    text += std::to_string(v);
  }
  void value(double v) {
    element();
    text += Json(v).dump();  // nlohmann's shortest round-trip form, "8760.0", "1e-06"
  }

 private:
  struct Frame {
    bool array = false;
    bool first = true;
  };

  void open(char c) {
    element();
    text += c;
    m_frames.push_back(Frame{c == '[', true});
  }
  /// Before a value: in an array, the separator and indent; after a key, nothing.
  void element() {
    if (m_afterKey || m_frames.empty()) {
      m_afterKey = false;
      return;
    }
    separate();
  }
  void separate() {
    Frame& f = m_frames.back();
    text += f.first ? "\n" : ",\n";
    f.first = false;
    indent();
  }
  void indent() { text.append(2 * m_frames.size(), ' '); }
  void quoted(std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
    });
    if (plain) {
      text += '"';
      text += s;
      text += '"';
      return;
    }
    // Escapes and UTF-8 exactly as dump() does; bytes that are not UTF-8 become U+FFFD
    // instead of throwing.
    text += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  std::vector<Frame> m_frames;
  bool m_afterKey = false;
};

template <class Out, class E>
void field(Out& o, const char* key, E value) {
  o.key(key);
  if constexpr (std::is_enum_v<E>) {
    o.value(nameOf(value));
  } else {
    o.value(value);
  }
}

template <class Out>
void field(Out& o, const char* key, const std::string& value) {
  o.key(key);
  o.value(std::string_view(value));
}

template <class Out>
void putText(Out& o, const char* key, const std::string& value) {
  if (!value.empty()) field(o, key, value);
}

template <class Out>
void putNumber(Out& o, const char* key, const std::optional<double>& value) {
  if (value) field(o, key, *value);
}

template <class Out>
void strings(Out& o, const char* key, const std::vector<std::string>& values) {
  o.key(key);
  o.beginArray();
  for (const std::string& v : values) o.value(std::string_view(v));
  o.end();
}

template <class Out>
void putList(Out& o, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) strings(o, key, values);
}

template <class Out>
void write(Out& o, const ComponentProperties& p) {
  o.beginObject();
  field(o, "authenticates_before_sending", p.authenticatesBeforeSending);
  field(o, "update_mechanism", p.updateMechanism);
  field(o, "updates_authenticated", p.updatesAuthenticated);
  field(o, "secure_boot", p.secureBoot);
  field(o, "default_credentials", p.defaultCredentials);
  field(o, "debug_port_exposed", p.debugPortExposed);
  field(o, "tamper_detection", p.tamperDetection);
  field(o, "physical_exposure", p.physicalExposure);
  field(o, "wireless", p.wireless);
  field(o, "constrained", p.constrained);
  field(o, "stores_personal_data", p.storesPersonalData);
  field(o, "logs", p.logs);
  field(o, "logs_integrity_protected", p.logsIntegrityProtected);
  putText(o, "redundancy_group", p.redundancyGroup);
  o.end();
}

template <class Out>
void putAttributes(Out& o, const Attributes& attributes) {
  if (attributes.empty()) return;
  o.key("attributes");
  o.beginObject();
  for (const auto& [name, value] : attributes) {
    o.key(name);
    std::visit([&o](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        o.value(std::string_view(v));
      } else {
        o.value(v);
      }
    }, value);
  }
  o.end();
}

template <class Out>
void write(Out& o, const Component& c) {
  o.beginObject();
  field(o, "id", c.id);
  field(o, "name", c.name);
  field(o, "kind", c.kind);
  putText(o, "description", c.description);
  o.key("properties");
  write(o, c.properties);
  putAttributes(o, c.attributes);
  o.end();
}

template <class Out>
void write(Out& o, const DataFlow& f) {
  o.beginObject();
  field(o, "id", f.id);
  field(o, "name", f.name);
  field(o, "source", f.source);
  field(o, "target", f.target);
  putText(o, "protocol", f.protocol);
  field(o, "classification", f.classification);
  field(o, "encrypted", f.encrypted);
  field(o, "authenticated", f.authenticated);
  field(o, "integrity_protected", f.integrityProtected);
  field(o, "rate_limited", f.rateLimited);
  putAttributes(o, f.attributes);
  o.end();
}

template <class Out>
void write(Out& o, const TrustZone& z) {
  o.beginObject();
  field(o, "id", z.id);
  field(o, "name", z.name);
  putText(o, "parent", z.parent);
  field(o, "trust", z.trust);
  field(o, "firewall", z.firewall);
  field(o, "filtering", z.filtering);
  strings(o, "members", z.members);
  o.end();
}

template <class Out, class T>
void list(Out& o, const char* key, const std::vector<T>& items) {
  o.key(key);
  o.beginArray();
  for (const T& item : items) write(o, item);
  o.end();
}

template <class Out>
void write(Out& o, const System& s) {
  o.beginObject();
  list(o, "components", s.components);
  list(o, "flows", s.flows);
  list(o, "zones", s.zones);
  o.end();
}

template <class Out>
void write(Out& o, const Threat& t) {
  o.beginObject();
  field(o, "id", t.id);
  field(o, "title", t.title);
  putText(o, "description", t.description);
  field(o, "category", t.category);
  field(o, "target", t.target);
  field(o, "origin", t.rule.empty() ? std::string("manual") : "rule:" + t.rule);
  field(o, "status", t.status);
  putText(o, "justification", t.justification);
  field(o, "likelihood", t.likelihood);
  field(o, "impact", t.impact);
  putText(o, "attack_tree", t.attackTree);
  putList(o, "mitigations", t.mitigations);
  putList(o, "capec", t.capec);
  putList(o, "cwe", t.cwe);
  if (t.obsolete) field(o, "obsolete", true);
  if (t.autoStatus) field(o, "auto_status", true);
  o.end();
}

template <class Out>
void write(Out& o, const AttackNode& n) {
  o.beginObject();
  field(o, "id", n.id);
  field(o, "name", n.name);
  field(o, "kind", n.kind);
  if (n.kind == AttackNodeKind::AtLeast) field(o, "k", n.k);
  putList(o, "children", n.children);
  putText(o, "tree", n.tree);
  putNumber(o, "cost", n.cost);
  putNumber(o, "time", n.time);
  putNumber(o, "skill", n.skill);
  putNumber(o, "probability", n.probability);
  putText(o, "source", n.source);
  o.end();
}

template <class Out>
void write(Out& o, const AttackTree& t) {
  o.beginObject();
  field(o, "id", t.id);
  field(o, "name", t.name);
  field(o, "root", t.root);
  list(o, "nodes", t.nodes);
  o.end();
}

/// Each distribution's parameters under their usual names.
std::pair<const char*, const char*> parameterNames(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::Lognormal: return {"mean", "error_factor"};
    case DistributionKind::Normal: return {"mean", "sigma"};
    case DistributionKind::Uniform: return {"low", "high"};
    case DistributionKind::Beta: return {"alpha", "beta"};
    case DistributionKind::Gamma: return {"k", "theta"};
  }
  return {"a", "b"};
}

template <class Out>
void write(Out& o, const FaultGate& g) {
  o.beginObject();
  field(o, "id", g.id);
  putText(o, "name", g.name);
  field(o, "kind", g.kind);
  if (g.kind == FaultGateKind::AtLeast) field(o, "k", g.k);
  strings(o, "inputs", g.inputs);
  o.end();
}

template <class Out>
void write(Out& o, const FaultEvent& e) {
  o.beginObject();
  field(o, "id", e.id);
  putText(o, "name", e.name);
  putNumber(o, "probability", e.probability);
  putNumber(o, "rate", e.rate);
  putText(o, "attack_tree", e.attackTree);
  if (e.distribution) {
    const auto [a, b] = parameterNames(e.distribution->kind);
    o.key("distribution");
    o.beginObject();
    field(o, "kind", e.distribution->kind);
    field(o, a, e.distribution->a);
    field(o, b, e.distribution->b);
    o.end();
  }
  putText(o, "source", e.source);
  o.end();
}

template <class Out>
void write(Out& o, const HouseEventDef& h) {
  o.beginObject();
  field(o, "id", h.id);
  putText(o, "name", h.name);
  field(o, "state", h.state);
  o.end();
}

template <class Out>
void write(Out& o, const ProjectFaultTree& t) {
  o.beginObject();
  field(o, "id", t.id);
  field(o, "name", t.name);
  field(o, "top", t.top);
  list(o, "gates", t.gates);
  list(o, "events", t.events);
  if (!t.houseEvents.empty()) list(o, "house_events", t.houseEvents);
  o.end();
}

template <class Out>
void write(Out& o, const Rating& r) {
  o.beginObject();
  field(o, "likelihood", r.likelihood);
  field(o, "severity", r.severity);
  o.end();
}

template <class Out>
void write(Out& o, const Hazard& h) {
  o.beginObject();
  field(o, "id", h.id);
  field(o, "title", h.title);
  field(o, "situation", h.situation);
  field(o, "harm", h.harm);
  o.key("before");
  write(o, h.before);
  o.key("after");
  write(o, h.after);
  putText(o, "fault_tree", h.faultTree);
  putList(o, "mitigations", h.mitigations);
  o.end();
}

template <class Out>
void write(Out& o, const Effect& e) {
  o.beginObject();
  field(o, "kind", e.kind);
  field(o, "tree", e.tree);
  field(o, e.kind == EffectKind::Blocks ? "node" : "event", e.element);
  if (e.kind == EffectKind::Lowers) field(o, "factor", e.factor);
  o.end();
}

template <class Out>
void write(Out& o, const RequirementRef& r) {
  o.beginObject();
  field(o, "baseline", r.baseline);
  field(o, "requirement", r.requirement);
  o.end();
}

template <class Out>
void write(Out& o, const NotApplicable& n) {
  o.beginObject();
  field(o, "requirement", n.requirement);
  field(o, "justification", n.justification);
  o.end();
}

template <class Out>
void write(Out& o, const BaselineSelection& b) {
  o.beginObject();
  field(o, "baseline", b.baseline);
  putText(o, "edition", b.edition);
  if (!b.notApplicable.empty()) list(o, "not_applicable", b.notApplicable);
  o.end();
}

template <class Out>
void write(Out& o, const Mitigation& m) {
  o.beginObject();
  field(o, "id", m.id);
  field(o, "title", m.title);
  putText(o, "description", m.description);
  field(o, "status", m.status);
  field(o, "cost", m.cost);
  field(o, "phase", m.phase);
  if (!m.effects.empty()) list(o, "effects", m.effects);
  if (!m.requirements.empty()) list(o, "requirements", m.requirements);
  o.end();
}

template <class Out>
void write(Out& o, const LikelihoodLevel& l) {
  o.beginObject();
  field(o, "id", l.id);
  field(o, "name", l.name);
  putNumber(o, "max_probability", l.maxProbability);
  o.end();
}

template <class Out>
void write(Out& o, const SeverityLevel& s) {
  o.beginObject();
  field(o, "id", s.id);
  field(o, "name", s.name);
  o.end();
}

template <class Out>
void write(Out& o, const RiskClass& c) {
  o.beginObject();
  field(o, "id", c.id);
  field(o, "name", c.name);
  field(o, "acceptable", c.acceptable);
  o.end();
}

template <class Out>
void write(Out& o, const RiskMatrix& m) {
  o.beginObject();
  list(o, "likelihoods", m.likelihoods);
  list(o, "severities", m.severities);
  list(o, "classes", m.classes);
  o.key("cells");
  o.beginArray();
  for (const auto& row : m.cells) {
    o.beginArray();
    for (const std::string& c : row) o.value(std::string_view(c));
    o.end();
  }
  o.end();
  o.end();
}

template <class Out>
void write(Out& o, const Settings& s) {
  o.beginObject();
  field(o, "mission_time", s.missionTime);
  field(o, "cut_off", s.cutOff);
  field(o, "limit_order", s.limitOrder);
  field(o, "max_cut_sets", s.maxCutSets);
  o.key("gate");
  o.beginObject();
  putText(o, "open_threat_class", s.gate.openThreatClass);
  field(o, "fail_on_unacceptable_residual", s.gate.failOnUnacceptableResidual);
  putNumber(o, "max_top_probability", s.gate.maxTopProbability);
  o.end();
  o.end();
}

template <class Out>
void write(Out& o, const Placement& pl) {
  o.beginObject();
  field(o, "element", pl.element);
  field(o, "x", pl.x);
  field(o, "y", pl.y);
  if (pl.width != 0 || pl.height != 0) {
    field(o, "width", pl.width);
    field(o, "height", pl.height);
  }
  o.end();
}

/// The document; with a generator, the format header comes first.
template <class Out>
void writeDocument(Out& o, const Project& p, const std::string* generator) {
  o.beginObject();
  if (generator) {
    field(o, "format", std::string(kFormatKeyValue));
    field(o, "format_version", kFormatVersionValue);
    field(o, "generator", *generator);
  }
  o.key("project");
  o.beginObject();
  field(o, "name", p.name);
  putText(o, "description", p.description);
  o.end();
  o.key("settings");
  write(o, p.settings);
  o.key("risk_matrix");
  write(o, p.riskMatrix);
  o.key("system");
  write(o, p.system);
  list(o, "threats", p.threats);
  list(o, "attack_trees", p.attackTrees);
  list(o, "fault_trees", p.faultTrees);
  list(o, "hazards", p.hazards);
  list(o, "mitigations", p.mitigations);
  // Written only when baselines are selected, so that files from before it stay canonical.
  if (!p.compliance.baselines.empty()) {
    o.key("compliance");
    o.beginObject();
    list(o, "baselines", p.compliance.baselines);
    o.end();
  }
  std::vector<const Placement*> layout;
  for (const Placement& pl : p.layout) layout.push_back(&pl);
  std::stable_sort(layout.begin(), layout.end(),
                   [](const Placement* a, const Placement* b) { return a->element < b->element; });
  o.key("layout");
  o.beginArray();
  for (const Placement* pl : layout) write(o, *pl);
  o.end();
  o.end();
}

// ---- reading ------------------------------------------------------------------------------

using detail::child;
using detail::Need;
using detail::Reader;
using detail::typeName;

void readProperties(Reader& r, const Json& j, const std::string& at, ComponentProperties& p) {
  if (!r.object(j, at,
                {"authenticates_before_sending", "update_mechanism", "updates_authenticated", "secure_boot",
                 "default_credentials", "debug_port_exposed", "tamper_detection", "physical_exposure", "wireless",
                 "constrained", "stores_personal_data", "logs", "logs_integrity_protected", "redundancy_group"})) {
    return;
  }
  const Need o = Need::Optional;
  r.flag(j, at, "authenticates_before_sending", p.authenticatesBeforeSending, o);
  r.choice(j, at, "update_mechanism", p.updateMechanism, o);
  r.flag(j, at, "updates_authenticated", p.updatesAuthenticated, o);
  r.flag(j, at, "secure_boot", p.secureBoot, o);
  r.flag(j, at, "default_credentials", p.defaultCredentials, o);
  r.flag(j, at, "debug_port_exposed", p.debugPortExposed, o);
  r.flag(j, at, "tamper_detection", p.tamperDetection, o);
  r.choice(j, at, "physical_exposure", p.physicalExposure, o);
  r.choice(j, at, "wireless", p.wireless, o);
  r.flag(j, at, "constrained", p.constrained, o);
  r.flag(j, at, "stores_personal_data", p.storesPersonalData, o);
  r.flag(j, at, "logs", p.logs, o);
  r.flag(j, at, "logs_integrity_protected", p.logsIntegrityProtected, o);
  r.text(j, at, "redundancy_group", p.redundancyGroup, o);
}

void readAttributes(Reader& r, const Json& j, const std::string& at, Attributes& into) {
  const Json* v = r.field(j, at, "attributes", Need::Optional);
  if (!v) return;
  const std::string here = child(at, "attributes");
  if (!v->is_object()) return r.problem(here, "expected an object, found " + typeName(*v));
  for (const auto& [name, value] : v->items()) {
    if (value.is_boolean()) {
      into[name] = value.get<bool>();
    } else if (value.is_number()) {
      into[name] = value.get<double>();
    } else if (value.is_string()) {
      into[name] = value.get<std::string>();
    } else {
      r.problem(child(here, name), "an attribute is true/false, a number or text, not " + typeName(value));
    }
  }
}

void readSystem(Reader& r, const Json& j, const std::string& at, System& s) {
  if (!r.object(j, at, {"components", "flows", "zones"})) return;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.list(j, at, "components", s.components, opt, [&](const Json& cj, const std::string& p, Component& c) {
    if (!r.object(cj, p, {"id", "name", "kind", "description", "properties", "attributes"})) return;
    readAttributes(r, cj, p, c.attributes);
    r.text(cj, p, "id", c.id, req);
    r.text(cj, p, "name", c.name, req);
    r.choice(cj, p, "kind", c.kind, req);
    r.text(cj, p, "description", c.description, opt);
    if (const Json* props = r.field(cj, p, "properties", opt)) readProperties(r, *props, child(p, "properties"), c.properties);
  });
  r.list(j, at, "flows", s.flows, opt, [&](const Json& fj, const std::string& p, DataFlow& f) {
    if (!r.object(fj, p,
                  {"id", "name", "source", "target", "protocol", "classification", "encrypted", "authenticated",
                   "integrity_protected", "rate_limited", "attributes"})) {
      return;
    }
    readAttributes(r, fj, p, f.attributes);
    r.text(fj, p, "id", f.id, req);
    r.text(fj, p, "name", f.name, req);
    r.text(fj, p, "source", f.source, req);
    r.text(fj, p, "target", f.target, req);
    r.text(fj, p, "protocol", f.protocol, opt);
    r.choice(fj, p, "classification", f.classification, req);
    r.flag(fj, p, "encrypted", f.encrypted, opt);
    r.flag(fj, p, "authenticated", f.authenticated, opt);
    r.flag(fj, p, "integrity_protected", f.integrityProtected, opt);
    r.flag(fj, p, "rate_limited", f.rateLimited, opt);
  });
  r.list(j, at, "zones", s.zones, opt, [&](const Json& zj, const std::string& p, TrustZone& z) {
    if (!r.object(zj, p, {"id", "name", "parent", "trust", "firewall", "filtering", "members"})) return;
    r.text(zj, p, "id", z.id, req);
    r.text(zj, p, "name", z.name, req);
    r.text(zj, p, "parent", z.parent, opt);
    r.integer(zj, p, "trust", z.trust, req);
    r.flag(zj, p, "firewall", z.firewall, opt);
    r.flag(zj, p, "filtering", z.filtering, opt);
    r.strings(zj, p, "members", z.members, opt);
  });
}

void readThreat(Reader& r, const Json& j, const std::string& at, Threat& t) {
  if (!r.object(j, at,
                {"id", "title", "description", "category", "target", "origin", "status", "justification", "likelihood", "impact",
                 "attack_tree", "mitigations", "capec", "cwe", "obsolete", "auto_status"})) {
    return;
  }
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.text(j, at, "id", t.id, req);
  r.text(j, at, "title", t.title, req);
  r.text(j, at, "description", t.description, opt);
  r.choice(j, at, "category", t.category, req);
  r.text(j, at, "target", t.target, req);
  std::string origin = "manual";
  r.text(j, at, "origin", origin, opt);
  if (origin.rfind("rule:", 0) == 0 && origin.size() > 5) {
    t.rule = origin.substr(5);
  } else if (origin != "manual") {
    r.problem(child(at, "origin"), "origin \"" + origin + "\" is neither \"manual\" nor \"rule:<rule id>\"");
  }
  r.choice(j, at, "status", t.status, req);
  r.text(j, at, "justification", t.justification, opt);
  r.text(j, at, "likelihood", t.likelihood, req);
  r.text(j, at, "impact", t.impact, req);
  r.text(j, at, "attack_tree", t.attackTree, opt);
  r.strings(j, at, "mitigations", t.mitigations, opt);
  r.strings(j, at, "capec", t.capec, opt);
  r.strings(j, at, "cwe", t.cwe, opt);
  r.flag(j, at, "obsolete", t.obsolete, opt);
  r.flag(j, at, "auto_status", t.autoStatus, opt);
}

void readAttackTree(Reader& r, const Json& j, const std::string& at, AttackTree& t) {
  if (!r.object(j, at, {"id", "name", "root", "nodes"})) return;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.text(j, at, "id", t.id, req);
  r.text(j, at, "name", t.name, req);
  r.text(j, at, "root", t.root, req);
  r.list(j, at, "nodes", t.nodes, req, [&](const Json& nj, const std::string& p, AttackNode& n) {
    if (!r.object(nj, p, {"id", "name", "kind", "k", "children", "tree", "cost", "time", "skill", "probability", "source"})) {
      return;
    }
    r.text(nj, p, "id", n.id, req);
    r.text(nj, p, "name", n.name, req);
    r.choice(nj, p, "kind", n.kind, req);
    r.integer(nj, p, "k", n.k, n.kind == AttackNodeKind::AtLeast ? req : opt);
    r.strings(nj, p, "children", n.children, opt);
    r.text(nj, p, "tree", n.tree, n.kind == AttackNodeKind::TreeRef ? req : opt);
    r.number(nj, p, "cost", n.cost);
    r.number(nj, p, "time", n.time);
    r.number(nj, p, "skill", n.skill);
    r.number(nj, p, "probability", n.probability);
    r.text(nj, p, "source", n.source, opt);
  });
}

void readFaultTree(Reader& r, const Json& j, const std::string& at, ProjectFaultTree& t) {
  if (!r.object(j, at, {"id", "name", "top", "gates", "events", "house_events"})) return;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.text(j, at, "id", t.id, req);
  r.text(j, at, "name", t.name, req);
  r.text(j, at, "top", t.top, req);
  r.list(j, at, "gates", t.gates, req, [&](const Json& gj, const std::string& p, FaultGate& g) {
    if (!r.object(gj, p, {"id", "name", "kind", "k", "inputs"})) return;
    r.text(gj, p, "id", g.id, req);
    r.text(gj, p, "name", g.name, opt);
    r.choice(gj, p, "kind", g.kind, req);
    r.integer(gj, p, "k", g.k, g.kind == FaultGateKind::AtLeast ? req : opt);
    r.strings(gj, p, "inputs", g.inputs, req);
  });
  r.list(j, at, "events", t.events, opt, [&](const Json& ej, const std::string& p, FaultEvent& e) {
    if (!r.object(ej, p, {"id", "name", "probability", "rate", "attack_tree", "distribution", "source"})) return;
    r.text(ej, p, "id", e.id, req);
    r.text(ej, p, "name", e.name, opt);
    r.number(ej, p, "probability", e.probability);
    r.number(ej, p, "rate", e.rate);
    r.text(ej, p, "attack_tree", e.attackTree, opt);
    r.text(ej, p, "source", e.source, opt);
    const Json* dj = r.field(ej, p, "distribution", opt);
    if (!dj) return;
    const std::string dp = child(p, "distribution");
    Distribution d;
    if (!dj->is_object()) return r.problem(dp, "expected an object, found " + typeName(*dj));
    r.choice(*dj, dp, "kind", d.kind, req);
    const auto [a, b] = parameterNames(d.kind);
    if (!r.object(*dj, dp, {"kind", a, b})) return;
    r.number(*dj, dp, a, d.a, req);
    r.number(*dj, dp, b, d.b, req);
    e.distribution = d;
  });
  r.list(j, at, "house_events", t.houseEvents, opt, [&](const Json& hj, const std::string& p, HouseEventDef& h) {
    if (!r.object(hj, p, {"id", "name", "state"})) return;
    r.text(hj, p, "id", h.id, req);
    r.text(hj, p, "name", h.name, opt);
    r.flag(hj, p, "state", h.state, req);
  });
}

void readRating(Reader& r, const Json& j, const std::string& at, const char* key, Rating& into) {
  const Json* v = r.field(j, at, key, Need::Required);
  if (!v) return;
  const std::string p = child(at, key);
  if (!r.object(*v, p, {"likelihood", "severity"})) return;
  r.text(*v, p, "likelihood", into.likelihood, Need::Required);
  r.text(*v, p, "severity", into.severity, Need::Required);
}

void readHazard(Reader& r, const Json& j, const std::string& at, Hazard& h) {
  if (!r.object(j, at, {"id", "title", "situation", "harm", "before", "after", "fault_tree", "mitigations"})) return;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.text(j, at, "id", h.id, req);
  r.text(j, at, "title", h.title, req);
  r.text(j, at, "situation", h.situation, req);
  r.text(j, at, "harm", h.harm, req);
  readRating(r, j, at, "before", h.before);
  readRating(r, j, at, "after", h.after);
  r.text(j, at, "fault_tree", h.faultTree, opt);
  r.strings(j, at, "mitigations", h.mitigations, opt);
}

void readMitigation(Reader& r, const Json& j, const std::string& at, Mitigation& m) {
  if (!r.object(j, at, {"id", "title", "description", "status", "cost", "phase", "effects", "requirements"})) return;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  r.text(j, at, "id", m.id, req);
  r.text(j, at, "title", m.title, req);
  r.text(j, at, "description", m.description, opt);
  r.choice(j, at, "status", m.status, req);
  r.number(j, at, "cost", m.cost, req);
  r.choice(j, at, "phase", m.phase, req);
  r.list(j, at, "effects", m.effects, opt, [&](const Json& ej, const std::string& p, Effect& e) {
    if (!ej.is_object()) return r.problem(p, "expected an object, found " + typeName(ej));
    r.choice(ej, p, "kind", e.kind, req);
    const char* elementKey = e.kind == EffectKind::Blocks ? "node" : "event";
    if (e.kind == EffectKind::Lowers) {
      if (!r.object(ej, p, {"kind", "tree", "event", "factor"})) return;
      r.number(ej, p, "factor", e.factor, req);
    } else if (!r.object(ej, p, {"kind", "tree", elementKey})) {
      return;
    }
    r.text(ej, p, "tree", e.tree, req);
    r.text(ej, p, elementKey, e.element, req);
  });
  r.list(j, at, "requirements", m.requirements, opt,
         [&](const Json& rj, const std::string& p, RequirementRef& q) { detail::readRequirement(r, rj, p, q); });
}

void readRiskMatrix(Reader& r, const Json& j, const std::string& at, RiskMatrix& m) {
  if (!r.object(j, at, {"likelihoods", "severities", "classes", "cells"})) return;
  const Need req = Need::Required;
  m = RiskMatrix{};
  r.list(j, at, "likelihoods", m.likelihoods, req, [&](const Json& lj, const std::string& p, LikelihoodLevel& l) {
    if (!r.object(lj, p, {"id", "name", "max_probability"})) return;
    r.text(lj, p, "id", l.id, req);
    r.text(lj, p, "name", l.name, req);
    r.number(lj, p, "max_probability", l.maxProbability);
  });
  r.list(j, at, "severities", m.severities, req, [&](const Json& sj, const std::string& p, SeverityLevel& s) {
    if (!r.object(sj, p, {"id", "name"})) return;
    r.text(sj, p, "id", s.id, req);
    r.text(sj, p, "name", s.name, req);
  });
  r.list(j, at, "classes", m.classes, req, [&](const Json& cj, const std::string& p, RiskClass& c) {
    if (!r.object(cj, p, {"id", "name", "acceptable"})) return;
    r.text(cj, p, "id", c.id, req);
    r.text(cj, p, "name", c.name, req);
    r.flag(cj, p, "acceptable", c.acceptable, req);
  });
  const Json* cells = r.field(j, at, "cells", req);
  if (!cells) return;
  const std::string cp = child(at, "cells");
  if (!cells->is_array()) return r.problem(cp, "expected an array of rows, found " + typeName(*cells));
  for (std::size_t row = 0; row < cells->size(); ++row) {
    const Json& rj = (*cells)[row];
    if (!rj.is_array()) {
      r.problem(child(cp, row), "expected a row (an array of class ids), found " + typeName(rj));
      continue;
    }
    std::vector<std::string> ids;
    for (std::size_t col = 0; col < rj.size(); ++col) {
      if (!rj[col].is_string()) {
        r.problem(child(child(cp, row), col), "expected a class id, found " + typeName(rj[col]));
        continue;
      }
      ids.push_back(rj[col].get<std::string>());
    }
    m.cells.push_back(std::move(ids));
  }
}

void readSettings(Reader& r, const Json& j, const std::string& at, Settings& s) {
  if (!r.object(j, at, {"mission_time", "cut_off", "limit_order", "max_cut_sets", "gate"})) return;
  const Need opt = Need::Optional;
  r.number(j, at, "mission_time", s.missionTime, opt);
  r.number(j, at, "cut_off", s.cutOff, opt);
  r.integer(j, at, "limit_order", s.limitOrder, opt);
  r.integer(j, at, "max_cut_sets", s.maxCutSets, opt);
  const Json* g = r.field(j, at, "gate", opt);
  if (!g) return;
  const std::string gp = child(at, "gate");
  if (!r.object(*g, gp, {"open_threat_class", "fail_on_unacceptable_residual", "max_top_probability"})) return;
  r.text(*g, gp, "open_threat_class", s.gate.openThreatClass, opt);
  r.flag(*g, gp, "fail_on_unacceptable_residual", s.gate.failOnUnacceptableResidual, opt);
  r.number(*g, gp, "max_top_probability", s.gate.maxTopProbability);
}

}  // namespace

Json toJson(const Project& p) {
  DomSink sink;
  writeDocument(sink, p, nullptr);
  return std::move(sink.result);
}

std::string toCanonicalText(const Project& p, const std::string& generator) {
  TextSink sink;
  sink.text.reserve(4096);
  writeDocument(sink, p, &generator);
  sink.text += '\n';
  return std::move(sink.text);
}

ReadOutcome fromJson(const Json& doc, const std::string& file) {
  ReadOutcome out;
  Reader r(file, out.diagnostics);
  const std::string root;
  if (!r.object(doc, root,
                {"format", "format_version", "generator", "project", "settings", "risk_matrix", "system", "threats",
                 "attack_trees", "fault_trees", "hazards", "mitigations", "compliance", "layout"})) {
    return out;
  }
  Project p;
  const Need req = Need::Required;
  const Need opt = Need::Optional;
  if (const Json* pj = r.field(doc, root, "project", req)) {
    if (r.object(*pj, "/project", {"name", "description"})) {
      r.text(*pj, "/project", "name", p.name, req);
      r.text(*pj, "/project", "description", p.description, opt);
    }
  }
  if (const Json* s = r.field(doc, root, "settings", opt)) readSettings(r, *s, "/settings", p.settings);
  if (const Json* m = r.field(doc, root, "risk_matrix", opt)) readRiskMatrix(r, *m, "/risk_matrix", p.riskMatrix);
  if (const Json* s = r.field(doc, root, "system", req)) readSystem(r, *s, "/system", p.system);
  r.list(doc, root, "threats", p.threats, opt,
         [&](const Json& j, const std::string& at, Threat& t) { readThreat(r, j, at, t); });
  r.list(doc, root, "attack_trees", p.attackTrees, opt,
         [&](const Json& j, const std::string& at, AttackTree& t) { readAttackTree(r, j, at, t); });
  r.list(doc, root, "fault_trees", p.faultTrees, opt,
         [&](const Json& j, const std::string& at, ProjectFaultTree& t) { readFaultTree(r, j, at, t); });
  r.list(doc, root, "hazards", p.hazards, opt,
         [&](const Json& j, const std::string& at, Hazard& h) { readHazard(r, j, at, h); });
  r.list(doc, root, "mitigations", p.mitigations, opt,
         [&](const Json& j, const std::string& at, Mitigation& m) { readMitigation(r, j, at, m); });
  if (const Json* c = r.field(doc, root, "compliance", opt)) {
    if (r.object(*c, "/compliance", {"baselines"})) {
      r.list(*c, "/compliance", "baselines", p.compliance.baselines, req,
             [&](const Json& j, const std::string& at, BaselineSelection& b) {
               if (!r.object(j, at, {"baseline", "edition", "not_applicable"})) return;
               r.text(j, at, "baseline", b.baseline, req);
               r.text(j, at, "edition", b.edition, opt);
               r.list(j, at, "not_applicable", b.notApplicable, opt,
                      [&](const Json& nj, const std::string& nat, NotApplicable& n) {
                        if (!r.object(nj, nat, {"requirement", "justification"})) return;
                        r.text(nj, nat, "requirement", n.requirement, req);
                        r.text(nj, nat, "justification", n.justification, req);
                      });
             });
    }
  }
  r.list(doc, root, "layout", p.layout, opt, [&](const Json& j, const std::string& at, Placement& pl) {
    if (!r.object(j, at, {"element", "x", "y", "width", "height"})) return;
    r.text(j, at, "element", pl.element, req);
    r.number(j, at, "x", pl.x, req);
    r.number(j, at, "y", pl.y, req);
    r.number(j, at, "width", pl.width, opt);
    r.number(j, at, "height", pl.height, opt);
  });
  if (out.diagnostics.empty()) out.project = std::move(p);
  return out;
}

}  // namespace thornwood::models
