// Tests of rtnotify/rooms/matcher.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/matcher.hpp>

#include "oracle.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;
using rtnotify_test::oracle_lines;

// The indexed matcher returns exactly what evaluating every filter returns,
// on every oracle document.
TEST(RoomsMatcher, AgreesWithDirectEvaluation)
{
    rooms::matcher m;
    std::vector<std::pair<std::uint64_t, rooms::expr>> filters;
    for(auto const& f : oracle_lines("filters.jsonl"))
        if(auto e = rooms::parse_filter(f.at("filter")))
        {
            auto const id = static_cast<std::uint64_t>(f.at("i").as_int64());
            ASSERT_TRUE(m.add(id, *e));
            filters.emplace_back(id, std::move(*e));
        }
    ASSERT_GT(filters.size(), 900u);
    std::size_t matches = 0;
    for(auto const& d : oracle_lines("documents.jsonl"))
    {
        rooms::flat_document const doc(d.at("doc").as_object());
        std::vector<std::uint64_t> want;
        for(auto const& [id, e] : filters)
            if(rooms::evaluate(e, doc))
                want.push_back(id);
        std::vector<std::uint64_t> got;
        m.match(doc, got);
        std::sort(got.begin(), got.end());
        ASSERT_EQ(got, want) << "document " << d.at("j");
        matches += got.size();
    }
    EXPECT_GT(matches, 100000u);
}

TEST(RoomsMatcher, AddRemoveAndGuards)
{
    rooms::matcher m;
    auto add = [&](std::uint64_t id, std::string_view f) {
        return m.add(id, rooms::parse_filter(json::parse(f)).value());
    };
    EXPECT_TRUE(add(1, R"({"equals":{"user":"u1"}})"));
    EXPECT_TRUE(add(2, R"({"and":[{"equals":{"user":"u1"}},{"range":{"price":{"gte":10,"lt":20}}}]})"));
    EXPECT_TRUE(add(3, R"({"range":{"price":{"gt":15}}})"));
    EXPECT_TRUE(add(4, R"({"not":{"equals":{"user":"u1"}}})"));
    EXPECT_TRUE(add(5, R"({"or":[{"equals":{"n":1}},{"exists":"flag"}]})"));
    EXPECT_TRUE(add(6, "{}"));
    EXPECT_FALSE(add(6, R"({"equals":{"x":1}})"));
    EXPECT_EQ(m.size(), 6u);
    auto match = [&](std::string_view doc) { return m.match(json::parse(doc).as_object()); };
    using ids = std::vector<std::uint64_t>;
    EXPECT_EQ(match(R"({"user":"u1","price":15})"), (ids{1, 2, 6}));
    EXPECT_EQ(match(R"({"user":"u2","price":15.5,"n":1.0})"), (ids{3, 4, 5, 6}));
    EXPECT_EQ(match(R"({"flag":null})"), (ids{4, 5, 6}));
    EXPECT_TRUE(m.remove(2));
    EXPECT_FALSE(m.remove(2));
    EXPECT_TRUE(m.remove(6));
    EXPECT_EQ(match(R"({"user":"u1","price":15})"), (ids{1}));
    EXPECT_TRUE(add(2, R"({"range":{"price":{"lte":15}}})")); // a freed slot is reused
    EXPECT_EQ(match(R"({"user":"u1","price":15})"), (ids{1, 2}));
}

// Regexps and geo conditions are indexed: many of them, each matching its own
// documents, added and removed across the index's chunks.
TEST(RoomsMatcher, RegexpAndGeoFilters)
{
    rooms::matcher m;
    auto add = [&](std::uint64_t id, std::string const& f) { ASSERT_TRUE(m.add(id, rooms::parse_filter(json::parse(f)).value())); };
    // filter i sits at latitude i % 60 - 30 and longitude i / 60 * 10 - 45
    auto lat = [](int i) { return std::to_string(i % 60 - 30); };
    auto lon = [](int i) { return std::to_string(i / 60 * 10 - 45); };
    auto around = [](int i, int d) { return std::to_string(i + d); };
    for(int i = 0; i < 600; ++i)
    {
        auto const n = std::to_string(i);
        add(i, R"({"regexp":{"name":{"value":"^item-)" + n + R"(\\b","flags":"i"}}})");
        add(1000 + i, R"({"geoDistance":{"loc":[)" + lat(i) + "," + lon(i) + R"(],"distance":"50km"}})");
        int const y = i % 60 - 30, x = i / 60 * 10 - 45;
        add(2000 + i, R"({"and":[{"regexp":{"tag":"t)" + n + R"(x"}},{"geoBoundingBox":{"loc":{"top":)" + around(y, 1) +
                          R"(,"bottom":)" + around(y, -1) + R"(,"left":)" + around(x, -1) + R"(,"right":)" +
                          around(x, 1) + "}}}]}");
    }
    add(5000, R"({"geoPolygon":{"loc":{"points":[[-30.5,-45.5],[-29.5,-45.5],[-29.5,-44.5]]}}})");
    auto match = [&](std::string const& doc) { return m.match(json::parse(doc).as_object()); };
    using ids = std::vector<std::uint64_t>;
    EXPECT_EQ(match(R"({"name":"ITEM-42 blue","loc":{"lat":12.1,"lon":-44.9},"tag":"t42x"})"), (ids{42, 1042, 2042}));
    EXPECT_EQ(match(R"({"name":"item-420","loc":"-29.9,-45.1","tag":"t0xy"})"), (ids{420, 1000, 2000, 5000}));
    EXPECT_EQ(match(R"({"name":"xitem-1","loc":[0,0],"tag":7})"), ids{});
    EXPECT_EQ(match(R"({"loc":"not a point"})"), ids{});
    for(int i = 0; i < 600; i += 2)
    {
        ASSERT_TRUE(m.remove(i));
        ASSERT_TRUE(m.remove(1000 + i));
        ASSERT_TRUE(m.remove(2000 + i));
    }
    EXPECT_EQ(match(R"({"name":"ITEM-42 blue","loc":{"lat":12.1,"lon":-44.9},"tag":"t42x"})"), ids{});
    EXPECT_EQ(match(R"({"name":"item-421","loc":[11.1,-44.95],"tag":"t41x"})"), (ids{421, 1041, 2041}));
}

} // namespace
