// rtnotify-conformance, run as a program: exit statuses, filters, reports,
// profiles, record mode and the errors a user sees.
// SPDX-License-Identifier: BSL-1.0
#include "program.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

/// Runs the tool; its output and its errors together.
rtnotify_test::program_result run(std::string const& args)
{
    return rtnotify_test::run_program(std::string(RTNOTIFY_CONFORMANCE_TOOL) + " " + args + " 2>&1");
}

/// Runs the tool; its output alone (the progress lines go to stderr).
rtnotify_test::program_result run_stdout(std::string const& args)
{
    return rtnotify_test::run_program(std::string(RTNOTIFY_CONFORMANCE_TOOL) + " " + args + " 2>/dev/null");
}

std::string slurp(fs::path const& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A folder of the test's own (`base`) with a corpus of fixtures in it (`dir`), removed at the end.
struct corpus
{
    fs::path base = [] {
        static int made = 0;
        return fs::temp_directory_path() /
               ("rtnotify-conformance-test-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
    }();
    fs::path dir = base / "fixtures";

    corpus() { fs::create_directories(dir / "g"); }
    ~corpus() { fs::remove_all(base); }

    void add(std::string const& name, std::string const& level, std::string const& expect_status, std::string const& more = "")
    {
        std::ofstream(dir / "g" / (name + ".json"))
            << R"({"description":"a case","spec":"bayeux/handshake","requirement":"r","binds":"server","level":")" << level
            << R"(","steps":[{"post":"${bayeux}/handshake","json":[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}],"expect":{"status":)"
            << expect_status << "}}]" << more << "}";
    }
};

TEST(ConformanceTool, ListAndFilter)
{
    auto const r = run("--list --filter bayeux/handshake --filter 'transport/*/wrong-path'");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("bayeux/handshake/success  [MUST] "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("transport/long-polling/wrong-path  [MAY] "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("bayeux/connect/"), std::string::npos) << r.out;
}

TEST(ConformanceTool, DryRunShowsStepsAndSendsNothing)
{
    auto const r = run_stdout("--dry-run --target http://127.0.0.1:1/bayeux --filter bayeux/id/subscribe-success");
    EXPECT_EQ(r.status, 0) << r.out; // the target is never reached
    EXPECT_NE(r.out.find("bayeux/id/subscribe-success  [MUST, binds the server] "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("https://docs.cometd.org/current/reference/#_bayeux_id\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  prelude 1: {\"client\":\"a\",\"post\":\"${bayeux}/handshake\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  prelude 2: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  step 1: {\"post\":\"${bayeux}\""), std::string::npos) << r.out;
}

TEST(ConformanceTool, EveryCaseOfTheCorpusCitesAPublicSection)
{
    auto const r = run_stdout("--list");
    EXPECT_EQ(r.status, 0) << r.out;
    std::istringstream lines(r.out);
    std::size_t n = 0;
    for(std::string line; std::getline(lines, line); ++n)
        EXPECT_TRUE(line.ends_with(")") && line.find("  (https://") != std::string::npos) << line;
    EXPECT_GE(n, 168u);
}

TEST(ConformanceTool, UsageAndConnectionErrorsExit2)
{
    auto r = run("--bogus");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "rtnotify-conformance: unknown option --bogus (see --help)\n");
    EXPECT_EQ(run("--profile nginx").out,
              "rtnotify-conformance: cannot read the profile " + fs::path(RTNOTIFY_CONFORMANCE_SPEC).parent_path().parent_path().string() +
                  "/profiles/nginx.json\n");
    corpus bad;
    std::ofstream(bad.base / "p.json") << R"({"name":"p","server":"s","features":["bayeux","smartrestt"],"verdicts":{}})";
    EXPECT_EQ(run("--profile " + (bad.base / "p.json").string()).out,
              "rtnotify-conformance: profile " + (bad.base / "p.json").string() +
                  R"(: features: unknown feature "smartrestt" (known: ack, bayeux, form, jsonp, smartrest, templates, websocket))" + "\n");
    std::ofstream(bad.base / "p.json") << R"({"name":"p","server":"s","features":[],"verdicts":{"no/such":{"verdict":"fail","note":"n"}}})";
    EXPECT_EQ(run("--profile " + (bad.base / "p.json").string()).out,
              "rtnotify-conformance: profile " + (bad.base / "p.json").string() + ": verdicts.no/such: no such case\n");
    EXPECT_EQ(run("--timeout-scale 0").status, 2);
    EXPECT_EQ(run("--filter no/such/case").out, "rtnotify-conformance: no case matches the filters\n");
    r = run("--target http://127.0.0.1:1/bayeux");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "rtnotify-conformance: cannot reach http://127.0.0.1:1/bayeux: connect to 127.0.0.1:1: Connection refused\n");
    EXPECT_EQ(run("--require websockets").out,
              "rtnotify-conformance: --require: unknown feature \"websockets\" (known: ack, bayeux, form, jsonp, smartrest, templates, websocket)\n");
    EXPECT_EQ(run("--smartrest-path s").status, 2);
    EXPECT_NE(run("--realtime-path '/a b'").out.find("--realtime-path takes a path beginning with /"), std::string::npos);
    EXPECT_NE(run("--xid 'a,b'").out.find("--xid takes a template collection id"), std::string::npos);
    EXPECT_EQ(run("--header 'no colon'").out, "rtnotify-conformance: --header takes 'Name: value', not 'no colon'\n");
    EXPECT_EQ(run("--target ftp://127.0.0.1/").out,
              "rtnotify-conformance: --target ftp://127.0.0.1/: the scheme must be http, https, ws or wss, not 'ftp'\n");
    corpus c;
    std::ofstream(c.dir / "g" / "bad.json") << R"({"description":"d","spec":"s","requirement":"r","level":"MUST","binds":"server","steps":[{"post":"/x","expect":{"status":"ok"}}]})";
    r = run("--fixtures " + c.dir.string());
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "rtnotify-conformance: fixture g/bad: steps[0].expect.status: must be an HTTP status (100-599)\n");
    std::ofstream(c.dir / "g" / "bad.json") << R"({"description":"d","spec":"bayeux.md §2","requirement":"r","level":"MUST","binds":"server","steps":[{"post":"/x"}]})";
    r = run("--fixtures " + c.dir.string() + " --spec " + RTNOTIFY_CONFORMANCE_SPEC);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "rtnotify-conformance: fixture g/bad: spec: \"bayeux.md §2\" is not in the table of spec anchors (" +
                         std::string(RTNOTIFY_CONFORMANCE_SPEC) + ")\n");
    std::ofstream(c.base / "table.json") << R"({"anchors":{"x":{"title":"t","url":"http://example.com/"}}})";
    r = run("--spec " + (c.base / "table.json").string());
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "rtnotify-conformance: " + (c.base / "table.json").string() + ": anchors.x.url: must be an https:// address\n");
}

