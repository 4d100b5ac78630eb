#pragma once

#include <cstdint>

namespace thornwood::core::detail {

/// The 64-bit finaliser of MurmurHash3: every input bit affects every output bit, so table
/// indices can be taken from the low bits.
inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// Hash of a decision-diagram node {var, low, high} for the unique tables.
inline std::uint64_t hashNode(std::uint32_t var, std::uint32_t low, std::uint32_t high) {
  return mix((static_cast<std::uint64_t>(var) << 40) ^ (static_cast<std::uint64_t>(low) << 20) ^
             high ^ (static_cast<std::uint64_t>(high) << 44));
}

}  // namespace thornwood::core::detail
