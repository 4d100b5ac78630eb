#include "exporters/gate_report.h"

#include <catch2/catch.hpp>

using namespace thornwood;

TEST_CASE("pointers are found at their lines", "[exporters][gate]") {
  const std::string text =
      "{\n"
      "  \"threats\": [\n"
      "    {\n"
      "      \"id\": \"a\",\n"
      "      \"title\": \"x \\\" y\"\n"
      "    },\n"
      "    {\"id\": \"b\", \"tags\": [1, 2]}\n"
      "  ],\n"
      "  \"we/ird~key\": {\"n\": null}\n"
      "}\n";
  const auto lines = exporters::pointerLines(text);
  CHECK(lines.at("") == 1);
  CHECK(lines.at("/threats") == 2);
  CHECK(lines.at("/threats/0") == 3);
  CHECK(lines.at("/threats/0/id") == 4);
  CHECK(lines.at("/threats/0/title") == 5);
  CHECK(lines.at("/threats/1") == 7);
  CHECK(lines.at("/threats/1/tags/1") == 7);
  CHECK(lines.at("/we~1ird~0key/n") == 9);
  models::GateFinding f;
  f.pointer = "/threats/1";
  CHECK(exporters::lineOf(f, lines) == 7);
  f.pointer = "/threats/0/mitigations/3";  // not in the file: its nearest recorded parent
  CHECK(exporters::lineOf(f, lines) == 3);
  f.pointer.clear();
  f.place = "12:5";
  CHECK(exporters::lineOf(f, lines) == 12);
  // Malformed text: what was read before the fault.
  const auto partial = exporters::pointerLines("{\n \"a\": [1,\n 2,\n");
  CHECK(partial.at("/a/1") == 3);
}
