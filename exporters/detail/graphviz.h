#pragma once

// The one Graphviz context of the program and the lock around it: libgvc and libcgraph keep
// global state and are not thread-safe, so every use holds graphvizMutex().

#include <graphviz/gvc.h>

#include <mutex>
#include <string>

namespace thornwood::exporters::detail {

std::mutex& graphvizMutex();

/// Made on first use and never freed: Graphviz caches text-size data in statics that point
/// into a context, so freeing one and making another later reads freed memory
/// (AddressSanitizer found it in textspan_size).
GVC_t* graphvizContext();

/// Graphviz takes char* for names it does not change.
inline char* cs(const std::string& s) { return const_cast<char*>(s.c_str()); }

}  // namespace thornwood::exporters::detail
