#include "agent/os/files.h"

#include <cstdlib>
#include <cstring>

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "agent/os/heap.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

using flint::testing::TempDir;

TEST_CASE("MappedFile maps a file, and pages given back read as the file again") {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + "\n";  // several pages
  auto path = tmp.Write("big", text);
  std::optional<MappedFile> mapped = MappedFile::OpenIfExists(path, "reading");
  REQUIRE(mapped);
  CHECK(mapped->bytes() == text);
  mapped->ReleaseBefore(text.size() / 2);
  mapped->ReleaseBefore(text.size() + 100000);  // beyond the end: clamped
  CHECK(mapped->bytes() == text);

  MappedFile moved(std::move(*mapped));
  CHECK(moved.bytes() == text);
  CHECK(mapped->bytes().empty());
}

TEST_CASE("MappedFile: missing file, empty file, directory") {
  TempDir tmp;
  CHECK_FALSE(MappedFile::OpenIfExists(tmp / "missing", "reading"));
  std::optional<MappedFile> empty = MappedFile::OpenIfExists(tmp.Write("empty", ""), "reading");
  REQUIRE(empty);
  CHECK(empty->bytes().empty());
  empty->ReleaseBefore(10);
  try {
    MappedFile::OpenIfExists(tmp.path(), "reading the cache");
    FAIL("a directory was mapped");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()).find("reading the cache") != std::string::npos);
    CHECK(std::string(f.what()).find("directory") != std::string::npos);
  }
}

TEST_CASE("ReadFile reads the whole file, of any size") {
  TempDir tmp;
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{65537}, size_t{3} << 20}) {
    std::string text(size, 'x');
    for (size_t i = 0; i < size; i += 4093) text[i] = static_cast<char>('a' + i % 26);
    CHECK(ReadFile(tmp.Write("f", text), "reading") == text);
  }
}

TEST_CASE("ReserveHeap leaves malloc working") {
  ReserveHeap(size_t{64} << 20);
  ReserveHeap(100);  // too small to matter: nothing happens
  std::vector<void*> blocks;
  for (size_t size = 1; size < (size_t{40} << 20); size *= 3) {
    void* p = std::malloc(size);
    REQUIRE(p != nullptr);
    std::memset(p, 0xA5, size);
    blocks.push_back(p);
  }
  for (void* p : blocks) std::free(p);
}

}  // namespace
}  // namespace flint::agent
