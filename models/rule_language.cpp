#include "models/rule_language.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <map>
#include <optional>
#include <variant>

#include "models/names.h"

namespace thornwood::models {

// ---- the context --------------------------------------------------------------------------

RuleContext::RuleContext(const Project& p) : m_project(p) {
  const auto& comps = p.system.components;
  const auto& flows = p.system.flows;
  const auto& zones = p.system.zones;
  for (std::size_t i = 0; i < comps.size(); ++i) m_componentIds.emplace_back(comps[i].id, i);
  std::sort(m_componentIds.begin(), m_componentIds.end());
  std::map<std::string, std::size_t> zoneIndex;
  for (std::size_t z = 0; z < zones.size(); ++z) zoneIndex.emplace(zones[z].id, z);
  m_zoneOf.assign(comps.size(), kNone);
  m_members.resize(zones.size());
  m_zoneParent.assign(zones.size(), kNone);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    if (const auto it = zoneIndex.find(zones[z].parent); it != zoneIndex.end()) m_zoneParent[z] = it->second;
    for (const std::string& m : zones[z].members) {
      const std::size_t c = component(m);
      if (c == kNone || m_zoneOf[c] != kNone) continue;
      m_zoneOf[c] = z;
      m_members[z].push_back(c);
    }
  }
  m_out.resize(comps.size());
  m_in.resize(comps.size());
  for (std::size_t f = 0; f < flows.size(); ++f) {
    const std::size_t s = component(flows[f].source);
    const std::size_t t = component(flows[f].target);
    if (s != kNone) m_out[s].push_back(f);
    if (t != kNone) m_in[t].push_back(f);
  }
  auto trust = [&](std::size_t c) -> std::optional<int> {
    if (m_zoneOf[c] == kNone) return std::nullopt;
    return zones[m_zoneOf[c]].trust;
  };
  m_behindFirewall.assign(comps.size(), false);
  for (std::size_t c = 0; c < comps.size(); ++c) {
    // Walk out through the enclosing zones; the parent chain was checked for cycles, but a
    // project that skipped validation must not loop either.
    std::size_t z = m_zoneOf[c];
    for (std::size_t steps = 0; z != kNone && steps <= zones.size(); ++steps, z = m_zoneParent[z]) {
      if (zones[z].firewall) {
        m_behindFirewall[c] = true;
        break;
      }
    }
  }
  m_internetFacing.assign(comps.size(), false);
  m_internetReachable.assign(comps.size(), false);
  std::deque<std::size_t> queue;
  for (std::size_t c = 0; c < comps.size(); ++c) {
    if (trust(c) == 0) {
      m_internetFacing[c] = true;
      m_internetReachable[c] = true;
      queue.push_back(c);
    }
  }
  for (std::size_t c = 0; c < comps.size(); ++c) {
    for (std::size_t f : m_in[c]) {
      const std::size_t s = component(flows[f].source);
      if (s != kNone && trust(s) == 0) m_internetFacing[c] = true;
    }
  }
  while (!queue.empty()) {
    const std::size_t c = queue.front();
    queue.pop_front();
    for (std::size_t f : m_out[c]) {
      const std::size_t t = component(flows[f].target);
      if (t != kNone && !m_internetReachable[t]) {
        m_internetReachable[t] = true;
        queue.push_back(t);
      }
    }
  }
  std::map<std::string, std::size_t> groupSize;
  for (const Component& c : comps) {
    if (!c.properties.redundancyGroup.empty()) ++groupSize[c.properties.redundancyGroup];
  }
  m_peers.assign(comps.size(), 0);
  for (std::size_t c = 0; c < comps.size(); ++c) {
    const std::string& g = comps[c].properties.redundancyGroup;
    if (!g.empty()) m_peers[c] = groupSize[g] - 1;
  }
}

std::size_t RuleContext::component(const std::string& id) const {
  const auto it = std::lower_bound(m_componentIds.begin(), m_componentIds.end(), std::make_pair(id, std::size_t{0}));
  return it != m_componentIds.end() && it->first == id ? it->second : kNone;
}

// ---- types and fields ---------------------------------------------------------------------