TEST(ConformanceTool, ExitStatusFollowsVerdictsOrTheProfile)
{
    corpus c;
    c.add("ok", "MUST", "200");
    c.add("should", "SHOULD", "201");
    auto r = run_stdout("--fixtures " + c.dir.string());
    EXPECT_EQ(r.status, 1) << r.out; // against the embedded server a non-strict is no recorded verdict
    EXPECT_NE(r.out.find("  [non-strict] should: a case  (profile rtnotify records pass)\n      -> SHOULD: r (Bayeux 1.0, "
                         "/meta/handshake, https://docs.cometd.org/current/reference/#_bayeux_meta_handshake)\n"
                         "         step 1: status 200, expected 201 (body: [{\"channel\":\"/meta/handshake\""),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("1 non-strict (SHOULD), 0 informational (MAY)\nprofile rtnotify: 1 of 2 verdicts as recorded\n"
                         "elapsed: "),
              std::string::npos)
        << r.out;
    EXPECT_TRUE(r.out.ends_with(" s\n1 passed, 0 failed, 0 skipped\n")) << r.out;
    c.add("must", "MUST", "404");
    auto const mine = c.base / "mine.json";
    std::ofstream(mine) << R"({"name":"mine","server":"the embedded server","features":["bayeux"],"verdicts":{
        "g/should":{"verdict":"non-strict","note":"known"},"g/must":{"verdict":"fail","note":"known too"}}})";
    r = run_stdout("--fixtures " + c.dir.string() + " --profile " + mine.string());
    EXPECT_EQ(r.status, 0) << r.out; // every verdict as recorded
    EXPECT_NE(r.out.find("profile mine: 3 of 3 verdicts as recorded\nelapsed: "), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with(" s\n1 passed, 1 failed, 0 skipped\n")) << r.out;
    r = run("--fixtures " + c.dir.string() + " --profile " + mine.string() + " --strict");
    EXPECT_EQ(r.status, 1) << r.out; // the SHOULD now fails, which the profile does not record
    // a run written as a profile reads back, and records exactly what differed
    auto const written = c.base / "written.json";
    r = run("--fixtures " + c.dir.string() + " --write-profile " + written.string());
    EXPECT_EQ(r.status, 1) << r.out;
    auto const w = json::parse(slurp(written));
    EXPECT_EQ(w.at("name"), "written");
    EXPECT_EQ(w.at("features").as_array().size(), 7u);
    EXPECT_EQ(w.at("verdicts").as_object().size(), 2u);
    EXPECT_EQ(w.at("verdicts").at("g/must").at("verdict"), "fail");
    EXPECT_NE(json::value_to<std::string>(w.at("verdicts").at("g/must").at("note")).find("expected 404"), std::string::npos);
    r = run_stdout("--fixtures " + c.dir.string() + " --profile " + written.string());
    EXPECT_EQ(r.status, 0) << r.out;
    // --exclude leaves cases out
    r = run_stdout("--fixtures " + c.dir.string() + " --exclude 'g/m*' --exclude g/should");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(r.out.ends_with("1 passed, 0 failed, 0 skipped\n")) << r.out;
}

