#include "exporters/diff_report.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "exporters/analysis_report.h"

namespace thornwood::exporters {

namespace {

using nlohmann::json;

json plain(const models::Json& j) { return json::parse(j.dump()); }

json changesJson(const std::vector<models::ElementChange>& changes) {
  json list = json::array();
  for (const auto& c : changes) {
    json j = json::object();
    j["collection"] = c.collection;
    j["id"] = c.id;
    j["change"] = std::string(models::toString(c.kind));
    json fields = json::array();
    for (const auto& f : c.fields) fields.push_back({{"field", f.field}, {"before", plain(f.before)}, {"after", plain(f.after)}});
    j["fields"] = std::move(fields);
    list.push_back(std::move(j));
  }
  return list;
}

std::string shown(const models::Json& j) {
  if (j.is_null()) return "(none)";
  std::string text = j.dump();
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return text;
}

void changesText(std::ostringstream& out, const std::vector<models::ElementChange>& changes) {
  for (const auto& c : changes) {
    const char mark = c.kind == models::ChangeKind::Added ? '+' : c.kind == models::ChangeKind::Removed ? '-' : '~';
    out << "  " << mark << " " << c.collection << " " << c.id << "\n";
    for (const auto& f : c.fields) out << "      " << f.field << ": " << shown(f.before) << " -> " << shown(f.after) << "\n";
  }
}

}  // namespace

json toJson(const models::ProjectDiff& d, const std::string& before, const std::string& after,
            const std::vector<core::Diagnostic>& diagnostics) {
  json out = json::object();
  out["thornwood_version"] = THORNWOOD_VERSION;
  out["before"] = before;
  out["after"] = after;
  out["model"] = changesJson(d.model);
  out["layout"] = changesJson(d.layout);
  json risk = json::array();
  for (const auto& r : d.risk) {
    risk.push_back({{"subject", r.subject}, {"id", r.id}, {"measure", r.measure}, {"before", plain(r.before)},
                    {"after", plain(r.after)}});
  }
  out["risk"] = std::move(risk);
  json diags = json::array();
  for (const auto& x : diagnostics) diags.push_back(toJson(x));
  out["diagnostics"] = std::move(diags);
  return out;
}

std::string toText(const models::ProjectDiff& d, const std::string& before, const std::string& after) {
  std::ostringstream out;
  out << "Thornwood diff: " << before << " -> " << after << "\n";
  if (d.empty()) {
    out << "  no change\n";
    return out.str();
  }
  if (!d.model.empty()) {
    out << "Model\n";
    changesText(out, d.model);
  }
  if (!d.risk.empty()) {
    out << "Risk\n";
    for (const auto& r : d.risk) {
      out << "  " << r.subject << " " << r.id << " " << r.measure << ": " << shown(r.before) << " -> " << shown(r.after)
          << "\n";
    }
  }
  if (!d.layout.empty()) {
    out << "Layout only (no change to the model)\n";
    changesText(out, d.layout);
  }
  return out.str();
}

}  // namespace thornwood::exporters
