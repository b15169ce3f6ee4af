#include "stages/files/nodes.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "stages/files/nodes_test_fixture.h"

namespace flint::stages {
namespace {

using flint::testing::ReadAll;
using testing::ModeOf;
using testing::StatOf;
using testing::StorageConfig;
using testing::Target;
using testing::TempFiles;
namespace fs = std::filesystem;

void Run(Target& t, const std::string& storage, const std::string& version = "3.4.0") {
  agent::StageContext ctx = t.Context(StorageConfig(storage, version));
  agent::Root root(t.root, agent::Root::ResolverFromEnv(t.env));
  CreateNodes(ctx, root);
}

// 64 hex digits per half: a well-formed sha512 that matches nothing here.
const std::string kWrongHash = "sha512-" + std::string(128, '0');

TEST_CASE("nodes: new files", "[nodes]") {
  Target t;
  t.Write("etc/passwd", "root:x:0:0::/root:/bin/sh\ncore:x:1000:1000::/var/home/core:/bin/sh\n");
  t.Write("etc/group", "root:x:0:\ncore:x:1000:\nwheel:x:10:\n");
  Run(t, R"({"files": [
    {"path": "/etc/motd", "contents": {"source": "data:,hello%0A"}, "append": [{"source": "data:;base64,d29ybGQK"}],
     "mode": 420, "user": {"name": "core"}, "group": {"name": "wheel"}},
    {"path": "/opt/a/b/empty"},
    {"path": "/opt/a/b/default", "contents": {"source": "data:,x"}},
    {"path": "/var/lib/kubelet/config.json", "contents": {"source": "data:,%7B%7D"}, "mode": 384,
     "user": {"id": 1000}, "group": {"id": 1001}}]})");
  CHECK(ReadAll(t / "etc/motd") == "hello\nworld\n");
  CHECK(ModeOf(t / "etc/motd") == 0644);
  CHECK(StatOf(t / "etc/motd").st_uid == 1000);
  CHECK(StatOf(t / "etc/motd").st_gid == 10);
  CHECK(ReadAll(t / "opt/a/b/empty") == "");
  CHECK(ModeOf(t / "opt/a/b/empty") == 0644);
  CHECK(ModeOf(t / "opt/a/b/default") == 0644);
  CHECK(StatOf(t / "opt/a/b/default").st_uid == 0);
  CHECK(StatOf(t / "opt/a/b/default").st_gid == 0);
  // Missing parents: 0755 root:root.
  for (const char* dir : {"opt", "opt/a", "opt/a/b", "var/lib/kubelet"}) {
    INFO(dir);
    CHECK(ModeOf(t / dir) == 0755);
    CHECK(StatOf(t / dir).st_uid == 0);
  }
  CHECK(ReadAll(t / "var/lib/kubelet/config.json") == "{}");
  CHECK(ModeOf(t / "var/lib/kubelet/config.json") == 0600);
  CHECK(StatOf(t / "var/lib/kubelet/config.json").st_gid == 1001);
  CHECK(TempFiles(t.root).empty());
  CHECK(t.sink.Text().find("INFO: files: creating file '/etc/motd'") != std::string::npos);
}

TEST_CASE("nodes: special mode bits as the config gives them", "[nodes]") {
  Target t;
  // 3.6.0 keeps setuid/setgid/sticky (older versions are masked by translation).
  Run(t, R"({"files": [{"path": "/usr/local/bin/su", "mode": 2541}],
             "directories": [{"path": "/srv/shared", "mode": 1023}, {"path": "/srv/group", "mode": 1512}]})",
      "3.6.0");
  CHECK(ModeOf(t / "usr/local/bin/su") == 04755);
  CHECK(ModeOf(t / "srv/shared") == 01777);
  CHECK(ModeOf(t / "srv/group") == 02750);
}

