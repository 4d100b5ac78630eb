#include "app/gui/export_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMetaObject>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QThread>
#include <QVBoxLayout>

#include "exporters/bundle/bundle.h"
#include "exporters/diagram_dot.h"
#include "exporters/digest.h"
#include "exporters/mef_writer.h"
#include "exporters/pdf/pdf_report.h"
#include "exporters/report.h"
#include "models/compliance.h"
#include "models/project_file.h"

namespace thornwood::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

bool headless() { return qApp->property("thornwood.headless").toBool(); }

core::Diagnostic cancelled() { return core::error(core::ErrorCode::Cancelled, "", "the export was cancelled"); }

core::Result<QString> written(const QString& path, const std::string& bytes, const QString& what) {
  if (auto saved = models::writeFileAtomically(path.toStdString(), bytes); !saved) return core::fail(saved.error());
  return QObject::tr("%1 written to %2").arg(what, path);
}

struct FormatInfo {
  ExportFormat format;
  const char* label;
  const char* suffix;  ///< of the suggested file; empty for a folder
  const char* filter;
};

const FormatInfo kFormats[] = {
    {ExportFormat::Html, QT_TRANSLATE_NOOP("ExportDialog", "Report (HTML, one self-contained file)"), "-report.html", "HTML (*.html)"},
    {ExportFormat::Pdf, QT_TRANSLATE_NOOP("ExportDialog", "Report (PDF)"), "-report.pdf", "PDF (*.pdf)"},
    {ExportFormat::Bundle, QT_TRANSLATE_NOOP("ExportDialog", "Evidence bundle (folder with a SHA-256 manifest)"), "-evidence", ""},
    {ExportFormat::Csv, QT_TRANSLATE_NOOP("ExportDialog", "Table (CSV)"), "-%1.csv", "CSV (*.csv)"},
    {ExportFormat::Svg, QT_TRANSLATE_NOOP("ExportDialog", "Drawing (SVG)"), "-%1.svg", "SVG (*.svg)"},
    {ExportFormat::Dot, QT_TRANSLATE_NOOP("ExportDialog", "Drawing (Graphviz DOT)"), "-%1.dot", "DOT (*.dot *.gv)"},
    {ExportFormat::Mef, QT_TRANSLATE_NOOP("ExportDialog", "Fault trees (Open-PSA MEF XML)"), "-fault-trees.xml", "XML (*.xml)"},
};

const FormatInfo& infoOf(ExportFormat f) {
  for (const auto& i : kFormats) {
    if (i.format == f) return i;
  }
  return kFormats[0];
}

}  // namespace

core::Result<QString> runExport(const ExportRequest& r, const models::Project& project, const QString& modelPath,
                                const std::atomic<bool>* cancel) {
  if (r.path.isEmpty()) return core::fail(core::error(core::ErrorCode::Io, "", "no file chosen to export to"));
  if (r.format == ExportFormat::Svg || r.format == ExportFormat::Dot) {
    auto dot = exporters::toDot(project, r.drawing.toStdString());
    if (!dot) return core::fail(dot.error());
    if (r.format == ExportFormat::Dot) return written(r.path, *dot, QObject::tr("Drawing %1").arg(r.drawing));
    auto svg = exporters::renderSvg(*dot, "d");
    if (!svg) return core::fail(svg.error());
    return written(r.path, exporters::svgFile(*svg), QObject::tr("Drawing %1").arg(r.drawing));
  }
  if (r.format == ExportFormat::Mef) {
    auto mef = exporters::projectToMef(project, r.scope);
    if (!mef) return core::fail(mef.error());
    return written(r.path, *mef, QObject::tr("Fault trees"));
  }
  const std::string modelBytes = models::serialise(project);
  exporters::ReportOptions options;
  for (const QString& b : r.baselines) options.baselines.push_back(b.toStdString());
  options.cancel = cancel;
  if (r.timestamp) options.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
  const std::string file = modelPath.isEmpty() ? std::string("(not saved)") : modelPath.toStdString();
  auto report = exporters::buildReport(project, file, exporters::sha256Hex(modelBytes), options);
  if (!report) return core::fail(report.error());
  if (cancel && cancel->load()) return core::fail(cancelled());
  switch (r.format) {
    case ExportFormat::Html: return written(r.path, exporters::toHtml(*report), QObject::tr("Report"));
    case ExportFormat::Pdf: {
      auto pdf = exporters::toPdf(*report);
      if (!pdf) return core::fail(pdf.error());
      if (cancel && cancel->load()) return core::fail(cancelled());
      return written(r.path, *pdf, QObject::tr("Report"));
    }
    case ExportFormat::Csv: {
      const auto csv = exporters::csvTable(*report, r.table.toStdString());
      if (!csv) return core::fail(core::error(core::ErrorCode::Malformed, r.table.toStdString(), "no such table"));
      return written(r.path, *csv, QObject::tr("Table of %1").arg(r.table));
    }
    case ExportFormat::Bundle: {
      const std::string name = modelPath.isEmpty() ? std::string("project.thornwood.json") : QFileInfo(modelPath).fileName().toStdString();
      auto bundle = exporters::writeBundle(*report, name, modelBytes, r.path.toStdString(), r.replace, &exporters::toPdf);
      if (!bundle) return core::fail(bundle.error());
      return QObject::tr("Evidence bundle of %1 files written to %2 (model SHA-256 %3)")
          .arg(bundle->files.size())
          .arg(r.path, q(bundle->modelSha256));
    }
    case ExportFormat::Svg:
    case ExportFormat::Dot:
    case ExportFormat::Mef:
      break;
  }
  return core::fail(core::error(core::ErrorCode::Malformed, "", "unknown export format"));
}

