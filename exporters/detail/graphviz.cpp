#include "exporters/detail/graphviz.h"

namespace thornwood::exporters::detail {

std::mutex& graphvizMutex() {
  static std::mutex m;
  return m;
}

GVC_t* graphvizContext() {
  static GVC_t* const context = gvContext();
  return context;
}

}  // namespace thornwood::exporters::detail