TEST_CASE("nodes: files over existing ones", "[nodes]") {
  Target t;
  t.Write("etc/motd", "old\n");
  ::chmod((t / "etc/motd").c_str(), 0640);
  ::chown((t / "etc/motd").c_str(), 12, 34);

  SECTION("no source and overwrite false: the contents stay, appends follow, owner and mode kept") {
    Run(t, R"({"files": [{"path": "/etc/motd", "append": [{"source": "data:,one%0A"}, {"source": "data:,two"}]}]})");
    CHECK(ReadAll(t / "etc/motd") == "old\none\ntwo");
    CHECK(ModeOf(t / "etc/motd") == 0640);
    CHECK(StatOf(t / "etc/motd").st_uid == 12);
    CHECK(StatOf(t / "etc/motd").st_gid == 34);
  }
  SECTION("no source: mode and owner given win") {
    Run(t, R"({"files": [{"path": "/etc/motd", "mode": 420, "user": {"id": 7},
               "append": [{"source": "data:,more"}]}]})");
    CHECK(ReadAll(t / "etc/motd") == "old\nmore");
    CHECK(ModeOf(t / "etc/motd") == 0644);
    CHECK(StatOf(t / "etc/motd").st_uid == 7);
    CHECK(StatOf(t / "etc/motd").st_gid == 34);
  }
  SECTION("a source and overwrite false: refused, the file untouched") {
    REQUIRE_THROWS_WITH(Run(t, R"({"files": [{"path": "/etc/motd", "contents": {"source": "data:,new"}}]})"),
                        "creating file '" + (t / "etc/motd").string() +
                            "' (at $.storage.files.0): a file exists there already and overwrite is false");
    CHECK(ReadAll(t / "etc/motd") == "old\n");
  }
  SECTION("overwrite true: replaced, with the defaults of a new file") {
    Run(t, R"({"files": [{"path": "/etc/motd", "overwrite": true, "contents": {"source": "data:,new"}}]})");
    CHECK(ReadAll(t / "etc/motd") == "new");
    CHECK(ModeOf(t / "etc/motd") == 0644);
    CHECK(StatOf(t / "etc/motd").st_uid == 0);
  }
  SECTION("overwrite true over a directory") {
    t.Write("etc/dir/inside", "x");
    Run(t, R"({"files": [{"path": "/etc/dir", "overwrite": true, "contents": {"source": "data:,f"}}]})");
    CHECK(ReadAll(t / "etc/dir") == "f");
  }
  SECTION("a symlink there and overwrite false: refused") {
    fs::create_symlink("motd", t / "etc/link");
    REQUIRE_THROWS_WITH(Run(t, R"({"files": [{"path": "/etc/link", "append": [{"source": "data:,x"}]}]})"),
                        Catch::EndsWith("(at $.storage.files.0): a non-regular file exists there already and "
                                        "overwrite is false"));
    CHECK(ReadAll(t / "etc/motd") == "old\n");
  }
  SECTION("overwrite true replaces a symlink, not what it points to") {
    fs::create_symlink("motd", t / "etc/link");
    Run(t, R"({"files": [{"path": "/etc/link", "overwrite": true, "contents": {"source": "data:,own"}}]})");
    CHECK(fs::is_regular_file(fs::symlink_status(t / "etc/link")));
    CHECK(ReadAll(t / "etc/link") == "own");
    CHECK(ReadAll(t / "etc/motd") == "old\n");
  }
  CHECK(TempFiles(t.root).empty());
}

TEST_CASE("nodes: a failed fetch leaves the old file and no temp file", "[nodes]") {
  Target t;
  t.Write("etc/motd", "old\n");
  std::string storage;
  std::string field;
  SECTION("contents") {
    storage = R"({"files": [{"path": "/etc/motd", "overwrite": true,
                  "contents": {"source": "data:,new", "verification": {"hash": ")" + kWrongHash + R"("}}}]})";
    field = "$.storage.files.0.contents";
  }
  SECTION("an append") {
    storage = R"({"files": [{"path": "/etc/motd", "append": [{"source": "data:,a"},
                  {"source": "data:,b", "verification": {"hash": ")" + kWrongHash + R"("}}]}]})";
    field = "$.storage.files.0.append.1";
  }
  try {
    Run(t, storage);
    FAIL("the stage should have failed");
  } catch (const agent::Failure& f) {
    INFO(f.what());
    CHECK(f.operation() == "writing file");
    CHECK(f.object() == (t / "etc/motd").string());
    CHECK(f.field().rfind(field, 0) == 0);
    CHECK(f.cause().find("fetching a data URL: ") == 0);
  }
  CHECK(ReadAll(t / "etc/motd") == "old\n");
  CHECK(TempFiles(t.root).empty());
}

