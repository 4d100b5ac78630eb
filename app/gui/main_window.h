#pragma once

#include <QMainWindow>

#include "app/gui/project_document.h"

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QTabWidget;
class QTableView;
class QTreeView;
class QComboBox;
class QCheckBox;

namespace thornwood::gui {

class AnalysisRunner;
class Autosaver;
class ComplianceView;
class ExportJob;
class ResilienceView;
struct ExportRequest;
class ElementTableModel;
class ExplorerModel;
class ProblemsModel;
class PropertyModel;
class NodePropertyModel;
class ResultsPanel;
class ThreatFilter;
class SystemEditor;
class TreeEditor;

/// The main window: the project explorer, the property editor, the problems panel and the
/// live results as docks; the editors (overview, threats, mitigations, hazards, components)
/// as tabs in the centre; menus and shortcuts a desktop user expects. Widgets show the
/// document's state and forward intent; the document and its commands do the work.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// `recoveryDirectory`: where autosave copies go (empty: the default beside the config).
  explicit MainWindow(QWidget* parent = nullptr, const QString& recoveryDirectory = {});
  ~MainWindow() override;

  ProjectDocument& document() { return m_document; }
  AnalysisRunner& analysis() { return *m_runner; }
  Autosaver& autosaver() { return *m_autosaver; }
  ResultsPanel& results() { return *m_results; }
  PropertyModel& properties() { return *m_properties; }
  NodePropertyModel& nodeProperties() { return *m_nodeProperties; }
  /// The model the property editor shows now: an element's or a tree node's.
  QAbstractItemModel* propertyEditorModel() const;
  ExplorerModel& explorer() { return *m_explorer; }
  ElementTableModel& threatsTable() { return *m_threats; }
  ThreatFilter& threatFilter() { return *m_threatFilter; }
  QTabWidget& editors() { return *m_editors; }
  SystemEditor& systemEditor() { return *m_system; }
  TreeEditor& treeEditor() { return *m_trees; }
  ComplianceView& complianceView() { return *m_compliance; }
  ResilienceView& resilienceView() { return *m_resilience; }
  /// Starts an export on a worker thread, with a progress dialog that can cancel it (none
  /// when headless); exportFinished says how it ended. False when one is already running.
  bool startExport(const ExportRequest& request);
  /// The export running now, if any (tests cancel it).
  ExportJob* runningExport() const { return m_export; }
  /// Shows the editor tab with this title ("System", "Threats", ...); false when none has it.
  bool showEditor(const QString& title);

  /// Opens a file; on failure shows the problems and keeps what was open. True on success.
  bool openFile(const QString& path);
  /// Offers the copy an earlier session left (if any): shows what it would restore and
  /// asks. Headless (tests), `answer` decides instead: Recover, Discard or Later.
  enum class RecoveryAnswer { Ask, Recover, Discard, Later };
  bool offerRecovery(RecoveryAnswer answer = RecoveryAnswer::Ask);
  /// Offers to reload the open file after another program changed it. Headless (tests),
  /// `answer` decides instead. Reload drops the undo history (and any unsaved edits, which
  /// the question says); Keep keeps this version, modified, until the user saves over the
  /// file. True when the file was reloaded.
  enum class ReloadAnswer { Ask, Reload, Keep };
  bool offerReload(ReloadAnswer answer = ReloadAnswer::Ask);
  /// Selects an element everywhere: explorer, property editor, its table row, its tree in
  /// the results.
  void selectElement(const QString& id);

 protected:
  void closeEvent(QCloseEvent* event) override;

 signals:
  void exportFinished(bool ok, const QString& message);

 private:
  void createDocks();
  void createEditors();
  void createMenus();
  void refreshTitle();
  void refreshOverview();
  void rememberRecent(const QString& path);
  void rebuildRecentMenu();
  bool maybeSave();
  bool saveAs();
  void showPreferences();
  void find();
  void applyRuleFindings();
  void exportReport();
  QTableView* currentTable() const;

  ProjectDocument m_document;
  AnalysisRunner* m_runner = nullptr;
  Autosaver* m_autosaver = nullptr;
  ExplorerModel* m_explorer = nullptr;
  ProblemsModel* m_problems = nullptr;
  PropertyModel* m_properties = nullptr;
  NodePropertyModel* m_nodeProperties = nullptr;
  ElementTableModel* m_threats = nullptr;
  ElementTableModel* m_mitigations = nullptr;
  ElementTableModel* m_hazards = nullptr;
  ElementTableModel* m_components = nullptr;
  ThreatFilter* m_threatFilter = nullptr;
  QTreeView* m_explorerView = nullptr;
  QListView* m_problemsView = nullptr;
  QTableView* m_propertyView = nullptr;
  QTabWidget* m_editors = nullptr;
  QPlainTextEdit* m_overview = nullptr;
  QTableView* m_threatView = nullptr;
  QTableView* m_mitigationView = nullptr;
  QTableView* m_hazardView = nullptr;
  QTableView* m_componentView = nullptr;
  QLineEdit* m_threatSearch = nullptr;
  QComboBox* m_strideFilter = nullptr;
  QComboBox* m_statusFilter = nullptr;
  QComboBox* m_elementFilter = nullptr;
  QCheckBox* m_showObsolete = nullptr;
  ResultsPanel* m_results = nullptr;
  SystemEditor* m_system = nullptr;
  TreeEditor* m_trees = nullptr;
  QLabel* m_status = nullptr;
  QProgressBar* m_progress = nullptr;
  QMenu* m_recentMenu = nullptr;
  ComplianceView* m_compliance = nullptr;
  ResilienceView* m_resilience = nullptr;
  ExportJob* m_export = nullptr;
  QString m_selected;
  bool m_askingReload = false;
};

}  // namespace thornwood::gui