namespace {

/// Static types, for checking names and uses when a rule is read.
enum class Type { Bool, Number, Text, Component, Flow, Zone, Properties, ComponentAttributes, FlowAttributes, Any };

std::string_view typeName(Type t) {
  switch (t) {
    case Type::Bool: return "true/false";
    case Type::Number: return "a number";
    case Type::Text: return "text";
    case Type::Component: return "a component";
    case Type::Flow: return "a flow";
    case Type::Zone: return "a zone";
    case Type::Properties: return "properties";
    case Type::ComponentAttributes:
    case Type::FlowAttributes: return "attributes";
    case Type::Any: return "a value";
  }
  return "";
}

/// Every field, by the object it belongs to; Field is the key the evaluator switches on.
enum class Field {
  Id, Name, Kind, Description, Properties, Attributes, Zone, Trust, BehindFirewall, InternetFacing,
  InternetReachable, RedundancyPeers, Dfd,
  // properties
  AuthenticatesBeforeSending, UpdateMechanism, UpdatesAuthenticated, SecureBoot, DefaultCredentials,
  DebugPortExposed, TamperDetection, PhysicalExposure, Wireless, Constrained, StoresPersonalData, Logs,
  LogsIntegrityProtected, RedundancyGroup,
  // flows
  Protocol, Classification, Encrypted, Authenticated, IntegrityProtected, RateLimited, Source, Target,
  CrossesBoundary, FromLessTrusted, WirelessLink, Link,
  // zones
  Firewall, Filtering, Parent, Internet,
  // attributes
  Attribute
};

struct FieldInfo {
  std::string_view name;
  Field field;
  Type type;
};

constexpr FieldInfo kComponentFields[] = {
    {"id", Field::Id, Type::Text},
    {"name", Field::Name, Type::Text},
    {"kind", Field::Kind, Type::Text},
    {"description", Field::Description, Type::Text},
    {"properties", Field::Properties, Type::Properties},
    {"attributes", Field::Attributes, Type::ComponentAttributes},
    {"zone", Field::Zone, Type::Zone},
    {"trust", Field::Trust, Type::Number},
    {"behind_firewall", Field::BehindFirewall, Type::Bool},
    {"internet_facing", Field::InternetFacing, Type::Bool},
    {"internet_reachable", Field::InternetReachable, Type::Bool},
    {"redundancy_peers", Field::RedundancyPeers, Type::Number},
    {"dfd", Field::Dfd, Type::Text},
};
constexpr FieldInfo kPropertyFields[] = {
    {"authenticates_before_sending", Field::AuthenticatesBeforeSending, Type::Bool},
    {"update_mechanism", Field::UpdateMechanism, Type::Text},
    {"updates_authenticated", Field::UpdatesAuthenticated, Type::Bool},
    {"secure_boot", Field::SecureBoot, Type::Bool},
    {"default_credentials", Field::DefaultCredentials, Type::Bool},
    {"debug_port_exposed", Field::DebugPortExposed, Type::Bool},
    {"tamper_detection", Field::TamperDetection, Type::Bool},
    {"physical_exposure", Field::PhysicalExposure, Type::Text},
    {"wireless", Field::Wireless, Type::Text},
    {"constrained", Field::Constrained, Type::Bool},
    {"stores_personal_data", Field::StoresPersonalData, Type::Bool},
    {"logs", Field::Logs, Type::Bool},
    {"logs_integrity_protected", Field::LogsIntegrityProtected, Type::Bool},
    {"redundancy_group", Field::RedundancyGroup, Type::Text},
};
constexpr FieldInfo kFlowFields[] = {
    {"id", Field::Id, Type::Text},
    {"name", Field::Name, Type::Text},
    {"protocol", Field::Protocol, Type::Text},
    {"classification", Field::Classification, Type::Text},
    {"encrypted", Field::Encrypted, Type::Bool},
    {"authenticated", Field::Authenticated, Type::Bool},
    {"integrity_protected", Field::IntegrityProtected, Type::Bool},
    {"rate_limited", Field::RateLimited, Type::Bool},
    {"attributes", Field::Attributes, Type::FlowAttributes},
    {"source", Field::Source, Type::Component},
    {"target", Field::Target, Type::Component},
    {"crosses_boundary", Field::CrossesBoundary, Type::Bool},
    {"from_less_trusted", Field::FromLessTrusted, Type::Bool},
    {"wireless", Field::WirelessLink, Type::Bool},
    {"link", Field::Link, Type::Text},
};
constexpr FieldInfo kZoneFields[] = {
    {"id", Field::Id, Type::Text},
    {"name", Field::Name, Type::Text},
    {"trust", Field::Trust, Type::Number},
    {"firewall", Field::Firewall, Type::Bool},
    {"filtering", Field::Filtering, Type::Bool},
    {"parent", Field::Parent, Type::Zone},
    {"internet", Field::Internet, Type::Bool},
};

template <std::size_t N>
std::optional<FieldInfo> findField(const FieldInfo (&table)[N], std::string_view name) {
  for (const FieldInfo& f : table) {
    if (f.name == name) return f;
  }
  return std::nullopt;
}

template <std::size_t N>
std::string fieldList(const FieldInfo (&table)[N]) {
  std::string out;
  for (const FieldInfo& f : table) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

std::optional<FieldInfo> fieldOf(Type object, std::string_view name) {
  switch (object) {
    case Type::Component: return findField(kComponentFields, name);
    case Type::Properties: return findField(kPropertyFields, name);
    case Type::Flow: return findField(kFlowFields, name);
    case Type::Zone: return findField(kZoneFields, name);
    case Type::ComponentAttributes:
    case Type::FlowAttributes: return FieldInfo{name, Field::Attribute, Type::Any};
    case Type::Bool:
    case Type::Number:
    case Type::Text:
    case Type::Any: return std::nullopt;
  }
  return std::nullopt;
}

std::string fieldsOf(Type object) {
  switch (object) {
    case Type::Component: return fieldList(kComponentFields);
    case Type::Properties: return fieldList(kPropertyFields);
    case Type::Flow: return fieldList(kFlowFields);
    case Type::Zone: return fieldList(kZoneFields);
    case Type::ComponentAttributes:
    case Type::FlowAttributes:
    case Type::Bool:
    case Type::Number:
    case Type::Text:
    case Type::Any: return "";
  }
  return "";
}

Type subjectType(RuleSubject s) {
  switch (s) {
    case RuleSubject::Component: return Type::Component;
    case RuleSubject::Flow: return Type::Flow;
    case RuleSubject::Zone: return Type::Zone;
  }
  return Type::Component;
}

bool isObject(Type t) {
  return t == Type::Component || t == Type::Flow || t == Type::Zone || t == Type::Properties ||
         t == Type::ComponentAttributes || t == Type::FlowAttributes;
}

/// Collections a quantifier ranges over: (object type, name) -> element type.
enum class Collection { Outgoing, Incoming, Members };

std::optional<std::pair<Collection, Type>> collectionOf(Type object, std::string_view name) {
  if (object == Type::Component && name == "outgoing") return std::make_pair(Collection::Outgoing, Type::Flow);
  if (object == Type::Component && name == "incoming") return std::make_pair(Collection::Incoming, Type::Flow);
  if (object == Type::Zone && name == "members") return std::make_pair(Collection::Members, Type::Component);
  return std::nullopt;
}

// ---- values -------------------------------------------------------------------------------

struct Ref {
  Type type;
  std::size_t index;
  bool operator==(const Ref&) const = default;
};

using Value = std::variant<std::monostate, bool, double, std::string, Ref>;

bool truthy(const Value& v) { return std::holds_alternative<bool>(v) && std::get<bool>(v); }

bool equal(const Value& a, const Value& b) {
  if (a.index() != b.index()) return false;
  return a == b;
}

}  // namespace

// ---- syntax tree --------------------------------------------------------------------------

namespace detail {

enum class Op { Literal, List, Path, Not, And, Or, Eq, Ne, Lt, Le, Gt, Ge, In, Any, All, Count };

struct Node {
  Op op = Op::Literal;
  Value literal;
  std::vector<Field> path;                 // Path: fields from the subject
  std::vector<std::string> attributeNames;  // Path: the name where the field is Attribute
  std::vector<std::unique_ptr<const Node>> children;
  Collection collection = Collection::Outgoing;  // Any, All, Count
  Type pathStart = Type::Component;               // the subject type the path starts from
};

}  // namespace detail

using detail::Node;
using detail::Op;

namespace {

// ---- tokens and parser --------------------------------------------------------------------

enum class Tok { Ident, Number, String, LParen, RParen, LBracket, RBracket, Comma, Dot, Op, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double number = 0;
  std::size_t column = 0;  // 1-based
};

class Parser {
 public:
  explicit Parser(std::string_view text) : m_text(text) {}

