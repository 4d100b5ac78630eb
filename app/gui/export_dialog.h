#pragma once

// Export from the GUI (issue #7): the dialog that asks what (the report as HTML or PDF, the
// evidence bundle, a CSV table, a drawing as SVG or DOT, the fault trees as MEF), for which
// baselines, and where; and the job that writes it off the GUI thread, with a cancel flag.
// The bytes are those `thornwood-cli export` writes for the same project; the model a
// report names (and the bundle copies) is the document as it is now, in the canonical form
// Save writes, so an unsaved edit is reported on as seen.

#include <QDialog>
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>

#include "core/result.h"
#include "models/project.h"
#include "models/project_compile.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QFormLayout;
class QStackedWidget;
class QThread;

namespace thornwood::gui {

enum class ExportFormat { Html, Pdf, Bundle, Csv, Svg, Dot, Mef };

struct ExportRequest {
  ExportFormat format = ExportFormat::Html;
  QString path;          ///< a file; a folder for the bundle
  QStringList baselines; ///< ids to report on; empty: every baseline the project selects
  QString table = QStringLiteral("threats");  ///< of a CSV: threats, mitigations, hazards, requirements
  QString drawing = QStringLiteral("system");  ///< of SVG and DOT: "system" or a tree id
  models::MitigationScope scope = models::MitigationScope::None;  ///< of MEF
  bool timestamp = false;  ///< write the time of export into the report
  bool replace = false;    ///< a bundle may replace the bundle already in the folder
};

/// Writes what `request` asks for; any thread. Returns a sentence saying what was written,
/// or the problem (a Cancelled error when `cancel` was set).
core::Result<QString> runExport(const ExportRequest& request, const models::Project& project, const QString& modelPath,
                                const std::atomic<bool>* cancel);

/// One export on a worker thread; `finished` comes back on the GUI thread.
class ExportJob : public QObject {
  Q_OBJECT

 public:
  ExportJob(ExportRequest request, models::Project project, QString modelPath, QObject* parent = nullptr);
  /// Cancels and waits for the worker.
  ~ExportJob() override;
  void start();
  void cancel() { m_cancel->store(true); }
  /// The user cancelled it (its end then needs no warning).
  bool cancelled() const { return m_cancel->load(); }

 signals:
  void finished(bool ok, const QString& message);

 private:
  ExportRequest m_request;
  models::Project m_project;
  QString m_modelPath;
  std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
  QThread* m_worker = nullptr;  ///< a QThread, not std::thread: Qt's text layout starts timers
};

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  /// `modelPath` suggests where the files go (beside the model); may be empty.
  ExportDialog(const models::Project& project, const QString& modelPath, QWidget* parent = nullptr);

  ExportRequest request() const;
  QComboBox& format() { return *m_format; }
  QLineEdit& path() { return *m_path; }
  QListWidget& baselines() { return *m_baselines; }
  QComboBox& table() { return *m_table; }
  QComboBox& drawing() { return *m_drawing; }
  QCheckBox& timestamp() { return *m_timestamp; }

  void accept() override;

 private:
  void formatChanged();
  void browse();
  QString suggestedPath(ExportFormat format) const;

  const models::Project& m_project;
  QString m_modelPath;
  QComboBox* m_format = nullptr;
  QStackedWidget* m_options = nullptr;
  QComboBox* m_table = nullptr;
  QComboBox* m_drawing = nullptr;
  QComboBox* m_scope = nullptr;
  QListWidget* m_baselines = nullptr;
  QCheckBox* m_timestamp = nullptr;
  QLineEdit* m_path = nullptr;
  QLabel* m_problem = nullptr;
  QFormLayout* m_form = nullptr;
  int m_optionsRow = 0;
  bool m_replace = false;
};

}  // namespace thornwood::gui
