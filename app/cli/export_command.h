#pragma once

// thornwood-cli export (reports, tables, drawings, MEF, the evidence bundle) and verify (a
// bundle against its manifest).

#include <iosfwd>
#include <string>
#include <vector>

namespace thornwood::cli {

/// `export PROJECT --format html|pdf|csv|dot|svg|mef [...]` or `export PROJECT --bundle DIR`.
int exportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// `verify DIR [--model FILE]`: every file of an evidence bundle against its manifest; exit 1
/// when a file is missing, altered or not listed, or the model is not the one reported on.
int verifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace thornwood::cli
