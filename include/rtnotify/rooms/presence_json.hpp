// Who enters and leaves a node's rooms, as JSON text, so that the other nodes of a cluster count and notify them too.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_PRESENCE_JSON_HPP
#define RTNOTIFY_ROOMS_PRESENCE_JSON_HPP

#include <rtnotify/rooms/detail/event_reading.hpp>
#include <rtnotify/rooms/notification.hpp>
#include <rtnotify/rooms/remote_counts.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

/// A part of the snapshot a node sends now and then: rooms where it has subscribers, and how many.
struct presence_snapshot
{
    std::string node;
    std::uint64_t number = 0; ///< from 1, one more per snapshot
    bool last = true;         ///< its last part
    std::vector<remote_room> rooms;
};

/// The first bytes of every presence text: what tells it from a document change.
inline constexpr std::string_view presence_prefix = R"({"presence":)";

/** A presence change (notification.hpp) as JSON:
    @code
    {"presence":"user","node":"a","roomId":"…","index":"i","collection":"c","count":2,"user":"in",
     "action":"subscribe","protocol":"websocket","timestamp":1700000000000,"volatile":{}}
    @endcode
*/
inline std::string presence_change_json(presence_change const& c)
{
    return boost::json::serialize(boost::json::object{{"presence", "user"},
                                                      {"node", c.node},
                                                      {"roomId", c.room_id},
                                                      {"index", c.index},
                                                      {"collection", c.collection},
                                                      {"count", c.count},
                                                      {"user", c.entering ? "in" : "out"},
                                                      {"action", c.action},
                                                      {"protocol", c.protocol},
                                                      {"timestamp", c.timestamp},
                                                      {"volatile", c.volatile_data}});
}

/** Snapshot `number` of `node`'s `rooms`, in parts of about `part_bytes`
    bytes of JSON each (a room is never split), at least one:
    @code
    {"presence":"rooms","node":"a","snapshot":7,"last":true,"rooms":[["…","i","c",2]]}
    @endcode
*/
inline std::vector<std::string> presence_snapshot_json(std::string_view node, std::uint64_t number,
                                                       std::vector<remote_room> const& rooms, std::size_t part_bytes)
{
    std::vector<boost::json::array> chunks(1);
    std::size_t bytes = 0;
    for(auto const& r : rooms)
    {
        if(bytes >= part_bytes)
        {
            chunks.emplace_back();
            bytes = 0;
        }
        boost::json::array e{r.room_id, r.index, r.collection, r.count};
        bytes += boost::json::serialize(e).size() + 1;
        chunks.back().push_back(std::move(e));
    }
    std::vector<std::string> parts;
    for(std::size_t i = 0; i < chunks.size(); ++i)
        parts.push_back(boost::json::serialize(boost::json::object{{"presence", "rooms"},
                                                                   {"node", node},
                                                                   {"snapshot", number},
                                                                   {"last", i + 1 == chunks.size()},
                                                                   {"rooms", std::move(chunks[i])}}));
    return parts;
}

/// True when `s` is a room id: 32 lowercase hexadecimal digits (`room_id`).
constexpr bool is_room_id(std::string_view s) noexcept
{
    if(s.size() != 32)
        return false;
    for(char const c : s)
        if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

/** The presence change or snapshot part `text` holds, or what is wrong
    with it (the member, or the JSON error). Refuses what the writers above
    never write: a missing member or one of the wrong type, a room id that
    is not one, a count past 2^63, a snapshot room with no subscribers, an
    empty node, JSON nested deeper than `max_depth`.
*/
inline std::variant<presence_change, presence_snapshot, std::string> read_presence(std::string_view text,
                                                                                   std::size_t max_depth = 64)
{
    auto read = detail::event_object(text, max_depth);
    if(auto* e = std::get_if<std::string>(&read))
        return std::move(*e);
    auto const* o = &std::get<boost::json::object>(read);
    auto string_of = [&](char const* name, std::string& to) { return detail::string_member(*o, name, to); };
    auto count_of = [](boost::json::value const& m, std::size_t& to) {
        if(!m.is_int64() || m.get_int64() < 0)
            return false;
        to = static_cast<std::size_t>(m.get_int64());
        return true;
    };
    std::string kind, node;
    if(!string_of("presence", kind) || (kind != "user" && kind != "rooms"))
        return std::string(R"(presence: missing, or neither "user" nor "rooms")");
    if(!string_of("node", node) || node.empty())
        return std::string("node: missing, empty or not a string");
    if(kind == "rooms")
    {
        presence_snapshot s;
        s.node = std::move(node);
        auto const* n = o->if_contains("snapshot");
        if(!n || !n->is_int64() || n->get_int64() < 1)
            return std::string("snapshot: missing or not a number from 1");
        s.number = static_cast<std::uint64_t>(n->get_int64());
        auto const* last = o->if_contains("last");
        if(!last || !last->is_bool())
            return std::string("last: missing or not a boolean");
        s.last = last->get_bool();
        auto const* rooms = o->if_contains("rooms");
        if(!rooms || !rooms->is_array())
            return std::string("rooms: missing or not an array");
        for(auto const& e : rooms->get_array())
        {
            auto const* a = e.if_array();
            remote_room r;
            if(!a || a->size() != 4 || !(*a)[0].is_string() || !is_room_id((*a)[0].get_string()) || !(*a)[1].is_string() ||
               !(*a)[2].is_string() || !count_of((*a)[3], r.count) || r.count == 0)
                return "rooms: element " + std::to_string(s.rooms.size()) +
                       " is not [room id, index, collection, count from 1]";
            r.room_id = std::string((*a)[0].get_string());
            r.index = std::string((*a)[1].get_string());
            r.collection = std::string((*a)[2].get_string());
            s.rooms.push_back(std::move(r));
        }
        return s;
    }
    presence_change c;
    c.node = std::move(node);
    if(!string_of("roomId", c.room_id) || !is_room_id(c.room_id))
        return std::string("roomId: missing or not a room id");
    for(auto [name, to] : {std::pair{"index", &c.index}, std::pair{"collection", &c.collection},
                           std::pair{"action", &c.action}, std::pair{"protocol", &c.protocol}})
        if(!string_of(name, *to))
            return std::string(name) + ": missing or not a string";
    auto const* count = o->if_contains("count");
    if(!count || !count_of(*count, c.count))
        return std::string("count: missing or not a count");
    std::string user;
    if(!string_of("user", user) || (user != "in" && user != "out"))
        return std::string(R"(user: missing, or neither "in" nor "out")");
    c.entering = user == "in";
    if(auto e = detail::read_stamp(*o, c.timestamp, c.volatile_data))
        return std::move(*e);
    return c;
}

} // namespace rtnotify::rooms

#endif
