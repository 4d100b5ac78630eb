#include "models/threat_rules.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "models/project_file.h"

using namespace thornwood;
using models::Json;

namespace {

models::RuleSet builtin() {
  const auto loaded = models::builtinRules();
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(core::format(d));
  REQUIRE(loaded.rules);
  return *loaded.rules;
}

/// A project from a system written as JSON.
models::Project projectOf(const std::string& systemJson) {
  Json doc = Json::object();
  doc["format"] = "thornwood";
  doc["format_version"] = 1;
  doc["project"] = Json{{"name", "t"}};
  doc["system"] = Json::parse(systemJson);
  auto loaded = models::parseProject(doc.dump(), "t.json");
  for (const auto& d : loaded.diagnostics) UNSCOPED_INFO(core::format(d));
  REQUIRE(loaded.project);
  return *loaded.project;
}

bool holds(const std::string& condition, models::RuleSubject subject, const models::Project& p,
           std::size_t index) {
  auto c = models::Condition::parse(condition, subject);
  INFO(condition << (c ? "" : ": " + c.error().place + ": " + c.error().problem));
  REQUIRE(c);
  return c->holds(models::RuleContext(p), index);
}

std::string parseError(const std::string& condition,
                       models::RuleSubject subject = models::RuleSubject::Component) {
  auto c = models::Condition::parse(condition, subject);
  return c ? std::string("no error") : c.error().place + ": " + c.error().problem;
}

const char* kSmallSystem = R"({
  "components": [
    {"id": "user", "name": "User", "kind": "user"},
    {"id": "api", "name": "API", "kind": "cloud_service", "properties": {"logs": true}},
    {"id": "hub", "name": "Hub", "kind": "hub", "properties": {"wireless": "zigbee", "redundancy_group": "g"},
     "attributes": {"anti_rollback": true, "support_years": 5, "vendor": "Acme"}},
    {"id": "sensor", "name": "Sensor", "kind": "sensor", "properties": {"wireless": "zigbee", "constrained": true}}
  ],
  "flows": [
    {"id": "login", "name": "Login", "source": "user", "target": "api", "classification": "credentials", "authenticated": true},
    {"id": "cmd", "name": "Commands", "source": "api", "target": "hub", "classification": "internal", "encrypted": true},
    {"id": "state", "name": "State", "source": "sensor", "target": "hub", "classification": "internal"}
  ],
  "zones": [
    {"id": "internet", "name": "Internet", "trust": 0, "members": ["user"]},
    {"id": "cloud", "name": "Cloud", "trust": 3, "firewall": true, "members": ["api"]},
    {"id": "home", "name": "Home", "trust": 2, "members": ["hub"]},
    {"id": "pan", "name": "Zigbee", "parent": "home", "trust": 2, "members": ["sensor"]}
  ]
})";

}  // namespace

TEST_CASE("the condition language evaluates fields, neighbours and quantifiers",
          "[models][rules][language]") {
  const auto p = projectOf(kSmallSystem);
  using S = models::RuleSubject;
  CHECK(holds("kind == 'hub' and properties.wireless == 'zigbee'", S::Component, p, 2));
  CHECK(holds("kind in ['hub', 'gateway']", S::Component, p, 2));
  CHECK_FALSE(holds("kind in ['device']", S::Component, p, 2));
  CHECK(
      holds("attributes.anti_rollback == true and attributes.support_years >= 5 and "
            "attributes.vendor == 'Acme'",
            S::Component, p, 2));
  CHECK(holds("attributes.missing == null", S::Component, p, 2));
  CHECK_FALSE(holds("attributes.missing", S::Component, p, 2));  // unknown is not true
  CHECK(holds("count(incoming) == 2 and any(incoming, encrypted) and not all(incoming, encrypted)",
              S::Component, p, 2));
  CHECK(holds("count(incoming, source.kind == 'sensor') == 1", S::Component, p, 2));
  CHECK(holds("zone.id == 'home' and trust == 2 and not behind_firewall", S::Component, p, 2));
  CHECK(holds("behind_firewall and internet_facing", S::Component, p,
              1));  // the API: in a firewalled zone, fed from the Internet
  CHECK(holds("internet_reachable", S::Component, p, 2));        // user -> api -> hub
  CHECK_FALSE(holds("internet_reachable", S::Component, p, 3));  // nothing flows to the sensor
  CHECK(holds("zone.parent.id == 'home'", S::Component, p, 3));
  CHECK(holds("redundancy_peers == 0", S::Component, p, 2));
  CHECK(holds("dfd == 'external_entity'", S::Component, p, 0));
  CHECK(holds("crosses_boundary and from_less_trusted and source.zone.internet", S::Flow, p, 0));
  CHECK_FALSE(holds("from_less_trusted", S::Flow, p, 1));  // trust 3 to trust 2
  CHECK(holds("wireless and link == 'zigbee' and crosses_boundary", S::Flow, p,
              2));  // pan is a zone of its own
  CHECK_FALSE(holds("wireless", S::Flow, p, 1));
  CHECK(holds("count(members) == 1 and parent == null", S::Zone, p, 1));
  CHECK(holds("(trust > 1 or firewall) and not internet", S::Zone, p, 2));
}

