// Tests of run.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
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
        o.target = std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(server.port) + "/bayeux"));
        o.features = {"bayeux"};
        return o;
    }();

    rc::case_result run(std::string const& level, std::string const& steps, std::string const& more = "")
    {
        auto f = rc::parse_fixture("g/c", json::parse(R"({"description":"d","spec":"s","requirement":"r","binds":"server","level":")" + level +
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

TEST_F(ConformanceCase, PreludeAndWhatAClientReceived)
{
    auto const prelude = R"(,"prelude":[{"handshake":"A","connect":true},{"handshake":"B","client":"b","connect":true}])";
    auto const subscribe_b =
        R"({"client":"b","post":"${bayeux}","json":[{"channel":"/meta/subscribe","clientId":"${B}","subscription":"/${run}/x"}]})";
    auto const publish_a = R"({"post":"${bayeux}","json":[{"channel":"/${run}/x","clientId":"${A}","data":7}]})";
    auto const connect_b =
        R"({"client":"b","post":"${bayeux}/connect","json":[{"channel":"/meta/connect","clientId":"${B}","connectionType":"long-polling"}]})";
    auto const steps = std::string("[") + subscribe_b + "," + publish_a + "," + connect_b + ",";
    auto got = run("MUST", steps + R"({"received":"b","expect":{"in_order":[{"channel":"/${run}/x","data":7}]}}])", prelude);
    EXPECT_EQ(got.outcome, rc::verdict::pass) << got.failure;
    auto never = run("MUST", steps + R"({"received":"b","expect":{"none_of":[{"data":7}]}}])", prelude);
    EXPECT_EQ(never.outcome, rc::verdict::fail);
    EXPECT_NE(never.failure.find(R"(step 4: what b received: none_of: {"channel":"/run)"), std::string::npos) << never.failure;
    auto nothing_for_a = run("MUST", steps + R"({"received":"a","expect":{"none_of":[{"data":7}]}}])", prelude);
    EXPECT_EQ(nothing_for_a.outcome, rc::verdict::pass) << nothing_for_a.failure;
    // what a client received past the runner's bounds cannot be checked, and the step says so
    for(auto const& [messages, bytes] : {std::pair<std::size_t, std::size_t>{3, 1u << 20}, {1000, 200}})
    {
        opts.max_received_messages = messages;
        opts.max_received_bytes = bytes;
        auto over = run("MUST", steps + R"({"received":"b","expect":{"none_of":[{"data":8}]}}])", prelude);
        EXPECT_EQ(over.outcome, rc::verdict::fail);
        EXPECT_NE(over.failure.find("what b received outgrew what the runner keeps"), std::string::npos) << over.failure;
    }
    opts.max_received_messages = rc::run_options{}.max_received_messages;
    opts.max_received_bytes = rc::run_options{}.max_received_bytes;
    // a failure in the prelude says so
    opts.target.path = "/not-bayeux";
    auto bad = run("MUST", R"([{"sleep_ms":0}])", R"(,"prelude":[{"handshake":"A"}])");
    EXPECT_EQ(bad.outcome, rc::verdict::fail);
    EXPECT_TRUE(bad.failure.starts_with("prelude step 1: capture A: nothing at /0/clientId")) << bad.failure;
}

TEST_F(ConformanceCase, SleepsFollowTheAdvisedHold)
{
    auto slept = run("MUST", "[" + handshake + R"(,{"sleep_ms":"0.5*${timeout}"}])"); // the server advises 1000 ms
    EXPECT_EQ(slept.outcome, rc::verdict::pass) << slept.failure;
    EXPECT_GE(slept.seconds, 0.5);
    EXPECT_NE(std::find(slept.log.begin(), slept.log.end(), "sleep 500 ms (0.5*${timeout})"), slept.log.end());
    auto const unknown = run("MUST", R"([{"sleep_ms":"2*${never}"}])");
    EXPECT_EQ(unknown.outcome, rc::verdict::fail);
    EXPECT_EQ(unknown.failure, R"(step 1: sleep_ms "2*${never}" is not a time from 0 to 600000 ms)");
}

TEST_F(ConformanceCase, SkipsAndProfiles)
{
    auto const steps = "[" + handshake + "]";
    rc::profile faye{"faye", "Faye", {"bayeux"}, {}}; // offers no SmartREST
    opts.recorded = &faye;
    auto r = run("MUST", steps, R"(,"requires":["smartrest"])");
    EXPECT_EQ(r.outcome, rc::verdict::skipped);
    EXPECT_EQ(r.failure, "not offered: smartrest");
    EXPECT_EQ(r.expected_by_profile, "skipped");
    opts.required = {"smartrest"}; // --require smartrest
    r = run("MUST", steps, R"(,"requires":["smartrest"])");
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_EQ(r.failure, "not offered: smartrest (--require smartrest)");
    opts.required.clear();
    faye.verdicts["g/c"] = {"skipped", "not for Faye"};
    r = run("MUST", steps);
    EXPECT_EQ(r.outcome, rc::verdict::skipped);
    EXPECT_EQ(r.failure, "not for Faye");
    faye.verdicts["g/c"] = {"fail", "a known bug"};
    r = run("MUST", steps);
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

std::string const ws_handshake =
    R"({"websocket":"${bayeux}"},
       {"ws_send":[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]}],
        "capture":{"A":"/0/clientId"},"expect":{"json":[{"successful":true,"clientId":"${A}"}]}},
       {"ws_send":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"websocket","advice":{"timeout":0}}],
        "expect":{"json":[{"successful":true}]}},
       {"ws_send":[{"channel":"/meta/subscribe","clientId":"${A}","subscription":"/${run}/w"}],"expect":{"json":[{"successful":true}]}},
       {"ws_send":[{"channel":"/meta/connect","clientId":"${A}","connectionType":"websocket"}]})";
