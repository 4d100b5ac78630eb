#include "app/gui/fields.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <functional>

#include "models/names.h"

namespace thornwood::gui {

namespace {

using models::Project;

QString tr(const char* text) { return QCoreApplication::translate("thornwood::gui::Fields", text); }
QString q(const std::string& s) { return QString::fromStdString(s); }

/// Where a Choice field takes its choices from when they are not a fixed enum.
enum class Levels { None, Likelihood, Severity };

template <class T>
struct Accessor {
  FieldSpec spec;
  Levels levels = Levels::None;
  std::function<QVariant(const T&)> get;
  std::function<bool(const Project&, T&, const QVariant&)> set;  ///< empty: read-only
};

template <class E>
QStringList choicesOf() {
  QStringList out;
  for (std::string_view v : models::Names<E>::values) out << QString::fromUtf8(v.data(), static_cast<int>(v.size()));
  return out;
}

QString joined(const std::vector<std::string>& items) {
  QStringList out;
  for (const auto& s : items) out << q(s);
  return out.join(QStringLiteral(", "));
}

// Builders for the common shapes of field; each returns one accessor.
template <class T>
Accessor<T> text(const char* key, const char* label, std::string T::*member, FieldType type = FieldType::Text) {
  return {FieldSpec{key, tr(label), type, {}, false}, Levels::None, [member](const T& e) { return QVariant(q(e.*member)); },
          [member](const Project&, T& e, const QVariant& v) {
            e.*member = v.toString().toStdString();
            return true;
          }};
}

template <class T>
Accessor<T> readOnly(const char* key, const char* label, std::function<QVariant(const T&)> get) {
  return {FieldSpec{key, tr(label), FieldType::Text, {}, true}, Levels::None, std::move(get), {}};
}

template <class T>
Accessor<T> id() {
  return readOnly<T>("id", "Id", [](const T& e) { return QVariant(q(e.id)); });
}

template <class T>
Accessor<T> flag(const char* key, const char* label, std::function<bool&(T&)> at) {
  return {FieldSpec{key, tr(label), FieldType::Bool, {}, false}, Levels::None,
          [at](const T& e) { return QVariant(at(const_cast<T&>(e))); },
          [at](const Project&, T& e, const QVariant& v) {
            if (v.typeId() != QMetaType::Bool) return false;
            at(e) = v.toBool();
            return true;
          }};
}

template <class T, class E>
Accessor<T> choice(const char* key, const char* label, std::function<E&(T&)> at) {
  return {FieldSpec{key, tr(label), FieldType::Choice, choicesOf<E>(), false}, Levels::None,
          [at](const T& e) {
            const std::string_view s = models::nameOf(at(const_cast<T&>(e)));
            return QVariant(QString::fromUtf8(s.data(), static_cast<int>(s.size())));
          },
          [at](const Project&, T& e, const QVariant& v) {
            const auto parsed = models::parseName<E>(v.toString().toStdString());
            if (!parsed) return false;
            at(e) = *parsed;
            return true;
          }};
}

template <class T>
Accessor<T> level(const char* key, const char* label, Levels levels, std::string T::*outer) {
  return {FieldSpec{key, tr(label), FieldType::Choice, {}, false}, levels, [outer](const T& e) { return QVariant(q(e.*outer)); },
          [outer, levels](const Project& p, T& e, const QVariant& v) {
            const std::string s = v.toString().toStdString();
            const bool known = levels == Levels::Likelihood ? p.riskMatrix.likelihoodIndex(s).has_value()
                                                            : p.riskMatrix.severityIndex(s).has_value();
            if (!known && !s.empty()) return false;
            e.*outer = s;
            return true;
          }};
}

template <class T>
Accessor<T> ratingLevel(const char* key, const char* label, Levels levels, models::Rating T::*rating) {
  std::string models::Rating::*part = levels == Levels::Likelihood ? &models::Rating::likelihood : &models::Rating::severity;
  return {FieldSpec{key, tr(label), FieldType::Choice, {}, false}, levels,
          [rating, part](const T& e) { return QVariant(q(e.*rating.*part)); },
          [rating, part, levels](const Project& p, T& e, const QVariant& v) {
            const std::string s = v.toString().toStdString();
            const bool known = levels == Levels::Likelihood ? p.riskMatrix.likelihoodIndex(s).has_value()
                                                            : p.riskMatrix.severityIndex(s).has_value();
            if (!known) return false;
            e.*rating.*part = s;
            return true;
          }};
}

bool finiteNumber(const QVariant& v, double& out) {
  bool ok = false;
  out = v.toDouble(&ok);
  return ok && std::isfinite(out);
}

const std::vector<Accessor<models::Component>>& componentFields() {
  using C = models::Component;
  static const std::vector<Accessor<C>> fields{
      id<C>(),
      text<C>("name", "Name", &C::name),
      choice<C, models::ComponentKind>("kind", "Kind", [](C& c) -> models::ComponentKind& { return c.kind; }),
      text<C>("description", "Description", &C::description, FieldType::Note),
      flag<C>("authenticates_before_sending", "Authenticates before sending",
                 [](C& c) -> bool& { return c.properties.authenticatesBeforeSending; }),
      choice<C, models::UpdateMechanism>("update_mechanism", "Update mechanism",
                                         [](C& c) -> models::UpdateMechanism& { return c.properties.updateMechanism; }),
      flag<C>("updates_authenticated", "Updates signed and checked",
                 [](C& c) -> bool& { return c.properties.updatesAuthenticated; }),
      flag<C>("secure_boot", "Secure boot", [](C& c) -> bool& { return c.properties.secureBoot; }),
      flag<C>("default_credentials", "Default credentials", [](C& c) -> bool& { return c.properties.defaultCredentials; }),
      flag<C>("debug_port_exposed", "Debug port exposed", [](C& c) -> bool& { return c.properties.debugPortExposed; }),
      flag<C>("tamper_detection", "Tamper detection", [](C& c) -> bool& { return c.properties.tamperDetection; }),
      choice<C, models::PhysicalExposure>("physical_exposure", "Physical exposure",
                                          [](C& c) -> models::PhysicalExposure& { return c.properties.physicalExposure; }),
      choice<C, models::WirelessLink>("wireless", "Wireless link",
                                      [](C& c) -> models::WirelessLink& { return c.properties.wireless; }),
      flag<C>("constrained", "Constrained device", [](C& c) -> bool& { return c.properties.constrained; }),
      flag<C>("stores_personal_data", "Stores personal data", [](C& c) -> bool& { return c.properties.storesPersonalData; }),
      flag<C>("logs", "Keeps logs", [](C& c) -> bool& { return c.properties.logs; }),
      flag<C>("logs_integrity_protected", "Logs integrity-protected",
                 [](C& c) -> bool& { return c.properties.logsIntegrityProtected; }),
      {FieldSpec{"redundancy_group", tr("Redundancy group"), FieldType::Text, {}, false}, Levels::None,
       [](const C& c) { return QVariant(q(c.properties.redundancyGroup)); },
       [](const Project&, C& c, const QVariant& v) {
         c.properties.redundancyGroup = v.toString().toStdString();
         return true;
       }},
  };
  return fields;
}

const std::vector<Accessor<models::DataFlow>>& flowFields() {
  using F = models::DataFlow;
  static const std::vector<Accessor<F>> fields{
      id<F>(),
      text<F>("name", "Name", &F::name),
      readOnly<F>("source", "From", [](const F& f) { return QVariant(q(f.source)); }),
      readOnly<F>("target", "To", [](const F& f) { return QVariant(q(f.target)); }),
      text<F>("protocol", "Protocol", &F::protocol),
      choice<F, models::DataClassification>("classification", "Data classification",
                                            [](F& f) -> models::DataClassification& { return f.classification; }),
      flag<F>("encrypted", "Encrypted", [](F& f) -> bool& { return f.encrypted; }),
      flag<F>("authenticated", "Authenticated", [](F& f) -> bool& { return f.authenticated; }),
      flag<F>("integrity_protected", "Integrity-protected", [](F& f) -> bool& { return f.integrityProtected; }),
      flag<F>("rate_limited", "Rate-limited", [](F& f) -> bool& { return f.rateLimited; }),
  };
  return fields;
}

const std::vector<Accessor<models::TrustZone>>& zoneFields() {
  using Z = models::TrustZone;
  static const std::vector<Accessor<Z>> fields{
      id<Z>(),
      text<Z>("name", "Name", &Z::name),
      readOnly<Z>("parent", "Inside zone", [](const Z& z) { return QVariant(q(z.parent)); }),
      {FieldSpec{"trust", tr("Trust level"), FieldType::Integer, {}, false}, Levels::None,
       [](const Z& z) { return QVariant(z.trust); },
       [](const Project&, Z& z, const QVariant& v) {
         bool ok = false;
         const int t = v.toInt(&ok);
         if (!ok) return false;
         z.trust = t;
         return true;
       }},
      flag<Z>("firewall", "Firewall at the boundary", [](Z& z) -> bool& { return z.firewall; }),
      flag<Z>("filtering", "Filtering at the boundary", [](Z& z) -> bool& { return z.filtering; }),
      readOnly<Z>("members", "Members", [](const Z& z) { return QVariant(joined(z.members)); }),
  };
  return fields;
}

const std::vector<Accessor<models::Threat>>& threatFields() {
  using T = models::Threat;
  static const std::vector<Accessor<T>> fields{
      id<T>(),
      text<T>("title", "Title", &T::title),
      choice<T, models::Stride>("category", "STRIDE", [](T& t) -> models::Stride& { return t.category; }),
      readOnly<T>("target", "Element", [](const T& t) { return QVariant(q(t.target)); }),
      readOnly<T>("rule", "Origin", [](const T& t) { return QVariant(t.rule.empty() ? tr("manual") : q(t.rule)); }),
      // A status typed by a person is a decision: the rules no longer change it.
      {FieldSpec{"status", tr("Status"), FieldType::Choice, choicesOf<models::ThreatStatus>(), false}, Levels::None,
       [](const T& t) {
         const std::string_view s = models::nameOf(t.status);
         return QVariant(QString::fromUtf8(s.data(), static_cast<int>(s.size())));
       },
       [](const Project&, T& t, const QVariant& v) {
         const auto parsed = models::parseName<models::ThreatStatus>(v.toString().toStdString());
         if (!parsed) return false;
         t.status = *parsed;
         t.autoStatus = false;
         return true;
       }},
      text<T>("justification", "Justification", &T::justification, FieldType::Note),
      level<T>("likelihood", "Likelihood", Levels::Likelihood, &T::likelihood),
      level<T>("impact", "Impact", Levels::Severity, &T::impact),
      text<T>("description", "Description", &T::description, FieldType::Note),
      readOnly<T>("attack_tree", "Attack tree", [](const T& t) { return QVariant(q(t.attackTree)); }),
      readOnly<T>("mitigations", "Mitigations", [](const T& t) { return QVariant(joined(t.mitigations)); }),
      readOnly<T>("capec", "CAPEC", [](const T& t) { return QVariant(joined(t.capec)); }),
      readOnly<T>("cwe", "CWE", [](const T& t) { return QVariant(joined(t.cwe)); }),
      {FieldSpec{"obsolete", tr("Obsolete"), FieldType::Bool, {}, true}, Levels::None,
       [](const T& t) { return QVariant(t.obsolete); }, {}},
  };
  return fields;
}

const std::vector<Accessor<models::AttackTree>>& attackTreeFields() {
  using A = models::AttackTree;
  static const std::vector<Accessor<A>> fields{
      id<A>(),
      text<A>("name", "Name", &A::name),
      readOnly<A>("root", "Root", [](const A& a) { return QVariant(q(a.root)); }),
      {FieldSpec{"nodes", tr("Nodes"), FieldType::Integer, {}, true}, Levels::None,
       [](const A& a) { return QVariant(static_cast<int>(a.nodes.size())); }, {}},
  };
  return fields;
}

const std::vector<Accessor<models::ProjectFaultTree>>& faultTreeFields() {
  using F = models::ProjectFaultTree;
  static const std::vector<Accessor<F>> fields{
      id<F>(),
      text<F>("name", "Name", &F::name),
      readOnly<F>("top", "Top gate", [](const F& f) { return QVariant(q(f.top)); }),
      {FieldSpec{"gates", tr("Gates"), FieldType::Integer, {}, true}, Levels::None,
       [](const F& f) { return QVariant(static_cast<int>(f.gates.size())); }, {}},
      {FieldSpec{"events", tr("Basic events"), FieldType::Integer, {}, true}, Levels::None,
       [](const F& f) { return QVariant(static_cast<int>(f.events.size())); }, {}},
  };
  return fields;
}

const std::vector<Accessor<models::Hazard>>& hazardFields() {
  using H = models::Hazard;
  static const std::vector<Accessor<H>> fields{
      id<H>(),
      text<H>("title", "Hazard", &H::title),
      text<H>("situation", "Hazardous situation", &H::situation, FieldType::Note),
      text<H>("harm", "Harm", &H::harm, FieldType::Note),
      ratingLevel<H>("severity_before", "Severity before", Levels::Severity, &H::before),
      ratingLevel<H>("likelihood_before", "Likelihood before", Levels::Likelihood, &H::before),
      ratingLevel<H>("severity_after", "Severity after", Levels::Severity, &H::after),
      ratingLevel<H>("likelihood_after", "Likelihood after", Levels::Likelihood, &H::after),
      readOnly<H>("fault_tree", "Fault tree", [](const H& h) { return QVariant(q(h.faultTree)); }),
      readOnly<H>("mitigations", "Mitigations", [](const H& h) { return QVariant(joined(h.mitigations)); }),
  };
  return fields;
}

const std::vector<Accessor<models::Mitigation>>& mitigationFields() {
  using M = models::Mitigation;
  static const std::vector<Accessor<M>> fields{
      id<M>(),
      text<M>("title", "Title", &M::title),
      choice<M, models::MitigationStatus>("status", "Status", [](M& m) -> models::MitigationStatus& { return m.status; }),
      {FieldSpec{"cost", tr("Cost"), FieldType::Number, {}, false}, Levels::None,
       [](const M& m) { return QVariant(m.cost); },
       [](const Project&, M& m, const QVariant& v) {
         double d = 0;
         if (!finiteNumber(v, d) || d < 0) return false;
         m.cost = d;
         return true;
       }},
      choice<M, models::ResiliencePhase>("phase", "Resilience phase", [](M& m) -> models::ResiliencePhase& { return m.phase; }),
      text<M>("description", "Description", &M::description, FieldType::Note),
      // "baseline requirement, baseline requirement": each pair as the file has it.
      {FieldSpec{"requirements", tr("Requirements"), FieldType::Text, {}, false}, Levels::None,
       [](const M& m) {
         QStringList out;
         for (const auto& r : m.requirements) out << q(r.baseline) + QStringLiteral(" ") + q(r.requirement);
         return QVariant(out.join(QStringLiteral(", ")));
       },
       [](const Project&, M& m, const QVariant& v) {
         std::vector<models::RequirementRef> refs;
         for (const QString& item : v.toString().split(',', Qt::SkipEmptyParts)) {
           const QStringList parts = item.simplified().split(' ');
           if (parts.size() != 2) return false;  // "baseline requirement", nothing else
           refs.push_back(models::RequirementRef{parts[0].toStdString(), parts[1].toStdString()});
         }
         m.requirements = std::move(refs);
         return true;
       }},
      {FieldSpec{"effects", tr("Effects"), FieldType::Integer, {}, true}, Levels::None,
       [](const M& m) { return QVariant(static_cast<int>(m.effects.size())); }, {}},
  };
  return fields;
}

template <class T>
T* findById(std::vector<T>& items, const QString& id) {
  const std::string key = id.toStdString();
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& e) { return e.id == key; });
  return it == items.end() ? nullptr : &*it;
}