TEST_CASE("condition errors name the column and the problem", "[models][rules][language]") {
  CHECK(parseError("properties.secure_bot") ==
        "column 12: unknown field \"secure_bot\" of properties (known: "
        "authenticates_before_sending, update_mechanism, "
        "updates_authenticated, secure_boot, default_credentials, debug_port_exposed, "
        "tamper_detection, "
        "physical_exposure, wireless, constrained, stores_personal_data, logs, "
        "logs_integrity_protected, "
        "redundancy_group)");
  CHECK(parseError("kind == 'device' and (encrypted") ==
        "column 23: unknown field \"encrypted\" of a component (known: id, name, kind, "
        "description, properties, attributes, zone, trust, behind_firewall, internet_facing, "
        "internet_reachable, redundancy_peers, dfd)");
  CHECK(parseError("kind == 'device' and (not properties.logs") ==
        "column 42: expected ')'");  // the end
  CHECK(parseError("kind") ==
        "column 1: this is text, not true/false: compare it with something (for example kind == "
        "'device')");
  CHECK(parseError("trust < 'high'") == "column 7: '<' compares numbers");
  CHECK(parseError("zone == 'home'") ==
        "column 6: compare fields, not whole objects (for example zone.id, not zone)");
  CHECK(parseError("kind == 'device") == "column 9: text started here is never closed");
  CHECK(parseError("kind == 'a' && logs") == "column 13: unexpected character '&'");
  CHECK(parseError("any(members, true)") ==
        "column 5: \"members\" is not a collection of a component (components have outgoing and "
        "incoming, zones have members)");
  CHECK(parseError("all(outgoing)") == "column 13: all() needs a condition: all(outgoing, ...)");
  CHECK(parseError("kind in 'device'") == "column 9: expected '[' and a list after 'in'");
  CHECK(parseError("kind == 'x' kind") == "column 13: unexpected \"kind\" after the condition");
  CHECK(parseError("encrypted and source.kind == 'user'", models::RuleSubject::Flow) == "no error");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "(";
  CHECK(parseError(deep + "true").find("nests deeper than 64 levels") != std::string::npos);
  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "not ";
  CHECK(parseError(nots + "true").find("nests deeper than 64 levels") != std::string::npos);
}

TEST_CASE("the built-in rules load: STRIDE per element and at least 40 IoT rules",
          "[models][rules]") {
  const auto rules = builtin();
  std::size_t iot = 0;
  std::size_t stride = 0;
  for (const auto& r : rules.rules) {
    if (r.id.rfind("IOT-", 0) == 0) ++iot;
    if (r.id.rfind("STRIDE-", 0) == 0) {
      ++stride;
      CHECK(r.fallback);
    }
  }
  CHECK(iot >= 40);
  // Microsoft's table: external entity S R; process S T R I D E; data store T I D (+R for
  // logs); data flow T I D.
  CHECK(stride == 2 + 6 + 4 + 3);
}

TEST_CASE("every built-in rule fires on its minimal model and not when mitigated",
          "[models][rules]") {
  for (const auto& rule : builtin().rules) {
    DYNAMIC_SECTION(rule.id) {
      const auto problems = models::checkExamples(rule);
      for (const auto& d : problems) UNSCOPED_INFO(core::format(d));
      CHECK(problems.empty());
    }
  }
}

