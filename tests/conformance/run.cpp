// Test that header file is self-contained.
#include "run.hpp"

#include "beast/loopback.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

/// Cases run against the reference server on a loopback port.
struct ConformanceCase : ::testing::Test
{
    rtnotify_test::running_server server{[] {
        rtnotify::beast::server_options o;
        o.session.timeout = std::chrono::milliseconds(1000);
        return o;
    }()};
    rc::run_options opts = [this] {
        rc::run_options o;
        o.target = *rtnotify::beast::endpoint_url::parse("http://127.0.0.1:" + std::to_string(server.port) + "/bayeux");
        o.features = {"bayeux"};
        o.profile = "faye";
        return o;
    }();

    rc::case_result run(std::string const& level, std::string const& steps, std::string const& more = "")
    {
        auto f = rc::parse_fixture("g/c", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":")" + level +
                                                      R"(","steps":)" + steps + more + "}"));
        EXPECT_TRUE(f) << f.error().to_string();
        return rc::run_case(*f, opts);
    }
};

std::string const handshake =
    R"({"post":"${bayeux}/handshake","json":[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}],
        "capture":{"A":"/0/clientId","timeout":"/0/advice/timeout"},"expect":{"status":200,"json":[{"successful":true}]}})";
std::string const connect0 =
    R"({"post":"${bayeux}/connect","json":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"long-polling","advice":{"timeout":0}}]})";
std::string const held =
    R"({"post":"${bayeux}","json":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"long-polling"}],)";

TEST_F(ConformanceCase, VerdictsFollowTheLevel)
{
    auto const steps = "[" + handshake + R"(,{"post":"/nowhere","json":[],"expect":{"status":200}}])";
    auto r = run("MUST", steps);
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_EQ(r.failure, R"(step 2: status 404, expected 200 (body: nothing at /nowhere))") << r.failure;
    EXPECT_EQ(run("SHOULD", steps).outcome, rc::verdict::non_strict);
    EXPECT_EQ(run("MAY", steps).outcome, rc::verdict::informational);
    opts.strict = true;
    EXPECT_EQ(run("SHOULD", steps).outcome, rc::verdict::fail);
    EXPECT_EQ(run("MUST", "[" + handshake + "," + connect0 + "]").outcome, rc::verdict::pass);
}

TEST_F(ConformanceCase, CapturesFlowIntoLaterSteps)
{
    auto r = run("MUST", "[" + handshake + R"(,
        {"post":"${bayeux}","json":[{"channel":"/meta/subscribe","clientId":"${A}","subscription":"/${run}/x"}],
         "expect":{"json":[{"clientId":"${A}","subscription":"/${run}/x","successful":true}]}},
        {"post":"${bayeux}","json":[{"channel":"/meta/subscribe","clientId":"${B}","subscription":"/x"}]}])");
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_EQ(r.failure, "step 3: variable ${B} was never captured");
    EXPECT_EQ(r.log.size(), 4u); // two requests, two replies
}

TEST_F(ConformanceCase, HeldRequestsAndTiming)
{
    // a connect held while the case goes on, answered at the server's timeout
    auto ok = run("MUST", "[" + handshake + "," + connect0 + "," + held + R"("async":"h","expect":{"no_reply_within_ms":200}},
        {"await":"h","expect":{"status":200,"min_elapsed_ms":"0.8*${timeout}","max_elapsed_ms":"2*${timeout}"}}])");
    EXPECT_EQ(ok.outcome, rc::verdict::pass) << ok.failure;
    EXPECT_GE(ok.seconds, 0.8);
    // a reply that comes too soon
    auto early = run("MUST", "[" + handshake + "," + connect0 + R"(,
        {"post":"${bayeux}","json":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"long-polling","advice":{"timeout":0}}],
         "expect":{"min_elapsed_ms":"0.8*${timeout}"}}])");
    EXPECT_EQ(early.outcome, rc::verdict::fail);
    EXPECT_NE(early.failure.find("expected at least 800 ms (0.8*${timeout})"), std::string::npos) << early.failure;
    // a reply that must not come this soon, and does
    auto quick = run("MUST", "[" + handshake + "," +
                                 R"({"post":"${bayeux}","json":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"long-polling","advice":{"timeout":0}}],
                                     "async":"h","expect":{"no_reply_within_ms":500}},{"await":"h"}])");
    EXPECT_EQ(quick.outcome, rc::verdict::fail);
    EXPECT_NE(quick.failure.find("step 2: a reply came within 500 ms"), std::string::npos) << quick.failure;
    // a request expected to stay unanswered
    auto silent = run("MUST", "[" + handshake + "," + connect0 + "," + held + R"("expect":{"no_reply_within_ms":300}}])");
    EXPECT_EQ(silent.outcome, rc::verdict::pass) << silent.failure;
}

TEST_F(ConformanceCase, SkipsAndProfiles)
{
    auto const steps = "[" + handshake + "]";
    auto r = run("MUST", steps, R"(,"requires":["smartrest"])");
    EXPECT_EQ(r.outcome, rc::verdict::skipped);
    EXPECT_EQ(r.failure, "the target does not speak smartrest");
    EXPECT_EQ(r.expected_by_profile, "skipped");
    r = run("MUST", steps, R"(,"profiles":{"faye":{"verdict":"skipped","note":"not for Faye"}})");
    EXPECT_EQ(r.outcome, rc::verdict::skipped);
    EXPECT_EQ(r.failure, "not for Faye");
    r = run("MUST", steps, R"(,"profiles":{"faye":{"verdict":"fail","note":"a known bug"}})");
    EXPECT_EQ(r.outcome, rc::verdict::pass);
    EXPECT_EQ(r.expected_by_profile, "fail");
    EXPECT_EQ(r.profile_note, "a known bug");
}

TEST_F(ConformanceCase, RecordModeWritesWhatCameBack)
{
    opts.record = true;
    auto r = run("MUST", "[" + handshake + R"(,
        {"post":"${bayeux}","json":[{"channel":"/meta/subscribe","clientId":"${A}","subscription":"/${run}/r"}],"expect":{"status":500}}])");
    EXPECT_EQ(r.outcome, rc::verdict::pass) << r.failure; // nothing is checked while recording
    auto const& steps = r.recorded.at("steps").as_array();
    ASSERT_EQ(steps.size(), 2u);
    auto const& e = steps[1].at("expect").as_object();
    EXPECT_EQ(e.at("status"), 200);
    EXPECT_EQ(e.at("content_type"), "application/json");
    auto const& reply = e.at("json").at(0);
    EXPECT_EQ(reply.at("clientId"), "${A}"); // captured values go back in as variables
    EXPECT_EQ(reply.at("subscription"), "/${run}/r");
    EXPECT_EQ(steps[0].at("expect").at("json").at(0).at("clientId"), "${A}");
    EXPECT_EQ(steps[0].at("capture"), json::parse(R"({"A":"/0/clientId","timeout":"/0/advice/timeout"})"));
}

TEST(ConformanceRun, UnreachableTargetIsAFailureThatSaysWhy)
{
    rc::run_options o;
    o.target = *rtnotify::beast::endpoint_url::parse("http://127.0.0.1:1/bayeux");
    o.features = {"bayeux"};
    auto f = rc::parse_fixture("g/c", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":"MUST",
                                                     "steps":[{"post":"/x","expect":{"status":200}}]})"));
    auto r = rc::run_case(*f, o);
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_NE(r.failure.find("step 1: connect to 127.0.0.1:1: Connection refused"), std::string::npos) << r.failure;
}

} // namespace