TEST(ConformanceTool, SmartRestSettingsNameTheCollectionAndSkipRegistering)
{
    // the embedded server with a collection the cases must use as it is: the
    // cases registering templates are skipped, the others pass with that X-Id
    corpus c; // for its folder
    auto const report = c.base / "report.json";
    auto const r = run_stdout("--filter smartrest --xid tenant-xid --json " + report.string());
    EXPECT_EQ(r.status, 0) << r.out; // the rtnotify profile, less what is withheld: every verdict as recorded
    EXPECT_NE(r.out.find("probe: templates: not offered (--xid tenant-xid: the cases use that collection as it is)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("profile rtnotify: 85 of 85 verdicts as recorded"), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with("16 passed, 0 failed, 69 skipped\n")) << r.out;
    auto const wire = slurp(report);
    EXPECT_NE(wire.find("not offered: templates"), std::string::npos);
    EXPECT_NE(wire.find("X-Id: tenant-xid"), std::string::npos);
    EXPECT_EQ(wire.find("X-Id: xrun"), std::string::npos);
    // the real-time requests go where --realtime-path says (the server also answers on /cep/realtime)
    auto const moved = run_stdout("--filter smartrest/realtime/disconnect --realtime-path /cep/realtime -v");
    EXPECT_EQ(moved.status, 0) << moved.out;
    EXPECT_NE(moved.out.find("POST /cep/realtime 84,"), std::string::npos) << moved.out;
    EXPECT_EQ(moved.out.find("POST /notification/realtime"), std::string::npos) << moved.out;
    // --require turns the missing registration into failures
    EXPECT_EQ(run("--filter smartrest/templates/register --no-register --require templates").status, 1);
}

TEST(ConformanceTool, Reports)
{
    corpus c;
    auto const junit = c.base / "out.xml";
    auto const report = c.base / "out.json";
    auto r = run("--filter 'bayeux/handshake/[s-z]*' --exclude '*-one' --junit " + junit.string() + " --json " + report.string());
    EXPECT_EQ(r.status, 0) << r.out;
    auto const xml = slurp(junit);
    EXPECT_NE(xml.find(R"(<testsuite name="bayeux/handshake" tests="4" failures="0" skipped="0")"), std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<testcase name="success" classname="bayeux/handshake" time=")"), std::string::npos) << xml;
    auto const j = json::parse(slurp(report));
    EXPECT_EQ(j.at("summary").at("passed"), 4); // success, version-garbage, version-in-reply, version-missing
    EXPECT_EQ(j.at("cases").at("bayeux/handshake/success").at("behavior"), "pass");
    r = run_stdout("--filter bayeux/handshake/success --tap");
    EXPECT_EQ(r.out, "TAP version 13\n1..1\nok 1 - bayeux/handshake/success\n");
    r = run("--filter bayeux/handshake/success --filter bayeux/handshake/id-echoed"); // progress, on stderr
    EXPECT_NE(r.out.find("[1/2] pass          bayeux/handshake/"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[2/2] pass          bayeux/handshake/"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nelapsed: "), std::string::npos) << r.out;
}

TEST(ConformanceTool, RecordWritesFixturesWithVariables)
{
    corpus c;
    auto r = run("--filter bayeux/connect/success --record " + (c.base / "rec").string());
    EXPECT_EQ(r.status, 0) << r.out;
    auto const f = json::parse(slurp(c.base / "rec" / "bayeux" / "connect" / "success.json"));
    auto const& reply = f.at("steps").at(1).at("expect").at("json").at(0);
    EXPECT_EQ(reply.at("clientId"), "${A}");
    EXPECT_EQ(reply.at("id"), "c1");
    EXPECT_EQ(f.at("requirement"), "Server MUST: answer a connect with a response carrying channel and successful");
    // what was recorded replays against the server it came from
    r = run("--fixtures " + (c.base / "rec").string());
    EXPECT_EQ(r.status, 0) << r.out;
}

} // namespace