template <class T>
const T* findById(const std::vector<T>& items, const QString& id) {
  return findById(const_cast<std::vector<T>&>(items), id);
}

/// Calls f(list, accessors) with the project's list and the field table of a kind.
template <class P, class F>
decltype(auto) withKind(P& p, ElementKind kind, F&& f) {
  switch (kind) {
    case ElementKind::Component: return f(p.system.components, componentFields());
    case ElementKind::Flow: return f(p.system.flows, flowFields());
    case ElementKind::Zone: return f(p.system.zones, zoneFields());
    case ElementKind::Threat: return f(p.threats, threatFields());
    case ElementKind::AttackTree: return f(p.attackTrees, attackTreeFields());
    case ElementKind::FaultTree: return f(p.faultTrees, faultTreeFields());
    case ElementKind::Hazard: return f(p.hazards, hazardFields());
    case ElementKind::Mitigation: return f(p.mitigations, mitigationFields());
  }
  return f(p.system.components, componentFields());
}

QStringList levelIds(const Project& p, Levels levels) {
  QStringList out;
  if (levels == Levels::Likelihood) {
    for (const auto& l : p.riskMatrix.likelihoods) out << q(l.id);
  } else {
    for (const auto& s : p.riskMatrix.severities) out << q(s.id);
  }
  return out;
}

