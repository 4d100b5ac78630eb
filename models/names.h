#pragma once

// The file format's spelling of each enum of the project model. The tables are the only
// place a spelling appears, so a renamed value cannot drift between reader and writer.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "models/project.h"

namespace thornwood::models {

template <class E>
struct Names;  // specialised below: `values` lists every spelling in enum order

template <>
struct Names<ComponentKind> {
  static constexpr std::array<std::string_view, 11> values{
      "device",    "sensor",     "actuator",   "hub",  "gateway",        "cloud_service",
      "web_app",   "mobile_app", "data_store", "user", "external_system"};
};
template <>
struct Names<UpdateMechanism> {
  static constexpr std::array<std::string_view, 4> values{"none", "manual", "local", "over_the_air"};
};
template <>
struct Names<PhysicalExposure> {
  static constexpr std::array<std::string_view, 3> values{"none", "restricted", "public"};
};
template <>
struct Names<WirelessLink> {
  static constexpr std::array<std::string_view, 10> values{
      "none", "zigbee", "ble", "wifi", "thread", "z_wave", "lorawan", "cellular", "nfc", "other"};
};
template <>
struct Names<DataClassification> {
  static constexpr std::array<std::string_view, 6> values{"public",   "internal", "confidential",
                                                          "personal", "health",   "credentials"};
};
template <>
struct Names<Stride> {
  static constexpr std::array<std::string_view, 6> values{
      "spoofing", "tampering", "repudiation", "information_disclosure", "denial_of_service",
      "elevation_of_privilege"};
};
template <>
struct Names<ThreatStatus> {
  static constexpr std::array<std::string_view, 5> values{"open", "mitigated", "accepted", "transferred",
                                                          "not_applicable"};
};
template <>
struct Names<AttackNodeKind> {
  static constexpr std::array<std::string_view, 6> values{"leaf", "and", "or", "sand", "atleast", "tree"};
};
template <>
struct Names<FaultGateKind> {
  static constexpr std::array<std::string_view, 9> values{"and", "or",  "atleast", "not", "xor",
                                                          "nand", "nor", "inhibit", "iff"};
};
template <>
struct Names<DistributionKind> {
  static constexpr std::array<std::string_view, 5> values{"lognormal", "normal", "uniform", "beta", "gamma"};
};
template <>
struct Names<MitigationStatus> {
  static constexpr std::array<std::string_view, 4> values{"proposed", "planned", "implemented", "verified"};
};
template <>
struct Names<ResiliencePhase> {
  static constexpr std::array<std::string_view, 4> values{"anticipate", "withstand", "recover", "evolve"};
};
template <>
struct Names<EffectKind> {
  static constexpr std::array<std::string_view, 3> values{"blocks", "lowers", "removes"};
};

template <class E>
constexpr std::string_view nameOf(E value) {
  return Names<E>::values[static_cast<std::size_t>(value)];
}

template <class E>
constexpr std::optional<E> parseName(std::string_view text) {
  for (std::size_t i = 0; i < Names<E>::values.size(); ++i) {
    if (Names<E>::values[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace thornwood::models
