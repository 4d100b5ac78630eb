#pragma once

// One IoT product's model, as plain data: the system (components, data flows, trust zones),
// its threats, attack trees, fault trees, hazards, mitigations, the risk matrix they are
// rated on, and analysis settings. Every element has a stable, human-chosen id; elements refer
// to each other by id. The order of every list is the user's and is kept on save, so that a
// one-field edit is a one-line diff. See docs/format.md for the file format.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace thornwood::models {

// ---- system -------------------------------------------------------------------------------

enum class ComponentKind {
  Device,
  Sensor,
  Actuator,
  Hub,
  Gateway,
  CloudService,
  WebApp,
  MobileApp,
  DataStore,
  User,
  ExternalSystem
};

/// How a component receives new software.
enum class UpdateMechanism { None, Manual, Local, OverTheAir };

/// How easily an attacker can lay hands on the component.
enum class PhysicalExposure { None, Restricted, Public };

enum class WirelessLink { None, Zigbee, Ble, WiFi, Thread, ZWave, LoRaWan, Cellular, Nfc, Other };

/// What a component does, as far as the threat rules are concerned. A `false` is a statement
/// ("has no secure boot"), so the rules will flag it: leave nothing at its default unassessed.
struct ComponentProperties {
  bool authenticatesBeforeSending = false;
  UpdateMechanism updateMechanism = UpdateMechanism::None;
  bool updatesAuthenticated = false;  ///< updates are signed and checked before install
  bool secureBoot = false;
  bool defaultCredentials = false;
  bool debugPortExposed = false;
  bool tamperDetection = false;
  PhysicalExposure physicalExposure = PhysicalExposure::None;
  WirelessLink wireless = WirelessLink::None;
  bool constrained = false;  ///< too small for a host firewall or strong crypto
  bool storesPersonalData = false;
  bool logs = false;
  bool logsIntegrityProtected = false;
  std::string redundancyGroup;  ///< components sharing a group back each other up
  bool operator==(const ComponentProperties&) const = default;
};

/// A fact the fixed properties do not cover (true/false, a number or text), for rules to read:
/// `"attributes": {"anti_rollback": true, "support_years": 5}`. Names follow the id rules.
using AttributeValue = std::variant<bool, double, std::string>;
using Attributes = std::map<std::string, AttributeValue>;

struct Component {
  std::string id;
  std::string name;
  ComponentKind kind = ComponentKind::Device;
  std::string description;
  ComponentProperties properties;
  Attributes attributes;
  bool operator==(const Component&) const = default;
};

enum class DataClassification { Public, Internal, Confidential, Personal, Health, Credentials };

struct DataFlow {
  std::string id;
  std::string name;
  std::string source;  ///< component id
  std::string target;  ///< component id
  std::string protocol;
  DataClassification classification = DataClassification::Internal;
  bool encrypted = false;
  bool authenticated = false;
  bool integrityProtected = false;
  bool rateLimited = false;
  Attributes attributes;
  bool operator==(const DataFlow&) const = default;
};

/// A region of equal trust. Zones nest (parent); membership is explicit and a component is a
/// member of at most one zone, its innermost. Trust is 0 (the internet) and up. The boundary
/// fields say what stands on the zone's edge against traffic coming in.
struct TrustZone {
  std::string id;
  std::string name;
  std::string parent;  ///< empty for a top-level zone
  int trust = 0;
  bool firewall = false;
  bool filtering = false;  ///< protocol-aware filtering (allow-lists, rate limits at the edge)
  std::vector<std::string> members;  ///< component ids
  bool operator==(const TrustZone&) const = default;
};

struct System {
  std::vector<Component> components;
  std::vector<DataFlow> flows;
  std::vector<TrustZone> zones;
  bool operator==(const System&) const = default;
};

// ---- threats ------------------------------------------------------------------------------

enum class Stride { Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege };

enum class ThreatStatus { Open, Mitigated, Accepted, Transferred, NotApplicable };

struct Threat {
  std::string id;
  std::string title;
  std::string description;
  Stride category = Stride::Spoofing;
  std::string target;  ///< component, flow or zone id
  std::string rule;    ///< id of the rule that found it; empty when entered by hand
  ThreatStatus status = ThreatStatus::Open;
  std::string justification;
  std::string likelihood;  ///< a likelihood level id of the risk matrix
  std::string impact;      ///< a severity level id of the risk matrix
  std::string attackTree;  ///< optional attack tree id
  std::vector<std::string> mitigations;
  std::vector<std::string> capec;  ///< "CAPEC-n"
  std::vector<std::string> cwe;    ///< "CWE-n"
  bool obsolete = false;    ///< its rule no longer applies to the target (kept, never deleted)
  bool autoStatus = false;  ///< the status was set by the rules (the design satisfies the rule)
  bool operator==(const Threat&) const = default;
};