constexpr ElementKind kKinds[] = {ElementKind::Component, ElementKind::Flow,       ElementKind::Zone,
                                  ElementKind::Threat,    ElementKind::AttackTree, ElementKind::FaultTree,
                                  ElementKind::Hazard,    ElementKind::Mitigation};

}  // namespace

std::vector<FieldSpec> fieldsOf(ElementKind kind, const Project& project) {
  return withKind(project, kind, [&](const auto&, const auto& accessors) {
    std::vector<FieldSpec> out;
    for (const auto& a : accessors) {
      out.push_back(a.spec);
      if (a.levels != Levels::None) out.back().choices = levelIds(project, a.levels);
    }
    return out;
  });
}

std::optional<FieldSpec> fieldOf(ElementKind kind, const Project& project, const QString& key) {
  for (FieldSpec& f : fieldsOf(kind, project)) {
    if (f.key == key) return std::move(f);
  }
  return std::nullopt;
}

std::optional<ElementKind> kindOf(const Project& project, const QString& id) {
  for (ElementKind k : kKinds) {
    const bool found = withKind(project, k, [&](const auto& list, const auto&) { return findById(list, id) != nullptr; });
    if (found) return k;
  }
  return std::nullopt;
}

QStringList idsOf(const Project& project, ElementKind kind) {
  return withKind(project, kind, [](const auto& list, const auto&) {
    QStringList out;
    for (const auto& e : list) out << q(e.id);
    return out;
  });
}

