// Resource rules: URL schemes per version, S3/ARN, data URLs, hashes,
// compression, HTTP headers. Exact report lines, as `flint validate` prints.
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::ReportOf;

struct Row {
  std::string_view version;
  std::string_view body;
  std::string_view expected;
};

void CheckRows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO(row.version << " " << row.body);
    CHECK(ReportOf(row.version, row.body) == row.expected);
  }
}

std::string FileWithSource(std::string_view source) {
  return R"("storage":{"files":[{"path":"/a","contents":{"source":")" + std::string(source) +
         R"("}}]})";
}

TEST_CASE("URL schemes follow the declared version") {
  // `gs` from 3.2, `arn` from 3.4; http, https, tftp, s3, data always.
  const std::string_view bad = "error at $.storage.files.0.contents.source, line 1 col 87: "
                               "invalid url scheme\n";
  for (std::string_view v : testing::kAllVersions) {
    INFO(v);
    const std::string_view bad_here =
        v == "3.7.0-experimental" ? "error at $.storage.files.0.contents.source, line 1 col 100: "
                                    "invalid url scheme\n"
                                  : bad;
    bool gs = v >= "3.2.0", arn = v >= "3.4.0";
    CHECK(ReportOf(v, FileWithSource("http://h/x")).empty());
    CHECK(ReportOf(v, FileWithSource("https://h/x")).empty());
    CHECK(ReportOf(v, FileWithSource("tftp://h/x")).empty());
    CHECK(ReportOf(v, FileWithSource("s3://bucket/key")).empty());
    CHECK(ReportOf(v, FileWithSource("data:,hello")).empty());
    CHECK(ReportOf(v, FileWithSource("gs://bucket/object")) == (gs ? "" : bad_here));
    CHECK(ReportOf(v, FileWithSource("arn:aws:s3:::bucket/key")) == (arn ? "" : bad_here));
    CHECK(ReportOf(v, FileWithSource("ftp://h/x")) == bad_here);
    CHECK(ReportOf(v, FileWithSource("file:///x")) == bad_here);
    CHECK(ReportOf(v, FileWithSource("/etc/x")) == bad_here);
  }
}