TEST_CASE("nodes: directories", "[nodes]") {
  Target t;
  SECTION("new: 0755 root:root by default, parents too") {
    Run(t, R"({"directories": [{"path": "/var/lib/a/b"}, {"path": "/var/lib/c", "mode": 448, "user": {"id": 5}}]})");
    CHECK(ModeOf(t / "var/lib/a/b") == 0755);
    CHECK(ModeOf(t / "var/lib/a") == 0755);
    CHECK(ModeOf(t / "var/lib/c") == 0700);
    CHECK(StatOf(t / "var/lib/c").st_uid == 5);
    CHECK(StatOf(t / "var/lib/c").st_gid == 0);
  }
  SECTION("existing: only owner and (given) mode change, contents stay") {
    t.Write("srv/keep/file", "x");
    ::chmod((t / "srv/keep").c_str(), 0711);
    ::chown((t / "srv/keep").c_str(), 3, 4);
    Run(t, R"({"directories": [{"path": "/srv/keep", "group": {"id": 9}}]})");
    CHECK(ModeOf(t / "srv/keep") == 0711);
    CHECK(StatOf(t / "srv/keep").st_uid == 3);
    CHECK(StatOf(t / "srv/keep").st_gid == 9);
    CHECK(ReadAll(t / "srv/keep/file") == "x");
    Run(t, R"({"directories": [{"path": "/srv/keep", "mode": 493}]})");
    CHECK(ModeOf(t / "srv/keep") == 0755);
  }
  SECTION("overwrite true empties an existing directory") {
    t.Write("srv/old/file", "x");
    Run(t, R"({"directories": [{"path": "/srv/old", "overwrite": true}]})");
    CHECK(fs::is_empty(t / "srv/old"));
    CHECK(ModeOf(t / "srv/old") == 0755);
  }
  SECTION("a file there and overwrite false: refused") {
    t.Write("srv/file", "x");
    REQUIRE_THROWS_WITH(Run(t, R"({"directories": [{"path": "/srv/file"}]})"),
                        Catch::EndsWith("(at $.storage.directories.0): a non-directory already exists there and "
                                        "overwrite is false"));
    CHECK(ReadAll(t / "srv/file") == "x");
  }
  SECTION("a file there and overwrite true: replaced") {
    t.Write("srv/file", "x");
    Run(t, R"({"directories": [{"path": "/srv/file", "overwrite": true}]})");
    CHECK(fs::is_directory(fs::symlink_status(t / "srv/file")));
  }
}

TEST_CASE("nodes: symlinks", "[nodes]") {
  Target t;
  t.Write("usr/share/zoneinfo/UTC", "TZif");
  ::chown((t / "usr/share/zoneinfo/UTC").c_str(), 21, 22);
  SECTION("new: the target stored as written; the owner defaults to the target's, inside the root") {
    Run(t, R"({"links": [{"path": "/etc/localtime", "target": "../usr/share/zoneinfo/UTC"},
                         {"path": "/etc/abs", "target": "/usr/share/zoneinfo/UTC"},
                         {"path": "/etc/dangling", "target": "/nowhere"},
                         {"path": "/etc/owned", "target": "/nowhere", "user": {"id": 8}}]})");
    CHECK(fs::read_symlink(t / "etc/localtime") == "../usr/share/zoneinfo/UTC");
    CHECK(StatOf(t / "etc/localtime").st_uid == 21);
    CHECK(StatOf(t / "etc/abs").st_uid == 21);
    CHECK(StatOf(t / "etc/abs").st_gid == 22);
    CHECK(StatOf(t / "etc/dangling").st_uid == 0);
    CHECK(StatOf(t / "etc/owned").st_uid == 8);
  }
  SECTION("an identical symlink is left alone") {
    fs::create_directories(t / "etc");
    fs::create_symlink("/usr/share/zoneinfo//UTC", t / "etc/localtime");
    Run(t, R"({"links": [{"path": "/etc/localtime", "target": "/usr/share/zoneinfo/UTC", "user": {"id": 9}}]})");
    CHECK(fs::read_symlink(t / "etc/localtime") == "/usr/share/zoneinfo//UTC");
    CHECK(StatOf(t / "etc/localtime").st_uid == 0);
    CHECK(t.sink.Text().find("already exists, doing nothing") != std::string::npos);
  }
  SECTION("a different symlink: refused, naming both targets") {
    fs::create_directories(t / "etc");
    fs::create_symlink("/elsewhere", t / "etc/localtime");
    REQUIRE_THROWS_WITH(Run(t, R"({"links": [{"path": "/etc/localtime", "target": "/usr/share/zoneinfo/UTC"}]})"),
                        Catch::EndsWith("(at $.storage.links.0): a symlink exists there pointing to '/elsewhere', "
                                        "not '/usr/share/zoneinfo/UTC', and overwrite is false"));
  }
  SECTION("a file there: refused; with overwrite: replaced") {
    t.Write("etc/localtime", "file");
    REQUIRE_THROWS_WITH(Run(t, R"({"links": [{"path": "/etc/localtime", "target": "/x"}]})"),
                        Catch::EndsWith("a non-symlink already exists there and overwrite is false"));
    Run(t, R"({"links": [{"path": "/etc/localtime", "target": "/x", "overwrite": true}]})");
    CHECK(fs::read_symlink(t / "etc/localtime") == "/x");
  }
}

