// thornwood-pdf.so: exporters::toPdf behind one C symbol, for thornwood-cli to load only
// when it writes a PDF. Linking Qt Gui into the command line made every run load some 50
// shared libraries (about 25 ms), which is most of the time of analysing a small model.

#include "exporters/pdf/pdf_report.h"

extern "C" __attribute__((visibility("default"))) thornwood::core::Result<std::string> thornwood_to_pdf(
    const thornwood::exporters::Report& report) {
  return thornwood::exporters::toPdf(report);
}
