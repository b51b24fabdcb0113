// Tests of rtnotify/rooms/filter.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/filter.hpp>

#include "oracle.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

std::string refusal(std::string_view filter)
{
    auto const r = rooms::parse_filter(json::parse(filter));
    return r ? "accepted" : r.error().to_string();
}

TEST(RoomsFilter, ErrorsNameTheKeywordAndItsPath)
{
    EXPECT_EQ(refusal(R"({"a":1,"b":2})"), "Invalid filter syntax. Filters must have one keyword only");
    EXPECT_EQ(refusal(R"({"foo":{"a":1}})"), R"("foo": unknown keyword)");
    EXPECT_EQ(refusal(R"({"and":[{"equals":{"a":1}},{"range":{"age":{"gt":"x"}}}]})"),
              R"("and.1.range.age.gt": must be a number)");
    EXPECT_EQ(refusal(R"({"range":{"age":{"gte":5,"lte":5}}})"),
              R"("range.age": lower boundary must be strictly inferior to the upper one)");
    EXPECT_EQ(refusal(R"({"range":{"age":{"gt":1,"gte":2}}})"), R"("range.age": only 1 lower boundary allowed)");
    EXPECT_EQ(refusal(R"({"range":{"age":{"from":1}}})"),
              R"("range.age": "from" is not an allowed attribute (allowed: gt,gte,lt,lte))");
    EXPECT_EQ(refusal(R"({"equals":{"a":1,"b":2}})"), R"("equals": expected object to have exactly 1 property, got 2)");
    EXPECT_EQ(refusal(R"({"equals":{"a":[1]}})"), R"("equals.a": must either be a string, a number, a boolean, or null)");
    EXPECT_EQ(refusal(R"({"in":{"a":[1]}})"), R"("in.a": must hold only values of type "string")");
    EXPECT_EQ(refusal(R"({"in":{"a":[]}})"), R"("in.a": cannot be empty)");
    EXPECT_EQ(refusal(R"({"exists":""})"), R"("exists": cannot test empty field name)");
    EXPECT_EQ(refusal(R"({"exists":"tags[nope]"})"), R"("exists": contains an invalid array value ("nope"))");
    EXPECT_EQ(refusal(R"j({"regexp":{"s":"(?=x)"}})j").substr(0, 41), R"("regexp.s": cannot parse regexp expressio)");
    EXPECT_EQ(refusal(R"({"regexp":{"s":{"value":"x","flags":"q"}}})"), R"("regexp.s": unknown regexp flag "q")");
    EXPECT_EQ(refusal(R"({"bool":{"maybe":[]}})").substr(0, 8), R"("bool": )");
    EXPECT_EQ(refusal(R"({"or":[{}]})"), R"("or": can only contain non-empty objects)");
    EXPECT_EQ(refusal(R"({"not":{}})"), R"("not": must be a non-empty object)");
    EXPECT_EQ(refusal(R"({"select":{"field":"a","index":1.5,"query":{"exists":"value"}}})"),
              R"("select.index": cannot have decimals, must be an integer)");
    EXPECT_EQ(refusal(R"({"geoDistance":{"loc":[0,0],"distance":"1000"}})"),
              R"("geoDistance.distance": unable to parse distance value "1000")");
    EXPECT_EQ(refusal(R"({"geoDistanceRange":{"loc":[0,0],"from":"2km","to":"1km"}})"),
              R"("geoDistanceRange": inner radius must be smaller than outer radius)");
    EXPECT_EQ(refusal(R"({"geoPolygon":{"loc":{"points":[[0,0],[1,1]]}}})"),
              R"("geoPolygon.loc.points": at least 3 points are required to build a polygon)");
    // Koncorde aborts the process on these; here they are refused
    EXPECT_EQ(refusal(R"({"geoDistance":{"loc":[91,0],"distance":"1km"}})"),
              R"("geoDistance.loc": unrecognized geo-point format)");
    EXPECT_EQ(refusal(R"({"geoBoundingBox":{"loc":{"top":1,"left":10,"bottom":0,"right":5}}})").substr(0, 25),
              R"("geoBoundingBox.loc": lef)");
}

TEST(RoomsFilter, Limits)
{
    std::string many = R"({"or":[)";
    for(int i = 0; i < 51; ++i)
        many += (i ? "," : "") + std::string(R"({"equals":{"f":)") + std::to_string(i) + "}}";
    many += "]}";
    auto const r = rooms::parse_filter(json::parse(many));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, rooms::error::too_many_conditions);
    EXPECT_EQ(r.error().code, rtnotify::condition::limit_exceeded);
    rooms::filter_options o;
    o.max_conditions = 51;
    EXPECT_TRUE(rooms::parse_filter(json::parse(many), o));

    std::string deep = R"({"equals":{"a":1}})";
    for(int i = 0; i < 40; ++i)
        deep = R"({"not":)" + deep + "}";
    EXPECT_EQ(rooms::parse_filter(json::parse(deep, {}, {.max_depth = 100})).error().code, rooms::error::too_deep);
}

// Every filter Koncorde refused is refused here too, except those it refuses
// because of its own bugs (geo terms under a re-standardized `not`, a negated
// `select` or `nothing`), which are valid by its documentation.
TEST(RoomsFilter, KoncordeRefusals)
{
    std::size_t refused = 0, accepted = 0;
    for(auto const& f : rtnotify_test::oracle_lines("invalid.jsonl"))
    {
        std::string const error(f.at("error").as_string());
        bool const koncorde_bug = error.find("geospatial") != std::string::npos ||
                                  f.at("errorClass").as_string() == "TypeError";
        auto const r = rooms::parse_filter(f.at("filter"));
        if(koncorde_bug)
        {
            EXPECT_TRUE(r) << f.at("i") << ": " << r.error().to_string();
            accepted += bool(r);
        }
        else
        {
            EXPECT_FALSE(r) << f.at("i") << " should be refused: " << error;
            refused += !r;
        }
    }
    EXPECT_GT(refused, 30u);
    EXPECT_GT(accepted, 20u);
}

} // namespace