  core::Result<std::unique_ptr<const Node>> parse(Type subject) {
    if (auto lexed = lex(); !lexed) return core::fail(lexed.error());
    auto root = expression(subject, 0);
    if (!root) return root;
    if (peek().kind != Tok::End) return error(peek(), "unexpected \"" + peek().text + "\" after the condition");
    if (auto typed = expectBool(**root, *m_rootType, m_tokens.front()); !typed) return core::fail(typed.error());
    return root;
  }

 private:
  static constexpr int kMaxDepth = 64;

  core::Result<bool> lex() {
    std::size_t i = 0;
    while (i < m_text.size()) {
      const char c = m_text[i];
      const std::size_t column = i + 1;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i;
        while (j < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[j])) || m_text[j] == '_' || m_text[j] == '-')) ++j;
        m_tokens.push_back(Token{Tok::Ident, std::string(m_text.substr(i, j - i)), 0, column});
        i = j;
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c))) {
        double v = 0;
        const auto [end, ec] = std::from_chars(m_text.data() + i, m_text.data() + m_text.size(), v);
        if (ec != std::errc()) return fail(column, "malformed number");
        const auto j = static_cast<std::size_t>(end - m_text.data());
        m_tokens.push_back(Token{Tok::Number, std::string(m_text.substr(i, j - i)), v, column});
        i = j;
        continue;
      }
      if (c == '\'' || c == '"') {
        const std::size_t close = m_text.find(c, i + 1);
        if (close == std::string_view::npos) return fail(column, "text started here is never closed");
        m_tokens.push_back(Token{Tok::String, std::string(m_text.substr(i + 1, close - i - 1)), 0, column});
        i = close + 1;
        continue;
      }
      const std::string_view two = m_text.substr(i, 2);
      if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
        m_tokens.push_back(Token{Tok::Op, std::string(two), 0, column});
        i += 2;
        continue;
      }
      Tok kind = Tok::End;
      switch (c) {
        case '(': kind = Tok::LParen; break;
        case ')': kind = Tok::RParen; break;
        case '[': kind = Tok::LBracket; break;
        case ']': kind = Tok::RBracket; break;
        case ',': kind = Tok::Comma; break;
        case '.': kind = Tok::Dot; break;
        case '<':
        case '>': kind = Tok::Op; break;
        default: return fail(column, std::string("unexpected character '") + c + "'");
      }
      m_tokens.push_back(Token{kind, std::string(1, c), 0, column});
      ++i;
    }
    m_tokens.push_back(Token{Tok::End, "end of the condition", 0, m_text.size() + 1});
    return true;
  }

  static tl::unexpected<core::Diagnostic> fail(std::size_t column, std::string problem) {
    return core::fail(core::error(core::ErrorCode::Malformed, "column " + std::to_string(column), std::move(problem)));
  }
  static tl::unexpected<core::Diagnostic> error(const Token& at, std::string problem) { return fail(at.column, std::move(problem)); }

  const Token& peek() const { return m_tokens[m_pos]; }
  const Token& take() { return m_tokens[m_pos++]; }
  bool isWord(std::string_view w) const { return peek().kind == Tok::Ident && peek().text == w; }

  using NodeResult = core::Result<std::unique_ptr<const Node>>;

  static std::unique_ptr<Node> make(Op op) {
    auto n = std::make_unique<Node>();
    n->op = op;
    return n;
  }

  /// The static type of the last parsed node, kept beside the tree while parsing.
  std::optional<Type> m_rootType;

  core::Result<bool> expectBool(const Node&, Type type, const Token& at) const {
    if (type == Type::Bool || type == Type::Any) return true;
    return fail(at.column, std::string("this is ") + std::string(typeName(type)) +
                               ", not true/false: compare it with something (for example kind == 'device')");
  }

  NodeResult expression(Type subject, int depth) {
    if (depth > kMaxDepth) return error(peek(), "the condition nests deeper than 64 levels");
    return orExpr(subject, depth);
  }

  NodeResult binary(Type subject, int depth, std::string_view word, Op op, NodeResult (Parser::*next)(Type, int)) {
    const Token& first = peek();
    auto left = (this->*next)(subject, depth);
    if (!left) return left;
    if (!isWord(word)) return left;
    if (auto ok = expectBool(**left, *m_rootType, first); !ok) return core::fail(ok.error());
    auto node = make(op);
    node->children.push_back(std::move(*left));
    while (isWord(word)) {
      take();
      const Token& at = peek();
      auto right = (this->*next)(subject, depth);
      if (!right) return right;
      if (auto ok = expectBool(**right, *m_rootType, at); !ok) return core::fail(ok.error());
      node->children.push_back(std::move(*right));
    }
    m_rootType = Type::Bool;
    return std::unique_ptr<const Node>(std::move(node));
  }

  NodeResult orExpr(Type subject, int depth) { return binary(subject, depth, "or", Op::Or, &Parser::andExpr); }
  NodeResult andExpr(Type subject, int depth) { return binary(subject, depth, "and", Op::And, &Parser::unary); }

  NodeResult unary(Type subject, int depth) {
    if (!isWord("not")) return comparison(subject, depth);
    take();
    const Token& at = peek();
    if (depth + 1 > kMaxDepth) return error(at, "the condition nests deeper than 64 levels");
    auto inner = unary(subject, depth + 1);
    if (!inner) return inner;
    if (auto ok = expectBool(**inner, *m_rootType, at); !ok) return core::fail(ok.error());
    auto node = make(Op::Not);
    node->children.push_back(std::move(*inner));
    m_rootType = Type::Bool;
    return std::unique_ptr<const Node>(std::move(node));
  }

  NodeResult comparison(Type subject, int depth) {
    auto left = operand(subject, depth);
    if (!left) return left;
    const Type leftType = *m_rootType;
    if (isWord("in")) {
      take();
      auto list = literalList();
      if (!list) return list;
      auto node = make(Op::In);
      node->children.push_back(std::move(*left));
      node->children.push_back(std::move(*list));
      m_rootType = Type::Bool;
      return std::unique_ptr<const Node>(std::move(node));
    }
    if (peek().kind != Tok::Op) return left;
    const Token& opTok = take();
    const Op op = opTok.text == "==" ? Op::Eq : opTok.text == "!=" ? Op::Ne : opTok.text == "<" ? Op::Lt
                : opTok.text == "<=" ? Op::Le : opTok.text == ">" ? Op::Gt : Op::Ge;
    auto right = operand(subject, depth);
    if (!right) return right;
    const Type rightType = *m_rootType;
    const bool nullCheck = leftType == Type::Any || rightType == Type::Any;  // zone == null
    if ((isObject(leftType) || isObject(rightType)) && !(nullCheck && (op == Op::Eq || op == Op::Ne))) {
      return error(opTok, "compare fields, not whole objects (for example zone.id, not zone)");
    }
    if (op != Op::Eq && op != Op::Ne) {
      const bool numeric = (leftType == Type::Number || leftType == Type::Any) && (rightType == Type::Number || rightType == Type::Any);
      if (!numeric) return error(opTok, "'" + opTok.text + "' compares numbers");
    }
    auto node = make(op);
    node->children.push_back(std::move(*left));
    node->children.push_back(std::move(*right));
    m_rootType = Type::Bool;
    return std::unique_ptr<const Node>(std::move(node));
  }

  NodeResult literalList() {
    if (peek().kind != Tok::LBracket) return error(peek(), "expected '[' and a list after 'in'");
    take();
    auto list = make(Op::List);
    while (peek().kind != Tok::RBracket) {
      auto item = literal();
      if (!item) return item;
      list->children.push_back(std::move(*item));
      if (peek().kind == Tok::Comma) {
        take();
        continue;
      }
      if (peek().kind != Tok::RBracket) return error(peek(), "expected ',' or ']' in the list");
    }
    take();
    return std::unique_ptr<const Node>(std::move(list));
  }

  NodeResult literal() {
    const Token& t = take();
    auto node = make(Op::Literal);
    if (t.kind == Tok::Number) {
      node->literal = t.number;
      m_rootType = Type::Number;
    } else if (t.kind == Tok::String) {
      node->literal = t.text;
      m_rootType = Type::Text;
    } else if (t.kind == Tok::Ident && (t.text == "true" || t.text == "false")) {
      node->literal = t.text == "true";
      m_rootType = Type::Bool;
    } else if (t.kind == Tok::Ident && t.text == "null") {
      node->literal = std::monostate{};
      m_rootType = Type::Any;
    } else {
      return error(t, "expected a number, 'text', true, false or null, found \"" + t.text + "\"");
    }
    return std::unique_ptr<const Node>(std::move(node));
  }

  NodeResult operand(Type subject, int depth) {
    const Token& t = peek();
    if (t.kind == Tok::LParen) {
      take();
      auto inner = expression(subject, depth + 1);
      if (!inner) return inner;
      if (peek().kind != Tok::RParen) return error(peek(), "expected ')'");
      take();
      return inner;
    }
    if (t.kind == Tok::Number || t.kind == Tok::String) return literal();
    if (t.kind != Tok::Ident) return error(t, "expected a name, a value or '(', found \"" + t.text + "\"");
    if (t.text == "true" || t.text == "false" || t.text == "null") return literal();
    if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in") {
      return error(t, "expected a name or a value before '" + t.text + "'");
    }
    if ((t.text == "any" || t.text == "all" || t.text == "count") && m_tokens[m_pos + 1].kind == Tok::LParen) {
      return quantifier(subject, depth);
    }
    return path(subject);
  }

  NodeResult quantifier(Type subject, int depth) {
    const Token& fn = take();
    take();  // (
    const Token& name = take();
    if (name.kind != Tok::Ident) return error(name, "expected a collection (outgoing, incoming or members)");
    const auto collection = collectionOf(subject, name.text);
    if (!collection) {
      return error(name, "\"" + name.text + "\" is not a collection of " + std::string(typeName(subject)) +
                             " (components have outgoing and incoming, zones have members)");
    }
    const Op op = fn.text == "any" ? Op::Any : fn.text == "all" ? Op::All : Op::Count;
    auto node = make(op);
    node->collection = collection->first;
    if (peek().kind == Tok::Comma) {
      take();
      const Token& at = peek();
      auto cond = expression(collection->second, depth + 1);
      if (!cond) return cond;
      if (auto ok = expectBool(**cond, *m_rootType, at); !ok) return core::fail(ok.error());
      node->children.push_back(std::move(*cond));
    } else if (op != Op::Count) {
      return error(peek(), fn.text + "() needs a condition: " + fn.text + "(" + name.text + ", ...)");
    }
    if (peek().kind != Tok::RParen) return error(peek(), "expected ')'");
    take();
    m_rootType = op == Op::Count ? Type::Number : Type::Bool;
    return std::unique_ptr<const Node>(std::move(node));
  }

  NodeResult path(Type subject) {
    auto node = make(Op::Path);
    node->pathStart = subject;
    Type type = subject;
    while (true) {
      const Token& name = take();
      if (name.kind != Tok::Ident) return error(name, "expected a field name");
      const auto field = fieldOf(type, name.text);
      if (!field) {
        const std::string known = fieldsOf(type);
        if (known.empty()) return error(name, "\"" + name.text + "\" follows " + std::string(typeName(type)) + ", which has no fields");
        return error(name, "unknown field \"" + name.text + "\" of " + std::string(typeName(type)) + " (known: " + known + ")");
      }
      node->path.push_back(field->field);
      node->attributeNames.push_back(field->field == Field::Attribute ? name.text : std::string());
      type = field->type;
      if (peek().kind != Tok::Dot) break;
      take();
    }
    m_rootType = type;
    return std::unique_ptr<const Node>(std::move(node));
  }

  std::string_view m_text;
  std::vector<Token> m_tokens;
  std::size_t m_pos = 0;
};

