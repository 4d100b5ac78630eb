#include "models/project_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "models/validate.h"

namespace thornwood::models {

namespace {

core::Diagnostic problem(core::ErrorCode code, const std::string& file, std::string place, std::string text) {
  core::Diagnostic d = core::error(code, std::move(place), std::move(text));
  d.file = file;
  return d;
}

/// "line:column" (1-based) of a byte offset.
std::string lineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - lineStart + 1);
}

/// Parses the text into a document in one pass, refusing on the way nesting beyond the limit
/// (the document and everything that walks it recurse) and keys given twice in one object (a
/// reader would see the first, the parser keep the last). Builds through nlohmann's own DOM
/// builder, so the document is what Json::parse would give.
class Screen : public nlohmann::json_sax<Json> {
 public:
  Screen(Json& root, const LoadLimits& limits)
      : m_dom(root, false), m_maxDepth(limits.maxDepth), m_maxValues(limits.maxValues) {}

  std::string failure;     ///< the problem, empty when none
  std::string place;       ///< its JSON pointer, or empty for a syntax error
  std::size_t errorAt = 0;  ///< characters read when the text stopped being JSON
  core::ErrorCode code = core::ErrorCode::Malformed;

  bool null() override { return value() && m_dom.null(); }
  bool boolean(bool v) override { return value() && m_dom.boolean(v); }
  bool number_integer(number_integer_t v) override { return value() && m_dom.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return value() && m_dom.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) override { return value() && m_dom.number_float(v, s); }
  bool string(string_t& v) override { return value() && m_dom.string(v); }
  bool binary(binary_t& v) override { return value() && m_dom.binary(v); }

  bool start_object(std::size_t n) override { return open(false) && m_dom.start_object(n); }
  bool end_object() override {
    // This object's keys are the top of the shared key stack.
    const auto first = m_keys.begin() + static_cast<std::ptrdiff_t>(m_frames.back().firstKey);
    if (m_keys.end() - first > 1) {
      m_sorted.assign(first, m_keys.end());
      std::sort(m_sorted.begin(), m_sorted.end());
      const auto twice = std::adjacent_find(m_sorted.begin(), m_sorted.end());
      if (twice != m_sorted.end()) {
        m_frames.back().key.clear();
        place = pointer();
        failure = "key \"" + std::string(*twice) + "\" is given twice in one object";
        return false;
      }
    }
    m_keys.erase(first, m_keys.end());
    return close() && m_dom.end_object();
  }
  bool key(string_t& k) override {
    m_frames.back().key = k;
    m_keys.push_back(k);
    return m_dom.key(k);
  }
  bool start_array(std::size_t n) override { return open(true) && m_dom.start_array(n); }
  bool end_array() override { return close() && m_dom.end_array(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    errorAt = position;
    // "[json.exception.parse_error.101] parse error at line 3, column 11: syntax error while
    // parsing value - invalid literal; last read: ..." -> the part after the place.
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    if (what.rfind("parse error", 0) == 0) {
      if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    }
    if (what.rfind("syntax error", 0) == 0) {
      if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    }
    failure = "not JSON: " + what;
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;           ///< the current key, for the pointer
    std::size_t firstKey = 0;  ///< where this object's keys start in m_keys
  };

  /// After each value: counts it, and moves an array's pointer to the next element.
  bool value() {
    if (++m_values > m_maxValues) {
      place = pointer();
      failure = "more than " + std::to_string(m_maxValues) + " values in the file";
      code = core::ErrorCode::Limit;
      return false;
    }
    if (!m_frames.empty() && m_frames.back().array) ++m_frames.back().index;
    return true;
  }
  bool open(bool array) {
    if (static_cast<int>(m_frames.size()) >= m_maxDepth) {
      place = pointer();
      failure = "nesting is deeper than " + std::to_string(m_maxDepth) + " levels";
      code = core::ErrorCode::Limit;
      return false;
    }
    m_frames.push_back(Frame{array, 0, {}, m_keys.size()});
    return true;
  }
  bool close() {
    m_frames.pop_back();
    return value();
  }
  std::string pointer() const {
    std::string out;
    for (const Frame& f : m_frames) {
      if (f.array) {
        out += "/" + std::to_string(f.index);
      } else if (!f.key.empty()) {
        out += "/" + f.key;
      }
    }
    return out.empty() ? "/" : out;
  }

  nlohmann::detail::json_sax_dom_parser<Json> m_dom;
  int m_maxDepth;
  std::size_t m_maxValues;
  std::size_t m_values = 0;
  std::vector<Frame> m_frames;
  std::vector<std::string> m_keys;  ///< keys of the open objects, innermost last
  std::vector<std::string> m_sorted;
};

const std::vector<Migration>& shippedMigrations() {
  // Version 1 is the first released format; a change of format appends a step here.
  static const std::vector<Migration> chain;
  return chain;
}

}  // namespace

