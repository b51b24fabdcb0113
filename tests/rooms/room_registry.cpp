// Tests of rtnotify/rooms/room_registry.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/room_registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

TEST(RoomRegistry, EqualFiltersShareARoomOptionsPickChannels)
{
    rooms::room_registry reg;
    auto a = reg.subscribe(1, "idx", "col", json::parse(R"({"and":[{"equals":{"a":1}},{"in":{"b":["x","y"]}}]})")).value();
    auto b = reg.subscribe(2, "idx", "col", json::parse(R"({"bool":{"must":[{"or":[{"equals":{"b":"y"}},{"equals":{"b":"x"}}]},{"equals":{"a":1.0}}]}})")).value();
    EXPECT_EQ(a.room_id, b.room_id);
    EXPECT_EQ(a.room_id.size(), 32u);
    EXPECT_EQ(a.channel, b.channel);
    EXPECT_EQ(a.channel, a.room_id + "-411"); // users none, propagate, scope all
    // another collection is another room; other options another channel
    EXPECT_NE(reg.subscribe(1, "idx", "other", json::parse(R"({"equals":{"a":1}})"))->room_id,
              reg.subscribe(1, "idx", "col", json::parse(R"({"equals":{"a":1}})"))->room_id);
    rooms::subscribe_options out;
    out.users = rooms::users::out;
    auto c = reg.join(3, a.room_id, out);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->channel, a.room_id + "-311");
    EXPECT_NE(c->channel, a.channel); // Kuzzle gives users:none and users:out the same channel
    EXPECT_FALSE(reg.join(3, "nosuchroom"));
    EXPECT_EQ(reg.collection_of(a.room_id), std::pair(std::string("idx"), std::string("col")));
    EXPECT_FALSE(reg.collection_of("nosuchroom"));
    EXPECT_EQ(reg.count(a.room_id), 3u);
    EXPECT_EQ(reg.channels(a.room_id).size(), 2u);

    auto list = reg.list();
    EXPECT_EQ(list.at("idx").at("col").at(a.room_id), json::value(3));

    EXPECT_EQ(reg.match("idx", "col", json::parse(R"({"a":1,"b":"y"})").as_object()).size(), 2u); // and the {equals a:1} room
    EXPECT_TRUE(reg.match("idx", "col", json::parse(R"({"a":2,"b":"y"})").as_object()).empty());
    EXPECT_TRUE(reg.match("nope", "col", json::parse(R"({"a":1,"b":"y"})").as_object()).empty());

    EXPECT_TRUE(reg.unsubscribe(3, a.room_id));
    EXPECT_FALSE(reg.unsubscribe(3, a.room_id));
    EXPECT_EQ(reg.channels(a.room_id).size(), 1u);
    EXPECT_EQ(reg.disconnect(1).size(), 3u); // its three rooms
    EXPECT_TRUE(reg.unsubscribe(2, a.room_id));
    EXPECT_FALSE(reg.count(a.room_id)); // the last one out deletes the room
    EXPECT_TRUE(reg.match("idx", "col", json::parse(R"({"a":1,"b":"y"})").as_object()).empty());
}

TEST(RoomRegistry, BadFiltersAndLimits)
{
    rooms::room_registry reg({}, 1);
    auto bad = reg.subscribe(1, "i", "c", json::parse(R"({"equals":{"a":[1]}})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().path, "equals.a");
    EXPECT_TRUE(reg.subscribe(1, "i", "c", json::parse("{}")));
    auto full = reg.subscribe(1, "i", "c", json::parse(R"({"exists":"x"})"));
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, rtnotify::condition::limit_exceeded);
    EXPECT_EQ(full.error().code, rooms::error::too_many_rooms);
}

TEST(RoomRegistry, RoomsAreBoundedInBytes)
{
    auto const a = json::parse(R"({"equals":{"a":1}})");
    auto const b = json::parse(R"({"equals":{"b":1}})");
    auto const one = std::string("ic").size() + json::serialize(a).size() + rooms::room_registry::room_overhead;
    rooms::room_registry reg({}, 10, one + one / 2); // room for one room, not two
    ASSERT_TRUE(reg.subscribe(1, "i", "c", a));
    EXPECT_EQ(reg.bytes(), one);
    auto full = reg.subscribe(1, "i", "c", b);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, rooms::error::too_many_rooms);
    EXPECT_TRUE(reg.subscribe(2, "i", "c", a)) << "joining a room costs nothing";
    EXPECT_EQ(reg.bytes(), one);
    reg.disconnect(1);
    reg.disconnect(2);
    EXPECT_EQ(reg.bytes(), 0u);
    EXPECT_TRUE(reg.subscribe(1, "i", "c", b));
}

} // namespace