TEST_CASE("a fallback STRIDE threat gives way to a specific rule of its category",
          "[models][rules]") {
  const auto rules = builtin();
  // The sensor is a process with no authentication: IOT-T04 (spoofing) fires on it, so the
  // generic STRIDE-P-S does not; no specific repudiation rule looks at a sensor without logs,
  // so the generic STRIDE-P-R stands.
  const auto p = projectOf(R"({"components": [{"id": "s", "name": "S", "kind": "sensor"},
                                              {"id": "c", "name": "C", "kind": "cloud_service"}],
                               "flows": [{"id": "f", "name": "F", "source": "s", "target": "c", "classification": "internal"}]})");
  std::set<std::string> onSensor;
  for (const auto& f : models::runRules(rules, p)) {
    if (f.element == "s") onSensor.insert(f.rule->id);
  }
  CHECK(onSensor.count("IOT-T04"));
  CHECK_FALSE(onSensor.count("STRIDE-P-S"));
  CHECK(onSensor.count("STRIDE-P-R"));
}

TEST_CASE("a rule file with a syntax error names the file, the rule and the column",
          "[models][rules]") {
  const std::string text = R"({"format": "thornwood-rules", "format_version": 1, "rules": [
    {"id": "MY-1", "title": "t", "category": "spoofing", "element": "component", "applies": "kind == 'hub' and (logs",
     "likelihood": "remote", "impact": "minor"},
    {"id": "MY-1", "title": "t", "category": "tampering", "element": "flow", "applies": "encrypted",
     "likelihood": "remote", "impact": "minor"},
    {"id": "MY-3", "title": "t", "category": "sneaking", "element": "component", "applies": "true",
     "likelihood": "remote", "impact": "minor"}]})";
  const auto loaded = models::parseRules(text, "my-rules.json");
  CHECK_FALSE(loaded.rules);
  std::vector<std::string> messages;
  for (const auto& d : loaded.diagnostics) messages.push_back(core::format(d));
  CHECK(
      messages ==
      std::vector<std::string>{
          "my-rules.json:/rules/2/category: \"sneaking\" is not one of spoofing, tampering, "
          "repudiation, "
          "information_disclosure, denial_of_service, elevation_of_privilege",
          "my-rules.json:/rules/0/applies: rule \"MY-1\": column 20: unknown field \"logs\" of a "
          "component "
          "(known: id, name, kind, description, properties, attributes, zone, trust, "
          "behind_firewall, "
          "internet_facing, internet_reachable, redundancy_peers, dfd)",
          "my-rules.json:/rules/1/id: rule id \"MY-1\" is already used at my-rules.json:/rules/0"});
}