// ---- attack trees -------------------------------------------------------------------------

/// Leaf: a basic attack step. Sand is an ordered AND (children succeed one after another).
/// TreeRef stands for the root of another attack tree (a shared subtree across trees).
enum class AttackNodeKind { Leaf, And, Or, Sand, AtLeast, TreeRef };

struct AttackNode {
  std::string id;  ///< unique within its tree
  std::string name;
  AttackNodeKind kind = AttackNodeKind::Leaf;
  int k = 0;                          ///< of AtLeast
  std::vector<std::string> children;  ///< node ids in this tree; a node may have several parents
  std::string tree;                   ///< of TreeRef
  std::optional<double> cost;         ///< leaf: the attacker's cost, currency units
  std::optional<double> time;         ///< leaf: hours
  std::optional<double> skill;        ///< leaf: 0 layman, 3 proficient, 6 expert, 8 multiple experts
  std::optional<double> probability;  ///< leaf: of success, once attempted
  std::string source;                 ///< where the leaf's numbers come from
  bool operator==(const AttackNode&) const = default;
};

struct AttackTree {
  std::string id;
  std::string name;
  std::string root;  ///< node id
  std::vector<AttackNode> nodes;
  bool operator==(const AttackTree&) const = default;
};

// ---- fault trees --------------------------------------------------------------------------

enum class FaultGateKind { And, Or, AtLeast, Not, Xor, Nand, Nor, Inhibit, Iff };

struct FaultGate {
  std::string id;
  std::string name;
  FaultGateKind kind = FaultGateKind::Or;
  int k = 0;  ///< of AtLeast
  std::vector<std::string> inputs;  ///< gate, basic event or house event ids of this tree
  bool operator==(const FaultGate&) const = default;
};

enum class DistributionKind { Lognormal, Normal, Uniform, Beta, Gamma };

/// For uncertainty analysis: lognormal(mean, error factor), normal(mean, sigma),
/// uniform(low, high), beta(alpha, beta), gamma(k, theta).
struct Distribution {
  DistributionKind kind = DistributionKind::Lognormal;
  double a = 0;
  double b = 0;
  bool operator==(const Distribution&) const = default;
};

/// A basic event with a probability over the mission time, or a failure rate (per hour,
/// exponential over the mission time), or the success of an attack tree (an attack-fault tree).
struct FaultEvent {
  std::string id;
  std::string name;
  std::optional<double> probability;
  std::optional<double> rate;
  std::string attackTree;
  std::optional<Distribution> distribution;
  std::string source;  ///< where the number comes from (a data book, a field record, an estimate)
  bool operator==(const FaultEvent&) const = default;
};

struct HouseEventDef {
  std::string id;
  std::string name;
  bool state = false;
  bool operator==(const HouseEventDef&) const = default;
};

struct ProjectFaultTree {
  std::string id;
  std::string name;
  std::string top;  ///< gate id
  std::vector<FaultGate> gates;
  std::vector<FaultEvent> events;
  std::vector<HouseEventDef> houseEvents;
  bool operator==(const ProjectFaultTree&) const = default;
};

// ---- hazards and mitigations --------------------------------------------------------------

/// A rating on the risk matrix: likelihood and severity level ids.
struct Rating {
  std::string likelihood;
  std::string severity;
  bool operator==(const Rating&) const = default;
};

struct Hazard {
  std::string id;
  std::string title;  ///< the hazard
  std::string situation;
  std::string harm;
  Rating before;  ///< before mitigation
  Rating after;   ///< residual, with the linked mitigations in place
  std::string faultTree;  ///< optional: the tree whose top event causes the hazard
  std::vector<std::string> mitigations;
  bool operator==(const Hazard&) const = default;
};

enum class MitigationStatus { Proposed, Planned, Implemented, Verified };

/// The four resilience phases (NIST SP 800-160 vol. 2 goals).
enum class ResiliencePhase { Anticipate, Withstand, Recover, Evolve };

/// What a mitigation does to the trees: blocks an attack-tree node (the node then needs
/// the mitigation to be absent), divides a basic event's probability by a factor, or removes
/// a basic event (it can no longer happen).
enum class EffectKind { Blocks, Lowers, Removes };

struct Effect {
  EffectKind kind = EffectKind::Blocks;
  std::string tree;     ///< attack tree id (Blocks) or fault tree id (Lowers, Removes)
  std::string element;  ///< node or basic event id in that tree
  double factor = 1;    ///< of Lowers, >= 1
  bool operator==(const Effect&) const = default;
};