QString kindLabel(ElementKind kind) {
  switch (kind) {
    case ElementKind::Component: return tr("Component");
    case ElementKind::Flow: return tr("Data flow");
    case ElementKind::Zone: return tr("Trust zone");
    case ElementKind::Threat: return tr("Threat");
    case ElementKind::AttackTree: return tr("Attack tree");
    case ElementKind::FaultTree: return tr("Fault tree");
    case ElementKind::Hazard: return tr("Hazard");
    case ElementKind::Mitigation: return tr("Mitigation");
  }
  return {};
}

QString elementAtPointer(const Project& project, const QString& pointer) {
  const QStringList parts = pointer.split('/', Qt::SkipEmptyParts);
  static const std::pair<const char*, ElementKind> kLists[] = {
      {"system/components", ElementKind::Component}, {"system/flows", ElementKind::Flow},
      {"system/zones", ElementKind::Zone},           {"threats", ElementKind::Threat},
      {"attack_trees", ElementKind::AttackTree},     {"fault_trees", ElementKind::FaultTree},
      {"hazards", ElementKind::Hazard},              {"mitigations", ElementKind::Mitigation}};
  for (const auto& [prefix, kind] : kLists) {
    const QStringList head = QString::fromLatin1(prefix).split('/');
    if (parts.size() <= head.size() || parts.mid(0, head.size()) != head) continue;
    bool ok = false;
    const int index = parts.at(head.size()).toInt(&ok);
    const QStringList ids = idsOf(project, kind);
    if (ok && index >= 0 && index < ids.size()) return ids.at(index);
  }
  return {};
}

