// Tests of rtnotify/rooms/evaluate.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/evaluate.hpp>

#include "oracle.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <set>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;
using rtnotify_test::oracle_lines;

bool eval(std::string_view filter, std::string_view doc)
{
    auto const f = rooms::parse_filter(json::parse(filter)).value();
    return rooms::evaluate(f, json::parse(doc).as_object());
}

// Every document's matches equal Koncorde's, except the pairs listed as
// Koncorde bugs, where they equal the documented answer (either answer
// within the geodesic/spherical tolerance of a distance boundary).
TEST(RoomsEvaluate, KoncordeOracle)
{
    auto const filters = oracle_lines("filters.jsonl");
    auto const documents = oracle_lines("documents.jsonl");
    auto const quirks = rtnotify_test::oracle_quirks();
    ASSERT_GT(filters.size(), 1000u);
    ASSERT_GT(documents.size(), 500u);

    std::vector<std::pair<std::int64_t, rooms::expr>> valid;
    for(auto const& f : filters)
    {
        if(!f.at("valid").as_bool())
            continue;
        auto e = rooms::parse_filter(f.at("filter"));
        ASSERT_TRUE(e) << "filter " << f.at("i") << " " << json::serialize(f.at("filter")) << ": " << e.error().to_string();
        valid.emplace_back(f.at("i").as_int64(), std::move(*e));
    }
    std::size_t pairs = 0, quirk_pairs = 0, disagreements = 0;
    for(auto const& d : documents)
    {
        auto const j = d.at("j").as_int64();
        std::set<std::int64_t> expected;
        for(auto const& m : d.at("matches").as_array())
            expected.insert(m.as_int64());
        rooms::flat_document const doc(d.at("doc").as_object());
        for(auto const& [i, e] : valid)
        {
            bool const got = rooms::evaluate(e, doc);
            bool want = expected.contains(i);
            if(auto q = quirks.find({i, j}); q != quirks.end())
            {
                ++quirk_pairs;
                if(q->second.reason.starts_with("geo-boundary-tolerance"))
                    continue; // either answer
                EXPECT_EQ(q->second.koncorde, want);
                want = q->second.reference;
            }
            ++pairs;
            if(got != want && ++disagreements <= 20)
                ADD_FAILURE() << "filter " << i << " document " << j << ": got " << got << ", expected " << want;
        }
    }
    EXPECT_EQ(disagreements, 0u);
    EXPECT_GT(pairs, 700000u);
    EXPECT_GT(quirk_pairs, 1000u);
}

