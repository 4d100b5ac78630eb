#pragma once

// OWASP Threat Dragon models (JSON, v1 and v2) into a project. The file is untrusted input;
// what the project model cannot express, or what the importer had to guess, is listed as
// warnings with JSON pointers.

#include <string>

#include "importers/adtool_reader.h"

namespace thornwood::importers {

/// How each part of a Threat Dragon model lands in the project (every diagram into the one
/// system):
/// - actors become users, stores data stores, processes components whose kind is guessed
///   from the name (device, sensor, hub, gateway, mobile or web app; cloud service
///   otherwise), with a warning naming each guess; text blocks go to the description;
/// - flows keep their protocol and encryption; Threat Dragon has no data classification,
///   so flows are "internal" (warned once); flags without a property (public network,
///   bidirectional, out of scope, card payment, privilege level...) become attributes;
/// - trust boundaries: a box is a zone of the elements whose centre lies inside it (nested
///   boxes nest); curves are lines, so the elements are grouped into regions by the side of
///   each curve they lie on, one zone per region. Trust levels are not in Threat Dragon:
///   zones get trust 1 (warned); membership is then stored explicitly;
/// - threats keep title, category (STRIDE; CIA and LINDDUN mapped, warned), status, and
///   description; severity becomes impact (Low minor, Medium serious, High critical,
///   Critical catastrophic); likelihood is "occasional" (warned once); each distinct
///   mitigation text becomes one mitigation, implemented if the threat is mitigated.
ImportOutcome readThreatDragon(const std::string& path);

}  // namespace thornwood::importers
