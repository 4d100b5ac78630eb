#pragma once

// The editable fields of each kind of element, in one table that the property editor, the
// tables (threats, mitigations, hazards, components) and the undo command share, so that a
// field is spelt, shown, checked and changed the same way everywhere. Keys are the file
// format's spellings ("secure_boot", "status"), so a field reads as it does in a diff.

#include <QString>
#include <QStringList>
#include <QVariant>
#include <optional>
#include <variant>
#include <vector>

#include "models/project.h"

namespace thornwood::gui {

enum class ElementKind { Component, Flow, Zone, Threat, AttackTree, FaultTree, Hazard, Mitigation };

enum class FieldType {
  Text,     ///< one line
  Note,     ///< several lines (descriptions, justifications)
  Number,   ///< a finite double
  Integer,  ///< an int
  Bool,
  Choice,   ///< one of `choices` (file spellings)
};

/// Item-model roles every view of fields answers, for the editors of FieldDelegate.
inline constexpr int kChoicesRole = Qt::UserRole + 10;    ///< QStringList of a Choice field
inline constexpr int kFieldTypeRole = Qt::UserRole + 11;  ///< int(FieldType)

struct FieldSpec {
  QString key;    ///< the file format's name
  QString label;  ///< shown to people
  FieldType type = FieldType::Text;
  QStringList choices;  ///< for Choice, in order; for the risk levels, the matrix's ids
  bool readOnly = false;  ///< shown, changed elsewhere (ids, links, members)
};

/// The fields of a kind of element. Choices of likelihood and severity come from the
/// project's risk matrix, so the list depends on the project.
std::vector<FieldSpec> fieldsOf(ElementKind kind, const models::Project& project);
std::optional<FieldSpec> fieldOf(ElementKind kind, const models::Project& project, const QString& key);

/// The kind of the element with this id, searched in the order of ElementKind; empty when no
/// element has it.
std::optional<ElementKind> kindOf(const models::Project& project, const QString& id);
/// Ids of the elements of a kind, in the project's order.
QStringList idsOf(const models::Project& project, ElementKind kind);
QString kindLabel(ElementKind kind);
/// The element a JSON pointer of the file points into ("/threats/3/status" -> that threat's
/// id), for going from a problem to its element; empty when it points at none.
QString elementAtPointer(const models::Project& project, const QString& pointer);

/// A field's value: QString for Text, Note and Choice (the spelling), double, int or bool.
/// Invalid when there is no such element or field.
QVariant fieldValue(const models::Project& project, ElementKind kind, const QString& id, const QString& key);

/// The same for the element at `index` in its list (tables, which list elements in order):
/// no search by id.
QVariant fieldValueAt(const models::Project& project, ElementKind kind, int index, const QString& key);

/// Sets a field; false (and nothing changed) when the element or field does not exist, the
/// field is read-only, or the value does not fit it (an unknown choice, a number that is not
/// finite or is negative where the model forbids it).
bool setFieldValue(models::Project& project, ElementKind kind, const QString& id, const QString& key,
                   const QVariant& value);

/// A whole element, copied: what an undo command keeps so that undo restores every side
/// effect of an edit (a threat's auto_status, say), not only the field typed into.
using ElementValue = std::variant<models::Component, models::DataFlow, models::TrustZone, models::Threat,
                                  models::AttackTree, models::ProjectFaultTree, models::Hazard, models::Mitigation>;
std::optional<ElementValue> elementValue(const models::Project& project, ElementKind kind, const QString& id);
/// Puts a copy back in place of the element with the same id; false when it is gone.
bool restoreElement(models::Project& project, const ElementValue& value);

}  // namespace thornwood::gui
