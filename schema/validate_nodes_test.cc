// Files, directories and links: paths, modes, owners, overwrite, paths under
// links, hard links, link targets, systemd path conflicts.
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::ReportOf;

TEST_CASE("node paths must be given, absolute and clean") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"files":[{"path":""},{"path":"rel"},{"path":"/a/../b"},{"path":"/ok"}],)"
                 R"("directories":[{"path":"/d/"}],"links":[{"path":"l//x","target":"/t"}]})") ==
        "error at $.storage.directories.0.path, line 1 col 138: path is not fully simplified\n"
        "error at $.storage.files.0.path, line 1 col 61: path not specified\n"
        "error at $.storage.files.1.path, line 1 col 73: path not absolute\n"
        "error at $.storage.files.2.path, line 1 col 88: path is not fully simplified\n"
        "error at $.storage.links.0.path, line 1 col 163: path not absolute\n");
}

TEST_CASE("modes are 0..07777") {
  const std::string_view body =
      R"("storage":{"files":[{"path":"/m","mode":4096},{"path":"/n","mode":-1},{"path":"/o","mode":511}]})";
  CHECK(ReportOf("3.6.0", body) ==
        "error at $.storage.files.0.mode, line 1 col 73: illegal file mode\n"
        "error at $.storage.files.1.mode, line 1 col 99: illegal file mode\n");
  CHECK(ReportOf("3.7.0-experimental", R"("storage":{"directories":[{"path":"/d","mode":4096}]})") ==
        "error at $.storage.directories.0.mode, line 1 col 92: illegal file mode\n");
}

TEST_CASE("setuid, setgid and sticky bits warn before 3.6") {
  const std::string_view body =
      R"("storage":{"directories":[{"path":"/d","mode":1517}],"files":[{"path":"/f","mode":3565},{"path":"/g","mode":493}]})";
  const std::string warning =
      "setuid/setgid/sticky bits are not supported or functional in spec versions older than "
      "3.6.0\n";
  for (std::string_view v : testing::kAllVersions) {
    INFO(v);
    std::string report = ReportOf(v, body);
    if (v >= "3.6.0") {
      CHECK(report.empty());
    } else {
      CHECK(report == "warning at $.storage.directories.0.mode, line 1 col 79: " + warning +
                          "warning at $.storage.files.0.mode, line 1 col 115: " + warning);
    }
  }
}

TEST_CASE("owners are given by id or by name, not both") {
  CHECK(ReportOf("3.0.0",
                 R"("storage":{"files":[{"path":"/o","user":{"id":1,"name":"x"},"group":{"id":1,"name":"g"}},)"
                 R"({"path":"/p","user":{"id":1,"name":""},"group":{"id":1}}],)"
                 R"("directories":[{"path":"/d","user":{"id":0,"name":"root"}}]})") ==
        "error at $.storage.directories.0.user, line 1 col 215: cannot set both id and name\n"
        "error at $.storage.files.0.group, line 1 col 101: cannot set both id and name\n"
        "error at $.storage.files.0.user, line 1 col 73: cannot set both id and name\n");
}

TEST_CASE("overwrite needs contents with a source") {
  CHECK(ReportOf("3.2.0",
                 R"("storage":{"files":[{"path":"/a","overwrite":true},{"path":"/b","overwrite":true,"contents":{"source":"data:,"}},{"path":"/c","overwrite":false}]})") ==
        "error at $.storage.files.0.overwrite, line 1 col 78: overwrite must be false if source is "
        "unspecified\n");
}

TEST_CASE("paths under a link in the config") {
  CHECK(ReportOf("3.3.0",
                 R"("storage":{"links":[{"path":"/l","target":"/t"},{"path":"/l/x","target":"/t"},{"path":"/lx","target":"/t"}],)"
                 R"("files":[{"path":"/l/f"},{"path":"/lx2"}],"directories":[{"path":"/l/d"}]})") ==
        "error at $.storage.directories.0, line 1 col 198: directory path includes link in config\n"
        "error at $.storage.files.0, line 1 col 150: file path includes link in config\n"
        "error at $.storage.links.1, line 1 col 81: link path includes link in config\n");
}