// ---- the job --------------------------------------------------------------------------------

ExportJob::ExportJob(ExportRequest request, models::Project project, QString modelPath, QObject* parent)
    : QObject(parent), m_request(std::move(request)), m_project(std::move(project)), m_modelPath(std::move(modelPath)) {}

ExportJob::~ExportJob() {
  cancel();
  if (m_worker) {
    m_worker->wait();
    delete m_worker;
  }
}

void ExportJob::start() {
  QPointer<ExportJob> self(this);
  auto flag = m_cancel;
  m_worker = QThread::create([this, self, flag] {
    const auto result = runExport(m_request, m_project, m_modelPath, flag.get());
    const bool ok = result.has_value();
    const QString message = ok ? *result : QString::fromStdString(core::format(result.error()));
    // Back on the GUI thread; the job may be gone by then (the window closed).
    QMetaObject::invokeMethod(
        qApp,
        [self, ok, message] {
          if (self) emit self->finished(ok, message);
        },
        Qt::QueuedConnection);
  });
  m_worker->start();
}

// ---- the dialog -----------------------------------------------------------------------------

ExportDialog::ExportDialog(const models::Project& project, const QString& modelPath, QWidget* parent)
    : QDialog(parent), m_project(project), m_modelPath(modelPath) {
  setWindowTitle(tr("Export"));
  auto* form = new QFormLayout(this);
  m_format = new QComboBox;
  for (const auto& f : kFormats) m_format->addItem(tr(f.label), static_cast<int>(f.format));
  form->addRow(tr("What"), m_format);

  // Options of some formats.
  m_options = new QStackedWidget;
  m_options->addWidget(new QWidget);  // none
  m_table = new QComboBox;
  for (const std::string_view t : exporters::kCsvTables) {
    const QString name = QString::fromLatin1(t.data(), static_cast<qsizetype>(t.size()));
    m_table->addItem(name, name);
  }
  m_options->addWidget(m_table);
  m_drawing = new QComboBox;
  m_drawing->addItem(tr("System diagram"), QStringLiteral("system"));
  for (const auto& t : project.attackTrees) m_drawing->addItem(tr("Attack tree: %1").arg(q(t.name.empty() ? t.id : t.name)), q(t.id));
  for (const auto& t : project.faultTrees) m_drawing->addItem(tr("Fault tree: %1").arg(q(t.name.empty() ? t.id : t.name)), q(t.id));
  m_options->addWidget(m_drawing);
  m_scope = new QComboBox;
  m_scope->addItem(tr("as modelled (no mitigation)"), static_cast<int>(models::MitigationScope::None));
  m_scope->addItem(tr("with the mitigations in place"), static_cast<int>(models::MitigationScope::InPlace));
  m_scope->addItem(tr("with every mitigation"), static_cast<int>(models::MitigationScope::All));
  m_options->addWidget(m_scope);
  form->addRow(tr("Which"), m_options);
  m_optionsRow = form->rowCount() - 1;
  m_form = form;
  setMinimumWidth(640);

  m_baselines = new QListWidget;
  for (const auto& sel : project.compliance.baselines) {
    const models::Catalogue* cat = models::findCatalogue(sel.baseline);
    auto* item = new QListWidgetItem(cat ? q(cat->title) + (sel.edition.empty() ? QString() : QStringLiteral(" ") + q(sel.edition)) : q(sel.baseline));
    item->setData(Qt::UserRole, q(sel.baseline));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    m_baselines->addItem(item);
  }
  m_baselines->setMaximumHeight(110);
  if (project.compliance.baselines.empty()) {
    form->addRow(tr("Baselines"), new QLabel(tr("the project selects none (see Compliance)")));
    m_baselines->hide();
  } else {
    form->addRow(tr("Baselines"), m_baselines);
  }
  m_timestamp = new QCheckBox(tr("Write the time of export into the report (the bytes then differ from run to run)"));
  form->addRow(QString(), m_timestamp);

  auto* where = new QHBoxLayout;
  m_path = new QLineEdit;
  auto* browse = new QPushButton(tr("Browse..."));
  where->addWidget(m_path, 1);
  where->addWidget(browse);
  form->addRow(tr("Where"), where);
  m_problem = new QLabel;
  m_problem->setStyleSheet(QStringLiteral("color: #c62828"));
  m_problem->setWordWrap(true);
  form->addRow(m_problem);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
  connect(m_table, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
  connect(m_drawing, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
  formatChanged();
}

QString ExportDialog::suggestedPath(ExportFormat format) const {
  const QFileInfo model(m_modelPath);
  const QString dir = m_modelPath.isEmpty() ? QDir::homePath() : model.absolutePath();
  QString stem = m_modelPath.isEmpty() ? QStringLiteral("project") : model.fileName();
  if (stem.endsWith(QLatin1String(".thornwood.json"))) stem.chop(15);
  else if (stem.endsWith(QLatin1String(".json"))) stem.chop(5);
  QString suffix = QString::fromLatin1(infoOf(format).suffix);
  if (format == ExportFormat::Csv) suffix = suffix.arg(m_table->currentData().toString());
  if (format == ExportFormat::Svg || format == ExportFormat::Dot) suffix = suffix.arg(m_drawing->currentData().toString());
  return QDir(dir).filePath(stem + suffix);
}

void ExportDialog::formatChanged() {
  const auto format = static_cast<ExportFormat>(m_format->currentData().toInt());
  m_options->setCurrentIndex(format == ExportFormat::Csv                                  ? 1
                             : format == ExportFormat::Svg || format == ExportFormat::Dot ? 2
                             : format == ExportFormat::Mef                                ? 3
                                                                                          : 0);
  m_form->setRowVisible(m_optionsRow, m_options->currentIndex() != 0);
  const bool report = format == ExportFormat::Html || format == ExportFormat::Pdf || format == ExportFormat::Bundle ||
                      format == ExportFormat::Csv;
  m_baselines->setEnabled(report);
  m_timestamp->setEnabled(report);
  m_path->setText(suggestedPath(format));
  m_problem->clear();
  m_replace = false;
}

void ExportDialog::browse() {
  const auto format = static_cast<ExportFormat>(m_format->currentData().toInt());
  QString chosen;
  if (format == ExportFormat::Bundle) {
    chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the evidence bundle"), QFileInfo(m_path->text()).absolutePath());
  } else {
    chosen = QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text(), tr(infoOf(format).filter));
  }
  if (!chosen.isEmpty()) m_path->setText(chosen);
}

ExportRequest ExportDialog::request() const {
  ExportRequest r;
  r.format = static_cast<ExportFormat>(m_format->currentData().toInt());
  r.path = m_path->text().trimmed();
  bool all = true;
  for (int i = 0; i < m_baselines->count(); ++i) {
    if (m_baselines->item(i)->checkState() == Qt::Checked) r.baselines << m_baselines->item(i)->data(Qt::UserRole).toString();
    else all = false;
  }
  if (all) r.baselines.clear();
  r.table = m_table->currentData().toString();
  r.drawing = m_drawing->currentData().toString();
  r.scope = static_cast<models::MitigationScope>(m_scope->currentData().toInt());
  r.timestamp = m_timestamp->isChecked();
  r.replace = m_replace;
  return r;
}

void ExportDialog::accept() {
  const ExportRequest r = request();
  if (r.path.isEmpty()) {
    m_problem->setText(tr("Choose where to export to."));
    return;
  }
  if (m_baselines->isEnabled() && m_baselines->count() > 0) {
    bool any = false;
    for (int i = 0; i < m_baselines->count(); ++i) any = any || m_baselines->item(i)->checkState() == Qt::Checked;
    if (!any) {
      m_problem->setText(tr("Choose at least one baseline for the compliance section."));
      return;
    }
  }
  if (r.format == ExportFormat::Mef && m_project.faultTrees.empty()) {
    m_problem->setText(tr("The project has no fault tree to export."));
    return;
  }
  const QFileInfo target(r.path);
  if (r.format == ExportFormat::Bundle) {
    const QDir dir(r.path);
    if (target.exists() && !dir.isEmpty()) {
      if (!QFileInfo::exists(dir.filePath(QStringLiteral("manifest.json")))) {
        m_problem->setText(tr("%1 holds other files: choose an empty or new folder for the bundle.").arg(r.path));
        return;
      }
      if (!headless() && QMessageBox::question(this, tr("Replace bundle"), tr("%1 holds an evidence bundle. Replace it?").arg(r.path)) !=
                             QMessageBox::Yes) {
        return;
      }
      m_replace = true;
    }
  } else if (target.exists() && !headless() &&
             QMessageBox::question(this, tr("Replace file"), tr("%1 exists. Replace it?").arg(r.path)) != QMessageBox::Yes) {
    return;
  }
  QDialog::accept();
}

}  // namespace thornwood::gui
