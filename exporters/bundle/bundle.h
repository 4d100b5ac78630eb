#pragma once

// The evidence bundle a reviewer receives (issue #7): report.html and report.pdf, the CSV
// tables, the CI gate's SARIF, JUnit and JSON, the analysis as JSON, the fault trees as MEF
// (as modelled and with the mitigations in place), every drawing as DOT and SVG, and the
// model itself, with manifest.json (the SHA-256 and size of every file and of the model) and
// SHA256SUMS (the same digests, and the manifest's, in the form `sha256sum -c` reads), so that
// anyone can check that nothing was altered after the review.

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "exporters/report.h"

namespace thornwood::exporters {

/// Makes the report's PDF (exporters::toPdf, or the command line's loader of it, which keeps
/// Qt out of processes that never write a PDF).
using PdfWriter = std::function<core::Result<std::string>(const Report&)>;

struct BundleWritten {
  std::vector<std::string> files;  ///< paths within the bundle, sorted; manifest and sums last
  std::string modelSha256;
};

/// Writes the bundle of `report` into `dir` (made if missing). `modelName` is the model's
/// file name and `modelBytes` its content (the bytes the report was made from). A folder that
/// is not empty is refused unless `replace`; then the files of an earlier bundle that this one
/// does not have are removed, so the folder holds exactly the new bundle. Every file is
/// written atomically. `pdf` makes report.pdf.
core::Result<BundleWritten> writeBundle(const Report& report, const std::string& modelName, const std::string& modelBytes,
                                        const std::string& dir, bool replace, const PdfWriter& pdf);

struct BundleCheck {
  std::size_t checked = 0;
  std::vector<std::string> missing, altered, extra;  ///< paths within the bundle
  bool modelDiffers = false;  ///< the model given is not the one the bundle was made from
  bool ok() const { return missing.empty() && altered.empty() && extra.empty() && !modelDiffers; }
};

/// Checks every file of a bundle against its manifest, and lists files it does not name;
/// with `model`, also that file against the model's digest. A folder without a readable
/// manifest is an error.
core::Result<BundleCheck> verifyBundle(const std::string& dir, const std::string& model = {});

}  // namespace thornwood::exporters
