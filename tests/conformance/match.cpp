// Tests of match.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include "match.hpp"

#include <gtest/gtest.h>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

std::optional<std::string> m(char const* pattern, char const* actual, rc::variables const& vars = {})
{
    return rc::match_json(json::parse(pattern), json::parse(actual), vars);
}

TEST(ConformanceMatch, ObjectsIgnoreKeyOrderAndExtraKeys)
{
    EXPECT_FALSE(m(R"({"a":1,"b":"x"})", R"({"b":"x","c":true,"a":1})"));
    auto d = m(R"({"a":1,"b":"x"})", R"({"a":1})");
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, R"($.b: missing (expected "x"))");
    EXPECT_EQ(*m(R"({"a":{"b":2}})", R"({"a":{"b":3}})"), "$.a.b: expected 2, got 3");
    EXPECT_FALSE(m(R"({"a":"${absent}"})", R"({"b":1})"));
    EXPECT_EQ(*m(R"({"a":"${absent}"})", R"({"a":1})"), "$.a: expected no such member, got 1");
}

TEST(ConformanceMatch, ArraysAreMultisets)
{
    // Bayeux replies: message order does not matter, each pattern takes its own element
    EXPECT_FALSE(m(R"([{"channel":"/a"},{"channel":"/b"}])", R"([{"channel":"/b","x":1},{"channel":"/a"}])"));
    EXPECT_TRUE(m(R"([{"channel":"/a"},{"channel":"/a"}])", R"([{"channel":"/a"},{"channel":"/b"}])"));
    // a greedy pairing would take the first element for the loose pattern and fail
    EXPECT_FALSE(m(R"([{"n":"${number}"},{"n":1}])", R"([{"n":1},{"n":2}])"));
    auto extra = m(R"([1])", R"([1,2])");
    ASSERT_TRUE(extra);
    EXPECT_NE(extra->find("unexpected element 2"), std::string::npos) << *extra;
    EXPECT_FALSE(m(R"([1,"${...}"])", R"([2,1,3])"));
    EXPECT_TRUE(m(R"([1,"${...}"])", R"([2,3])"));
    EXPECT_FALSE(m(R"([])", R"([])"));
    EXPECT_TRUE(m(R"([])", R"([0])"));
}

TEST(ConformanceMatch, Placeholders)
{
    EXPECT_FALSE(m(R"({"a":"${*}"})", R"({"a":[1,{"b":null}]})"));
    EXPECT_TRUE(m(R"({"a":"${*}"})", R"({})"));
    EXPECT_FALSE(m(R"(["${string}","${number}","${boolean}","${object}","${array}","${null}"])",
                   R"(["s",1.5,false,{},[],null])"));
    EXPECT_TRUE(m(R"("${number}")", R"("1")"));
    EXPECT_FALSE(m(R"("${re:[0-9]{3}:.*}")", R"("402::session_unknown")"));
    EXPECT_TRUE(m(R"("${re:[0-9]{3}:.*}")", R"("40::x")"));
    EXPECT_FALSE(m(R"("401:${*}:Unknown client")", R"("401:abc:Unknown client")"));
    EXPECT_TRUE(m(R"("401:${*}:Unknown client")", R"("401:abc:Unknown Client")"));
    EXPECT_FALSE(m(R"(1)", R"(1.0)")); // numbers by value
    EXPECT_TRUE(m(R"(true)", R"("true")"));
}