TEST_CASE("re-running the rules keeps what the user wrote and never deletes",
          "[models][rules][merge]") {
  const auto rules = builtin();
  auto p = projectOf(R"({"components": [{"id": "cam", "name": "Camera", "kind": "device",
                                          "properties": {"default_credentials": true}}]})");
  const auto first = models::mergeFindings(p, models::runRules(rules, p), rules);
  CHECK(first.added == p.threats.size());
  auto find = [&](const std::string& rule) -> models::Threat* {
    for (auto& t : p.threats) {
      if (t.rule == rule && t.target == "cam") return &t;
    }
    return nullptr;
  };
  models::Threat* pw = find("IOT-T01");
  REQUIRE(pw);
  CHECK(pw->id == "IOT-T01.cam");  // stable: rule id + element id
  CHECK(pw->title == "Default password on Camera");
  CHECK(pw->status == models::ThreatStatus::Open);
  CHECK(pw->capec == std::vector<std::string>{"CAPEC-70"});
  // The user rewrites the title, accepts the risk with a reason, and adds a threat by hand.
  pw->title = "Camera's admin/admin";
  pw->status = models::ThreatStatus::Accepted;
  pw->justification = "Camera is on an isolated VLAN";
  models::Threat manual;
  manual.id = "t_manual";
  manual.title = "Insider copies footage";
  manual.target = "cam";
  manual.likelihood = "remote";
  manual.impact = "minor";
  p.threats.push_back(manual);
  const std::size_t count = p.threats.size();

  SECTION("a second run changes nothing") {
    const auto before = p.threats;
    const auto again = models::mergeFindings(p, models::runRules(rules, p), rules);
    CHECK(again.added == 0);
    CHECK(p.threats == before);
  }
  SECTION(
      "the design fixes the default password: the rule no longer applies, the threat is kept as "
      "obsolete") {
    p.system.components[0].properties.defaultCredentials = false;
    const auto summary = models::mergeFindings(p, models::runRules(rules, p), rules);
    // With no specific spoofing rule left on the camera, the generic one appears.
    CHECK(p.threats.size() == count + 1);
    CHECK(find("STRIDE-P-S"));
    pw = find("IOT-T01");
    CHECK(pw->obsolete);
    CHECK(pw->title == "Camera's admin/admin");
    CHECK(pw->status == models::ThreatStatus::Accepted);
    CHECK(summary.obsoleted >= 1);
    // ... and it comes back when the default password does.
    p.system.components[0].properties.defaultCredentials = true;
    const auto back = models::mergeFindings(p, models::runRules(rules, p), rules);
    CHECK_FALSE(find("IOT-T01")->obsolete);
    CHECK(back.revived >= 1);
    CHECK(back.added == 0);
  }
  SECTION("a status set by the rules follows the design; a person's status does not") {
    models::Threat* boot = find("IOT-T24");  // no secure boot
    REQUIRE(boot);
    CHECK(boot->status == models::ThreatStatus::Open);
    p.system.components[0].properties.secureBoot = true;
    auto s = models::mergeFindings(p, models::runRules(rules, p), rules);
    boot = find("IOT-T24");
    CHECK(boot->status == models::ThreatStatus::Mitigated);
    CHECK(boot->autoStatus);
    CHECK(boot->justification == "The design satisfies rule IOT-T24: properties.secure_boot");
    CHECK(s.autoMitigated == 1);
    p.system.components[0].properties.secureBoot = false;
    s = models::mergeFindings(p, models::runRules(rules, p), rules);
    boot = find("IOT-T24");
    CHECK(boot->status == models::ThreatStatus::Open);
    CHECK(boot->justification.empty());
    CHECK(s.reopened == 1);
    CHECK(find("IOT-T01")->status == models::ThreatStatus::Accepted);
  }
  SECTION("manual threats are never touched, and ids never collide") {
    p.threats.push_back(p.threats.front());
    p.threats.back().rule.clear();  // a manual threat that happens to use a rule-style id
    p.threats.back().id = "IOT-T20.cam";
    p.system.components[0].properties.debugPortExposed = true;
    models::mergeFindings(p, models::runRules(rules, p), rules);
    std::set<std::string> ids;
    for (const auto& t : p.threats) CHECK(ids.insert(t.id).second);
    CHECK(ids.count("IOT-T20.cam.2"));
    CHECK(std::any_of(p.threats.begin(), p.threats.end(),
                      [](const models::Threat& t) { return t.id == "t_manual" && !t.obsolete; }));
  }
}

TEST_CASE("every rule an example threat cites finds it: the examples' citations are honest",
          "[models][rules][examples]") {
  const auto rules = builtin();
  for (const char* name : {"smart-home-hub.thornwood.json", "infusion-pump.thornwood.json",
                           "iiot-gateway-cluster.thornwood.json"}) {
    INFO(name);
    auto p = models::loadProject(std::string(THORNWOOD_SOURCE_DIR) + "/examples/" + name)
                 .project.value();
    std::size_t cited = 0;
    for (const auto& t : p.threats) cited += t.rule.empty() ? 0 : 1;
    CHECK(cited >= 5);
    const auto findings = models::runRules(rules, p);
    const auto summary = models::mergeFindings(p, findings, rules);
    CHECK(summary.obsoleted == 0);
    CHECK(summary.kept == cited);
    for (const auto& t : p.threats) {
      if (!t.rule.empty()) CHECK_FALSE(t.obsolete);
    }
  }
}

