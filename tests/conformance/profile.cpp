// Tests of profile.hpp: profiles are read strictly, and say which verdict each case should get.
// SPDX-License-Identifier: BSL-1.0
#include "profile.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

std::string profile_error_of(std::string const& text)
{
    auto p = rc::read_profile(json::parse(text));
    return std::holds_alternative<std::string>(p) ? std::get<std::string>(p) : "";
}

rc::fixture profiled_case(std::string id, std::vector<std::string> needs = {})
{
    rc::fixture f;
    f.id = std::move(id);
    f.requires_features = std::move(needs);
    return f;
}

TEST(ConformanceProfile, ExpectedVerdicts)
{
    auto p = rc::read_profile(json::parse(R"({"name":"faye","server":"Faye 1.4.3","features":["bayeux","websocket"],
        "verdicts":{"bayeux/connect/concurrent":{"verdict":"fail","note":"the first connect is never answered"}}})"));
    ASSERT_TRUE(std::holds_alternative<rc::profile>(p)) << std::get<std::string>(p);
    auto const& faye = std::get<rc::profile>(p);
    EXPECT_EQ(faye.expected(profiled_case("bayeux/connect/concurrent")), "fail");
    EXPECT_EQ(faye.note("bayeux/connect/concurrent"), "the first connect is never answered");
    EXPECT_EQ(faye.expected(profiled_case("bayeux/connect/success")), "pass");
    EXPECT_EQ(faye.expected(profiled_case("smartrest/realtime/subscribe", {"smartrest"})), "skipped");
    EXPECT_EQ(faye.expected(profiled_case("transport/websocket/connect", {"websocket"})), "pass");
    EXPECT_EQ(faye.note("bayeux/connect/success"), "");
}

TEST(ConformanceProfile, WrittenProfilesReadBack)
{
    rc::profile const p{"mine", "my server", {"bayeux"}, {{"a/b", {"non-strict", "why"}}}};
    auto back = rc::read_profile(rc::to_json(p));
    ASSERT_TRUE(std::holds_alternative<rc::profile>(back));
    EXPECT_EQ(std::get<rc::profile>(back).verdicts.at("a/b").note, "why");
    EXPECT_EQ(std::get<rc::profile>(back).server, "my server");
}

TEST(ConformanceProfile, ErrorsNameTheKey)
{
    EXPECT_EQ(profile_error_of("[]"), "a profile is a JSON object");
    EXPECT_EQ(profile_error_of(R"({"name":"p","server":"s","features":[],"verdicts":{},"extra":1})"), "extra: unknown key");
    EXPECT_EQ(profile_error_of(R"({"server":"s","features":[],"verdicts":{}})"), "name: must be a non-empty string");
    EXPECT_EQ(profile_error_of(R"({"name":"p","server":"s","features":["websockets"],"verdicts":{}})"),
              R"(features: unknown feature "websockets" (known: ack, bayeux, form, jsonp, smartrest, templates, websocket))");
    EXPECT_EQ(profile_error_of(R"({"name":"p","server":"s","features":[],"verdicts":{"a/b":{"verdict":"fail"}}})"),
              R"(verdicts.a/b: must be {"verdict", "note"}, the note saying why)");
    EXPECT_EQ(profile_error_of(R"({"name":"p","server":"s","features":[],"verdicts":{"a/b":{"verdict":"pass","note":"n"}}})"),
              "verdicts.a/b.verdict: must be fail, non-strict, informational or skipped (a pass is not recorded)");
}

TEST(ConformanceProfile, UnknownCasesAreNamed)
{
    rc::profile const p{"p", "s", {}, {{"gone/case", {"fail", "n"}}}};
    std::vector<rc::fixture> const corpus{profiled_case("a/b")};
    EXPECT_EQ(rc::unknown_case(p, corpus), "verdicts.gone/case: no such case");
    EXPECT_FALSE(rc::unknown_case(rc::profile{"p", "s", {}, {{"a/b", {"fail", "n"}}}}, corpus));
}

} // namespace
