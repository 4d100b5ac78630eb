#include "importers/mef_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "importers/detail/xml_document.h"

namespace thornwood::importers {

namespace {

using core::Diagnostic;
using core::ErrorCode;

using Document = detail::XmlDocument;

enum class DefKind { Gate, BasicEvent, HouseEvent, Parameter, CcfGroup, CcfMember };

std::string_view kindWord(DefKind k) {
  switch (k) {
    case DefKind::Gate:
      return "gate";
    case DefKind::BasicEvent:
      return "basic event";
    case DefKind::HouseEvent:
      return "house event";
    case DefKind::Parameter:
      return "parameter";
    case DefKind::CcfGroup:
      return "CCF group";
    case DefKind::CcfMember:
      return "basic event";
  }
  return "element";
}

struct Definition {
  DefKind kind;
  std::string id;         // canonical id: the plain name when public, the full path if private
  std::string container;  // dotted path of the fault tree / component, empty for model-data
  pugi::xml_node node;
  const Document* doc;
};

/// The element children of n, in document order.
std::vector<pugi::xml_node> elementChildren(pugi::xml_node n) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : n.children()) {
    if (c.type() == pugi::node_element) out.push_back(c);
  }
  return out;
}

/// The element children that carry meaning: <label> and <attributes> only describe.
std::vector<pugi::xml_node> contentOf(pugi::xml_node n) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : elementChildren(n)) {
    const std::string_view tag = c.name();
    if (tag != "label" && tag != "attributes") out.push_back(c);
  }
  return out;
}

/// Nested formulas and expressions are read recursively; deeper documents are refused.
constexpr int kMaxDepth = 500;

