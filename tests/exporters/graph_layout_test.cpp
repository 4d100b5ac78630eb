#include "exporters/graph_layout.h"

#include <catch2/catch.hpp>

using namespace thornwood;
using exporters::LayoutBox;
using exporters::LayoutRequest;

namespace {

bool inside(const LayoutBox& inner, const LayoutBox& outer) {
  return inner.x >= outer.x - 1e-6 && inner.y >= outer.y - 1e-6 && inner.x + inner.width <= outer.x + outer.width + 1e-6 &&
         inner.y + inner.height <= outer.y + outer.height + 1e-6;
}

bool overlap(const LayoutBox& a, const LayoutBox& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

LayoutRequest tree() {
  // top -> {left, right}, left -> {a, b}, right -> {b, c}: a DAG with a shared child.
  LayoutRequest r;
  for (const char* id : {"top", "left", "right", "a", "b", "c"}) r.nodes.push_back({id, 90, 40, {}});
  r.edges = {{"top", "left"}, {"top", "right"}, {"left", "a"}, {"left", "b"}, {"right", "b"}, {"right", "c"}};
  return r;
}

}  // namespace

TEST_CASE("dot puts parents above children, boxes apart, sizes kept", "[exporters][layout]") {
  const auto r = exporters::layOut(tree());
  REQUIRE(r);
  const auto& n = r->nodes;
  CHECK(n.at("top").y < n.at("left").y);
  CHECK(n.at("left").y == Approx(n.at("right").y));
  CHECK(n.at("left").y < n.at("a").y);
  CHECK(n.at("a").y == Approx(n.at("c").y));
  CHECK(n.at("left").centreX() < n.at("right").centreX());  // the order given is kept
  CHECK(n.at("a").centreX() < n.at("b").centreX());
  CHECK(n.at("b").centreX() < n.at("c").centreX());
  for (const auto& [id, box] : n) {
    CHECK(box.width == 90);
    CHECK(box.height == 40);
    CHECK(box.x >= 0);
    CHECK(box.y >= 0);
    CHECK(box.x + box.width <= r->width + 1e-6);
    CHECK(box.y + box.height <= r->height + 1e-6);
    for (const auto& [other, b] : n) {
      if (other != id) CHECK_FALSE(overlap(box, b));
    }
  }
}

TEST_CASE("left to right ranks go along x", "[exporters][layout]") {
  LayoutRequest req = tree();
  req.leftToRight = true;
  const auto r = exporters::layOut(req);
  REQUIRE(r);
  CHECK(r->nodes.at("top").x < r->nodes.at("left").x);
  CHECK(r->nodes.at("left").x < r->nodes.at("a").x);
}

TEST_CASE("nested clusters hold their nodes and each other", "[exporters][layout]") {
  LayoutRequest r;
  r.clusters = {{"lan", "home", "Home LAN"}, {"home", "", "Home"}, {"cloud", "", "Cloud"}};
  r.nodes = {{"hub", 100, 50, "lan"}, {"lock", 100, 50, "lan"}, {"router", 100, 50, "home"}, {"api", 100, 50, "cloud"},
             {"phone", 100, 50, ""}};
  r.edges = {{"lock", "hub"}, {"hub", "router"}, {"router", "api"}, {"phone", "api"}};
  const auto out = exporters::layOut(r);
  REQUIRE(out);
  const auto& c = out->clusters;
  REQUIRE(c.size() == 3);
  CHECK(inside(out->nodes.at("hub"), c.at("lan")));
  CHECK(inside(out->nodes.at("lock"), c.at("lan")));
  CHECK(inside(c.at("lan"), c.at("home")));
  CHECK(inside(out->nodes.at("router"), c.at("home")));
  CHECK_FALSE(inside(out->nodes.at("router"), c.at("lan")));
  CHECK(inside(out->nodes.at("api"), c.at("cloud")));
  CHECK_FALSE(overlap(c.at("home"), c.at("cloud")));
  CHECK_FALSE(inside(out->nodes.at("phone"), c.at("home")));
}

TEST_CASE("the same request gives the same layout", "[exporters][layout]") {
  const auto a = exporters::layOut(tree());
  const auto b = exporters::layOut(tree());
  REQUIRE(a);
  REQUIRE(b);
  for (const auto& [id, box] : a->nodes) {
    CHECK(box.x == b->nodes.at(id).x);
    CHECK(box.y == b->nodes.at(id).y);
  }
}

TEST_CASE("bad layout requests are refused with the place", "[exporters][layout]") {
  LayoutRequest r = tree();
  r.edges.push_back({"a", "ghost"});
  auto out = exporters::layOut(r);
  REQUIRE(!out);
  CHECK(out.error().place == "a -> ghost");
  r = tree();
  r.clusters = {{"x", "y", ""}, {"y", "x", ""}};
  r.nodes[0].cluster = "x";
  out = exporters::layOut(r);
  REQUIRE(!out);
  CHECK(out.error().problem.find("cycle") != std::string::npos);
  r = tree();
  r.engine = "no-such-engine";
  out = exporters::layOut(r);
  REQUIRE(!out);
  CHECK(out.error().code == core::ErrorCode::Unsupported);
}