// ---- evaluation ---------------------------------------------------------------------------

Value attributeValue(const Attributes& attributes, const std::string& name) {
  const auto it = attributes.find(name);
  if (it == attributes.end()) return std::monostate{};
  return std::visit([](const auto& v) -> Value { return v; }, it->second);
}

Value text(std::string_view s) { return std::string(s); }

Value step(const RuleContext& cx, const Value& from, Field field, const std::string& attribute) {
  if (!std::holds_alternative<Ref>(from)) return std::monostate{};
  const Ref r = std::get<Ref>(from);
  const Project& p = cx.project();
  const auto none = RuleContext::kNone;
  switch (r.type) {
    case Type::Component: {
      const Component& c = p.system.components[r.index];
      const std::size_t z = cx.zoneOf(r.index);
      switch (field) {
        case Field::Id: return c.id;
        case Field::Name: return c.name;
        case Field::Kind: return text(nameOf(c.kind));
        case Field::Description: return c.description;
        case Field::Properties: return Ref{Type::Properties, r.index};
        case Field::Attributes: return Ref{Type::ComponentAttributes, r.index};
        case Field::Zone: return z == none ? Value{} : Value{Ref{Type::Zone, z}};
        case Field::Trust: return z == none ? Value{} : Value{static_cast<double>(p.system.zones[z].trust)};
        case Field::BehindFirewall: return cx.behindFirewall(r.index);
        case Field::InternetFacing: return cx.internetFacing(r.index);
        case Field::InternetReachable: return cx.internetReachable(r.index);
        case Field::RedundancyPeers: return static_cast<double>(cx.redundancyPeers(r.index));
        case Field::Dfd:
          if (c.kind == ComponentKind::User || c.kind == ComponentKind::ExternalSystem) return text("external_entity");
          if (c.kind == ComponentKind::DataStore) return text("data_store");
          return text("process");
        default: return std::monostate{};
      }
    }
    case Type::Properties: {
      const ComponentProperties& q = p.system.components[r.index].properties;
      switch (field) {
        case Field::AuthenticatesBeforeSending: return q.authenticatesBeforeSending;
        case Field::UpdateMechanism: return text(nameOf(q.updateMechanism));
        case Field::UpdatesAuthenticated: return q.updatesAuthenticated;
        case Field::SecureBoot: return q.secureBoot;
        case Field::DefaultCredentials: return q.defaultCredentials;
        case Field::DebugPortExposed: return q.debugPortExposed;
        case Field::TamperDetection: return q.tamperDetection;
        case Field::PhysicalExposure: return text(nameOf(q.physicalExposure));
        case Field::Wireless: return text(nameOf(q.wireless));
        case Field::Constrained: return q.constrained;
        case Field::StoresPersonalData: return q.storesPersonalData;
        case Field::Logs: return q.logs;
        case Field::LogsIntegrityProtected: return q.logsIntegrityProtected;
        case Field::RedundancyGroup: return q.redundancyGroup;
        default: return std::monostate{};
      }
    }
    case Type::Flow: {
      const DataFlow& f = p.system.flows[r.index];
      const std::size_t s = cx.component(f.source);
      const std::size_t t = cx.component(f.target);
      const std::size_t sz = s == none ? none : cx.zoneOf(s);
      const std::size_t tz = t == none ? none : cx.zoneOf(t);
      const auto link = [&]() -> WirelessLink {
        if (s == none || t == none) return WirelessLink::None;
        const WirelessLink a = p.system.components[s].properties.wireless;
        return a == p.system.components[t].properties.wireless ? a : WirelessLink::None;
      };
      switch (field) {
        case Field::Id: return f.id;
        case Field::Name: return f.name;
        case Field::Protocol: return f.protocol;
        case Field::Classification: return text(nameOf(f.classification));
        case Field::Encrypted: return f.encrypted;
        case Field::Authenticated: return f.authenticated;
        case Field::IntegrityProtected: return f.integrityProtected;
        case Field::RateLimited: return f.rateLimited;
        case Field::Attributes: return Ref{Type::FlowAttributes, r.index};
        case Field::Source: return s == none ? Value{} : Value{Ref{Type::Component, s}};
        case Field::Target: return t == none ? Value{} : Value{Ref{Type::Component, t}};
        case Field::CrossesBoundary: return sz != tz;
        case Field::FromLessTrusted:
          return sz != none && tz != none && p.system.zones[sz].trust < p.system.zones[tz].trust;
        case Field::WirelessLink: return link() != WirelessLink::None;
        case Field::Link: return text(nameOf(link()));
        default: return std::monostate{};
      }
    }
    case Type::Zone: {
      const TrustZone& z = p.system.zones[r.index];
      switch (field) {
        case Field::Id: return z.id;
        case Field::Name: return z.name;
        case Field::Trust: return static_cast<double>(z.trust);
        case Field::Firewall: return z.firewall;
        case Field::Filtering: return z.filtering;
        case Field::Parent: {
          const std::size_t parent = cx.zoneParent(r.index);
          return parent == none ? Value{} : Value{Ref{Type::Zone, parent}};
        }
        case Field::Internet: return z.trust == 0;
        default: return std::monostate{};
      }
    }
    case Type::ComponentAttributes: return attributeValue(p.system.components[r.index].attributes, attribute);
    case Type::FlowAttributes: return attributeValue(p.system.flows[r.index].attributes, attribute);
    case Type::Bool:
    case Type::Number:
    case Type::Text:
    case Type::Any: return std::monostate{};
  }
  return std::monostate{};
}