std::span<const Migration> migrations() { return shippedMigrations(); }

core::Result<Json> migrate(Json document, int version, int target, std::span<const Migration> chain,
                           const std::string& file) {
  if (version > target) {
    return core::fail(problem(core::ErrorCode::Unsupported, file, "/format_version",
                              "format version " + std::to_string(version) + " is newer than this Thornwood (" +
                                  THORNWOOD_VERSION + ") reads; it reads versions up to " + std::to_string(target) +
                                  ": update Thornwood to open it"));
  }
  for (int v = version; v < target; ++v) {
    const auto step = std::find_if(chain.begin(), chain.end(), [v](const Migration& m) { return m.from == v; });
    if (step == chain.end()) {
      return core::fail(problem(core::ErrorCode::Unsupported, file, "/format_version",
                                "format version " + std::to_string(version) + " cannot be migrated: no step from version " +
                                    std::to_string(v)));
    }
    step->apply(document);
    document["format_version"] = v + 1;
  }
  return document;
}

core::Result<Json> parseJson(std::string_view text, const std::string& file, const LoadLimits& limits) {
  if (text.size() > limits.maxBytes) {
    return core::fail(problem(core::ErrorCode::Limit, file, "",
                              "file is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                  std::to_string(limits.maxBytes)));
  }
  Json doc;
  Screen screen(doc, limits);
  const bool parsed = Json::sax_parse(text, &screen);
  if (!parsed || !screen.failure.empty()) {
    const bool syntax = screen.place.empty();
    return core::fail(problem(screen.code, file,
                              syntax ? lineColumn(text, screen.errorAt == 0 ? 0 : screen.errorAt - 1) : screen.place,
                              screen.failure.empty() ? std::string("not JSON") : screen.failure));
  }
  return doc;
}

core::Result<Json> readJsonFile(const std::string& path, const LoadLimits& limits) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return core::fail(problem(core::ErrorCode::Io, path, "", std::string("cannot open: ") + std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) return core::fail(problem(core::ErrorCode::Io, path, "", "not a regular file"));
  if (static_cast<std::size_t>(info.st_size) > limits.maxBytes) {
    return core::fail(problem(core::ErrorCode::Limit, path, "",
                              "file is " + std::to_string(info.st_size) + " bytes, over the limit of " +
                                  std::to_string(limits.maxBytes)));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in || in.gcount() != static_cast<std::streamsize>(text.size())) {
    return core::fail(problem(core::ErrorCode::Io, path, "", "the file could not be read whole"));
  }
  return parseJson(text, path, limits);
}

LoadOutcome parseProject(std::string_view text, const std::string& file, const LoadLimits& limits) {
  LoadOutcome out;
  auto parsed = parseJson(text, file, limits);
  if (!parsed) {
    out.diagnostics.push_back(parsed.error());
    return out;
  }
  Json doc = std::move(*parsed);
  if (!doc.is_object()) {
    out.diagnostics.push_back(problem(core::ErrorCode::Malformed, file, "/", "a Thornwood project is a JSON object"));
    return out;
  }
  const auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kFormatName) {
    out.diagnostics.push_back(problem(core::ErrorCode::Malformed, file, "/format",
                                      "not a Thornwood project: \"format\" must be \"thornwood\""));
    return out;
  }
  const auto version = doc.find("format_version");
  if (version == doc.end() || !version->is_number_integer() || version->get<long long>() < 1 ||
      version->get<long long>() > 1'000'000) {
    out.diagnostics.push_back(problem(core::ErrorCode::Malformed, file, "/format_version",
                                      "\"format_version\" must be a whole number from 1"));
    return out;
  }
  auto migrated = migrate(std::move(doc), static_cast<int>(version->get<long long>()), kFormatVersion, migrations(), file);
  if (!migrated) {
    out.diagnostics.push_back(migrated.error());
    return out;
  }
  ReadOutcome read = fromJson(*migrated, file);
  out.diagnostics = std::move(read.diagnostics);
  if (!read.project) return out;
  std::vector<core::Diagnostic> meaning = validate(*read.project, file);
  out.diagnostics.insert(out.diagnostics.end(), meaning.begin(), meaning.end());
  if (noErrors(out.diagnostics)) out.project = std::move(read.project);
  return out;
}

LoadOutcome loadProject(const std::string& path, const LoadLimits& limits) {
  LoadOutcome out;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    out.diagnostics.push_back(problem(core::ErrorCode::Io, path, "", std::string("cannot open: ") + std::strerror(errno)));
    return out;
  }
  if (!S_ISREG(info.st_mode)) {
    out.diagnostics.push_back(problem(core::ErrorCode::Io, path, "", "not a regular file"));
    return out;
  }
  if (static_cast<std::size_t>(info.st_size) > limits.maxBytes) {
    out.diagnostics.push_back(problem(core::ErrorCode::Limit, path, "",
                                      "file is " + std::to_string(info.st_size) + " bytes, over the limit of " +
                                          std::to_string(limits.maxBytes)));
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.diagnostics.push_back(problem(core::ErrorCode::Io, path, "", std::string("cannot open: ") + std::strerror(errno)));
    return out;
  }
  std::string text;
  text.resize(static_cast<std::size_t>(info.st_size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.gcount() != static_cast<std::streamsize>(text.size())) {
    out.diagnostics.push_back(problem(core::ErrorCode::Io, path, "", "the file changed while it was read"));
    return out;
  }
  return parseProject(text, path, limits);
}

std::string serialise(const Project& project) {
  return toCanonicalText(project, std::string("Thornwood ") + THORNWOOD_VERSION);
}

core::Result<bool> writeFileAtomically(const std::string& path, std::string_view text) {
  const auto slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temp = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + "." + base + ".XXXXXX.tmp";
  std::vector<char> pattern(temp.begin(), temp.end());
  pattern.push_back('\0');
  const int fd = ::mkstemps(pattern.data(), 4);
  auto ioError = [&](const std::string& what) {
    return core::fail(problem(core::ErrorCode::Io, path, "", what + ": " + std::strerror(errno)));
  };
  if (fd < 0) return ioError("cannot create a temporary file in " + folder);
  temp.assign(pattern.data());
  auto abandon = [&](const std::string& what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    errno = saved;
    return ioError(what);
  };
  // Keep the permissions of the file being replaced.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) ::fchmod(fd, info.st_mode & 07777);
  else ::fchmod(fd, 0644);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("cannot write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return abandon("cannot flush to disk");
  if (::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return ioError("cannot close");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return ioError("cannot replace the file");
  }
  // Make the rename itself durable.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

core::Result<bool> saveProject(const Project& project, const std::string& path) {
  return writeFileAtomically(path, serialise(project));
}

}  // namespace thornwood::models