TEST_CASE("link targets are required from 3.3") {
  const std::string_view body = R"("storage":{"links":[{"path":"/s"},{"path":"/e","target":""}]})";
  for (std::string_view v : testing::kAllVersions) {
    INFO(v);
    std::string report = ReportOf(v, body);
    if (v < "3.3.0") {
      CHECK(report.empty());
    } else {
      std::string col1 = v == "3.7.0-experimental" ? "66" : "53";
      std::string col2 = v == "3.7.0-experimental" ? "102" : "89";
      CHECK(report == "error at $.storage.links.0.target, line 1 col " + col1 +
                          ": link target is required\n"
                          "error at $.storage.links.1.target, line 1 col " +
                          col2 + ": link target is required\n");
    }
  }
}

TEST_CASE("hard links: not to a directory, and owners are ignored") {
  // A relative target is joined to the link's own path, as upstream does.
  CHECK(ReportOf("3.3.0",
                 R"("storage":{"links":[{"path":"/h","target":"/dir","hard":true,"user":{"id":0},"group":{"name":"g"}},)"
                 R"({"path":"/h2","target":"../dir","hard":true},{"path":"/s","target":"/dir","user":{"id":0}}],)"
                 R"("directories":[{"path":"/dir"}]})") ==
        "error at $.storage.links.0, line 1 col 53: hard link target is a directory\n"
        "warning at $.storage.links.0.user.id, line 1 col 107: user/group ignored for hard link\n"
        "warning at $.storage.links.0.group.name, line 1 col 126: user/group ignored for hard "
        "link\n"
        "error at $.storage.links.1, line 1 col 132: hard link target is a directory\n");
  // Before 3.3 the target is a plain string: a hard link without one is only
  // compared, never required.
  CHECK(ReportOf("3.2.0", R"("storage":{"links":[{"path":"/h","hard":true,"user":{"name":"u"}}]})") ==
        "warning at $.storage.links.0.user.name, line 1 col 93: user/group ignored for hard link\n");
}

TEST_CASE("files, directories and links cannot take a systemd unit's path") {
  const std::string_view systemd =
      R"("systemd":{"units":[{"name":"a.service","contents":"[Unit]"},{"name":"b.service","dropins":[{"name":"x.conf","contents":"[Unit]"}]},)"
      R"({"name":"c.service","enabled":false},{"name":"d.service","dropins":[{"name":"y.conf"}]}]})";
  std::string body =
      R"("storage":{"files":[{"path":"/etc/systemd/system/a.service"},{"path":"/etc/systemd/system/c.service"}],)"
      R"("directories":[{"path":"/etc/systemd/system/b.service.d/x.conf"}],)"
      R"("links":[{"path":"/etc/systemd/system/d.service.d/y.conf","target":"/x"},{"path":"/etc/systemd/system/a.service","target":"/x"}]},)" +
      std::string(systemd);
  CHECK(ReportOf("3.0.0", body) ==
        "error at $.storage.files.0.path, line 1 col 61: path conflicts with systemd unit or dropin\n"
        "error at $.storage.directories.0.path, line 1 col 159: path conflicts with systemd unit or "
        "dropin\n"
        "error at $.storage.links.1.path, line 1 col 283: path conflicts with systemd unit or "
        "dropin\n"
        "error at $.storage.links.1, line 1 col 275: duplicate entry defined\n");
}

TEST_CASE("files, directories and links share one key space") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"files":[{"path":"/a"},{"path":"/b"},{"path":"/a"}],"directories":[{"path":"/b"}],"links":[{"path":"/c","target":"/x"},{"path":"/b","target":"/x"}]})") ==
        "error at $.storage.files.1, line 1 col 67: duplicate entry defined\n"
        "error at $.storage.files.2, line 1 col 81: duplicate entry defined\n"
        "error at $.storage.links.1, line 1 col 163: duplicate entry defined\n");
}

}  // namespace
}  // namespace flint::schema