Value evaluate(const Node& n, const RuleContext& cx, const Ref& subject);

const std::vector<std::size_t>& collectionItems(const RuleContext& cx, Collection c, const Ref& subject) {
  switch (c) {
    case Collection::Outgoing: return cx.outgoing(subject.index);
    case Collection::Incoming: return cx.incoming(subject.index);
    case Collection::Members: return cx.members(subject.index);
  }
  return cx.outgoing(subject.index);
}

Value evaluate(const Node& n, const RuleContext& cx, const Ref& subject) {
  switch (n.op) {
    case Op::Literal: return n.literal;
    case Op::List: return std::monostate{};
    case Op::Path: {
      Value v = subject;
      for (std::size_t i = 0; i < n.path.size(); ++i) v = step(cx, v, n.path[i], n.attributeNames[i]);
      return v;
    }
    case Op::Not: return !truthy(evaluate(*n.children[0], cx, subject));
    case Op::And:
      return std::all_of(n.children.begin(), n.children.end(),
                         [&](const auto& c) { return truthy(evaluate(*c, cx, subject)); });
    case Op::Or:
      return std::any_of(n.children.begin(), n.children.end(),
                         [&](const auto& c) { return truthy(evaluate(*c, cx, subject)); });
    case Op::Eq: return equal(evaluate(*n.children[0], cx, subject), evaluate(*n.children[1], cx, subject));
    case Op::Ne: return !equal(evaluate(*n.children[0], cx, subject), evaluate(*n.children[1], cx, subject));
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      const Value a = evaluate(*n.children[0], cx, subject);
      const Value b = evaluate(*n.children[1], cx, subject);
      if (!std::holds_alternative<double>(a) || !std::holds_alternative<double>(b)) return false;
      const double x = std::get<double>(a);
      const double y = std::get<double>(b);
      return n.op == Op::Lt ? x < y : n.op == Op::Le ? x <= y : n.op == Op::Gt ? x > y : x >= y;
    }
    case Op::In: {
      const Value v = evaluate(*n.children[0], cx, subject);
      const Node& list = *n.children[1];
      return std::any_of(list.children.begin(), list.children.end(),
                         [&](const auto& item) { return equal(v, item->literal); });
    }
    case Op::Any:
    case Op::All:
    case Op::Count: {
      const Type itemType = n.collection == Collection::Members ? Type::Component : Type::Flow;
      const auto& items = collectionItems(cx, n.collection, subject);
      std::size_t matching = 0;
      for (std::size_t item : items) {
        const bool match = n.children.empty() || truthy(evaluate(*n.children[0], cx, Ref{itemType, item}));
        if (match) ++matching;
        if (n.op == Op::Any && match) return true;
        if (n.op == Op::All && !match) return false;
      }
      if (n.op == Op::Any) return false;
      if (n.op == Op::All) return true;
      return static_cast<double>(matching);
    }
  }
  return std::monostate{};
}

}  // namespace

core::Result<Condition> Condition::parse(std::string_view text, RuleSubject subject) {
  Parser parser(text);
  auto root = parser.parse(subjectType(subject));
  if (!root) return core::fail(root.error());
  Condition c;
  c.m_text = std::string(text);
  c.m_subject = subject;
  c.m_root = std::shared_ptr<const Node>(std::move(*root));
  return c;
}

bool Condition::holds(const RuleContext& context, std::size_t index) const {
  return truthy(evaluate(*m_root, context, Ref{subjectType(m_subject), index}));
}

}  // namespace thornwood::models