QVariant fieldValue(const Project& project, ElementKind kind, const QString& id, const QString& key) {
  return withKind(project, kind, [&](const auto& list, const auto& accessors) {
    const auto* element = findById(list, id);
    if (!element) return QVariant();
    for (const auto& a : accessors) {
      if (a.spec.key == key) return a.get(*element);
    }
    return QVariant();
  });
}

QVariant fieldValueAt(const Project& project, ElementKind kind, int index, const QString& key) {
  return withKind(project, kind, [&](const auto& list, const auto& accessors) {
    if (index < 0 || static_cast<std::size_t>(index) >= list.size()) return QVariant();
    for (const auto& a : accessors) {
      if (a.spec.key == key) return a.get(list[static_cast<std::size_t>(index)]);
    }
    return QVariant();
  });
}

bool setFieldValue(Project& project, ElementKind kind, const QString& id, const QString& key, const QVariant& value) {
  const Project& view = project;
  return withKind(project, kind, [&](auto& list, const auto& accessors) {
    auto* element = findById(list, id);
    if (!element) return false;
    for (const auto& a : accessors) {
      if (a.spec.key != key) continue;
      if (a.spec.readOnly || !a.set) return false;
      auto copy = *element;  // a refused value leaves the element untouched
      if (!a.set(view, copy, value)) return false;
      *element = std::move(copy);
      return true;
    }
    return false;
  });
}

