#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "models/project.h"

namespace thornwood::models {

/// Every problem of meaning in a project, each placed at the JSON pointer of the element (the
/// lists' order is the file's, so an index is a pointer): ids that are malformed or defined
/// twice, references to nothing, cycles in trees and zones, values out of range (probability
/// outside [0, 1], negative cost, k > n), risk matrix shape. Errors make the project unfit for
/// analysis; warnings (a risk accepted without justification, a node no root reaches) do not.
std::vector<core::Diagnostic> validate(const Project& project, const std::string& file);

/// True when no diagnostic is an error.
bool noErrors(const std::vector<core::Diagnostic>& diagnostics);

}  // namespace thornwood::models