TEST_CASE("the reviewed findings of each example, with their reasons",
          "[models][rules][examples]") {
  const auto rules = builtin();
  const std::string dir = std::string(THORNWOOD_TEST_DATA) + "/expected-threats/";
  for (const char* name :
       {"smart-home-hub.json", "infusion-pump.json", "iiot-gateway-cluster.json"}) {
    std::ifstream in(dir + name);
    REQUIRE(in);
    const Json expected = Json::parse(in);
    const auto p = models::loadProject(std::string(THORNWOOD_SOURCE_DIR) + "/examples/" +
                                       expected.at("example").get<std::string>())
                       .project.value();
    std::map<std::pair<std::string, std::string>, bool> found;
    for (const auto& f : models::runRules(rules, p)) found[{f.rule->id, f.element}] = f.mitigated;
    for (const Json& e : expected.at("fires")) {
      const auto key =
          std::make_pair(e.at("rule").get<std::string>(), e.at("element").get<std::string>());
      INFO(name << ": " << key.first << " on " << key.second << ": "
                << e.at("reason").get<std::string>());
      REQUIRE(found.count(key) == 1);
      CHECK(found[key] == e.at("satisfied").get<bool>());
    }
    for (const Json& e : expected.at("does_not_fire")) {
      const auto key =
          std::make_pair(e.at("rule").get<std::string>(), e.at("element").get<std::string>());
      INFO(name << ": " << key.first << " on " << key.second << ": "
                << e.at("reason").get<std::string>());
      CHECK(found.count(key) == 0);
    }
  }
}

TEST_CASE("random conditions parse to a condition or to an error with its column, never a crash",
          "[models][rules][language]") {
  const auto p = projectOf(kSmallSystem);
  const models::RuleContext context(p);
  const std::vector<std::string> words{
      "kind",       "==",          "'hub'",  "and",   "or",        "not",      "(",
      ")",          "in",          "[",      "]",     ",",         "'a'",      "properties",
      ".",          "secure_boot", "zone",   "trust", "<",         ">=",       "3",
      "null",       "true",        "any",    "count", "outgoing",  "incoming", "members",
      "attributes", "x",           "source", "!=",    "encrypted", "'",        "\"",
      "&",          "1e999",       "-"};
  std::mt19937 rng(77);
  int parsed = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = std::uniform_int_distribution<int>(1, 12)(rng);
    for (int i = 0; i < n; ++i)
      text += words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(rng)] + " ";
    for (auto subject :
         {models::RuleSubject::Component, models::RuleSubject::Flow, models::RuleSubject::Zone}) {
      const auto c = models::Condition::parse(text, subject);
      if (!c) {
        INFO(text);
        CHECK(c.error().place.rfind("column ", 0) == 0);
        continue;
      }
      ++parsed;
      const std::size_t count = subject == models::RuleSubject::Component
                                    ? p.system.components.size()
                                : subject == models::RuleSubject::Flow ? p.system.flows.size()
                                                                       : p.system.zones.size();
      for (std::size_t i = 0; i < count; ++i) c->holds(context, i);
    }
  }
  CHECK(parsed > 0);
}

TEST_CASE("every rule finding on every example, as reviewed", "[models][rules][examples]") {
  for (const char* name : {"smart-home-hub", "infusion-pump", "iiot-gateway-cluster"}) {
    INFO(name);
    std::ifstream in(std::string(THORNWOOD_TEST_DATA) + "/expected-threats/" + name + ".full.json");
    REQUIRE(in);
    const Json expected = Json::parse(in);
    const auto p = models::loadProject(std::string(THORNWOOD_SOURCE_DIR) + "/examples/" + name +
                                       ".thornwood.json")
                       .project.value();
    std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>>
        found;                     // rule -> (open, satisfied)
    const auto rules = builtin();  // findings point into it
    for (const auto& f : models::runRules(rules, p)) {
      auto& [open, satisfied] = found[f.rule->id];
      (f.mitigated ? satisfied : open).insert(f.element);
    }
    std::set<std::string> reviewed;
    const Json& listed = expected.at("rules");
    for (auto it = listed.begin(); it != listed.end(); ++it) {
      const std::string rule = it.key();
      const Json& e = it.value();
      auto names = [](const Json& list) {
        std::set<std::string> out;
        for (const Json& x : list) out.insert(x.get<std::string>());
        return out;
      };
      INFO(rule << ": " << e.at("reason").get<std::string>());
      reviewed.insert(rule);
      CHECK_FALSE(e.at("reason").get<std::string>().empty());
      CHECK(found[rule].first == names(e.at("open")));
      CHECK(found[rule].second == names(e.at("satisfied")));
    }
    for (const auto& [rule, sets] : found) {
      INFO("a finding of " << rule << " nobody has reviewed");
      CHECK(reviewed.count(rule) == 1);
    }
  }
}
