#pragma once

// The PDF exporter for the command line: loaded from thornwood-pdf.so beside the executable
// on first use, so that a run that writes no PDF never loads Qt.

#include <string>

#include "core/result.h"
#include "exporters/report.h"

namespace thornwood::cli {

/// exporters::toPdf through the module; an Io error names the module when it cannot be loaded.
core::Result<std::string> toPdf(const exporters::Report& report);

}  // namespace thornwood::cli
