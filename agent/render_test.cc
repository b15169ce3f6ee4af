#include "agent/render.h"

#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/fetched_config.h"
#include "schema/parse.h"
#include "tests/fake_fetcher.h"

namespace flint::agent {
namespace {

using flint::testing::DataUrl;
using flint::testing::FakeFetcher;

schema::Config ConfigOf(const std::string& json) {
  schema::ParseResult r = schema::Parse(json);
  INFO(r.report.String());
  REQUIRE(r.config);
  return *r.config;
}

// A 3.4.0 config with `extra` JSON members after "ignition".
std::string Cfg(const std::string& ignition_extra, const std::string& extra = "") {
  std::string json = R"({"ignition":{"version":"3.4.0")" + ignition_extra + "}";
  if (!extra.empty()) json += "," + extra;
  return json + "}";
}

std::string MergeOf(std::initializer_list<std::string> urls) {
  std::string list;
  for (const std::string& u : urls) list += std::string(list.empty() ? "" : ",") + R"({"source":")" + u + R"("})";
  return R"(,"config":{"merge":[)" + list + "]}";
}

std::string ReplaceOf(const std::string& url) { return R"(,"config":{"replace":{"source":")" + url + R"("}})"; }

std::string Unit(const std::string& name) { return R"("systemd":{"units":[{"name":")" + name + R"(","mask":true}]})"; }

std::vector<std::string> UnitNames(const schema::Config& c) {
  std::vector<std::string> names;
  for (const auto& u : c.systemd.units) names.push_back(u.name);
  return names;
}

struct Rig {
  FakeFetcher fetcher;
  CapturingSink sink;
  Log log{sink};
  State state;
  ConfigRenderer renderer{fetcher, log, state, false};