std::string const http_publish =
    R"({"client":"b","post":"${bayeux}","json":[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}],
        "capture":{"B":"/0/clientId"}},
       {"client":"b","post":"${bayeux}","json":[{"channel":"/${run}/w","clientId":"${B}","data":"hi"}],
        "expect":{"json":[{"successful":true}]}})";

TEST_F(ConformanceCase, WebSocketMessagesAreCollectedUntilTheyMatch)
{
    // the delivery is pushed at once, the held connect's reply comes at the timeout (1 s):
    // one expectation over both takes two messages
    auto r = run("MUST", "[" + ws_handshake + "," + http_publish + R"(,
        {"ws_receive":true,"expect":{"json":[{"channel":"/${run}/w","data":"hi"},{"channel":"/meta/connect","successful":true}],
                                     "min_elapsed_ms":800}}])");
    EXPECT_EQ(r.outcome, rc::verdict::pass) << r.failure;
    EXPECT_EQ(r.log.at(0), "a: WebSocket /bayeux");
    EXPECT_GE(r.seconds, 0.8);
    // nothing may come within 300 ms of a held connect
    auto quiet = run("MUST", "[" + ws_handshake + R"(,{"ws_receive":true,"expect":{"no_reply_within_ms":300}}])");
    EXPECT_EQ(quiet.outcome, rc::verdict::pass) << quiet.failure;
    // a delivery that does come while nothing may
    auto loud = run("MUST", "[" + ws_handshake + "," + http_publish + R"(,{"ws_receive":true,"expect":{"no_reply_within_ms":300}}])");
    EXPECT_EQ(loud.outcome, rc::verdict::fail);
    EXPECT_NE(loud.failure.find(R"(step 8: a message came within 300 ms: [{"channel":"/run)"), std::string::npos) << loud.failure;
}

TEST_F(ConformanceCase, WebSocketFailuresSayWhat)
{
    opts.request_limit = std::chrono::milliseconds(1500);
    // what came does not match within the limit: the last difference
    auto r = run("MUST", "[" + ws_handshake + "," + http_publish + R"(,{"ws_receive":true,"expect":{"json":[{"data":"bye"}]}}])");
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_NE(r.failure.find("step 8: after "), std::string::npos) << r.failure;
    EXPECT_NE(r.failure.find(R"(no element of the reply matches {"data":"bye"} (reply [{"channel":"/run)"), std::string::npos) << r.failure;
    // a step on a client that has no WebSocket
    r = run("MUST", R"([{"ws_send":[]}])");
    EXPECT_EQ(r.failure, R"(step 1: client a has no open WebSocket (a step "websocket": PATH opens one))");
    // one WebSocket per client at a time; a closed one may be opened again
    r = run("MUST", R"([{"websocket":"${bayeux}"},{"websocket":"${bayeux}"}])");
    EXPECT_EQ(r.failure, "step 2: client a already has a WebSocket");
    r = run("MUST", R"([{"websocket":"${bayeux}"},{"ws_close":true},{"websocket":"${bayeux}"},
        {"ws_send":[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]}],
         "expect":{"json":[{"successful":true}]}}])");
    EXPECT_EQ(r.outcome, rc::verdict::pass) << r.failure;
    // an upgrade refused
    r = run("MUST", R"([{"websocket":"/nowhere"}])");
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_NE(r.failure.find("step 1: the upgrade got status 404, expected 101"), std::string::npos) << r.failure;
    EXPECT_EQ(run("MUST", R"([{"websocket":"/nowhere","expect":{"status":404}}])").outcome, rc::verdict::pass);
    // text that is not JSON: this server closes the WebSocket (1007)
    auto const bad = R"([{"websocket":"${bayeux}"},{"ws_text":"{"},{"ws_receive":true,"expect":)";
    EXPECT_EQ(run("MUST", std::string(bad) + R"({"closed":true}}])").outcome, rc::verdict::pass);
    EXPECT_EQ(run("MUST", std::string(bad) + R"({"one_of":[{"json":[]},{"closed":true}]}}])").outcome, rc::verdict::pass);
    r = run("MUST", std::string(bad) + R"({"json":[{"successful":false}]}}])");
    EXPECT_EQ(r.failure, "step 3: the server closed the WebSocket (1007)");
    // a message where the WebSocket should close
    r = run("MUST", R"([{"websocket":"${bayeux}"},{"ws_send":[{"channel":"/meta/handshake","version":"1.0",
        "supportedConnectionTypes":["websocket"]}],"expect":{"closed":true}}])");
    EXPECT_NE(r.failure.find("step 2: after "), std::string::npos) << r.failure;
    EXPECT_NE(r.failure.find("a message came where the server should close the WebSocket"), std::string::npos) << r.failure;
}

