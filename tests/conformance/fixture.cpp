// Tests of fixture.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include "fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

std::string const head = R"("description":"d","spec":"s","requirement":"r","level":"MUST","binds":"server",)";

boost::system::result<rc::fixture, rc::fixture_error> read(std::string const& body)
{
    return rc::parse_fixture("group/case", json::parse("{" + head + body + "}"));
}

std::string error_of(std::string const& body)
{
    auto f = read(body);
    EXPECT_FALSE(f) << body;
    return f ? "" : f.error().to_string();
}

TEST(ConformanceFixture, ReadsEveryKindOfStep)
{
    auto f = read(R"("requires":["smartrest"],"steps":[
        {"client":"b","post":"${bayeux}/handshake","json":[{"channel":"/meta/handshake"}],
         "capture":{"A":"/0/clientId"},"expect":{"status":200,"content_type":"application/json","json":[{"successful":true}]}},
        {"get":"/x?y=1","headers":{"X-Id":"t"},"async":"h","expect":{"no_reply_within_ms":300}},
        {"sleep_ms":100},
        {"await":"h","expect":{"rows":["86,,${*}"],"min_elapsed_ms":"0.8*${timeout}","one_of":[{"status":200},{"status":400}]}},
        {"post":"/f","form":{"message":"[{\"a\":1}]","n":2}},
        {"post":"/r","body":"ab","repeat":3}])");
    ASSERT_TRUE(f) << f.error().to_string();
    EXPECT_EQ(f->id, "group/case");
    EXPECT_EQ(f->lvl, rc::level::must);
    EXPECT_EQ(f->requires_features, std::vector<std::string>{"smartrest"});
    ASSERT_EQ(f->steps.size(), 6u);
    auto const& hs = f->steps[0];
    EXPECT_EQ(hs.client, "b");
    EXPECT_EQ(hs.req.method, "POST");
    EXPECT_EQ(hs.req.body, R"([{"channel":"/meta/handshake"}])");
    EXPECT_EQ(hs.req.headers.at(0), (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
    EXPECT_EQ(hs.capture.at(0), (std::pair<std::string, std::string>{"A", "/0/clientId"}));
    EXPECT_EQ(hs.expect.status, 200u);
    EXPECT_EQ(f->steps[1].req.method, "GET");
    EXPECT_EQ(f->steps[1].async, "h");
    EXPECT_EQ(f->steps[1].expect.no_reply_within_ms, 300);
    EXPECT_EQ(f->steps[2].what, rc::step::kind::sleep);
    EXPECT_EQ(f->steps[3].what, rc::step::kind::await);
    EXPECT_EQ(f->steps[3].expect.min_elapsed_ms, "0.8*${timeout}");
    EXPECT_EQ(f->steps[3].expect.one_of.size(), 2u);
    EXPECT_EQ(f->steps[4].req.body, "message=%5B{%22a%22%3A1}%5D&n=2"); // braces stay, for ${var}
    EXPECT_EQ(f->steps[5].req.body, "ababab");
}

TEST(ConformanceFixture, ReadsWebSocketSteps)
{
    auto f = read(R"("steps":[
        {"client":"b","websocket":"${bayeux}","expect":{"status":101}},
        {"client":"b","ws_send":[{"channel":"/meta/handshake"}],"capture":{"B":"/0/clientId"},"expect":{"json":[{"successful":true}]}},
        {"ws_text":"not json"},
        {"ws_receive":true,"expect":{"one_of":[{"closed":true},{"json":[{"successful":false}]}]}},
        {"ws_close":true}])");
    ASSERT_TRUE(f) << f.error().to_string();
    ASSERT_EQ(f->steps.size(), 5u);
    EXPECT_EQ(f->steps[0].what, rc::step::kind::ws_open);
    EXPECT_EQ(f->steps[0].client, "b");
    EXPECT_EQ(f->steps[0].req.path, "${bayeux}");
    EXPECT_EQ(f->steps[0].expect.status, 101u);
    EXPECT_EQ(f->steps[1].what, rc::step::kind::ws_send);
    EXPECT_EQ(f->steps[1].req.body, R"([{"channel":"/meta/handshake"}])");
    EXPECT_EQ(f->steps[1].capture.size(), 1u);
    EXPECT_EQ(f->steps[2].what, rc::step::kind::ws_send);
    EXPECT_EQ(f->steps[2].req.body, "not json");
    EXPECT_TRUE(f->steps[2].expect.empty());
    EXPECT_EQ(f->steps[3].what, rc::step::kind::ws_receive);
    EXPECT_TRUE(f->steps[3].expect.accepts_close());
    EXPECT_FALSE(f->steps[1].expect.accepts_close());
    EXPECT_EQ(f->steps[4].what, rc::step::kind::ws_close);
}