  schema::Config Render(const std::string& json, const std::string& origin = "") {
    return renderer.Render(ConfigOf(json), origin);
  }
};

TEST_CASE("render: URL schemes that need networking", "[render]") {
  for (const char* url :
       {"http://h/x", "https://h/x", "HTTPS://h/x", "tftp://h/x", "s3://b/k", "gs://b/k", "arn:aws:s3:::b/k"}) {
    INFO(url);
    CHECK(UrlNeedsNet(url));
  }
  for (const char* url : {"data:,x", "", "/etc/x", "file:///x"}) {
    INFO(url);
    CHECK_FALSE(UrlNeedsNet(url));
  }
}

TEST_CASE("render: a config without references is returned as is, nothing fetched", "[render]") {
  Rig rig;
  schema::Config c = ConfigOf(Cfg("", R"("passwd":{"users":[{"name":"core"}]})"));
  CHECK(rig.renderer.Render(c) == c);
  CHECK(rig.fetcher.calls.empty());
  CHECK(rig.state.fetched_configs.empty());
}

TEST_CASE("render: replace restarts rendering with the replacement", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/b"] = Cfg(MergeOf({"https://h/c"}), Unit("b.service"));
  rig.fetcher.responses["https://h/c"] = Cfg("", Unit("c.service"));
  schema::Config out = rig.Render(Cfg(ReplaceOf("https://h/b"), Unit("a.service")));
  // a.service is gone: the replacement is rendered instead of the original.
  CHECK(UnitNames(out) == std::vector<std::string>{"b.service", "c.service"});
  CHECK(rig.fetcher.Urls() == std::vector<std::string>{"https://h/b", "https://h/c"});
  CHECK_FALSE(out.ignition.config.replace.source.has_value());
}

TEST_CASE("render: a replace chain is followed to its end", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/b"] = Cfg(ReplaceOf("https://h/c"), Unit("b.service"));
  rig.fetcher.responses["https://h/c"] = Cfg("", Unit("c.service"));
  schema::Config out = rig.Render(Cfg(ReplaceOf("https://h/b")));
  CHECK(UnitNames(out) == std::vector<std::string>{"c.service"});
}

TEST_CASE("render: merges apply in order, later children override earlier ones", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/x"] =
      Cfg("", R"("storage":{"files":[{"path":"/etc/a","contents":{"source":"data:,x"}}]},)" + Unit("x.service"));
  rig.fetcher.responses["https://h/y"] =
      Cfg("", R"("storage":{"files":[{"path":"/etc/a","contents":{"source":"data:,y"}}]},)" + Unit("y.service"));
  schema::Config out = rig.Render(Cfg(MergeOf({"https://h/x", "https://h/y"}), Unit("root.service")));
  CHECK(UnitNames(out) == std::vector<std::string>{"root.service", "x.service", "y.service"});
  REQUIRE(out.storage.files.size() == 1);
  CHECK(out.storage.files[0].contents.source == "data:,y");
}

TEST_CASE("render: nested merges are depth first", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/p"] = Cfg(MergeOf({"https://h/p1", "https://h/p2"}), Unit("p.service"));
  rig.fetcher.responses["https://h/p1"] = Cfg("", Unit("p1.service"));
  rig.fetcher.responses["https://h/p2"] = Cfg(MergeOf({"https://h/p2a"}), Unit("p2.service"));
  rig.fetcher.responses["https://h/p2a"] = Cfg("", Unit("p2a.service"));
  rig.fetcher.responses["https://h/q"] = Cfg("", Unit("q.service"));
  schema::Config out = rig.Render(Cfg(MergeOf({"https://h/p", "https://h/q"})));
  CHECK(rig.fetcher.Urls() ==
        std::vector<std::string>{"https://h/p", "https://h/p1", "https://h/p2", "https://h/p2a", "https://h/q"});
  CHECK(UnitNames(out) ==
        std::vector<std::string>{"p.service", "p1.service", "p2.service", "p2a.service", "q.service"});
  CHECK(rig.fetcher.calls[1].at == "$.ignition.config.merge.0");
  CHECK(rig.fetcher.calls[2].at == "$.ignition.config.merge.1");
}

TEST_CASE("render: each fetch uses the settings merged so far", "[render]") {
  Rig rig;
  // p brings a CA and a proxy; its child p1 must be fetched with them and
  // with the root's timeout; q (after p) still sees p's CA, merged.
  rig.fetcher.responses["https://h/p"] = Cfg(
      R"(,"security":{"tls":{"certificateAuthorities":[{"source":"data:,P-CA"}]}},"proxy":{"httpsProxy":"http://proxy:3128"})" +
      MergeOf({"https://h/p1"}));
  rig.fetcher.responses["https://h/p1"] = Cfg(R"(,"timeouts":{"httpResponseHeaders":7})");
  rig.fetcher.responses["https://h/q"] = Cfg("");
  schema::Config out = rig.Render(Cfg(R"(,"timeouts":{"httpTotal":30})" + MergeOf({"https://h/p", "https://h/q"})));
  REQUIRE(rig.fetcher.configured_at_fetch.size() == 3);
  const schema::Ignition& for_p = rig.fetcher.configured_at_fetch[0];
  CHECK(for_p.timeouts.http_total == 30);
  CHECK(for_p.security.tls.certificate_authorities.empty());
  const schema::Ignition& for_p1 = rig.fetcher.configured_at_fetch[1];
  CHECK(for_p1.timeouts.http_total == 30);
  REQUIRE(for_p1.security.tls.certificate_authorities.size() == 1);
  CHECK(for_p1.security.tls.certificate_authorities[0].source == "data:,P-CA");
  CHECK(for_p1.proxy.https_proxy == "http://proxy:3128");
  CHECK_FALSE(for_p1.timeouts.http_response_headers.has_value());
  const schema::Ignition& for_q = rig.fetcher.configured_at_fetch[2];
  REQUIRE(for_q.security.tls.certificate_authorities.size() == 1);
  CHECK(for_q.timeouts.http_response_headers == 7);  // p1 was merged before q
  // The settings never carry config references.
  for (const schema::Ignition& s : rig.fetcher.configured) {
    CHECK(s.config.merge.empty());
    CHECK_FALSE(s.config.replace.source.has_value());
  }
  CHECK(out.ignition.timeouts.http_response_headers == 7);
}

TEST_CASE("render: a merge cycle is refused naming the chain", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/b"] = Cfg(MergeOf({"https://h/c"}));
  rig.fetcher.responses["https://h/c"] = Cfg(MergeOf({"https://h/a"}));
  try {
    rig.Render(Cfg(MergeOf({"https://h/b"})), "https://h/a");
    FAIL("no failure");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()) ==
          "following the config reference 'https://h/a' (at $.ignition.config.merge.0): merge cycle: 'https://h/a' "
          "-> 'https://h/b' -> 'https://h/c' -> 'https://h/a'");
  }
  // It stopped at the cycle: a was never fetched again.
  CHECK(rig.fetcher.Urls() == std::vector<std::string>{"https://h/b", "https://h/c"});
}

TEST_CASE("render: a config that replaces itself is a cycle", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/b"] = Cfg(ReplaceOf("https://h/b"));
  CHECK_THROWS_WITH(rig.Render(Cfg(ReplaceOf("https://h/b"))),
                    "following the config reference 'https://h/b' (at $.ignition.config.replace): merge cycle: "
                    "'https://h/b' -> 'https://h/b'");
}

