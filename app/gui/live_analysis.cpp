#include "app/gui/live_analysis.h"

#include <chrono>

#include "models/validate.h"

namespace thornwood::gui {

std::shared_ptr<const LiveResults> computeLiveResults(models::Project project, const std::string& file,
                                                      const models::RuleSet& rules, const std::atomic<bool>* cancel,
                                                      std::uint64_t generation) {
  const auto start = std::chrono::steady_clock::now();
  auto out = std::make_shared<LiveResults>();
  out->generation = generation;
  out->project = std::move(project);
  const models::Project& p = out->project;
  auto stopped = [&] { return cancel && cancel->load(); };
  out->problems = models::validate(p, file);
  if (models::noErrors(out->problems) && !stopped()) {
    models::ProjectAnalysisOptions options;
    options.timing = false;
    options.cancel = cancel;
    out->analysis = models::analyse(p, file, options);
    out->cancelled = out->analysis->cancelled;
    for (const auto& tree : p.attackTrees) {
      if (stopped()) break;
      if (auto a = models::analyseAttackTree(p, tree.id)) out->attacks.emplace(tree.id, std::move(*a));
    }
  }
  if (!stopped()) {
    models::Project merged = p;
    out->rules = models::mergeFindings(merged, models::runRules(rules, p), rules);
    out->threatsAfterRules = std::move(merged.threats);
  } else {
    out->threatsAfterRules = p.threats;
  }
  out->cancelled = out->cancelled || stopped();
  out->elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return out;
}

AnalysisRunner::AnalysisRunner(ProjectDocument& document, QObject* parent) : QObject(parent), m_document(document) {
  models::RuleLoadOutcome builtin = models::builtinRules();
  m_rules = std::make_shared<const models::RuleSet>(builtin.rules ? std::move(*builtin.rules) : models::RuleSet{});
  m_pool.setMaxThreadCount(1);
  m_pool.setStackSize(8u << 20);
  m_debounce.setSingleShot(true);
  m_debounce.setInterval(300);
  connect(&m_debounce, &QTimer::timeout, this, &AnalysisRunner::runNow);
  m_slow.setSingleShot(true);
  m_slow.setInterval(200);
  connect(&m_slow, &QTimer::timeout, this, [this] {
    if (!m_running) return;
    m_reportedSlow = true;
    emit slowChanged(true);
  });
  connect(&m_document, &ProjectDocument::elementChanged, this, &AnalysisRunner::schedule);
  connect(&m_document, &ProjectDocument::listChanged, this, &AnalysisRunner::schedule);
  connect(&m_document, &ProjectDocument::projectReplaced, this, &AnalysisRunner::runNow);
}

AnalysisRunner::~AnalysisRunner() {
  if (m_cancel) m_cancel->store(true);
  m_pool.waitForDone();
}

void AnalysisRunner::schedule() {
  ++m_generation;  // what is running now is already stale
  if (m_cancel) m_cancel->store(true);
  m_debounce.start();
}

void AnalysisRunner::runNow() {
  m_debounce.stop();
  if (m_cancel) m_cancel->store(true);
  const std::uint64_t generation = ++m_generation;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  m_cancel = cancel;
  m_running = true;
  if (!m_slow.isActive() && !m_reportedSlow) m_slow.start();
  models::Project snapshot = m_document.project();
  const std::string file = m_document.path().isEmpty() ? std::string("(unsaved)") : m_document.path().toStdString();
  std::shared_ptr<const models::RuleSet> rules = m_rules;
  m_pool.start([this, snapshot = std::move(snapshot), file, rules, cancel, generation]() mutable {
    auto results = computeLiveResults(std::move(snapshot), file, *rules, cancel.get(), generation);
    // The destructor waits for this worker, so `this` outlives the call; the queued delivery
    // is dropped by Qt if the runner is gone by then.
    QMetaObject::invokeMethod(this, [this, results] { deliver(results); }, Qt::QueuedConnection);
  });
}

void AnalysisRunner::deliver(std::shared_ptr<const LiveResults> results) {
  if (results->generation != m_generation) return;  // an edit came after it started
  m_running = false;
  m_slow.stop();
  m_latest = std::move(results);
  if (m_reportedSlow) {
    m_reportedSlow = false;
    emit slowChanged(false);
  }
  emit finished();
}

}  // namespace thornwood::gui
