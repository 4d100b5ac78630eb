#include "app/cli/pdf_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace thornwood::cli {

namespace {

using ToPdf = core::Result<std::string> (*)(const exporters::Report&);

/// The module's path: beside the running executable, else where the build put it.
std::string modulePath() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path beside = (ec ? std::filesystem::current_path() : self.parent_path()) / "thornwood-pdf.so";
#ifdef THORNWOOD_PDF_MODULE_BUILT
  if (!std::filesystem::exists(beside, ec)) return THORNWOOD_PDF_MODULE_BUILT;
#endif
  return beside.string();
}

}  // namespace

core::Result<std::string> toPdf(const exporters::Report& report) {
  static ToPdf function = nullptr;
  static std::string failure;
  if (!function && failure.empty()) {
    const std::string path = modulePath();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      failure = "the PDF exporter " + path + " could not be loaded: " + (why ? why : "unknown error");
    } else {
      function = reinterpret_cast<ToPdf>(dlsym(handle, "thornwood_to_pdf"));
      if (!function) failure = "the PDF exporter " + path + " has no thornwood_to_pdf";
    }
  }
  if (!function) return core::fail(core::error(core::ErrorCode::Io, "", failure));
  return function(report);
}

}  // namespace thornwood::cli