TEST_CASE("nodes: hard links", "[nodes]") {
  Target t;
  SECTION("to a deeper file of the same config, created after it") {
    Run(t, R"({"files": [{"path": "/a/b/c/target", "contents": {"source": "data:,t"}, "mode": 384}],
               "links": [{"path": "/hard", "target": "/a/b/c/target", "hard": true, "user": {"id": 5}}]})");
    CHECK(StatOf(t / "hard").st_ino == StatOf(t / "a/b/c/target").st_ino);
    // No owner or mode of its own: the target's inode.
    CHECK(StatOf(t / "hard").st_uid == 0);
    CHECK(ModeOf(t / "hard") == 0600);
  }
  SECTION("an existing link to the same inode is left alone; another file is refused") {
    t.Write("target", "t");
    t.Write("other", "o");
    fs::create_hard_link(t / "target", t / "same");
    Run(t, R"({"links": [{"path": "/same", "target": "/target", "hard": true}]})");
    REQUIRE_THROWS_WITH(Run(t, R"({"links": [{"path": "/other", "target": "/target", "hard": true}]})"),
                        Catch::EndsWith("(at $.storage.links.0): a file already exists there but is not the "
                                        "target '/target', and overwrite is false"));
    Run(t, R"({"links": [{"path": "/other", "target": "/target", "hard": true, "overwrite": true}]})");
    CHECK(StatOf(t / "other").st_ino == StatOf(t / "target").st_ino);
  }
  SECTION("a missing target") {
    REQUIRE_THROWS_WITH(Run(t, R"({"links": [{"path": "/h", "target": "/missing/t", "hard": true}]})"),
                        Catch::EndsWith("(at $.storage.links.0.target): the target '/missing/t' does not exist"));
  }
}

TEST_CASE("nodes: owners by name", "[nodes]") {
  Target t;
  t.Write("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  t.Write("etc/group", "root:x:0:\n");
  SECTION("an unknown user names the field") {
    REQUIRE_THROWS_WITH(Run(t, R"({"files": [{"path": "/f"}, {"path": "/g", "user": {"name": "core"}}]})"),
                        Catch::StartsWith("looking up user 'core' (at $.storage.files.1.user.name): no such user"));
    CHECK_FALSE(fs::exists(t / "g"));
  }
  SECTION("a passwd file written by the config itself resolves later, deeper nodes") {
    Run(t, R"({"files": [{"path": "/var/lib/app/data", "user": {"name": "app"}, "group": {"name": "app"}},
                         {"path": "/etc/passwd", "overwrite": true,
                          "contents": {"source": "data:,root:x:0:0::/root:/bin/sh%0Aapp:x:501:502::/:/bin/sh%0A"}},
                         {"path": "/etc/group", "overwrite": true,
                          "contents": {"source": "data:,root:x:0:%0Aapp:x:502:%0A"}}]})");
    CHECK(StatOf(t / "var/lib/app/data").st_uid == 501);
    CHECK(StatOf(t / "var/lib/app/data").st_gid == 502);
  }
}

