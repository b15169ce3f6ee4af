#include "schema/position_index.h"

#include <catch2/catch.hpp>
#include <vector>

namespace flint::schema {
namespace {

// {"b": [7, 8], "a": 1, "b": {}} with the last "b" winning, as in the DOM.
PositionIndex Example() {
  PositionIndex index;
  auto root = index.AddNode({1, 1});
  auto b1 = index.AddNode({1, 7}, "b", {1, 2});
  auto e0 = index.AddNode({1, 8});
  auto e1 = index.AddNode({1, 11});
  std::vector<PositionIndex::NodeId> elements{e0, e1};
  index.SetChildren(b1, false, elements);
  auto a = index.AddNode({1, 20}, "a", {1, 15});
  auto b2 = index.AddNode({1, 28}, "b", {1, 23});
  index.SetChildren(b2, true, {});
  std::vector<PositionIndex::NodeId> members{b1, a, b2};
  index.SetChildren(root, true, members);
  return index;
}

TEST_CASE("PositionIndex finds values and keys by path") {
  PositionIndex index = Example();
  CHECK(index.ValuePosition(Path()) == Position{1, 1});
  CHECK(index.ValuePosition(Path() / "a") == Position{1, 20});
  CHECK(index.KeyPosition(Path() / "a") == Position{1, 15});
  CHECK_FALSE(index.KeyPosition(Path()));
}

TEST_CASE("PositionIndex keeps the last of duplicate keys") {
  PositionIndex index = Example();
  CHECK(index.ValuePosition(Path() / "b") == Position{1, 28});
  CHECK(index.KeyPosition(Path() / "b") == Position{1, 23});
  CHECK_FALSE(index.ValuePosition(Path() / "b" / 0));  // the first "b" is gone
}

TEST_CASE("PositionIndex answers nothing for paths the document lacks") {
  PositionIndex index = Example();
  CHECK_FALSE(index.ValuePosition(Path() / "c"));
  CHECK_FALSE(index.ValuePosition(Path() / 0));          // an index into an object
  CHECK_FALSE(index.ValuePosition(Path() / "a" / "x"));  // a key into a scalar
  CHECK_FALSE(index.ValuePosition(Path() / "a" / 0));    // an index into a scalar
  CHECK_FALSE(index.KeyPosition(Path() / "a" / 0));
  CHECK_FALSE(PositionIndex().ValuePosition(Path()));
}

}  // namespace
}  // namespace flint::schema
