#pragma once

// Reading JSON documents of ours (projects, rule files) by hand, collecting every shape
// problem with its JSON pointer instead of stopping at the first.

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "models/names.h"
#include "models/project_json.h"

namespace thornwood::models::detail {

enum class Need { Required, Optional };

inline std::string typeName(const Json& j) {
  if (j.is_number_integer() || j.is_number_unsigned()) return "a whole number";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "true or false";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

inline std::string child(const std::string& at, std::string_view key) {
  std::string out = at + "/";
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

inline std::string child(const std::string& at, std::size_t index) { return at + "/" + std::to_string(index); }

/// Walks a document, collecting every shape problem with its pointer.
class Reader {
 public:
  Reader(const std::string& file, std::vector<core::Diagnostic>& out) : m_file(file), m_out(out) {}

  void problem(const std::string& at, std::string text) {
    core::Diagnostic d = core::error(core::ErrorCode::Malformed, at.empty() ? "/" : at, std::move(text));
    d.file = m_file;
    m_out.push_back(std::move(d));
  }

  /// False (after reporting) unless j is an object; reports each key not in `known`.
  bool object(const Json& j, const std::string& at, std::initializer_list<std::string_view> known) {
    if (!j.is_object()) {
      problem(at, "expected an object, found " + typeName(j));
      return false;
    }
    for (const auto& [key, value] : j.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        problem(child(at, key), "unknown key \"" + key + "\"");
      }
    }
    return true;
  }

  /// The value at `key`, or null after reporting a missing required key.
  const Json* field(const Json& obj, const std::string& at, const char* key, Need need) {
    const auto it = obj.find(key);
    if (it != obj.end()) return &*it;
    if (need == Need::Required) problem(at, "missing key \"" + std::string(key) + "\"");
    return nullptr;
  }

  void text(const Json& obj, const std::string& at, const char* key, std::string& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    if (!v->is_string()) return problem(child(at, key), "expected a string, found " + typeName(*v));
    into = v->get<std::string>();
  }

  void flag(const Json& obj, const std::string& at, const char* key, bool& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    if (!v->is_boolean()) return problem(child(at, key), "expected true or false, found " + typeName(*v));
    into = v->get<bool>();
  }

  bool number(const Json& obj, const std::string& at, const char* key, double& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return false;
    if (!v->is_number()) {
      problem(child(at, key), "expected a number, found " + typeName(*v));
      return false;
    }
    const double d = v->get<double>();
    if (!std::isfinite(d)) {
      problem(child(at, key), "the number is not finite");
      return false;
    }
    into = d;
    return true;
  }

  void number(const Json& obj, const std::string& at, const char* key, std::optional<double>& into) {
    double d = 0;
    if (number(obj, at, key, d, Need::Optional)) into = d;
  }

  void integer(const Json& obj, const std::string& at, const char* key, int& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    if (!v->is_number_integer()) {
      return problem(child(at, key), "expected a whole number, found " + typeName(*v));
    }
    const auto n = v->get<long long>();
    if (n < -1'000'000'000 || n > 1'000'000'000) {
      return problem(child(at, key), "the number " + std::to_string(n) + " is out of range");
    }
    into = static_cast<int>(n);
  }

  template <class E>
  void choice(const Json& obj, const std::string& at, const char* key, E& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    if (!v->is_string()) return problem(child(at, key), "expected a string, found " + typeName(*v));
    const auto text = v->get<std::string>();
    if (const auto e = parseName<E>(text)) {
      into = *e;
      return;
    }
    std::string allowed;
    for (std::string_view name : Names<E>::values) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    problem(child(at, key), "\"" + text + "\" is not one of " + allowed);
  }

  void strings(const Json& obj, const std::string& at, const char* key, std::vector<std::string>& into, Need need) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    const std::string here = child(at, key);
    if (!v->is_array()) return problem(here, "expected an array, found " + typeName(*v));
    into.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Json& item = (*v)[i];
      if (!item.is_string()) {
        problem(child(here, i), "expected a string, found " + typeName(item));
        continue;
      }
      into.push_back(item.get<std::string>());
    }
  }

  /// Reads an array of objects with `readOne(json, pointer, item)`.
  template <class T, class ReadOne>
  void list(const Json& obj, const std::string& at, const char* key, std::vector<T>& into, Need need,
            ReadOne readOne) {
    const Json* v = field(obj, at, key, need);
    if (!v) return;
    const std::string here = child(at, key);
    if (!v->is_array()) return problem(here, "expected an array, found " + typeName(*v));
    into.resize(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) readOne((*v)[i], child(here, i), into[i]);
  }

 private:
  const std::string& m_file;
  std::vector<core::Diagnostic>& m_out;
};


/// `{"baseline": ..., "requirement": ...}`, as mitigations and rules cite requirements.
inline void readRequirement(Reader& r, const Json& j, const std::string& at, RequirementRef& into) {
  if (!r.object(j, at, {"baseline", "requirement"})) return;
  r.text(j, at, "baseline", into.baseline, Need::Required);
  r.text(j, at, "requirement", into.requirement, Need::Required);
}

}  // namespace thornwood::models::detail
