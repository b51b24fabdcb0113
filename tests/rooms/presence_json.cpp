// Tests of rtnotify/rooms/presence_json.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/presence_json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

namespace rooms = rtnotify::rooms;

std::string const room(32, 'c');

TEST(RoomsPresenceJson, AChangeReadsBackAsWritten)
{
    rooms::presence_change c{room, "shop", "items", 3, false, "unsubscribe", "mqtt", "node-b", 1700000000123, {{"k", 1}}};
    auto const text = rooms::presence_change_json(c);
    EXPECT_TRUE(text.starts_with(rooms::presence_prefix)) << text;
    auto const r = rooms::read_presence(text);
    ASSERT_TRUE(std::holds_alternative<rooms::presence_change>(r)) << text;
    auto const& back = std::get<rooms::presence_change>(r);
    EXPECT_EQ(back.room_id, room);
    EXPECT_EQ(back.index, "shop");
    EXPECT_EQ(back.collection, "items");
    EXPECT_EQ(back.count, 3u);
    EXPECT_FALSE(back.entering);
    EXPECT_EQ(back.action, "unsubscribe");
    EXPECT_EQ(back.protocol, "mqtt");
    EXPECT_EQ(back.node, "node-b");
    EXPECT_EQ(back.timestamp, 1700000000123);
    EXPECT_EQ(back.volatile_data, (boost::json::object{{"k", 1}}));
    EXPECT_EQ(rooms::presence_change_json(back), text);
}

TEST(RoomsPresenceJson, ASnapshotComesInPartsThatReadBackToEveryRoom)
{
    std::vector<rooms::remote_room> all;
    for(int i = 0; i < 100; ++i)
    {
        auto id = std::string(29, '0') + std::to_string(100 + i);
        all.push_back({id, "shop", "items-" + std::to_string(i), std::size_t(i + 1)});
    }
    auto const parts = rooms::presence_snapshot_json("n", 4, all, 1000);
    ASSERT_GT(parts.size(), 3u);
    std::vector<rooms::remote_room> back;
    for(std::size_t i = 0; i < parts.size(); ++i)
    {
        EXPECT_LT(parts[i].size(), 1000u + 200u) << "about part_bytes: a room past it closes the part";
        auto const r = rooms::read_presence(parts[i]);
        ASSERT_TRUE(std::holds_alternative<rooms::presence_snapshot>(r)) << parts[i];
        auto const& s = std::get<rooms::presence_snapshot>(r);
        EXPECT_EQ(s.node, "n");
        EXPECT_EQ(s.number, 4u);
        EXPECT_EQ(s.last, i + 1 == parts.size());
        back.insert(back.end(), s.rooms.begin(), s.rooms.end());
    }
    ASSERT_EQ(back.size(), all.size());
    for(std::size_t i = 0; i < all.size(); ++i)
        EXPECT_TRUE(back[i].room_id == all[i].room_id && back[i].collection == all[i].collection &&
                    back[i].count == all[i].count);

    auto const empty = rooms::presence_snapshot_json("n", 5, {}, 1000);
    ASSERT_EQ(empty.size(), 1u) << "a node with no rooms still says so";
    auto const r = rooms::read_presence(empty[0]);
    ASSERT_TRUE(std::holds_alternative<rooms::presence_snapshot>(r));
    EXPECT_TRUE(std::get<rooms::presence_snapshot>(r).last);
    EXPECT_TRUE(std::get<rooms::presence_snapshot>(r).rooms.empty());
}

TEST(RoomsPresenceJson, WhatTheWritersNeverWriteIsRefusedWithTheMember)
{
    auto const change = rooms::presence_change_json({room, "i", "c", 1, true, "subscribe", "websocket", "n", 5, {}});
    auto refused = [](std::string const& text) {
        auto const r = rooms::read_presence(text);
        return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "read: " + text;
    };
    auto with = [&](std::string const& from, std::string const& to) {
        auto t = change;
        t.replace(t.find(from), from.size(), to);
        return t;
    };
    EXPECT_EQ(refused(with(room, "ABC")), "roomId: missing or not a room id");
    EXPECT_EQ(refused(with(std::string(R"("count":1)"), R"("count":-1)")), "count: missing or not a count");
    EXPECT_EQ(refused(with(R"("user":"in")", R"("user":"up")")), R"(user: missing, or neither "in" nor "out")");
    EXPECT_EQ(refused(with(R"("node":"n")", R"("node":"")")), "node: missing, empty or not a string");
    EXPECT_EQ(refused(with(R"("volatile":{})", R"("volatile":[])")), "volatile: missing or not an object");
    EXPECT_EQ(refused(with(R"("presence":"user")", R"("presence":"room")")),
              R"(presence: missing, or neither "user" nor "rooms")");
    EXPECT_EQ(refused(R"({"presence":"rooms","node":"n","snapshot":0,"last":true,"rooms":[]})"),
              "snapshot: missing or not a number from 1");
    EXPECT_EQ(refused(R"({"presence":"rooms","node":"n","snapshot":1,"last":true,"rooms":[["x","i","c",1]]})"),
              "rooms: element 0 is not [room id, index, collection, count from 1]");
    EXPECT_EQ(refused(R"({"presence":"rooms","node":"n","snapshot":1,"last":true,"rooms":[[")" + room + R"(","i","c",0]]})"),
              "rooms: element 0 is not [room id, index, collection, count from 1]");
    EXPECT_EQ(refused(R"({"presence":"rooms","node":"n","snapshot":1,"last":1,"rooms":[]})"), "last: missing or not a boolean");
    EXPECT_TRUE(refused(R"({"presence":)").starts_with("not JSON: ")) << refused(R"({"presence":)");
    EXPECT_TRUE(refused(R"({"presence":[[[[1]]]]})").starts_with("presence:")) << "within the depth";
    auto const deep = R"({"presence":"user","volatile":)" + std::string(100, '[') + std::string(100, ']') + "}";
    auto const r = rooms::read_presence(deep, 64);
    ASSERT_TRUE(std::holds_alternative<std::string>(r));
    EXPECT_TRUE(std::get<std::string>(r).starts_with("not JSON: ")) << std::get<std::string>(r);
}

} // namespace
