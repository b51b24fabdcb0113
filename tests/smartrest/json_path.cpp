// Tests of rtnotify/smartrest/json_path.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/json_path.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;
namespace json = boost::json;

using seg = sr::json_path::segment;

std::vector<seg> segs(std::string_view text)
{
    auto p = sr::parse_json_path(text);
    EXPECT_TRUE(p) << text;
    return p ? p->segments() : std::vector<seg>{};
}

TEST(JsonPath, Syntax)
{
    EXPECT_EQ(segs(""), std::vector<seg>{});
    EXPECT_EQ(segs("$"), std::vector<seg>{});
    EXPECT_EQ(segs("$.id"), (std::vector<seg>{"id"}));
    EXPECT_EQ(segs("$.c8y_RelayArray[0]"), (std::vector<seg>{"c8y_RelayArray", std::uint64_t(0)}));
    EXPECT_EQ(segs("alarms"), (std::vector<seg>{"alarms"})) << "relative to $, as agents register it";
    EXPECT_EQ(segs("a.b[12].c"), (std::vector<seg>{"a", "b", std::uint64_t(12), "c"}));
    EXPECT_EQ(segs("$['with.dot']"), (std::vector<seg>{"with.dot"}));
    EXPECT_EQ(segs("$[\"q\"].x"), (std::vector<seg>{"q", "x"}));
}

TEST(JsonPath, Refusals)
{
    EXPECT_EQ(sr::parse_json_path("$.a[?(@.x)]").error(), sr::error::json_path_filter);
    EXPECT_EQ(sr::parse_json_path("$.*").error(), sr::error::json_path_list);
    EXPECT_EQ(sr::parse_json_path("$..id").error(), sr::error::json_path_list);
    EXPECT_EQ(sr::parse_json_path("$.a[0:2]").error(), sr::error::json_path_list);
    EXPECT_EQ(sr::parse_json_path("$.a[0,1]").error(), sr::error::json_path_list);
    EXPECT_EQ(sr::parse_json_path("$.").error(), sr::error::bad_json_path);
    EXPECT_EQ(sr::parse_json_path("$a").error(), sr::error::bad_json_path);
    EXPECT_EQ(sr::parse_json_path("$.a[").error(), sr::error::bad_json_path);
    EXPECT_EQ(sr::parse_json_path("$.a[x]").error(), sr::error::bad_json_path);
    EXPECT_EQ(sr::parse_json_path("$.a]").error(), sr::error::bad_json_path);
    EXPECT_EQ(sr::parse_json_path("$[99999999999999999999999]").error(), sr::error::bad_json_path);
}

TEST(JsonPath, Resolve)
{
    auto const doc = json::parse(R"({"id":"7","a":{"b":[10,{"c":null}]},"s":"x"})");
    auto at = [&](std::string_view p) { return sr::parse_json_path(p).value().resolve(doc); };
    ASSERT_TRUE(at("$.id"));
    EXPECT_EQ(*at("$.id"), "7");
    EXPECT_EQ(*at("$.a.b[0]"), 10);
    ASSERT_TRUE(at("$.a.b[1].c"));
    EXPECT_TRUE(at("$.a.b[1].c")->is_null()) << "null exists";
    EXPECT_EQ(at("$"), &doc);
    EXPECT_EQ(at("$.missing"), nullptr);
    EXPECT_EQ(at("$.a.b[2]"), nullptr);
    EXPECT_EQ(at("$.s.x"), nullptr) << "member of a string";
    EXPECT_EQ(at("$.a[0]"), nullptr) << "index into an object";
}

} // namespace
