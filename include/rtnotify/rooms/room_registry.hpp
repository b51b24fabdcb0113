// Rooms: filters shared by identical subscriptions, their channels and subscribers.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_ROOM_REGISTRY_HPP
#define RTNOTIFY_ROOMS_ROOM_REGISTRY_HPP

#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/detail/collection_key.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/matcher.hpp>

#include <boost/json/serialize.hpp>
#include <boost/system/result.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

/// Which document notifications a channel receives (Kuzzle's `scope`).
enum class scope
{
    all,  ///< documents entering and leaving the room's filter
    in,   ///< documents entering or staying
    out,  ///< documents leaving
    none, ///< no document notifications
};

/// Which user notifications a channel receives (Kuzzle's `users`).
enum class users
{
    all,  ///< connections joining and leaving the room
    in,   ///< joining
    out,  ///< leaving
    none, ///< none
};

/// Which document notifications a channel receives by their state (Kuzzle 1's `state`).
enum class state
{
    done,    ///< changes made (Kuzzle 2 sends only these)
    pending, ///< changes about to be made (Kuzzle 1, `kuzzle_api_options::pending_notifications`)
    all,     ///< both
};

/// The options of one subscription; each distinct set is its own channel in the room.
struct subscribe_options
{
    rooms::scope scope = scope::all;
    rooms::users users = users::none;
    rooms::state state = state::done;
    bool propagate = true;    ///< notifications from other nodes reach this channel
    json::object volatile_data; ///< echoed in user notifications about this subscription
};

/// What `subscribe` and `join` return: Kuzzle's `{roomId, channel}`.
struct subscription
{
    std::string room_id;
    std::string channel;
};

/// A connection, as the transport names it.
using connection_id = std::uint64_t;

/** Rooms: one per filter (canonical form) on an index and collection, with channels and connections.

    Equal filters (same canonical form) share a room, whatever their
    spelling. Within a room, each distinct (scope, users, propagate) is a
    channel named `<roomId>-<u><p><s>` with `u` users all 1, in 2, out 3,
    none 4; `p` propagate 1, else 2; `s` scope all 1, in 2, out 3, none 4
    (unlike Kuzzle, `users:none` and `users:out` never share a channel);
    a state other than `done` adds a digit: all 1, pending 2.
*/
class room_registry
{
public:
    /// What a room weighs in `max_bytes` besides its filter's text: its id, channels and entries.
    static constexpr std::size_t room_overhead = 256;

    /** A registry of at most `max_rooms` rooms, whose filters take at most
        `max_bytes` together: each room counts its index, collection and
        filter (as JSON text) plus `room_overhead`. Beyond either, a new room
        is refused with `error::too_many_rooms`; existing rooms can still be joined.
    */
    explicit room_registry(filter_options const& opts = {}, std::size_t max_rooms = 1000000,
                           std::size_t max_bytes = std::size_t(-1))
        : opts_(opts), max_rooms_(max_rooms), max_bytes_(max_bytes)
    {
    }

    /// Subscribes `conn` to `filter` on `index`/`collection`: the room is created if it does not exist.
    boost::system::result<subscription, filter_error> subscribe(connection_id conn, std::string_view index,
                                                                std::string_view collection, json::value const& filter,
                                                                subscribe_options const& o = {})
    {
        auto e = parse_filter(filter, opts_);
        if(!e)
            return e.error();
        auto [canonical, text] = canonicalize_with_text(std::move(*e));
        auto id = room_id(index, collection, text);
        auto it = rooms_.find(id);
        if(it == rooms_.end())
        {
            if(rooms_.size() >= max_rooms_)
                return filter_error{error::too_many_rooms, "", "too many rooms"};
            auto const bytes = index.size() + collection.size() + json::serialize(filter).size() + room_overhead;
            if(bytes > max_bytes_ - std::min(bytes_, max_bytes_))
                return filter_error{error::too_many_rooms, "",
                                    "The rooms' filters would take more than " + std::to_string(max_bytes_) + " bytes."};
            auto const key = detail::collection_key(index, collection);
            room r;
            r.index = index;
            r.collection = collection;
            r.bytes = bytes;
            bytes_ += bytes;
            r.number = next_number_++;
            matchers_[key].add_canonical(r.number, std::move(canonical));
            by_number_[key][r.number] = id;
            it = rooms_.emplace(id, std::move(r)).first;
        }
        return enter(conn, it, o);
    }

    /// Subscribes `conn` to an existing room; empty if there is no such room.
    std::optional<subscription> join(connection_id conn, std::string_view room_id, subscribe_options const& o = {})
    {
        auto it = rooms_.find(std::string(room_id));
        if(it == rooms_.end())
            return std::nullopt;
        return enter(conn, it, o);
    }