TEST(ConformanceMatch, VariablesAndRegexesInsideText)
{
    rc::variables const vars{{"A", "c1.d"}};
    EXPECT_FALSE(m(R"("402:${A}:Unknown")", R"("402:c1.d:Unknown")", vars));
    EXPECT_TRUE(m(R"("402:${A}:Unknown")", R"("402:c1xd:Unknown")", vars)); // the value is literal text, not a regex
    auto d = m(R"("${B}")", R"("x")", vars);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, "$: variable ${B} was never captured");
    // two regexes in one pattern, each ending at its own balanced brace
    EXPECT_FALSE(m(R"("86,,${re:[0-9]{1,5}},${re:[0-9]+},retry")", R"("86,,2000,0,retry")"));
    EXPECT_TRUE(m(R"("86,,${re:[0-9]{1,3}},${re:[0-9]+},retry")", R"("86,,2000,0,retry")"));
    auto bad = m(R"("${re:(}")", R"("x")");
    ASSERT_TRUE(bad);
    EXPECT_NE(bad->find("bad pattern"), std::string::npos) << *bad;
}

TEST(ConformanceMatch, InOrder)
{
    auto const patterns = json::parse(R"([{"data":1},{"data":2}])").as_array();
    EXPECT_FALSE(rc::match_in_order(patterns, json::parse(R"([{"channel":"/meta/connect"},{"data":1},{"x":0},{"data":2}])"), {}));
    auto d = rc::match_in_order(patterns, json::parse(R"([{"data":2},{"data":1}])"), {});
    ASSERT_TRUE(d);
    EXPECT_NE(d->find(R"(nothing matches {"data":2} after the elements matching the 1 before it)"), std::string::npos) << *d;
}

TEST(ConformanceMatch, SmartrestRows)
{
    std::vector<std::string> const rows{"86,,${*},retry", "102,1,${A},MINOR"};
    rc::variables const vars{{"A", "7"}};
    EXPECT_FALSE(rc::match_rows(rows, "   86,,2000,0,retry\r\n102,1,7,MINOR\n", vars)); // keep-alive spaces, CRLF
    EXPECT_EQ(*rc::match_rows(rows, "86,,2000,0,retry\n", vars), R"(line 2: missing (expected "102,1,${A},MINOR"))");
    EXPECT_EQ(*rc::match_rows(rows, "86,,2000,0,retry\n102,1,8,MINOR\n", vars),
              R"(line 2: expected "102,1,${A},MINOR", got "102,1,8,MINOR")");
    EXPECT_EQ(*rc::match_rows(rows, "86,,1,0,retry\n102,1,7,MINOR\n9\n", vars), R"(line 3: unexpected "9")");
    EXPECT_FALSE(rc::match_rows({}, "", vars));
    EXPECT_TRUE(rc::match_rows({}, "x\n", vars));
    EXPECT_FALSE(rc::match_rows({"1", "${...}"}, "1\n2\n", vars));
}

TEST(ConformanceMatch, HeaderValuesAnyCaseEveryOne)
{
    auto const response_head = "HTTP/1.1 200 OK\r\nset-cookie: a=1\r\nContent-Type:  application/json\r\nSet-Cookie: BAYEUX_BROWSER=x\r\n\r\n";
    EXPECT_EQ(rc::header_values(response_head, "Set-Cookie"), (std::vector<std::string>{"a=1", "BAYEUX_BROWSER=x"}));
    EXPECT_EQ(rc::header_values(response_head, "content-type"), (std::vector<std::string>{"application/json"}));
    EXPECT_TRUE(rc::header_values(response_head, "Set-Cookie2").empty());
    EXPECT_TRUE(rc::header_values(response_head, "HTTP/1.1 200 OK").empty()); // the status line is no header
}

TEST(ConformanceMatch, NoneOfNamesWhatCame)
{
    auto const reply = json::parse(R"([{"channel":"/meta/connect"},{"channel":"/meta/x","data":1}])");
    EXPECT_FALSE(rc::match_none_of(json::parse(R"([{"channel":"/a"}])").as_array(), reply, {}));
    auto const d = rc::match_none_of(json::parse(R"([{"channel":"/meta/x"}])").as_array(), reply, {});
    ASSERT_TRUE(d);
    EXPECT_NE(d->find(R"(none_of: {"channel":"/meta/x","data":1} matches {"channel":"/meta/x"})"), std::string::npos) << *d;
}

} // namespace