TEST_CASE("nodes: two entries that land on the same place", "[nodes]") {
  Target t;
  fs::create_directories(t / "usr/etc");
  fs::create_symlink("usr/etc", t / "etc");
  SECTION("through a symlink in the target: refused before anything is written") {
    try {
      Run(t, R"({"files": [{"path": "/first", "contents": {"source": "data:,1"}},
                           {"path": "/etc/a", "contents": {"source": "data:,a"}}],
                 "links": [{"path": "/usr/etc/a", "target": "/x"}]})");
      FAIL("should have been refused");
    } catch (const agent::Failure& f) {
      CHECK(std::string(f.what()) ==
            "refusing to create symlink '" + (t / "usr/etc/a").string() +
                "' (at $.storage.links.0): its path '/usr/etc/a' and the path '/etc/a' of $.storage.files.1 "
                "resolve to the same place after following symlinks in the target");
    }
    CHECK_FALSE(fs::exists(t / "first"));
  }
  SECTION("through a symlink this config creates") {
    // Validation refuses a path under a link of the config; a config that
    // skipped it is still refused when the second entry is placed.
    schema::Config c;
    c.storage.files.resize(2);
    c.storage.files[0].path = "/l/f";
    c.storage.files[0].contents.source = "data:,1";
    c.storage.files[1].path = "/d/f";
    c.storage.files[1].contents.source = "data:,2";
    c.storage.directories.resize(1);
    c.storage.directories[0].path = "/d";
    c.storage.links.resize(1);
    c.storage.links[0].path = "/l";
    c.storage.links[0].target = "d";
    t.config = c;
    agent::StageContext ctx{t.config, t.flags, t.env, t.runner, *t.fetcher, t.log, t.state};
    agent::Root root(t.root);
    try {
      CreateNodes(ctx, root);
      FAIL("should have been refused");
    } catch (const agent::Failure& f) {
      CHECK(std::string(f.what()) ==
            "refusing to create file '" + (t / "d/f").string() +
                "' (at $.storage.files.1): its path '/d/f' now leads where $.storage.files.0 (path '/l/f') was "
                "created, through a symlink created by this config");
    }
    CHECK(ReadAll(t / "d/f") == "1");
  }
}

TEST_CASE("nodes: nothing lands outside the root", "[nodes]") {
  std::string resolver = GENERATE("walk", "openat2");
  INFO(resolver);
  Target t;
  t.env = agent::FakeEnv({{"FLINT_ROOT_RESOLVER", resolver}});
  fs::path outside = t.tmp / "outside";
  t.tmp.Write("outside/y/keep", "keep");
  fs::create_symlink("/", t / "etc");
  fs::create_symlink("../../../../../../../../../.." + outside.string() + "/y", t / "x");
  fs::create_symlink(outside, t / "abs");
  fs::create_symlink("loop", t / "loop");
  Run(t, R"({"files": [{"path": "/etc/motd", "contents": {"source": "data:,m"}},
                       {"path": "/x/keep", "overwrite": true, "contents": {"source": "data:,in"}},
                       {"path": "/abs/y/new", "contents": {"source": "data:,in"}}],
             "directories": [{"path": "/etc/x/dir"}],
             "links": [{"path": "/x/sym", "target": "/etc/shadow"}]})");
  CHECK(ReadAll(t / "motd") == "m");
  fs::path inner = t.root / outside.relative_path() / "y";
  CHECK(ReadAll(inner / "keep") == "in");
  CHECK(ReadAll(inner / "new") == "in");
  CHECK(fs::is_directory(inner / "dir"));
  CHECK(fs::read_symlink(inner / "sym") == "/etc/shadow");
  CHECK(ReadAll(outside / "y/keep") == "keep");
  CHECK(std::distance(fs::recursive_directory_iterator(outside), {}) == 2);
  REQUIRE_THROWS_WITH(Run(t, R"({"files": [{"path": "/loop/f"}]})"),
                      Catch::Contains("Too many levels of symbolic links") &&
                          Catch::Contains("(at $.storage.files.0)"));
}

}  // namespace
}  // namespace flint::stages