struct RequirementRef {
  std::string baseline;     ///< e.g. "etsi-en-303-645"
  std::string requirement;  ///< e.g. "5.3-2"
  bool operator==(const RequirementRef&) const = default;
};

struct Mitigation {
  std::string id;
  std::string title;
  std::string description;
  MitigationStatus status = MitigationStatus::Proposed;
  double cost = 0;
  ResiliencePhase phase = ResiliencePhase::Anticipate;
  std::vector<Effect> effects;
  std::vector<RequirementRef> requirements;
  bool operator==(const Mitigation&) const = default;
};

/// In place when its status is implemented or verified.
bool inPlace(const Mitigation& m);

// ---- risk matrix and settings -------------------------------------------------------------

struct LikelihoodLevel {
  std::string id;
  std::string name;
  std::optional<double> maxProbability;  ///< upper bound of the band, for fault-tree results
  bool operator==(const LikelihoodLevel&) const = default;
};

struct SeverityLevel {
  std::string id;
  std::string name;
  bool operator==(const SeverityLevel&) const = default;
};

struct RiskClass {
  std::string id;
  std::string name;
  bool acceptable = false;
  bool operator==(const RiskClass&) const = default;
};

/// Levels and classes are listed from lowest to highest. cells[l][s] is the class id for
/// likelihood level l and severity level s.
struct RiskMatrix {
  std::vector<LikelihoodLevel> likelihoods;
  std::vector<SeverityLevel> severities;
  std::vector<RiskClass> classes;
  std::vector<std::vector<std::string>> cells;
  bool operator==(const RiskMatrix&) const = default;

  /// A 5x5 matrix modelled on ISO 14971 and MIL-STD-882E (probability bands of 882E).
  static RiskMatrix standard();

  /// Index of the class of a rating, or nothing when a level is unknown.
  std::optional<std::size_t> classOf(const Rating& r) const;
  std::optional<std::size_t> likelihoodIndex(const std::string& id) const;
  std::optional<std::size_t> severityIndex(const std::string& id) const;
  std::optional<std::size_t> classIndex(const std::string& id) const;
  /// The lowest likelihood level whose band holds p; nothing when the bands are not given.
  std::optional<std::size_t> likelihoodForProbability(double p) const;
};

struct GateThresholds {
  std::string openThreatClass;           ///< open threats at or above this class fail the gate
  bool failOnUnacceptableResidual = true;  ///< hazards whose residual class is not acceptable
  std::optional<double> maxTopProbability;  ///< of any fault tree, mitigations in place
  bool operator==(const GateThresholds&) const = default;
};

struct Settings {
  double missionTime = 8760;  ///< hours, for failure rates
  double cutOff = 0;          ///< probability cut-off for listed cut sets
  int limitOrder = 0;         ///< 0: no limit
  int maxCutSets = 100;       ///< listed per tree
  GateThresholds gate;
  bool operator==(const Settings&) const = default;
};

// ---- layout -------------------------------------------------------------------------------

/// Where an element is drawn. Kept apart from the semantics so moving a box is not a model
/// change; width and height are 0 for elements drawn at their natural size.
struct Placement {
  std::string element;  ///< component or zone id
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  bool operator==(const Placement&) const = default;
};

// ---- the project --------------------------------------------------------------------------

// ---- compliance ---------------------------------------------------------------------------

/// A requirement of a selected baseline that does not apply to the product, and why (ETSI
/// EN 303 645 asks for the reason of every provision treated as not applicable).
struct NotApplicable {
  std::string requirement;
  std::string justification;
  bool operator==(const NotApplicable&) const = default;
};

/// A baseline the project is assessed against (an id of resources/compliance/), with the
/// edition for baselines that have several (ETSI EN 303 645: "V2.1.1" or "V3.1.3").
struct BaselineSelection {
  std::string baseline;
  std::string edition;
  std::vector<NotApplicable> notApplicable;
  bool operator==(const BaselineSelection&) const = default;
};

struct Compliance {
  std::vector<BaselineSelection> baselines;
  bool operator==(const Compliance&) const = default;
};

struct Project {
  std::string name;
  std::string description;
  Settings settings;
  RiskMatrix riskMatrix = RiskMatrix::standard();
  System system;
  std::vector<Threat> threats;
  std::vector<AttackTree> attackTrees;
  std::vector<ProjectFaultTree> faultTrees;
  std::vector<Hazard> hazards;
  std::vector<Mitigation> mitigations;
  Compliance compliance;
  std::vector<Placement> layout;  ///< kept sorted by element id
  bool operator==(const Project&) const = default;
};

}  // namespace thornwood::models
