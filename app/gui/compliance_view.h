#pragma once

// The compliance matrix (issue #7): for one baseline the project selects, every requirement
// with its status in the baseline (mandatory, recommended, conditional), its state (met,
// planned, gap, not applicable) and the evidence (the mitigations that serve it, with their
// status, and the threats and hazards they address). Filter to the gaps; open a
// requirement's mitigation; choose the baselines and mark requirements not applicable, with
// the reason, as undoable edits.

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>
#include <vector>

#include "app/gui/project_document.h"
#include "models/compliance.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace thornwood::gui {

/// The requirements of one selected baseline, as coverage() gives them; follows the document.
class ComplianceModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Requirement, Title, Status, State, Evidence, Addresses, Reason, ColumnCount };
  static constexpr int kStateRole = Qt::UserRole + 1;       ///< int of models::RequirementState
  static constexpr int kMitigationsRole = Qt::UserRole + 2;  ///< QStringList of mitigation ids
  static constexpr int kRequirementRole = Qt::UserRole + 3;  ///< the requirement's id
  static constexpr int kSortRole = Qt::UserRole + 4;         ///< gaps first, then the catalogue's order

  explicit ComplianceModel(ProjectDocument& document, QObject* parent = nullptr);

  /// The baselines the project selects now, in its order.
  const std::vector<models::BaselineCoverage>& baselines() const { return m_coverage; }
  /// Shows the baseline at this index of baselines() (clamped; none when there is none).
  void setBaseline(int index);
  int baseline() const { return m_baseline; }
  const models::BaselineCoverage* current() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 signals:
  /// The list of baselines (or their coverage) was recomputed.
  void baselinesChanged();

 private:
  void reload();

  ProjectDocument& m_document;
  std::vector<models::BaselineCoverage> m_coverage;
  int m_baseline = 0;
};

/// Keeps the rows of one state (or all), sorted gaps first.
class ComplianceFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit ComplianceFilter(QObject* parent = nullptr);
  void setGapsOnly(bool on);
  bool gapsOnly() const { return m_gapsOnly; }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

 private:
  bool m_gapsOnly = false;
};

class ComplianceView : public QWidget {
  Q_OBJECT

 public:
  explicit ComplianceView(ProjectDocument& document, QWidget* parent = nullptr);
  ComplianceModel& model() { return *m_model; }
  ComplianceFilter& filter() { return *m_filter; }
  QTableView& table() { return *m_table; }
  QComboBox& baselineChooser() { return *m_chooser; }
  QCheckBox& gapsOnly() { return *m_gapsOnly; }

  /// Marks the requirement not applicable with `reason` (an empty reason is refused: the
  /// standard asks for one); an empty reason on one already marked makes it apply again.
  /// Headless callers (tests) use this; the button asks for the reason.
  bool setNotApplicable(const QString& requirement, const QString& reason, bool applies = false);
  /// Selects or drops a baseline (with its edition when it has several).
  bool selectBaseline(const QString& baseline, const QString& edition);
  bool dropBaseline(const QString& baseline);

 signals:
  /// The user opened a requirement's mitigation (double-click or Return).
  void mitigationActivated(const QString& id);
  void message(const QString& text);

 private:
  void refreshChooser();
  void chooseBaselines();
  void markNotApplicable();

  ProjectDocument& m_document;
  ComplianceModel* m_model = nullptr;
  ComplianceFilter* m_filter = nullptr;
  QComboBox* m_chooser = nullptr;
  QCheckBox* m_gapsOnly = nullptr;
  QLabel* m_summary = nullptr;
  QTableView* m_table = nullptr;
  QPushButton* m_notApplicable = nullptr;
};

}  // namespace thornwood::gui
