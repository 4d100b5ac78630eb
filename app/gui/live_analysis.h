#pragma once

// Live analysis (issue #6): after each edit, debounced, the project is copied and analysed
// off the GUI thread: validation, every tree before and after mitigation, the attack trees'
// metrics and Pareto fronts, and the threat rules (what re-running them would change). An
// edit during a run cancels it (the engine stops at its next node) and starts again; only
// the newest run's results are ever shown.

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <optional>

#include "app/gui/project_document.h"
#include "models/attack_analysis.h"
#include "models/project_analysis.h"
#include "models/threat_rules.h"

namespace thornwood::gui {

struct LiveResults {
  std::uint64_t generation = 0;
  models::Project project;  ///< the state analysed: results name its elements
  std::vector<core::Diagnostic> problems;
  std::optional<models::ProjectAnalysis> analysis;  ///< empty when validation found errors
  std::map<std::string, models::AttackAnalysis> attacks;  ///< by tree id, mitigations in place
  /// Re-running the rules: what it would change, and the threats it would leave.
  models::MergeSummary rules;
  std::vector<models::Threat> threatsAfterRules;
  bool cancelled = false;
  double elapsedMs = 0;

  /// Whether re-running the rules would change the project's threats.
  bool rulesWouldChange() const { return threatsAfterRules != project.threats; }
};

/// The whole live computation, on the calling thread; `cancel` may be null.
std::shared_ptr<const LiveResults> computeLiveResults(models::Project project, const std::string& file,
                                                      const models::RuleSet& rules, const std::atomic<bool>* cancel,
                                                      std::uint64_t generation);

class AnalysisRunner : public QObject {
  Q_OBJECT

 public:
  explicit AnalysisRunner(ProjectDocument& document, QObject* parent = nullptr);
  /// Cancels the current run and waits for it.
  ~AnalysisRunner() override;

  /// Quiet time after an edit before a run starts (default 300 ms).
  void setDelay(int ms) { m_debounce.setInterval(ms); }
  /// Results of the newest finished run; null before the first.
  std::shared_ptr<const LiveResults> latest() const { return m_latest; }
  /// A run is pending or going.
  bool isBusy() const { return m_debounce.isActive() || m_running; }
  /// The latest results are of the document as it is now.
  bool isCurrent() const { return m_latest && !isBusy() && m_latest->generation == m_generation; }
  const models::RuleSet& rules() const { return *m_rules; }

 public slots:
  /// After an edit: run once the edits pause.
  void schedule();
  /// Run now, cancelling a run in progress.
  void runNow();

 signals:
  void finished();
  /// True when a run has taken longer than 200 ms (show progress), false when it ends.
  void slowChanged(bool slow);

 private:
  void deliver(std::shared_ptr<const LiveResults> results);

  ProjectDocument& m_document;
  std::shared_ptr<const models::RuleSet> m_rules;
  QThreadPool m_pool;  ///< one worker: a new run queues behind a cancelled one
  QTimer m_debounce;
  QTimer m_slow;
  std::uint64_t m_generation = 0;
  std::shared_ptr<std::atomic<bool>> m_cancel;
  bool m_running = false;
  bool m_reportedSlow = false;
  std::shared_ptr<const LiveResults> m_latest;
};

}  // namespace thornwood::gui