TEST_CASE("render: the same config reached twice, not through itself, is not a cycle", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/b"] = Cfg("", Unit("b.service"));
  rig.fetcher.responses["https://h/c"] = Cfg(MergeOf({"https://h/b"}), Unit("c.service"));
  schema::Config out = rig.Render(Cfg(MergeOf({"https://h/b", "https://h/c"})));
  CHECK(UnitNames(out) == std::vector<std::string>{"b.service", "c.service"});
  CHECK(rig.fetcher.Urls() == std::vector<std::string>{"https://h/b", "https://h/c", "https://h/b"});
}

TEST_CASE("render: nesting is bounded", "[render]") {
  // c0 -> c1 -> ... each merges the next.
  auto chain = [](Rig& rig, size_t length) {
    for (size_t i = 0; i < length; ++i) {
      std::string next = "https://h/c" + std::to_string(i + 1);
      rig.fetcher.responses["https://h/c" + std::to_string(i)] =
          i + 1 < length ? Cfg(MergeOf({next}), Unit("c" + std::to_string(i) + ".service"))
                         : Cfg("", Unit("c" + std::to_string(i) + ".service"));
    }
  };
  SECTION("ten levels are followed") {
    Rig rig;
    chain(rig, kMaxReferenceDepth);
    schema::Config out = rig.Render(Cfg(MergeOf({"https://h/c0"})));
    CHECK(out.systemd.units.size() == kMaxReferenceDepth);
  }
  SECTION("the eleventh is refused") {
    Rig rig;
    chain(rig, kMaxReferenceDepth + 1);
    try {
      rig.Render(Cfg(MergeOf({"https://h/c0"})));
      FAIL("no failure");
    } catch (const Failure& f) {
      CHECK(f.field() == "$.ignition.config.merge.0");
      CHECK(f.object() == "https://h/c10");
      CHECK(f.cause().rfind("refusing to follow config references nested more than 10 deep: 'https://h/c0' -> "
                            "'https://h/c1' -> ",
                            0) == 0);
      CHECK(f.cause().find("'https://h/c9' -> 'https://h/c10'") != std::string::npos);
    }
    CHECK(rig.fetcher.calls.size() == 10);
  }
}

TEST_CASE("render: offline, a reference that needs networking asks for it", "[render]") {
  FakeFetcher fetcher;
  CapturingSink sink;
  Log log(sink);
  State state;
  ConfigRenderer offline(fetcher, log, state, true);
  CHECK_THROWS_AS(offline.Render(ConfigOf(Cfg(MergeOf({"https://h/x"})))), NeedNet);
  CHECK_THROWS_AS(offline.Render(ConfigOf(Cfg(ReplaceOf("tftp://h/x")))), NeedNet);
  CHECK(fetcher.calls.empty());
  // A data: chain needs no network, even offline.
  std::string inner = Cfg("", Unit("d.service"));
  schema::Config out = offline.Render(ConfigOf(Cfg(MergeOf({DataUrl(inner)}))));
  CHECK(UnitNames(out) == std::vector<std::string>{"d.service"});
  // A CA that needs the network, offline, asks for it before anything is configured.
  schema::Ignition settings;
  settings.security.tls.certificate_authorities.push_back({});
  settings.security.tls.certificate_authorities[0].source = "https://h/ca.pem";
  size_t configured = fetcher.configured.size();
  CHECK_THROWS_AS(offline.Configure(settings), NeedNet);
  CHECK(fetcher.configured.size() == configured);
}

TEST_CASE("render: data URL chains with the real (data-only) fetcher", "[render]") {
  std::unique_ptr<Fetcher> fetcher;
  CapturingSink sink;
  Log log(sink);
  fetcher = MakeFetcher(log);
  State state;
  ConfigRenderer renderer(*fetcher, log, state, true);
  // root merges m1 (which merges m2) and then replaces nothing; m2 is 3.0.0.
  std::string m2 = R"({"ignition":{"version":"3.0.0"},"systemd":{"units":[{"name":"m2.service","mask":true}]}})";
  std::string m1 = Cfg(MergeOf({DataUrl(m2)}), Unit("m1.service"));
  std::string replacement = Cfg(MergeOf({DataUrl(m1)}), Unit("r.service"));
  schema::Config out = renderer.Render(ConfigOf(Cfg(ReplaceOf(DataUrl(replacement)), Unit("gone.service"))));
  CHECK(UnitNames(out) == std::vector<std::string>{"r.service", "m1.service", "m2.service"});
  REQUIRE(state.fetched_configs.size() == 3);
  CHECK(state.fetched_configs[0] == FetchedConfig{"user", "data:", true, Sha512Hex(replacement)});
  CHECK(state.fetched_configs[2] == FetchedConfig{"user", "data:", true, Sha512Hex(m2)});
}