TEST(ConformanceFixture, WebSocketStepErrors)
{
    auto const step = [](std::string const& s) { return R"("steps":[)" + s + "]"; };
    EXPECT_EQ(error_of(step(R"({"websocket":"/x","ws_send":[]})")), R"(steps[0]: "websocket" and "ws_send" exclude each other)");
    EXPECT_EQ(error_of(step(R"({"ws_send":[],"post":"/x"})")), "steps[0].post: not allowed in a WebSocket step");
    EXPECT_EQ(error_of(step(R"({"ws_send":[],"async":"h"})")), "steps[0].async: not allowed in a WebSocket step");
    EXPECT_EQ(error_of(step(R"({"websocket":1})")), "steps[0].websocket: must be a path");
    EXPECT_EQ(error_of(step(R"({"ws_text":[]})")), "steps[0].ws_text: must be a string");
    EXPECT_EQ(error_of(step(R"({"ws_receive":false})")), "steps[0].ws_receive: must be true");
    EXPECT_EQ(error_of(step(R"({"websocket":"/x","expect":{"json":[]}})")),
              "steps[0].expect: opening a WebSocket expects only a status (101 unless given)");
    EXPECT_EQ(error_of(step(R"({"ws_receive":true,"expect":{"status":200}})")),
              "steps[0].expect: messages expect json, in_order, body_contains, timing, no_reply_within_ms, closed or one_of");
    EXPECT_EQ(error_of(step(R"({"ws_receive":true,"expect":{"one_of":[{"closed":true},{"body":"x"}]}})")),
              "steps[0].expect: messages expect json, in_order, body_contains, timing, no_reply_within_ms, closed or one_of");
    EXPECT_EQ(error_of(step(R"({"websocket":"/x","capture":{"A":"/0"}})")),
              "steps[0].expect: captures come from messages, not from opening");
    EXPECT_EQ(error_of(step(R"({"ws_send":[],"capture":{"A":"/0/clientId"}})")),
              "steps[0].expect: a send that captures must expect something of the reply");
    EXPECT_EQ(error_of(step(R"({"ws_close":true,"expect":{"closed":true}})")), "steps[0].expect: closing expects nothing");
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"closed":true}})")), "steps[0].expect: only a WebSocket can be closed");
    EXPECT_EQ(error_of(step(R"({"ws_receive":true,"expect":{"closed":false}})")), "steps[0].expect.closed: must be true");
}