struct DepthGuard {
  int& depth;
  explicit DepthGuard(int& d) : depth(++d) {}
  ~DepthGuard() { --depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

class Reader {
 public:
  explicit Reader(const MefOptions& options) : m_options(options) {}
  MefOutcome run(const std::vector<std::string>& files);

 private:
  bool load(const std::string& path, Document& doc);
  void collect(const Document& doc, pugi::xml_node container, const std::string& path,
               bool privateScope);
  void addDefinition(DefKind kind, const Document& doc, pugi::xml_node node,
                     const std::string& container, bool privateScope);
  const Definition* resolve(std::string_view name, const std::string& container,
                            std::optional<DefKind> kind) const;
  void buildGate(const Definition& def);
  void collectCcfGroup(const Document& doc, pugi::xml_node group, const std::string& path,
                       bool privateScope);
  void buildCcfGroup(const Definition& group);
  std::optional<std::string> formula(const Definition& def, pugi::xml_node f,
                                     const std::string& gateId, int& anonymous);
  std::optional<double> expression(const Definition& owner, pugi::xml_node e);
  std::optional<double> parameterValue(const Definition& def);
  std::optional<double> number(const Definition& owner, pugi::xml_node e, const char* attr);

  void report(ErrorCode code, const Document& doc, pugi::xml_node at, std::string problem) {
    Diagnostic d = core::error(code, doc.placeOf(at), std::move(problem));
    d.file = doc.path;
    m_diagnostics.push_back(std::move(d));
  }

  const MefOptions& m_options;
  int m_depth = 0;
  double m_missionTime = 8760.0;
  std::vector<std::unique_ptr<Document>> m_docs;
  std::vector<Definition> m_defs;
  // canonical id -> definition index, one map per kind family: gates and events share names.
  std::unordered_map<std::string, std::size_t> m_events;
  std::unordered_map<std::string, std::size_t> m_parameters;
  std::unordered_map<std::string, double> m_parameterValues;
  std::set<std::string> m_parameterStack;
  models::FaultTree m_tree;
  std::vector<Diagnostic> m_diagnostics;
};

bool Reader::load(const std::string& path, Document& doc) {
  if (!detail::loadXml(path, m_options.maxFileBytes, doc, m_diagnostics)) return false;
  const pugi::xml_node root = doc.xml.document_element();
  if (std::strcmp(root.name(), "opsa-mef") != 0) {
    report(ErrorCode::Malformed, doc, root,
           std::string("expected an <opsa-mef> document, found <") + root.name() + ">");
    return false;
  }
  return true;
}

bool isPrivate(pugi::xml_node n, bool inherited) {
  const pugi::xml_attribute role = n.attribute("role");
  if (!role) return inherited;
  return std::strcmp(role.value(), "private") == 0;
}

void Reader::addDefinition(DefKind kind, const Document& doc, pugi::xml_node node,
                           const std::string& container, bool privateScope) {
  const std::string name = node.attribute("name").value();
  if (name.empty()) {
    report(ErrorCode::Malformed, doc, node,
           std::string("<") + node.name() + "> has no name attribute");
    return;
  }
  const bool priv = isPrivate(node, privateScope);
  const std::string id = priv && !container.empty() ? container + "." + name : name;
  auto& table = kind == DefKind::Parameter ? m_parameters : m_events;
  const auto [it, inserted] = table.emplace(id, m_defs.size());
  if (!inserted) {
    const Definition& first = m_defs[it->second];
    report(ErrorCode::Malformed, doc, node,
           std::string(kindWord(kind)) + " \"" + id + "\" is defined twice (first as " +
               std::string(kindWord(first.kind)) + " at " + first.doc->path + ":" +
               first.doc->placeOf(first.node) + ")");
    return;
  }
  m_defs.push_back(Definition{kind, id, container, node, &doc});
  // Public elements inside a container can also be named by their full path.
  if (!priv && !container.empty()) table.emplace(container + "." + name, m_defs.size() - 1);
}

void Reader::collect(const Document& doc, pugi::xml_node container, const std::string& path,
                     bool privateScope) {
  for (pugi::xml_node n : container.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string_view tag = n.name();
    if (tag == "define-gate") {
      addDefinition(DefKind::Gate, doc, n, path, privateScope);
    } else if (tag == "define-basic-event") {
      addDefinition(DefKind::BasicEvent, doc, n, path, privateScope);
    } else if (tag == "define-house-event") {
      addDefinition(DefKind::HouseEvent, doc, n, path, privateScope);
    } else if (tag == "define-CCF-group") {
      collectCcfGroup(doc, n, path, privateScope);
    } else if (tag == "define-parameter") {
      addDefinition(DefKind::Parameter, doc, n, path, privateScope);
    } else if (tag == "define-fault-tree" || tag == "define-component") {
      const std::string name = n.attribute("name").value();
      if (name.empty()) {
        report(ErrorCode::Malformed, doc, n, "<" + std::string(tag) + "> has no name attribute");
        continue;
      }
      if (tag == "define-fault-tree" && m_tree.name.empty()) m_tree.name = name;
      collect(doc, n, path.empty() ? name : path + "." + name, isPrivate(n, privateScope));
    } else if (tag == "model-data") {
      collect(doc, n, path, privateScope);
    } else if (tag == "label" || tag == "attributes") {
      // descriptive only
    } else {
      report(ErrorCode::Unsupported, doc, n,
             "<" + std::string(tag) + "> is not supported by Thornwood's MEF reader");
    }
  }
}

const Definition* Reader::resolve(std::string_view name, const std::string& container,
                                  std::optional<DefKind> kind) const {
  const auto& table = kind == DefKind::Parameter ? m_parameters : m_events;
  auto lookup = [&](const std::string& key) -> const Definition* {
    const auto it = table.find(key);
    if (it == table.end()) return nullptr;
    const Definition& d = m_defs[it->second];
    const DefKind found = d.kind == DefKind::CcfMember ? DefKind::BasicEvent : d.kind;
    if (kind && found != *kind) return nullptr;
    return &d;
  };
  // Innermost scope first: private names of the container and its parents, then public.
  std::string scope = container;
  while (!scope.empty()) {
    if (const Definition* d = lookup(scope + "." + std::string(name))) return d;
    const auto dot = scope.rfind('.');
    scope = dot == std::string::npos ? std::string() : scope.substr(0, dot);
  }
  return lookup(std::string(name));
}

std::optional<double> Reader::number(const Definition& owner, pugi::xml_node e, const char* attr) {
  const pugi::xml_attribute a = e.attribute(attr);
  const std::string text = a.value();
  if (!a || text.empty()) {
    report(ErrorCode::Malformed, *owner.doc, e,
           "<" + std::string(e.name()) + "> needs a " + attr + " attribute");
    return std::nullopt;
  }
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  double v = 0;
  in >> v;
  if (in.fail() || !(in >> std::ws).eof() || !std::isfinite(v)) {
    report(ErrorCode::Malformed, *owner.doc, e,
           "\"" + text + "\" is not a finite number in <" + e.name() + ">");
    return std::nullopt;
  }
  return v;
}

std::optional<double> Reader::parameterValue(const Definition& def) {
  if (const auto it = m_parameterValues.find(def.id); it != m_parameterValues.end()) {
    return it->second;
  }
  if (!m_parameterStack.insert(def.id).second) {
    report(ErrorCode::Malformed, *def.doc, def.node,
           "parameter \"" + def.id + "\" is defined in terms of itself");
    return std::nullopt;
  }
  std::optional<double> v;
  const std::vector<pugi::xml_node> body = contentOf(def.node);
  if (body.empty()) {
    report(ErrorCode::Malformed, *def.doc, def.node,
           "parameter \"" + def.id + "\" has no expression");
  } else {
    v = expression(def, body.front());
  }
  m_parameterStack.erase(def.id);
  if (v) m_parameterValues.emplace(def.id, *v);
  return v;
}

std::optional<double> Reader::expression(const Definition& owner, pugi::xml_node e) {
  const std::string_view tag = e.name();
  const DepthGuard guard(m_depth);
  if (m_depth > kMaxDepth) {
    report(ErrorCode::Limit, *owner.doc, e,
           "expression nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return std::nullopt;
  }
  const std::vector<pugi::xml_node> args = elementChildren(e);
  auto arity = [&](std::size_t lo, std::size_t hi) {
    if (args.size() >= lo && args.size() <= hi) return true;
    report(ErrorCode::Malformed, *owner.doc, e,
           "<" + std::string(tag) + "> takes " + std::to_string(lo) +
               (hi != lo ? " to " + std::to_string(hi) : std::string()) + " arguments, not " +
               std::to_string(args.size()));
    return false;
  };
  auto values = [&]() -> std::optional<std::vector<double>> {
    std::vector<double> out;
    for (pugi::xml_node a : args) {
      const auto v = expression(owner, a);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  };
  if (tag == "float" || tag == "int") return number(owner, e, "value");
  if (tag == "bool") return std::string_view(e.attribute("value").value()) == "true" ? 1.0 : 0.0;
  if (tag == "system-mission-time") return m_missionTime;
  if (tag == "pi") return M_PI;
  if (tag == "parameter") {
    const std::string name = e.attribute("name").value();
    const Definition* d = resolve(name, owner.container, DefKind::Parameter);
    if (!d) {
      report(ErrorCode::Malformed, *owner.doc, e, "unknown parameter \"" + name + "\"");
      return std::nullopt;
    }
    return parameterValue(*d);
  }
  // Arithmetic.
  using Fold = std::function<double(double, double)>;
  static const std::map<std::string_view, Fold> folds = {
      {"add", [](double a, double b) { return a + b; }},
      {"sub", [](double a, double b) { return a - b; }},
      {"mul", [](double a, double b) { return a * b; }},
      {"div", [](double a, double b) { return a / b; }},
      {"min", [](double a, double b) { return std::min(a, b); }},
      {"max", [](double a, double b) { return std::max(a, b); }}};
  if (const auto it = folds.find(tag); it != folds.end()) {
    if (!arity(1, 1u << 20)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    double r = (*v)[0];
    for (std::size_t i = 1; i < v->size(); ++i) r = it->second(r, (*v)[i]);
    if (!std::isfinite(r)) {
      report(ErrorCode::Malformed, *owner.doc, e, "<" + std::string(tag) + "> gives no finite value");
      return std::nullopt;
    }
    return r;
  }
  struct Unary {
    std::string_view tag;
    double (*f)(double);
  };
  static const Unary unaries[] = {{"neg", [](double a) { return -a; }},
                                  {"abs", [](double a) { return std::fabs(a); }},
                                  {"exp", [](double a) { return std::exp(a); }},
                                  {"log", [](double a) { return std::log(a); }},
                                  {"log10", [](double a) { return std::log10(a); }},
                                  {"sqrt", [](double a) { return std::sqrt(a); }}};
  for (const Unary& u : unaries) {
    if (tag != u.tag) continue;
    if (!arity(1, 1)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    const double r = u.f((*v)[0]);
    if (!std::isfinite(r)) {
      report(ErrorCode::Malformed, *owner.doc, e, "<" + std::string(tag) + "> gives no finite value");
      return std::nullopt;
    }
    return r;
  }
  if (tag == "pow") {
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return std::pow((*v)[0], (*v)[1]);
  }
  // Probability models.
  if (tag == "exponential") {
    // P(t) = 1 - exp(-lambda t); the second argument is the time.
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return -std::expm1(-(*v)[0] * (*v)[1]);
  }
  if (tag == "GLM") {
    // gamma + (1 - gamma) * (lambda / (lambda + mu)) * (1 - exp(-(lambda + mu) t))
    if (!arity(4, 4)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    const double g = (*v)[0], l = (*v)[1], m = (*v)[2], t = (*v)[3];
    return g + (1 - g) * (l / (l + m)) * -std::expm1(-(l + m) * t);
  }
  if (tag == "Weibull") {
    // 1 - exp(-((t - t0) / alpha)^beta), arguments alpha, beta, t0, t
    if (!arity(4, 4)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    const double alpha = (*v)[0], beta = (*v)[1], t0 = (*v)[2], t = (*v)[3];
    return t <= t0 ? 0.0 : -std::expm1(-std::pow((t - t0) / alpha, beta));
  }
  if (tag == "periodic-test" && args.size() == 4) {
    // Instant test and repair (the MEF's 4-argument form): lambda, test interval tau, first
    // test theta, time t. Each test renews the component, so after the first test only the
    // time since the last test counts.
    const auto v = values();
    if (!v) return std::nullopt;
    const double lambda = (*v)[0], tau = (*v)[1], theta = (*v)[2], t = (*v)[3];
    if (!(tau > 0) || theta < 0 || t < 0) {
      report(ErrorCode::Malformed, *owner.doc, e,
             "<periodic-test> needs tau > 0, theta >= 0 and t >= 0");
      return std::nullopt;
    }
    const double exposed = t <= theta ? t : std::fmod(t - theta, tau);
    return -std::expm1(-lambda * exposed);
  }
  if (tag == "periodic-test") {
    report(ErrorCode::Unsupported, *owner.doc, e,
           "<periodic-test> with " + std::to_string(args.size()) +
               " arguments is not supported (the 4-argument instant-repair form is)");
    return std::nullopt;
  }
  // Deviates stand for their mean in a point estimate (as SCRAM does); the distribution
  // itself belongs to the uncertainty analysis.
  if (tag == "lognormal-deviate") {
    if (!arity(2, 3)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    if (args.size() == 3) return (*v)[0];  // mean, error factor, level
    return std::exp((*v)[0] + (*v)[1] * (*v)[1] / 2);  // mu, sigma of the log
  }
  if (tag == "normal-deviate") {
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return (*v)[0];
  }
  if (tag == "uniform-deviate") {
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return ((*v)[0] + (*v)[1]) / 2;
  }
  if (tag == "gamma-deviate") {
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return (*v)[0] * (*v)[1];
  }
  if (tag == "beta-deviate") {
    if (!arity(2, 2)) return std::nullopt;
    const auto v = values();
    if (!v) return std::nullopt;
    return (*v)[0] / ((*v)[0] + (*v)[1]);
  }
  report(ErrorCode::Unsupported, *owner.doc, e,
         "expression <" + std::string(tag) + "> is not supported by Thornwood's MEF reader");
  return std::nullopt;
}

std::optional<std::string> Reader::formula(const Definition& def, pugi::xml_node f,
                                           const std::string& gateId, int& anonymous) {
  const std::string_view tag = f.name();
  const DepthGuard guard(m_depth);
  if (m_depth > kMaxDepth) {
    report(ErrorCode::Limit, *def.doc, f,
           "formula nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return std::nullopt;
  }
  // References.
  static const std::map<std::string_view, std::optional<DefKind>> refs = {
      {"gate", DefKind::Gate},
      {"basic-event", DefKind::BasicEvent},
      {"house-event", DefKind::HouseEvent},
      {"event", std::nullopt}};
  if (const auto it = refs.find(tag); it != refs.end()) {
    const std::string name = f.attribute("name").value();
    std::optional<DefKind> kind = it->second;
    if (!kind) {
      const std::string_view type = f.attribute("type").value();
      if (type == "gate") kind = DefKind::Gate;
      if (type == "basic-event") kind = DefKind::BasicEvent;
      if (type == "house-event") kind = DefKind::HouseEvent;
    }
    const Definition* d = resolve(name, def.container, kind);
    if (!d) {
      report(ErrorCode::Malformed, *def.doc, f,
             "gate \"" + def.id + "\" uses unknown " +
                 std::string(kind ? kindWord(*kind) : "event") + " \"" + name + "\"");
      return std::nullopt;
    }
    return d->id;
  }
  if (tag == "constant") {
    const std::string_view v = f.attribute("value").value();
    if (v != "true" && v != "false") {
      report(ErrorCode::Malformed, *def.doc, f, "<constant> value must be true or false");
      return std::nullopt;
    }
    const std::string id = v == "true" ? "__true" : "__false";
    if (std::none_of(m_tree.houseEvents.begin(), m_tree.houseEvents.end(),
                     [&](const models::HouseEvent& h) { return h.id == id; })) {
      m_tree.houseEvents.push_back(models::HouseEvent{id, v == "true", {def.doc->path, def.doc->placeOf(f)}});
    }
    return id;
  }
  static const std::map<std::string_view, core::GateKind> kinds = {
      {"and", core::GateKind::And},       {"or", core::GateKind::Or},
      {"atleast", core::GateKind::AtLeast}, {"not", core::GateKind::Not},
      {"xor", core::GateKind::Xor},       {"nand", core::GateKind::Nand},
      {"nor", core::GateKind::Nor},       {"iff", core::GateKind::Iff},
      {"imply", core::GateKind::Imply},   {"cardinality", core::GateKind::Cardinality},
      {"null", core::GateKind::Null}};
  const auto it = kinds.find(tag);
  if (it == kinds.end()) {
    report(ErrorCode::Unsupported, *def.doc, f,
           "formula <" + std::string(tag) + "> is not supported by Thornwood's MEF reader");
    return std::nullopt;
  }
  models::FaultTreeGate gate;
  gate.id = gateId;
  gate.kind = it->second;
  // A defined gate is placed at its <define-gate>, an anonymous one at its formula.
  gate.source = {def.doc->path, def.doc->placeOf(gateId == def.id ? def.node : f)};
  auto intAttr = [&](const char* name) -> std::optional<int> {
    const std::string text = f.attribute(name).value();
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0 || v > 1'000'000) {
      report(ErrorCode::Malformed, *def.doc, f,
             "<" + std::string(tag) + "> needs a whole number " + name + " attribute, not \"" +
                 text + "\"");
      return std::nullopt;
    }
    return static_cast<int>(v);
  };
  bool ok = true;
  if (gate.kind == core::GateKind::AtLeast) {
    const auto k = intAttr("min");
    ok = ok && k;
    gate.min = k.value_or(0);
  }
  if (gate.kind == core::GateKind::Cardinality) {
    const auto lo = intAttr("min");
    const auto hi = intAttr("max");
    ok = ok && lo && hi;
    gate.min = lo.value_or(0);
    gate.max = hi.value_or(0);
  }
  for (pugi::xml_node c : elementChildren(f)) {
    const std::string_view ctag = c.name();
    const bool isReference = refs.count(ctag) != 0 || ctag == "constant";
    const std::string childId =
        isReference ? std::string() : def.id + "#" + std::to_string(++anonymous);
    const auto in = formula(def, c, childId, anonymous);
    if (!in) {
      ok = false;
      continue;
    }
    gate.inputs.push_back(*in);
  }
  if (!ok) return std::nullopt;
  m_tree.gates.push_back(std::move(gate));
  return gateId;
}

void Reader::buildGate(const Definition& def) {
  const std::vector<pugi::xml_node> body = contentOf(def.node);
  if (body.size() != 1) {
    report(ErrorCode::Malformed, *def.doc, def.node,
           "gate \"" + def.id + "\" must have exactly one formula, not " +
               std::to_string(body.size()));
    return;
  }
  int anonymous = 0;
  const std::string_view tag = body[0].name();
  static const std::set<std::string_view> references = {"gate", "basic-event", "house-event",
                                                        "event", "constant"};
  if (references.count(tag) != 0) {
    // A gate that is just a reference: a pass-through.
    const auto in = formula(def, body[0], std::string(), anonymous);
    if (!in) return;
    m_tree.gates.push_back(models::FaultTreeGate{def.id, core::GateKind::Null, 0, 0, {*in},
                                                 {def.doc->path, def.doc->placeOf(def.node)}});
    return;
  }
  (void)formula(def, body[0], def.id, anonymous);
}

void Reader::collectCcfGroup(const Document& doc, pugi::xml_node group, const std::string& path,
                             bool privateScope) {
  if (std::string_view(group.attribute("name").value()).empty()) {
    report(ErrorCode::Malformed, doc, group, "<define-CCF-group> has no name attribute");
    return;
  }
  // Members are basic events that the group defines; references resolve to them.
  for (pugi::xml_node m : group.child("members").children("basic-event")) {
    addDefinition(DefKind::CcfMember, doc, m, path, isPrivate(group, privateScope));
  }
  m_defs.push_back(Definition{DefKind::CcfGroup, group.attribute("name").value(), path, group, &doc});
}

namespace {

double binomial(int n, int k) {
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

}  // namespace

void Reader::buildCcfGroup(const Definition& group) {
  const Document& doc = *group.doc;
  const std::string model = group.node.attribute("model").value();
  std::vector<const Definition*> members;
  for (pugi::xml_node m : group.node.child("members").children("basic-event")) {
    const Definition* d = resolve(m.attribute("name").value(), group.container, DefKind::BasicEvent);
    if (d && d->kind == DefKind::CcfMember && d->node == m) members.push_back(d);
  }
  const int n = static_cast<int>(members.size());
  if (n > 20) {
    report(ErrorCode::Limit, doc, group.node,
           "CCF group \"" + group.id + "\" has " + std::to_string(n) +
               " members; Thornwood expands at most 20 (2^20 failure combinations)");
    return;
  }
  if (n < 2) {
    report(ErrorCode::Malformed, doc, group.node,
           "CCF group \"" + group.id + "\" needs at least two members, not " + std::to_string(n));
    return;
  }
  const std::vector<pugi::xml_node> distribution =
      elementChildren(group.node.child("distribution"));
  if (distribution.empty()) {
    report(ErrorCode::Malformed, doc, group.node,
           "CCF group \"" + group.id + "\" has no <distribution>");
    return;
  }
  const auto q = expression(group, distribution.front());
  if (!q) return;
  // Factors by level; <factor> may stand alone (beta-factor) or inside <factors>.
  std::map<int, double> factors;
  std::vector<pugi::xml_node> factorNodes;
  for (pugi::xml_node f : group.node.children("factor")) factorNodes.push_back(f);
  for (pugi::xml_node f : group.node.child("factors").children("factor")) factorNodes.push_back(f);
  // A factor without a level takes the one after the previous factor's; the first level
  // is 2 for beta-factor and MGL (level 1 is implied), 1 for alpha- and phi-factor.
  int nextLevel = model == "beta-factor" || model == "MGL" ? 2 : 1;
  for (pugi::xml_node f : factorNodes) {
    const std::vector<pugi::xml_node> body = elementChildren(f);
    const int level = f.attribute("level") ? f.attribute("level").as_int(0) : nextLevel;
    nextLevel = level + 1;
    if (body.empty() || level < 1 || level > n) {
      report(ErrorCode::Malformed, doc, f,
             "a CCF factor needs a level in [1, " + std::to_string(n) + "] and an expression");
      return;
    }
    const auto v = expression(group, body.front());
    if (!v) return;
    factors[level] = *v;
  }
  // Q_k: the probability of one particular set of k members failing together (Mosleh et
  // al., NUREG/CR-4780; the Open-PSA MEF's CCF models).
  std::vector<double> qk(static_cast<std::size_t>(n) + 1, 0.0);
  auto factor = [&](int level) -> std::optional<double> {
    const auto it = factors.find(level);
    if (it != factors.end()) return it->second;
    report(ErrorCode::Malformed, doc, group.node,
           "CCF group \"" + group.id + "\" (" + model + ") has no factor for level " +
               std::to_string(level));
    return std::nullopt;
  };
  if (model == "beta-factor") {
    const auto beta = factor(n);
    if (!beta) return;
    qk[1] = (1 - *beta) * *q;
    qk[static_cast<std::size_t>(n)] = *beta * *q;
  } else if (model == "MGL") {
    // rho_1 = 1, rho_2 = beta, rho_3 = gamma, ..., rho_{n+1} = 0.
    std::vector<double> rho(static_cast<std::size_t>(n) + 2, 0.0);
    rho[1] = 1;
    for (int k = 2; k <= n; ++k) {
      const auto f = factor(k);
      if (!f) return;
      rho[static_cast<std::size_t>(k)] = *f;
    }
    double product = 1;
    for (int k = 1; k <= n; ++k) {
      product *= rho[static_cast<std::size_t>(k)];
      qk[static_cast<std::size_t>(k)] =
          product * (1 - rho[static_cast<std::size_t>(k) + 1]) * *q / binomial(n - 1, k - 1);
    }
  } else if (model == "alpha-factor") {
    std::vector<double> alpha(static_cast<std::size_t>(n) + 1, 0.0);
    double total = 0;
    for (int k = 1; k <= n; ++k) {
      const auto f = factor(k);
      if (!f) return;
      alpha[static_cast<std::size_t>(k)] = *f;
      total += k * *f;
    }
    for (int k = 1; k <= n; ++k) {
      qk[static_cast<std::size_t>(k)] =
          k / binomial(n - 1, k - 1) * alpha[static_cast<std::size_t>(k)] / total * *q;
    }
  } else if (model == "phi-factor") {
    for (int k = 1; k <= n; ++k) {
      const auto f = factor(k);
      if (!f) return;
      qk[static_cast<std::size_t>(k)] = *f * *q;
    }
  } else {
    report(ErrorCode::Unsupported, doc, group.node,
           "CCF model \"" + model + "\" is not supported (beta-factor, MGL, alpha-factor, phi-factor are)");
    return;
  }
  // One event per set of members that can fail together, named "[A B C]" in member order;
  // each member becomes an OR of the events that include it.
  std::vector<std::vector<std::string>> inputs(static_cast<std::size_t>(n));
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    const int k = __builtin_popcount(mask);
    if (qk[static_cast<std::size_t>(k)] <= 0.0) continue;
    std::string id = "[";
    for (int i = 0; i < n; ++i) {
      if (!(mask & (1u << i))) continue;
      id += (id.size() > 1 ? " " : "") + members[static_cast<std::size_t>(i)]->id;
      inputs[static_cast<std::size_t>(i)].push_back("");
    }
    id += "]";
    for (int i = 0; i < n; ++i) {
      if (mask & (1u << i)) inputs[static_cast<std::size_t>(i)].back() = id;
    }
    m_tree.basicEvents.push_back(models::BasicEvent{
        id, qk[static_cast<std::size_t>(k)], {doc.path, doc.placeOf(group.node)}});
  }
  for (int i = 0; i < n; ++i) {
    const Definition& m = *members[static_cast<std::size_t>(i)];
    m_tree.gates.push_back(models::FaultTreeGate{m.id, core::GateKind::Or, 0, 0,
                                                 inputs[static_cast<std::size_t>(i)],
                                                 {doc.path, doc.placeOf(m.node)}});
  }
}

MefOutcome Reader::run(const std::vector<std::string>& files) {
  MefOutcome out;
  if (m_options.missionTime) m_missionTime = *m_options.missionTime;
  for (const std::string& f : files) {
    auto doc = std::make_unique<Document>();
    if (!load(f, *doc)) continue;
    m_docs.push_back(std::move(doc));
  }
  if (!m_diagnostics.empty()) {
    out.diagnostics = std::move(m_diagnostics);
    return out;
  }
  for (const auto& doc : m_docs) {
    const pugi::xml_node root = doc->xml.document_element();
    collect(*doc, root, "", false);
  }
  for (const Definition& def : m_defs) {
    switch (def.kind) {
      case DefKind::Gate:
        buildGate(def);
        break;
      case DefKind::BasicEvent: {
        models::BasicEvent e{def.id, std::nullopt, {def.doc->path, def.doc->placeOf(def.node)}};
        for (pugi::xml_node c : contentOf(def.node)) {
          if (e.probability) {
            report(ErrorCode::Malformed, *def.doc, c,
                   "basic event \"" + def.id + "\" has more than one expression");
            break;
          }
          const auto p = expression(def, c);
          if (!p) {
            e.probability = std::nullopt;
            break;
          }
          if (!(*p >= 0.0 && *p <= 1.0)) {
            report(ErrorCode::Malformed, *def.doc, c,
                   "basic event \"" + def.id + "\" has probability " + std::to_string(*p) +
                       ", outside [0, 1]");
            break;
          }
          e.probability = *p;
        }
        m_tree.basicEvents.push_back(std::move(e));
        break;
      }
      case DefKind::HouseEvent: {
        models::HouseEvent h{def.id, false, {def.doc->path, def.doc->placeOf(def.node)}};
        for (pugi::xml_node c : contentOf(def.node)) {
          const std::string_view tag = c.name();
          if (tag != "constant") {
            report(ErrorCode::Malformed, *def.doc, c,
                   "house event \"" + def.id + "\" takes a <constant>, not <" + std::string(tag) + ">");
            continue;
          }
          h.state = std::string_view(c.attribute("value").value()) == "true";
        }
        m_tree.houseEvents.push_back(std::move(h));
        break;
      }
      case DefKind::Parameter:
        (void)parameterValue(def);
        break;
      case DefKind::CcfGroup:
        buildCcfGroup(def);
        break;
      case DefKind::CcfMember:
        break;  // built with its group
    }
  }
  out.diagnostics = std::move(m_diagnostics);
  if (std::none_of(out.diagnostics.begin(), out.diagnostics.end(),
                   [](const Diagnostic& d) { return d.severity == core::Severity::Error; })) {
    out.model = MefModel{std::move(m_tree), m_missionTime};
  }
  return out;
}

}  // namespace

MefOutcome readMef(const std::vector<std::string>& files, const MefOptions& options) {
  Reader reader(options);
  return reader.run(files);
}

}  // namespace thornwood::importers