    /// Removes every channel of `conn` in the room; false if it was not subscribed. An empty room is deleted.
    bool unsubscribe(connection_id conn, std::string_view room_id)
    {
        auto it = rooms_.find(std::string(room_id));
        if(it == rooms_.end() || it->second.connections.erase(conn) == 0)
            return false;
        for(auto& [name, ch] : it->second.channels)
            ch.subscribers.erase(conn);
        std::erase_if(it->second.channels, [](auto const& kv) { return kv.second.subscribers.empty(); });
        if(it->second.connections.empty())
        {
            auto const key = detail::collection_key(it->second.index, it->second.collection);
            matchers_[key].remove(it->second.number);
            by_number_[key].erase(it->second.number);
            bytes_ -= it->second.bytes;
            rooms_.erase(it);
        }
        return true;
    }

    /// Removes `conn` from every room (its socket closed); returns the rooms it left.
    std::vector<std::string> disconnect(connection_id conn)
    {
        std::vector<std::string> left;
        for(auto const& [id, r] : rooms_)
            if(r.connections.contains(conn))
                left.push_back(id);
        for(auto const& id : left)
            unsubscribe(conn, id);
        return left;
    }

    /// The connections subscribed to a room; empty if there is no such room.
    std::optional<std::size_t> count(std::string_view room_id) const
    {
        auto it = rooms_.find(std::string(room_id));
        if(it == rooms_.end())
            return std::nullopt;
        return it->second.connections.size();
    }

    /// The index and collection of a room; empty if there is no such room.
    std::optional<std::pair<std::string, std::string>> collection_of(std::string_view room_id) const
    {
        auto it = rooms_.find(std::string(room_id));
        if(it == rooms_.end())
            return std::nullopt;
        return std::pair(it->second.index, it->second.collection);
    }

    /// Kuzzle's `list`: `{index: {collection: {roomId: connections}}}`.
    json::object list() const
    {
        json::object out;
        auto object_at = [](json::object& o, std::string_view key) -> json::object& {
            auto& v = o[key];
            if(!v.is_object())
                v = json::object();
            return v.as_object();
        };
        for(auto const& [id, r] : rooms_)
            object_at(object_at(out, r.index), r.collection)[id] = r.connections.size();
        return out;
    }

    /// The rooms on `index`/`collection` whose filter `doc` matches.
    std::vector<std::string> match(std::string_view index, std::string_view collection, json::object const& doc)
    {
        std::vector<std::string> out;
        auto const key = detail::collection_key(index, collection);
        auto m = matchers_.find(key);
        if(m == matchers_.end())
            return out;
        std::vector<std::uint64_t> numbers;
        m->second.match(flat_document(doc), numbers);
        auto const& names = by_number_.at(key);
        for(auto n : numbers)
            out.push_back(names.at(n));
        std::sort(out.begin(), out.end());
        return out;
    }

    /// A channel of a room: its options and the connections listening on it.
    struct channel_info
    {
        std::string name;
        subscribe_options options;
        std::set<connection_id> subscribers;
    };

    /// The channels of a room (empty for an unknown room).
    std::vector<channel_info> channels(std::string_view room_id) const
    {
        std::vector<channel_info> out;
        if(auto it = rooms_.find(std::string(room_id)); it != rooms_.end())
            for(auto const& [name, ch] : it->second.channels)
                out.push_back({name, ch.options, ch.subscribers});
        return out;
    }

    /// The number of rooms.
    std::size_t size() const noexcept { return rooms_.size(); }

    /// The bytes the rooms' filters take, as the limit counts them.
    std::size_t bytes() const noexcept { return bytes_; }

    /// The channel name of a room for a set of options.
    static std::string channel_name(std::string_view room_id, subscribe_options const& o)
    {
        auto const u = "1234"[static_cast<int>(o.users)];
        auto const p = o.propagate ? '1' : '2';
        auto const s = "1234"[static_cast<int>(o.scope)];
        auto name = std::string(room_id) + '-' + u + p + s;
        if(o.state != state::done)
            name += o.state == state::all ? '1' : '2';
        return name;
    }

private:
    struct channel
    {
        subscribe_options options;
        std::set<connection_id> subscribers;
    };

    struct room
    {
        std::string index;
        std::string collection;
        std::uint64_t number = 0; ///< the id in the collection's matcher
        std::size_t bytes = 0;    ///< what it counts against `max_bytes`
        std::set<connection_id> connections;
        std::map<std::string, channel> channels;
    };

    subscription enter(connection_id conn, std::unordered_map<std::string, room>::iterator it, subscribe_options const& o)
    {
        auto name = channel_name(it->first, o);
        auto& ch = it->second.channels[name];
        if(ch.subscribers.empty())
            ch.options = o;
        ch.subscribers.insert(conn);
        it->second.connections.insert(conn);
        return {it->first, std::move(name)};
    }

    filter_options opts_;
    std::size_t max_rooms_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::uint64_t next_number_ = 1;
    std::unordered_map<std::string, room> rooms_;
    std::unordered_map<std::string, matcher> matchers_;
    std::unordered_map<std::string, std::unordered_map<std::uint64_t, std::string>> by_number_;
};

} // namespace rtnotify::rooms

#endif