TEST_F(ConformanceCase, RecordModeWritesWebSocketMessages)
{
    opts.record = true;
    auto r = run("MUST", "[" + ws_handshake + "," + http_publish + R"(,{"ws_receive":true},
        {"client":"c","websocket":"${bayeux}"},{"client":"c","ws_text":"{"},{"client":"c","ws_receive":true}])");
    EXPECT_EQ(r.outcome, rc::verdict::pass) << r.failure;
    auto const& steps = r.recorded.at("steps").as_array();
    ASSERT_EQ(steps.size(), 11u);
    EXPECT_EQ(steps[1].at("expect").at("json").at(0).at("clientId"), "${A}");
    EXPECT_FALSE(steps[1].at("expect").as_object().contains("status"));
    EXPECT_FALSE(steps[4].as_object().contains("expect")); // a send that expects nothing does not wait
    EXPECT_EQ(steps[7].at("expect").at("json").at(0), json::parse(R"({"channel":"/${run}/w","data":"hi"})"));
    EXPECT_EQ(steps[10].at("expect"), json::parse(R"({"closed":true})"));
}

/// A hostile WebSocket service: answers any text with 20 messages of 4 MiB.
struct flood : rtnotify::beast::ws_service
{
    std::vector<rtnotify::beast::ws_text> on_text(std::uint64_t ws, std::string_view, std::string_view) override
    {
        auto big = std::make_shared<std::string const>(4u << 20, ' ');
        return std::vector<rtnotify::beast::ws_text>(20, rtnotify::beast::ws_text{ws, big});
    }
    std::vector<rtnotify::beast::ws_text> on_close(std::uint64_t) override { return {}; }
    std::size_t memory_bound() const override { return 0; } // keeps nothing: its texts are the connections'
};

TEST(ConformanceRun, AFloodOfWebSocketMessagesIsBounded)
{
    rtnotify_test::running_server server{[] {
        rtnotify::beast::server_options o;
        o.ws_services.emplace("/flood", std::make_shared<flood>());
        o.max_ws_backlog_bytes = 128u << 20; // the server's own limit would close the flood first
        return o;
    }()};
    rc::run_options o;
    o.target = std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(server.port) + "/bayeux"));
    // the bound in bytes must end the step, not the reply deadline: 64 MiB took 11 s under ASan on a busy CI machine
    o.request_limit = std::chrono::seconds(90);
    auto f = rc::parse_fixture("g/c", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":"MUST","binds":"server",
        "steps":[{"websocket":"/flood"},{"ws_text":"go","expect":{"json":[]}}]})"));
    auto r = rc::run_case(*f, o);
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_EQ(r.failure, "step 2: more than 64 MiB of messages without meeting the expectation");
}

TEST(ConformanceRun, UnreachableTargetIsAFailureThatSaysWhy)
{
    rc::run_options o;
    o.target = std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:1/bayeux"));
    o.features = {"bayeux"};
    auto f = rc::parse_fixture("g/c", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":"MUST","binds":"server",
                                                     "steps":[{"post":"/x","expect":{"status":200}}]})"));
    auto r = rc::run_case(*f, o);
    EXPECT_EQ(r.outcome, rc::verdict::fail);
    EXPECT_NE(r.failure.find("step 1: connect to 127.0.0.1:1: Connection refused"), std::string::npos) << r.failure;
}

TEST(ConformanceRun, TheReplyLimitFollowsTheAdvisedHold)
{
    EXPECT_EQ(rc::limit_for(std::nullopt), std::chrono::milliseconds(10000));
    EXPECT_EQ(rc::limit_for(std::chrono::milliseconds(2000)), std::chrono::milliseconds(10000));
    EXPECT_EQ(rc::limit_for(std::chrono::milliseconds(8000)), std::chrono::milliseconds(13000));
    EXPECT_EQ(rc::limit_for(std::chrono::milliseconds(60000)), std::chrono::milliseconds(75000));
}

} // namespace
