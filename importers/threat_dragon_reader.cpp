#include "importers/threat_dragon_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "models/names.h"
#include "models/project_file.h"

namespace thornwood::importers {

namespace {

using models::Json;

enum class CellKind { Actor, Process, Store, Flow, BoundaryCurve, BoundaryBox, Text, Unknown };

struct Point {
  double x = 0;
  double y = 0;
};

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 60) out.resize(60);
  return out;
}

/// Lower case with spaces, dashes and underscores removed: "Elevation of privilege" -> "elevationofprivilege".
std::string squash(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string oneLine(const std::string& text) {
  std::string out = text.substr(0, text.find('\n'));
  if (out.size() > 100) out = out.substr(0, 97) + "...";
  return out;
}

const Json* member(const Json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string string(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool flag(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v && v->is_boolean() && v->get<bool>();
}

std::optional<Point> point(const Json* j) {
  if (!j || !j->is_object()) return std::nullopt;
  const Json* x = member(*j, "x");
  const Json* y = member(*j, "y");
  if (!x || !y || !x->is_number() || !y->is_number()) return std::nullopt;
  return Point{x->get<double>(), y->get<double>()};
}

class Importer {
 public:
  Importer(const std::string& file, const Json& doc) : m_file(file), m_doc(doc) {}

  ImportOutcome run() {
    ImportOutcome out;
    const Json* summary = member(m_doc, "summary");
    const Json* detail = member(m_doc, "detail");
    const Json* diagrams = detail ? member(*detail, "diagrams") : nullptr;
    if (!summary || !detail || !diagrams || !diagrams->is_array()) {
      error("/", "not a Threat Dragon model: expected \"summary\" and \"detail.diagrams\"");
      out.diagnostics = std::move(m_out);
      return out;
    }
    m_v2 = member(m_doc, "version") != nullptr;
    m_project.name = string(*summary, "title").empty() ? "Imported threat model" : string(*summary, "title");
    m_project.description = string(*summary, "description");
    if (!string(*summary, "owner").empty()) m_project.description += "\nOwner: " + string(*summary, "owner");
    m_project.description += "\nImported from the Threat Dragon " + std::string(m_v2 ? "v2" : "v1") + " model " + m_file + ".";
    // Nodes first (flows and threats refer to them), then flows, boundaries, threats.
    for (std::size_t d = 0; d < diagrams->size(); ++d) collectCells((*diagrams)[d], d);
    for (const Cell& c : m_cells) {
      if (c.kind == CellKind::Actor || c.kind == CellKind::Process || c.kind == CellKind::Store) addComponent(c);
    }
    for (const Cell& c : m_cells) {
      if (c.kind == CellKind::Flow) addFlow(c);
      if (c.kind == CellKind::Text) {
        const std::string text = name(c);
        if (!text.empty()) m_project.description += "\nNote from the diagram: " + text;
      }
      if (c.kind == CellKind::Unknown) warn(c.pointer, "a cell of unknown shape was not imported");
    }
    addZones();
    for (const Cell& c : m_cells) addThreats(c);
    if (!m_project.system.flows.empty()) {
      warn("/", "Threat Dragon has no data classification or flow authentication: flows are imported as internal "
                "and not authenticated; review them");
    }
    if (!m_project.threats.empty()) {
      warn("/", "Threat Dragon has no likelihood: threats are imported as occasional; review them");
    }
    out.project = std::move(m_project);
    out.diagnostics = std::move(m_out);
    return out;
  }

 private:
  struct Cell {
    CellKind kind = CellKind::Unknown;
    const Json* json = nullptr;
    std::string pointer;
    std::size_t diagram = 0;
  };

  void warn(const std::string& place, std::string text) {
    m_out.push_back(core::Diagnostic{core::Severity::Warning, core::ErrorCode::Unsupported, m_file, place, std::move(text)});
  }
  void error(const std::string& place, std::string text) {
    m_out.push_back(core::Diagnostic{core::Severity::Error, core::ErrorCode::Malformed, m_file, place, std::move(text)});
  }

  /// The cell's properties: v2 keeps them under "data", v1 on the cell itself.
  const Json& data(const Cell& c) const {
    const Json* d = member(*c.json, "data");
    return m_v2 && d && d->is_object() ? *d : *c.json;
  }

  std::string name(const Cell& c) const {
    std::string n = string(data(c), "name");
    if (!n.empty()) {
      std::replace(n.begin(), n.end(), '\n', ' ');
      return n;
    }
    // v1: nodes keep their label in attrs.text.text, flows in labels[0].attrs.text.text.
    if (const Json* attrs = member(*c.json, "attrs")) {
      if (const Json* text = member(*attrs, "text")) n = string(*text, "text");
    }
    if (n.empty()) {
      const Json* labels = member(*c.json, "labels");
      if (labels && labels->is_array() && !labels->empty()) {
        if (const Json* attrs = member((*labels)[0], "attrs")) {
          if (const Json* text = member(*attrs, "text")) n = string(*text, "text");
          if (const Json* text = member(*attrs, "labelText"); n.empty() && text) n = string(*text, "text");
        }
      }
    }
    std::replace(n.begin(), n.end(), '\n', ' ');
    return n;
  }

  void collectCells(const Json& diagram, std::size_t d) {
    const std::string base = "/detail/diagrams/" + std::to_string(d);
    const Json* cells = member(diagram, "cells");
    std::string at = base + "/cells";
    if (!m_v2 || !cells) {
      if (const Json* dj = member(diagram, "diagramJson")) {
        cells = member(*dj, "cells");
        at = base + "/diagramJson/cells";
      }
    }
    if (!cells) return;  // an empty diagram
    if (!cells->is_array()) return error(at, "expected an array of cells");
    for (std::size_t i = 0; i < cells->size(); ++i) {
      const Json& cell = (*cells)[i];
      Cell c{CellKind::Unknown, &cell, at + "/" + std::to_string(i), d};
      const std::string shape = string(cell, "shape");
      std::string type = string(cell, "type");
      if (const Json* dd = member(cell, "data"); dd && type.empty()) type = string(*dd, "type");
      if (shape == "actor" || type == "tm.Actor") c.kind = CellKind::Actor;
      else if (shape == "process" || type == "tm.Process") c.kind = CellKind::Process;
      else if (shape == "store" || type == "tm.Store") c.kind = CellKind::Store;
      else if (shape == "flow" || type == "tm.Flow") c.kind = CellKind::Flow;
      else if (shape == "trust-boundary-box" || type == "tm.BoundaryBox") c.kind = CellKind::BoundaryBox;
      else if (shape == "trust-boundary-curve" || shape == "trust-broundary-curve" || type == "tm.Boundary") c.kind = CellKind::BoundaryCurve;
      else if (shape == "td-text-block" || type == "tm.Text") c.kind = CellKind::Text;
      m_cells.push_back(c);
    }
  }

  std::string uniqueId(std::string base, std::set<std::string>& used) {
    if (base.empty() || !std::isalnum(static_cast<unsigned char>(base[0]))) base = "e_" + base;
    std::string id = base;
    for (int n = 2; used.count(id); ++n) id = base + "_" + std::to_string(n);
    used.insert(id);
    return id;
  }

  models::ComponentKind guessKind(const std::string& label, bool webApplication) const {
    const std::string n = squash(label);
    auto has = [&n](const char* word) { return n.find(word) != std::string::npos; };
    if (has("sensor")) return models::ComponentKind::Sensor;
    if (has("actuator") || has("valve") || has("lock") || has("motor")) return models::ComponentKind::Actuator;
    if (has("gateway") || has("router")) return models::ComponentKind::Gateway;
    if (has("hub")) return models::ComponentKind::Hub;
    if (has("mobile") || has("phone")) return models::ComponentKind::MobileApp;
    if (webApplication || has("browser") || has("web")) return models::ComponentKind::WebApp;
    if (has("device") || has("iot") || has("camera") || has("thermostat") || has("plc")) return models::ComponentKind::Device;
    return models::ComponentKind::CloudService;
  }

  void addComponent(const Cell& c) {
    const Json& d = data(c);
    models::Component comp;
    comp.name = name(c).empty() ? "Unnamed" : name(c);
    comp.id = uniqueId(slug(comp.name), m_ids);
    comp.description = string(d, "description");
    switch (c.kind) {
      case CellKind::Actor:
        comp.kind = models::ComponentKind::User;
        if (flag(d, "providesAuthentication")) comp.attributes["provides_authentication"] = true;
        break;
      case CellKind::Store:
        comp.kind = models::ComponentKind::DataStore;
        comp.properties.logs = flag(d, "isALog");
        comp.properties.logsIntegrityProtected = flag(d, "isALog") && flag(d, "isSigned");
        if (flag(d, "isEncrypted")) comp.attributes["encrypted_at_rest"] = true;
        if (flag(d, "isSigned")) comp.attributes["signed"] = true;
        if (flag(d, "storesCredentials")) comp.attributes["stores_credentials"] = true;
        if (flag(d, "storesInventory")) comp.attributes["stores_inventory"] = true;
        break;
      case CellKind::Process: {
        comp.kind = guessKind(comp.name, flag(d, "isWebApplication"));
        warn(c.pointer, "process \"" + comp.name + "\" imported as a " + std::string(models::nameOf(comp.kind)) +
                            " (Threat Dragon has no kinds; guessed from its name): check it");
        if (flag(d, "handlesCardPayment")) comp.attributes["handles_card_payment"] = true;
        if (flag(d, "handlesGoodsOrServices")) comp.attributes["handles_goods_or_services"] = true;
        if (!string(d, "privilegeLevel").empty()) comp.attributes["privilege_level"] = string(d, "privilegeLevel");
        break;
      }
      default: break;
    }
    if (flag(d, "outOfScope")) {
      comp.attributes["out_of_scope"] = true;
      if (!string(d, "reasonOutOfScope").empty()) comp.description += "\nOut of scope: " + string(d, "reasonOutOfScope");
    }
    m_componentOf[string(*c.json, "id")] = comp.id;
    m_cellElement[c.json] = comp.id;
    const std::optional<Point> pos = point(member(*c.json, "position"));
    const Json* size = member(*c.json, "size");
    if (pos) {
      models::Placement pl{comp.id, pos->x, pos->y, 0, 0};
      if (size && member(*size, "width") && member(*size, "height") && (*size)["width"].is_number() &&
          (*size)["height"].is_number()) {
        pl.width = std::max(0.0, (*size)["width"].get<double>());
        pl.height = std::max(0.0, (*size)["height"].get<double>());
      }
      m_centre[comp.id] = Point{pl.x + pl.width / 2, pl.y + pl.height / 2};
      m_project.layout.push_back(pl);
    }
    m_project.system.components.push_back(std::move(comp));
  }

  std::string endpoint(const Cell& c, const char* which) const {
    const Json* end = member(*c.json, which);
    if (!end) return {};
    const std::string cell = string(*end, m_v2 ? "cell" : "id");
    const auto it = m_componentOf.find(cell.empty() ? string(*end, "id") : cell);
    return it == m_componentOf.end() ? std::string() : it->second;
  }

  void addFlow(const Cell& c) {
    const Json& d = data(c);
    models::DataFlow f;
    f.name = name(c).empty() ? "Flow" : name(c);
    f.source = endpoint(c, "source");
    f.target = endpoint(c, "target");
    if (f.source.empty() || f.target.empty() || f.source == f.target) {
      warn(c.pointer, "flow \"" + f.name + "\" does not join two elements of the diagram and was not imported");
      return;
    }
    f.id = uniqueId(slug(name(c).empty() ? "flow_" + f.source + "_" + f.target : name(c) + "_" + f.source + "_" + f.target), m_ids);
    f.protocol = string(d, "protocol");
    f.classification = models::DataClassification::Internal;
    f.encrypted = flag(d, "isEncrypted");
    if (flag(d, "isPublicNetwork")) f.attributes["public_network"] = true;
    if (flag(d, "isBidirectional")) f.attributes["bidirectional"] = true;
    if (flag(d, "outOfScope")) f.attributes["out_of_scope"] = true;
    m_cellElement[c.json] = f.id;
    m_project.system.flows.push_back(std::move(f));
  }

  /// Trust boundaries into zones with explicit members.
  void addZones() {
    struct Box {
      const Cell* cell;
      double x, y, w, h;
      std::string id;
    };
    std::vector<Box> boxes;
    std::vector<std::pair<const Cell*, std::vector<Point>>> curves;
    for (const Cell& c : m_cells) {
      if (c.kind == CellKind::BoundaryBox) {
        const auto pos = point(member(*c.json, "position"));
        const Json* size = member(*c.json, "size");
        if (!pos || !size || !member(*size, "width") || !member(*size, "height") || !(*size)["width"].is_number() ||
            !(*size)["height"].is_number()) {
          warn(c.pointer, "a trust boundary box without position and size was not imported");
          continue;
        }
        boxes.push_back(Box{&c, pos->x, pos->y, (*size)["width"].get<double>(), (*size)["height"].get<double>(), {}});
      } else if (c.kind == CellKind::BoundaryCurve) {
        std::vector<Point> line;
        if (auto p = point(member(*c.json, "source"))) line.push_back(*p);
        if (const Json* vs = member(*c.json, "vertices"); vs && vs->is_array()) {
          for (const Json& v : *vs) {
            if (auto p = point(&v)) line.push_back(*p);
          }
        }
        if (auto p = point(member(*c.json, "target"))) line.push_back(*p);
        if (line.size() < 2) {
          warn(c.pointer, "a trust boundary line without two points was not imported");
          continue;
        }
        curves.emplace_back(&c, std::move(line));
      }
    }
    if (boxes.empty() && curves.empty()) return;
    warn("/", "trust levels are not in Threat Dragon: every zone is imported with trust 1; set them");
    // Boxes: a zone each; a box inside another nests; an element belongs to the smallest box
    // holding its centre.
    auto inside = [](const Box& b, Point p) { return p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h; };
    for (Box& b : boxes) {
      const std::string label = name(*b.cell);
      b.id = uniqueId("zone_" + slug(label.empty() ? "box" : label), m_ids);
    }
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      models::TrustZone z;
      z.id = boxes[i].id;
      z.name = name(*boxes[i].cell).empty() ? "Boundary " + std::to_string(i + 1) : name(*boxes[i].cell);
      z.trust = 1;
      double smallest = 0;
      for (std::size_t j = 0; j < boxes.size(); ++j) {
        const Box& o = boxes[j];
        const bool holds = j != i && o.x <= boxes[i].x && o.y <= boxes[i].y && o.x + o.w >= boxes[i].x + boxes[i].w &&
                           o.y + o.h >= boxes[i].y + boxes[i].h && o.w * o.h > boxes[i].w * boxes[i].h;
        if (holds && (z.parent.empty() || o.w * o.h < smallest)) {
          z.parent = o.id;
          smallest = o.w * o.h;
        }
      }
      m_project.system.zones.push_back(z);
      m_project.layout.push_back(models::Placement{z.id, boxes[i].x, boxes[i].y, boxes[i].w, boxes[i].h});
    }
    std::vector<std::string> unzoned;
    for (const models::Component& comp : m_project.system.components) {
      const auto centre = m_centre.find(comp.id);
      if (centre == m_centre.end()) continue;
      std::size_t best = boxes.size();
      for (std::size_t i = 0; i < boxes.size(); ++i) {
        if (inside(boxes[i], centre->second) && (best == boxes.size() || boxes[i].w * boxes[i].h < boxes[best].w * boxes[best].h)) best = i;
      }
      if (best < boxes.size()) m_project.system.zones[best].members.push_back(comp.id);
      else unzoned.push_back(comp.id);
    }
    if (curves.empty()) return;
    // Curves are lines: group the elements no box holds by the side of each line they lie on.
    auto side = [](const std::vector<Point>& line, Point c) {
      double bestDistance = -1;
      bool left = false;
      for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const Point a = line[i], b = line[i + 1];
        const double dx = b.x - a.x, dy = b.y - a.y;
        const double len2 = dx * dx + dy * dy;
        const double t = len2 > 0 ? std::clamp(((c.x - a.x) * dx + (c.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
        const double px = a.x + t * dx - c.x, py = a.y + t * dy - c.y;
        const double distance = px * px + py * py;
        if (bestDistance < 0 || distance < bestDistance) {
          bestDistance = distance;
          left = dx * (c.y - a.y) - dy * (c.x - a.x) > 0;
        }
      }
      return left;
    };
    std::map<std::vector<bool>, std::size_t> regionOf;
    for (const std::string& id : unzoned) {
      std::vector<bool> signature;
      for (const auto& [cell, line] : curves) signature.push_back(side(line, m_centre[id]));
      auto [it, fresh] = regionOf.emplace(signature, m_project.system.zones.size());
      if (fresh) {
        models::TrustZone z;
        z.id = uniqueId("region_" + std::to_string(regionOf.size()), m_ids);
        z.name = "Region " + std::to_string(regionOf.size());
        z.trust = 1;
        m_project.system.zones.push_back(z);
      }
      m_project.system.zones[it->second].members.push_back(id);
    }
    std::string names;
    for (const auto& [cell, line] : curves) {
      names += (names.empty() ? "\"" : ", \"") + (name(*cell).empty() ? std::string("unnamed") : name(*cell)) + "\"";
    }
    warn("/", "trust boundary lines (" + names + ") separate the diagram into " + std::to_string(regionOf.size()) +
                  " regions, imported as zones by the side of each line their elements lie on; check membership");
  }

  models::Stride category(const std::string& type, const std::string& at, bool& guessed) const {
    const std::string t = squash(type);
    guessed = false;
    if (t == "spoofing") return models::Stride::Spoofing;
    if (t == "tampering") return models::Stride::Tampering;
    if (t == "repudiation") return models::Stride::Repudiation;
    if (t == "informationdisclosure") return models::Stride::InformationDisclosure;
    if (t == "denialofservice") return models::Stride::DenialOfService;
    if (t == "elevationofprivilege") return models::Stride::ElevationOfPrivilege;
    (void)at;
    guessed = true;
    if (t == "integrity" || t == "immutable") return models::Stride::Tampering;
    if (t == "availability" || t == "ephemeral" || t == "distributed") return models::Stride::DenialOfService;
    if (t == "nonrepudiation") return models::Stride::Repudiation;
    return models::Stride::InformationDisclosure;  // confidentiality and the LINDDUN privacy threats
  }

  void addThreats(const Cell& c) {
    const Json* threats = member(data(c), "threats");
    std::string at = c.pointer + (m_v2 ? "/data/threats" : "/threats");
    if (!threats && m_v2) {
      threats = member(*c.json, "threats");
      at = c.pointer + "/threats";
    }
    if (!threats || !threats->is_array() || threats->empty()) return;
    const auto element = m_cellElement.find(c.json);
    for (std::size_t k = 0; k < threats->size(); ++k) {
      const Json& tj = (*threats)[k];
      const std::string place = at + "/" + std::to_string(k);
      if (element == m_cellElement.end()) {
        warn(place, "threat \"" + string(tj, "title") + "\" is on an element that was not imported and was not imported");
        continue;
      }
      models::Threat t;
      t.title = string(tj, "title").empty() ? "Untitled threat" : string(tj, "title");
      const Json* number = member(tj, "number");
      const std::string base = number && number->is_number_integer() ? "td_" + std::to_string(number->get<long long>())
                                                                      : "td_" + element->second;
      t.id = uniqueId(base, m_threatIds);
      t.target = element->second;
      t.description = string(tj, "description");
      if (!string(tj, "score").empty()) t.description += (t.description.empty() ? "" : "\n") + std::string("Score: ") + string(tj, "score");
      bool guessed = false;
      t.category = category(string(tj, "type"), place, guessed);
      if (guessed) {
        warn(place + "/type", "category \"" + string(tj, "type") + "\" is not STRIDE; imported as " +
                                  std::string(models::nameOf(t.category)));
      }
      const std::string status = squash(string(tj, "status"));
      if (status == "open" || status.empty()) t.status = models::ThreatStatus::Open;
      else if (status == "mitigated") t.status = models::ThreatStatus::Mitigated;
      else if (status == "notapplicable" || status == "na") t.status = models::ThreatStatus::NotApplicable;
      else if (status == "accepted") t.status = models::ThreatStatus::Accepted;
      else if (status == "transferred") t.status = models::ThreatStatus::Transferred;
      else if (status == "avoided" || status == "eliminated") {
        t.status = models::ThreatStatus::Mitigated;
        warn(place + "/status", "status \"" + string(tj, "status") + "\" imported as mitigated");
      } else {
        warn(place + "/status", "unknown status \"" + string(tj, "status") + "\" imported as open");
      }
      const std::string severity = squash(string(tj, "severity"));
      t.likelihood = "occasional";
      t.impact = severity == "low" ? "minor" : severity == "high" ? "critical" : severity == "critical" ? "catastrophic" : "serious";
      if (severity != "low" && severity != "medium" && severity != "high" && severity != "critical") {
        warn(place + "/severity", "severity \"" + string(tj, "severity") + "\" imported as impact serious");
      }
      const std::string mitigation = string(tj, "mitigation");
      if (!mitigation.empty()) {
        auto it = m_mitigationByText.find(mitigation);
        if (it == m_mitigationByText.end()) {
          models::Mitigation m;
          m.id = uniqueId("m_" + slug(oneLine(mitigation)).substr(0, 40), m_mitigationIds);
          m.title = oneLine(mitigation);
          m.description = mitigation;
          m.status = t.status == models::ThreatStatus::Mitigated ? models::MitigationStatus::Implemented
                                                                 : models::MitigationStatus::Proposed;
          it = m_mitigationByText.emplace(mitigation, m_project.mitigations.size()).first;
          m_project.mitigations.push_back(std::move(m));
        }
        t.mitigations.push_back(m_project.mitigations[it->second].id);
      }
      m_project.threats.push_back(std::move(t));
    }
  }

  const std::string& m_file;
  const Json& m_doc;
  bool m_v2 = true;
  std::vector<Cell> m_cells;
  models::Project m_project;
  std::vector<core::Diagnostic> m_out;
  std::set<std::string> m_ids;
  std::set<std::string> m_threatIds;
  std::set<std::string> m_mitigationIds;
  std::map<std::string, std::string> m_componentOf;       // cell id -> component id
  std::map<const Json*, std::string> m_cellElement;       // cell -> component or flow id
  std::map<std::string, Point> m_centre;                  // component id -> centre
  std::map<std::string, std::size_t> m_mitigationByText;  // mitigation text -> index
};

}  // namespace

ImportOutcome readThreatDragon(const std::string& path) {
  ImportOutcome out;
  models::LoadLimits limits;
  limits.maxBytes = 64u << 20;
  auto doc = models::readJsonFile(path, limits);
  if (!doc) {
    out.diagnostics.push_back(doc.error());
    return out;
  }
  return Importer(path, *doc).run();
}

}  // namespace thornwood::importers
