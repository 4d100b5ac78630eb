#include <iostream>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/cli/cli.h"

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // The BDD's tables double as they fill and are freed on every collection. glibc gives
  // blocks over 128 kB back to the kernel at once, so each new table is faulted in page by
  // page again, which costs dearly in a virtual machine. Keeping blocks up to 32 MB (the
  // most glibc allows) in the heap lets the next table reuse them: 10% of edfpa14o's time
  // (docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return thornwood::cli::run(args, std::cout, std::cerr);
}