TEST_CASE("URLs Go cannot parse") {
  CheckRows({
      {"3.4.0", FileWithSource("http://h/%zz"),
       "error at $.storage.files.0.contents.source, line 1 col 87: unable to parse url\n"},
      {"3.4.0", FileWithSource("http://h:port/"),
       "error at $.storage.files.0.contents.source, line 1 col 87: unable to parse url\n"},
      {"3.4.0", FileWithSource("http://a b/"),
       "error at $.storage.files.0.contents.source, line 1 col 87: unable to parse url\n"},
      {"3.4.0", FileWithSource(":foo"),
       "error at $.storage.files.0.contents.source, line 1 col 87: unable to parse url\n"},
      {"3.4.0", FileWithSource("a:b/c:d"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid url scheme\n"},
      {"3.4.0", FileWithSource("HTTP://h/x"), ""},
  });
}

TEST_CASE("S3 version ids and ARNs") {
  CheckRows({
      {"3.4.0", FileWithSource("s3://b/k?versionId=abc"), ""},
      {"3.4.0", FileWithSource("s3://b/k?versionId="),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 object VersionId\n"},
      {"3.0.0", FileWithSource("s3://b/k?versionId"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 object VersionId\n"},
      {"3.4.0", FileWithSource("s3://b/k?other="), ""},
      {"3.4.0", FileWithSource("arn:aws:s3:::b/k?versionId=1"), ""},
      {"3.4.0", FileWithSource("arn:aws:s3:::b/k?versionId="),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 object VersionId\n"},
      {"3.4.0", FileWithSource("arn:aws:s3:::bucket"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 ARN format\n"},
      {"3.4.0", FileWithSource("arn:aws:iam:::b/k"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 ARN format\n"},
      {"3.4.0", FileWithSource("arn:aws:s3:b/k"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 ARN format\n"},
      {"3.4.0", FileWithSource("arn:aws:s3:us-east-1:123:accesspoint/ap/object/k"), ""},
      {"3.4.0", FileWithSource("arn:aws:s3:us-east-1:123:accesspoint/ap"),
       "error at $.storage.files.0.contents.source, line 1 col 87: invalid S3 ARN format\n"},
  });
}

TEST_CASE("data URLs are decoded as upstream's library does") {
  const std::string at = "error at $.storage.files.0.contents.source, line 1 col 87: ";
  struct DataRow {
    std::string_view url;
    std::string_view message;  // empty: valid
  };
  const DataRow rows[] = {
      {"data:,", ""},
      {"data:text/plain;charset=utf-8;base64,aGVsbG8=", ""},
      {"data:;base64,aGVsbG8=", ""},
      {"data:text/plain,a%20b", ""},
      {"data:x-foo/bar,abc", ""},
      {"data:text/plain;charset=\\\"utf-8\\\",x", ""},
      {"data:text/plain", "incomplete media type"},
      {"data:text/plain;x=y", "missing comma before data"},
      {"data:foo/bar,x", "invalid media type"},
      {"data:text,x", "invalid character for media type"},
      {"data:text/,x", ""},
      {"data:text/plain;,x", "unterminated parameter sequence"},
      {"data:text/plain;foo,x", "expected base64, got foo"},
      {"data:;base64,abc", "illegal base64 data at input byte 0"},
      {"data:;base64,ab=c", "illegal base64 data at input byte 2"},
      {"data:;base64,a===", "illegal base64 data at input byte 1"},
      {"data:;base64,aGVsbG8", "illegal base64 data at input byte 4"},
      {"data:;base64,aGVsbG8=x", "illegal base64 data at input byte 8"},
      {"data:;base64,a%3D", "invalid data character"},
      {"data:,a b", "invalid data character"},
      {"data:,%zz", "rfc2396: invalid char 0x25 in unescape sequence"},
      {"data:,%2", "rfc2396: unexpected end of unescape sequence"},
      {"data:text/plain;charset=a%,x", "rfc2396: unexpected end of unescape sequence"},
  };
  for (const DataRow& row : rows) {
    INFO(row.url);
    std::string expected = row.message.empty() ? "" : at + std::string(row.message) + "\n";
    CHECK(ReportOf("3.4.0", FileWithSource(row.url)) == expected);
  }
}

TEST_CASE("verification hashes: sha256 from 3.1") {
  const std::string sha256 = "sha256-" + std::string(64, 'a');
  const std::string sha512 = "sha512-" + std::string(128, 'a');
  auto body = [](const std::string& hash) {
    return R"("storage":{"files":[{"path":"/a","contents":{"source":"http://h/x","verification":{"hash":")" +
           hash + R"("}}}]})";
  };
  for (std::string_view v : testing::kAllVersions) {
    INFO(v);
    CHECK(ReportOf(v, body(sha512)).empty());
    std::string report = ReportOf(v, body(sha256));
    if (v == "3.0.0")
      CHECK(report ==
            "error at $.storage.files.0.contents.verification.hash, line 1 col 123: "
            "unrecognized hash function\n");
    else
      CHECK(report.empty());
  }
  CheckRows({
      {"3.4.0", body("sha512-abc"),
       "error at $.storage.files.0.contents.verification.hash, line 1 col 123: incorrect size "
       "for hash sum\n"},
      {"3.4.0", body("sha512"),
       "error at $.storage.files.0.contents.verification.hash, line 1 col 123: malformed hash "
       "specifier\n"},
      {"3.4.0", body("md5-00"),
       "error at $.storage.files.0.contents.verification.hash, line 1 col 123: unrecognized "
       "hash function\n"},
      {"3.4.0", R"("storage":{"files":[{"path":"/a","contents":{"verification":{"hash":"sha512-00"}}}]})",
       "error at $.storage.files.0.contents.verification.hash, line 1 col 101: source must be "
       "specified if verification is specified\n"
       "error at $.storage.files.0.contents.verification.hash, line 1 col 101: incorrect size "
       "for hash sum\n"},
  });
}

TEST_CASE("compression is gzip or nothing") {
  auto body = [](std::string_view c) {
    return R"("storage":{"files":[{"path":"/a","contents":{"source":"http://h/x","compression":")" +
           std::string(c) + R"("}}]})";
  };
  CHECK(ReportOf("3.0.0", body("gzip")).empty());
  CHECK(ReportOf("3.4.0", body("")).empty());
  CHECK(ReportOf("3.4.0", body("xz")) ==
        "error at $.storage.files.0.contents.compression, line 1 col 114: invalid compression "
        "method\n");
  // In 3.0 merged configs have no compression field at all.
  CHECK(testing::IgnitionReportOf(
            "3.0.0", R"("config":{"merge":[{"source":"http://h/x","compression":"xz"}]})") ==
        "warning at $.ignition.config.merge.0.compression, line 1 col 74: unused key "
        "compression\n");
  CHECK(testing::IgnitionReportOf(
            "3.1.0", R"("config":{"merge":[{"source":"http://h/x","compression":"xz"}]})") ==
        "error at $.ignition.config.merge.0.compression, line 1 col 88: invalid compression "
        "method\n");
}

TEST_CASE("HTTP headers: name required, empty value, only with http(s)") {
  auto body = [](std::string_view source, std::string_view headers) {
    return R"("storage":{"files":[{"path":"/a","contents":{"source":")" + std::string(source) +
           R"(","httpHeaders":)" + std::string(headers) + "}}]}";
  };
  CheckRows({
      {"3.1.0", body("https://h/x", R"([{"name":"Authorization","value":"Bearer t"}])"), ""},
      {"3.1.0", body("https://h/x", R"([{"name":"","value":"v"}])"),
       "error at $.storage.files.0.contents.httpHeaders.0.name, line 1 col 124: HTTP header "
       "name can't be empty\n"},
      {"3.4.0", body("https://h/x", R"([{"name":"X","value":""}])"),
       "error at $.storage.files.0.contents.httpHeaders.0.value, line 1 col 136: unable to "
       "parse HTTP header\n"},
      {"3.4.0", body("https://h/x", R"([{"name":"X"}])"), ""},
      {"3.4.0", body("s3://b/k", R"([{"name":"X","value":"v"}])"),
       "error at $.storage.files.0.contents.httpHeaders, line 1 col 112: cannot use HTTP "
       "headers with this source scheme\n"},
      {"3.4.0", body("data:,x", R"([{"name":"X","value":"v"}])"),
       "error at $.storage.files.0.contents.httpHeaders, line 1 col 111: cannot use HTTP "
       "headers with this source scheme\n"},
      {"3.4.0", body("https://h/x", R"([{"name":"X","value":"1"},{"name":"X","value":"2"}])"),
       "error at $.storage.files.0.contents.httpHeaders.1, line 1 col 141: duplicate entry "
       "defined\n"},
      {"3.4.0",
       R"("storage":{"files":[{"path":"/a","contents":{"httpHeaders":[{"name":"X","value":"v"}]}}]})",
       "error at $.storage.files.0.contents.httpHeaders, line 1 col 92: unable to parse url\n"},
  });
}

}  // namespace
}  // namespace flint::schema