TEST(RoomsEvaluate, Semantics)
{
    EXPECT_TRUE(eval(R"({"equals":{"a":1}})", R"({"a":1.0})"));
    EXPECT_FALSE(eval(R"({"equals":{"a":1}})", R"({"a":"1"})"));
    EXPECT_FALSE(eval(R"({"equals":{"tags":"red"}})", R"({"tags":["red"]})")); // arrays never equal a scalar
    EXPECT_TRUE(eval(R"({"equals":{"a":null}})", R"({"a":null})"));
    EXPECT_FALSE(eval(R"({"equals":{"a":null}})", R"({})"));
    EXPECT_TRUE(eval(R"({"exists":"a.b"})", R"({"a":{"b":null}})"));
    EXPECT_TRUE(eval(R"({"exists":"tags[\"x\"]"})", R"({"tags":["y","x"]})"));
    EXPECT_FALSE(eval(R"({"exists":"tags[1]"})", R"({"tags":["1"]})"));
    EXPECT_TRUE(eval(R"({"missing":"tags[\"x\"]"})", R"({"tags":"x"})"));
    // documented semantics where Koncorde prunes the conjunction as impossible
    EXPECT_TRUE(eval(R"({"and":[{"missing":"tags[\"x\"]"},{"exists":"tags"}]})", R"({"tags":["y"]})"));
    EXPECT_FALSE(eval(R"({"range":{"age":{"gt":1}}})", R"({"age":"7"})"));
    EXPECT_TRUE(eval(R"({"not":{"range":{"age":{"gt":1}}}})", R"({"age":"7"})"));
    EXPECT_TRUE(eval(R"({"range":{"n":{"gte":5,"lt":6}}})", R"({"n":5})"));
    EXPECT_FALSE(eval(R"({"range":{"n":{"gt":1e12}}})", R"({"n":1e12})")); // no epsilon
    EXPECT_TRUE(eval(R"({"regexp":{"s":{"value":"^AB","flags":"i"}}})", R"({"s":"abc"})"));
    EXPECT_FALSE(eval(R"({"regexp":{"n":"^1"}})", R"({"n":123})"));
    EXPECT_TRUE(eval(R"({"not":{"regexp":{"n":"^1"}}})", R"({"n":123})")); // Koncorde: false
    EXPECT_TRUE(eval(R"({"match":{"o":{"k":[1,{"x":2}]}}})", R"({"o":{"k":[{"x":2,"y":3},5,1],"z":0}})"));
    EXPECT_FALSE(eval(R"({"match":{"o":{"k":[1,1]}}})", R"({"o":{"k":[1,2]}})")); // distinct elements
    EXPECT_TRUE(eval(R"({"match":{"address.city":"x"}})", R"({"address":{"city":"x"}})"));
    EXPECT_TRUE(eval(R"({"select":{"field":"items","index":-1,"query":{"equals":{"value.sku":"B"}}}})",
                     R"({"items":[{"sku":"A"},{"sku":"B"}]})"));
    EXPECT_TRUE(eval(R"({"not":{"select":{"field":"items","index":5,"query":{"exists":"value"}}}})",
                     R"({"items":[1]})")); // Koncorde throws on a negated select
    EXPECT_TRUE(eval(R"({"bool":{"should":[{"equals":{"a":1}},{"equals":{"a":2}}],"must_not":[{"equals":{"b":1}}]}})",
                     R"({"a":2,"b":2})"));
    EXPECT_FALSE(eval(R"({"bool":{"should_not":[{"exists":"a"},{"exists":"b"}]}})", R"({"a":1,"b":2})"));
    EXPECT_TRUE(eval(R"({"ids":{"values":["d1","d2"]}})", R"({"_id":"d2"})"));
    EXPECT_TRUE(eval("{}", R"({"anything":1})"));
    EXPECT_FALSE(eval(R"({"nothing":1})", R"({})"));
}

TEST(RoomsEvaluate, Geo)
{
    // Montpellier and a point 10 km north of it (geodesic)
    EXPECT_TRUE(eval(R"({"geoDistance":{"loc":[43.6,3.9],"distance":"10km"}})", R"({"loc":{"lat":43.69,"lon":3.9}})"));
    EXPECT_FALSE(eval(R"({"geoDistance":{"loc":[43.6,3.9],"distance":"10km"}})", R"({"loc":{"lat":43.7,"lon":3.9}})"));
    EXPECT_TRUE(eval(R"({"geoDistanceRange":{"loc":"43.6, 3.9","from":"1km","to":"20 km"}})", R"({"loc":"43.7,3.9"})"));
    EXPECT_TRUE(eval(R"({"geoBoundingBox":{"loc":{"top":44,"left":3,"bottom":43,"right":4}}})", R"({"loc":[44,3]})"));
    EXPECT_TRUE(eval(R"({"geoPolygon":{"loc":{"points":[[43,3],[44,3],[44,4],[43,4]]}}})", R"({"loc":"spf8"})"));
    // no point, or an unreadable one: a geo term is false and its negation true
    EXPECT_FALSE(eval(R"({"geoBoundingBox":{"loc":{"top":44,"left":3,"bottom":43,"right":4}}})", R"({"loc":0})"));
    EXPECT_TRUE(eval(R"({"not":{"geoBoundingBox":{"loc":{"top":44,"left":3,"bottom":43,"right":4}}}})", R"({"loc":"??"})"));
    // geo terms on two fields (Koncorde throws) and inside a negated and (Koncorde refuses)
    EXPECT_TRUE(eval(R"({"and":[{"geoDistance":{"a":[0,0],"distance":"1km"}},{"geoDistance":{"b":[10,10],"distance":"1km"}}]})",
                     R"({"a":[0,0],"b":[10,10]})"));
    EXPECT_TRUE(eval(R"({"not":{"and":[{"geoDistance":{"a":[0,0],"distance":"1km"}},{"equals":{"x":1}}]}})",
                     R"({"a":[0,0]})"));
}

} // namespace
