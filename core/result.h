#pragma once

#include <tl/expected.hpp>

#include "core/diagnostic.h"

namespace thornwood::core {

/// The result of anything that can fail on bad input, I/O or a limit. Bugs assert instead.
/// Wrapping tl::expected makes a dropped result a warning (and so an error under -Werror).
template <class T>
struct [[nodiscard]] Result : tl::expected<T, Diagnostic> {
  using tl::expected<T, Diagnostic>::expected;
};

inline tl::unexpected<Diagnostic> fail(Diagnostic d) { return tl::unexpected<Diagnostic>(std::move(d)); }

}  // namespace thornwood::core