TEST(ConformanceFixture, ErrorsNameTheField)
{
    auto const step = [](std::string const& s) { return R"("steps":[)" + s + "]"; };
    EXPECT_EQ(error_of(step(R"({"post":"/x"})") + R"(,"extra":1)"), "extra: unknown field");
    EXPECT_EQ(rc::parse_fixture("x", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":"MUSTN'T","binds":"server","steps":[{"sleep_ms":1}]})"))
                  .error()
                  .to_string(),
              "level: must be MUST, SHOULD or MAY");
    EXPECT_EQ(error_of(R"("steps":[])"), "steps: must be a non-empty array");
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"status":99}})")), "steps[0].expect.status: must be an HTTP status (100-599)");
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"statuz":200}})")), "steps[0].expect.statuz: unknown expectation");
    EXPECT_EQ(error_of(step(R"({"post":"/x","json":1,"body":"y"})")), R"(steps[0]: "json", "body" and "form" exclude each other)");
    EXPECT_EQ(error_of(step(R"({"post":"/x","get":"/y"})")), "steps[0]: more than one method");
    EXPECT_EQ(error_of(step(R"({"client":"a"})")), R"(steps[0]: needs a method ("post": PATH, ...), "sleep_ms" or "await")");
    EXPECT_EQ(error_of(step(R"({"await":"h"})")), R"(steps[0].await: no request "h" is running)");
    EXPECT_EQ(error_of(step(R"({"post":"/x","async":"h"})")), R"(steps: "h" is never awaited)");
    EXPECT_EQ(error_of(step(R"({"post":"/x","async":"h","expect":{"status":200}},{"await":"h"})")),
              "steps[0].expect: a request left running is checked where it is awaited (only no_reply_within_ms here)");
    EXPECT_EQ(error_of(step(R"({"sleep_ms":-1})")), "steps[0].sleep_ms: must be between 0 and 600000");
    EXPECT_EQ(error_of(step(R"({"post":"/x","body":"0123456789","repeat":100000000})")),
              "steps[0].repeat: must be a count from 1 that keeps the body within 64 MiB");
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"one_of":[{"status":200}]}})")),
              "steps[0].expect.one_of: must be an array of two or more expectations");
    EXPECT_EQ(error_of(step(R"({"post":"/x"})") + R"(,"profiles":{})"), "profiles: unknown field"); // profiles are files now
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"headers":["Set-Cookie"]}})")),
              "steps[0].expect.headers: must map header names to string patterns");
    EXPECT_EQ(error_of(step(R"({"post":"/x","expect":{"headers":{"Set-Cookie":1}}})")),
              "steps[0].expect.headers.Set-Cookie: must be a string pattern");
    auto const with_binds = [&](std::string const& level, std::string const& binds) {
        return rc::parse_fixture("x", json::parse(R"({"description":"d","spec":"s","requirement":"r","level":")" + level +
                                                  R"(",)" + binds + R"("steps":[{"sleep_ms":1}]})"))
            .error()
            .to_string();
    };
    EXPECT_EQ(with_binds("MUST", ""), R"(missing "binds")");
    EXPECT_EQ(with_binds("MUST", R"("binds":"both",)"), "binds: must be server or client");
    EXPECT_EQ(with_binds("SHOULD", R"("binds":"client",)"),
              "level: a requirement that binds the client leaves the server's answer open: MAY");
    EXPECT_EQ(error_of(step(R"({"post":"${smartrest}","body":"11,102,,$.x,$.y\n"})") + R"(,"requires":["smartrest"])"),
              R"(steps[0].body: registers SmartREST templates (a 10 or 11 line), so the case must require "templates")");
    EXPECT_EQ(error_of(step(R"({"post":"/x","reuse":1})")), "steps[0].reuse: must be true or false");
    EXPECT_EQ(error_of(step(R"({"post":"/x","reuse":true,"async":"h"},{"await":"h"})")),
              "steps[0].reuse: a request on the persistent connection is awaited at once (no async)");
    EXPECT_EQ(error_of(step(R"({"post":"/x"})") + R"(,"requires":["websockets"])"),
              R"(requires: unknown feature "websockets" (known: ack, bayeux, form, jsonp, smartrest, templates, websocket))");
}

TEST(ConformanceFixture, PreludeStandsForTheHandshakeSteps)
{
    auto f = read(R"("prelude":[{"handshake":"A"},{"handshake":"B","client":"b","connect":true}],"steps":[{"sleep_ms":1}])");
    ASSERT_TRUE(f) << f.error().to_string();
    ASSERT_EQ(f->steps.size(), 4u);
    EXPECT_EQ(f->prelude_steps, 3u);
    EXPECT_EQ(f->steps[0].client, "a");
    EXPECT_EQ(f->steps[0].req.path, "${bayeux}/handshake");
    EXPECT_EQ(f->steps[0].capture, (std::vector<std::pair<std::string, std::string>>{{"A", "/0/clientId"}}));
    EXPECT_EQ(f->steps[1].client, "b");
    EXPECT_EQ(f->steps[2].client, "b");
    EXPECT_EQ(f->steps[2].req.path, "${bayeux}/connect");
    EXPECT_NE(f->steps[2].req.body.find(R"("clientId":"${B}")"), std::string::npos) << f->steps[2].req.body;
    EXPECT_EQ(f->steps[3].what, rc::step::kind::sleep);
    EXPECT_EQ(error_of(R"("prelude":[{"connect":true}],"steps":[{"sleep_ms":1}])"),
              "prelude[0].handshake: must name the variable that gets the client id");
    EXPECT_EQ(error_of(R"("prelude":[{"handshake":"A","as":"x"}],"steps":[{"sleep_ms":1}])"), "prelude[0].as: unknown prelude field");
}

TEST(ConformanceFixture, ReceivedStepsCheckWhatAClientGot)
{
    auto f = read(R"("steps":[{"received":"b","expect":{"none_of":[{"channel":"/meta/x"}]}}])");
    ASSERT_TRUE(f) << f.error().to_string();
    EXPECT_EQ(f->steps[0].what, rc::step::kind::received);
    EXPECT_EQ(f->steps[0].client, "b");
    EXPECT_TRUE(f->steps[0].expect.none_of);
    EXPECT_EQ(error_of(R"("steps":[{"received":"b","expect":{"status":200}}])"),
              "steps[0].expect: what a client received is checked with json, in_order or none_of");
    EXPECT_EQ(error_of(R"("steps":[{"received":"b"}])"), R"(steps[0]: "received" takes an "expect" and nothing else)");
}

} // namespace