TEST_CASE("render: every fetched config is recorded, never its contents", "[render]") {
  Rig rig;
  std::string secret_config = Cfg(
      "",
      R"("storage":{"files":[{"path":"/root/.docker/config.json","contents":{"source":"data:,pull-secret-s3kr1t"}}]})");
  rig.fetcher.responses["https://user:pw@h/worker?token=abc"] = secret_config;
  rig.Render(Cfg(MergeOf({"https://user:pw@h/worker?token=abc"})));
  REQUIRE(rig.state.fetched_configs.size() == 1);
  CHECK(rig.state.fetched_configs[0] == FetchedConfig{"user", "https://***@h/worker?token=***", true, Sha512Hex(secret_config)});
  const LogEntry* record = nullptr;
  for (const LogEntry& e : rig.sink.entries) {
    if (e.message.rfind("fetched referenced user config", 0) == 0) record = &e;
  }
  REQUIRE(record != nullptr);
  CHECK(record->message ==
        "fetched referenced user config from \"https://***@h/worker?token=***\" (SHA-512 " + Sha512Hex(secret_config) + ")");
  CHECK(record->fields == std::vector<LogField>{{"MESSAGE_ID", kFetchedConfigMessageId},
                                                {"IGNITION_CONFIG_TYPE", "user"},
                                                {"IGNITION_CONFIG_SRC", "https://***@h/worker?token=***"},
                                                {"IGNITION_CONFIG_REFERENCED", "true"},
                                                {"FLINT_CONFIG_SHA512", Sha512Hex(secret_config)}});
  std::string text = rig.sink.Text();
  CHECK(text.find("s3kr1t") == std::string::npos);
  CHECK(text.find("token=abc") == std::string::npos);
  CHECK(text.find("user:pw") == std::string::npos);
}

TEST_CASE("render: a fetched config that does not parse names its URL", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/bad"] = R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":1}]}})";
  rig.fetcher.responses["https://h/ptr"] = Cfg(MergeOf({"https://h/bad"}));
  try {
    rig.Render(Cfg(MergeOf({"https://h/ptr"})));
    FAIL("no failure");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()).rfind("parsing the config from 'https://h/bad' (referenced by 'https://h/ptr'): "
                                      "error at $.storage.files.0.path",
                                      0) == 0);
  }
  CHECK(rig.sink.Text().find("ERROR: 'https://h/bad' (referenced by 'https://h/ptr'): error at "
                             "$.storage.files.0.path") != std::string::npos);
}

TEST_CASE("render: a spec 2.x config is refused", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/old"] = R"({"ignition":{"version":"2.2.0"}})";
  CHECK_THROWS_AS(rig.Render(Cfg(MergeOf({"https://h/old"}))), Failure);
  CHECK(rig.sink.Text().find("'https://h/old': error at $.ignition.version") != std::string::npos);
}

TEST_CASE("render: an empty referenced config is an error, not a silently empty machine", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/empty"] = "";
  CHECK_THROWS_WITH(rig.Render(Cfg(ReplaceOf("https://h/empty"))),
                    "following the config reference 'https://h/empty' (at $.ignition.config.replace): the "
                    "referenced config is empty");
}

TEST_CASE("render: a failed fetch inside a chain names the config holding the reference", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/ptr"] = Cfg(MergeOf({"https://h/missing"}));
  CHECK_THROWS_WITH(rig.Render(Cfg(MergeOf({"https://h/ptr"}))),
                    "fetching the config that 'https://h/ptr' references 'https://h/missing' (at "
                    "$.ignition.config.merge.0): resource not found");
  // In the provider's config: a referenced config.
  Rig top;
  CHECK_THROWS_WITH(top.Render(Cfg(MergeOf({"https://h/missing"}))),
                    "fetching the referenced config 'https://h/missing' (at $.ignition.config.merge.0): resource not "
                    "found");
}

TEST_CASE("render: reference headers reach the fetcher", "[render]") {
  Rig rig;
  rig.fetcher.responses["https://h/w"] = Cfg("");
  rig.Render(Cfg(
      R"(,"config":{"merge":[{"source":"https://h/w","httpHeaders":[{"name":"Authorization","value":"Bearer t0k3n"}]}]})"));
  REQUIRE(rig.fetcher.calls.size() == 1);
  CHECK(rig.fetcher.calls[0].headers == std::vector<schema::HttpHeader>{{"Authorization", "Bearer t0k3n"}});
  CHECK(rig.sink.Text().find("t0k3n") == std::string::npos);
}

}  // namespace
}  // namespace flint::agent
