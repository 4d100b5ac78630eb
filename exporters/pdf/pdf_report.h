#pragma once

// The report (exporters/report.h) as a PDF: A4, real text (searchable, copyable), the
// drawings as vector graphics, each section on a new page, no drawing split across pages,
// page numbers in the footer and a table of contents with the page of every section. Laid
// out by Qt's QTextDocument and written by QPdfWriter. The same report gives the same bytes:
// Qt's creation date and document id are fixed unless the report asks for a time.

#include <string>

#include "core/result.h"
#include "exporters/report.h"

namespace thornwood::exporters {

/// The PDF's bytes. Needs a QGuiApplication: when the process has no Qt application, one is
/// made on the offscreen platform (so the command line needs no display). Call it from the
/// thread that owns (or will own) the application.
core::Result<std::string> toPdf(const Report& report);

}  // namespace thornwood::exporters
