#pragma once

// SHA-256 by OpenSSL's libcrypto, for the evidence bundle's manifest and the report's note of
// the model it was made from.

#include <optional>
#include <string>
#include <string_view>

namespace thornwood::exporters {

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
std::string sha256Hex(std::string_view bytes);

/// The SHA-256 of a file's bytes; empty when it cannot be read.
std::optional<std::string> sha256OfFile(const std::string& path);

}  // namespace thornwood::exporters