std::optional<ElementValue> elementValue(const Project& project, ElementKind kind, const QString& id) {
  return withKind(project, kind, [&](const auto& list, const auto&) -> std::optional<ElementValue> {
    const auto* element = findById(list, id);
    if (!element) return std::nullopt;
    return ElementValue(*element);
  });
}

bool restoreElement(Project& project, const ElementValue& value) {
  return std::visit(
      [&](const auto& element) {
        using T = std::decay_t<decltype(element)>;
        auto put = [&](std::vector<T>& list) {
          T* at = findById(list, q(element.id));
          if (!at) return false;
          *at = element;
          return true;
        };
        if constexpr (std::is_same_v<T, models::Component>) return put(project.system.components);
        if constexpr (std::is_same_v<T, models::DataFlow>) return put(project.system.flows);
        if constexpr (std::is_same_v<T, models::TrustZone>) return put(project.system.zones);
        if constexpr (std::is_same_v<T, models::Threat>) return put(project.threats);
        if constexpr (std::is_same_v<T, models::AttackTree>) return put(project.attackTrees);
        if constexpr (std::is_same_v<T, models::ProjectFaultTree>) return put(project.faultTrees);
        if constexpr (std::is_same_v<T, models::Hazard>) return put(project.hazards);
        if constexpr (std::is_same_v<T, models::Mitigation>) return put(project.mitigations);
      },
      value);
}

}  // namespace thornwood::gui
