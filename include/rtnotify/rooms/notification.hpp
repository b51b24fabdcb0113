// Kuzzle's document, user and server notifications and their JSON.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_NOTIFICATION_HPP
#define RTNOTIFY_ROOMS_NOTIFICATION_HPP

#include <rtnotify/rooms/room_registry.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

/// What happened to a document (Kuzzle's notifier actions).
enum class document_action
{
    create,
    replace,
    update,
    remove, ///< `delete`
    publish,
};

/// The wire name of an action.
inline std::string_view to_string(document_action a) noexcept
{
    switch(a)
    {
    case document_action::create: return "create";
    case document_action::replace: return "replace";
    case document_action::update: return "update";
    case document_action::remove: return "delete";
    case document_action::publish: return "publish";
    }
    return "create";
}

/// A change to a document, and the request that made it.
struct document_change
{
    std::string index;
    std::string collection;
    document_action action = document_action::create;
    json::value id;                          ///< `_id`: a string, or null for a publish without one
    std::optional<json::object> before;      ///< the source before (replace, update, delete)
    std::optional<json::object> after;       ///< the source after (create, replace, update, publish)
    std::vector<std::string> updated_fields; ///< update only
    std::string controller = "document";
    std::string protocol = "websocket";
    std::string node;
    std::string request_id;
    std::int64_t timestamp = 0; ///< ms since the epoch
    json::object volatile_data;
    /// The document's version after the change (a delete: the deleted one's
    /// plus one); 0 for a publish. The other nodes of a cluster keep the
    /// highest (`document_store::apply_replica`).
    std::uint64_t version = 0;
    bool silent = false; ///< made with `silent`: the other nodes store it and notify nobody
};

/// A connection entered or left a room, on this node or (in a cluster) another.
struct presence_change
{
    std::string room_id;
    std::string index;
    std::string collection;
    std::size_t count = 0;   ///< the room's subscribers on the node where it happened, after it
    bool entering = true;    ///< "in", else "out"
    std::string action;      ///< the API action: subscribe, join, unsubscribe
    std::string protocol = "websocket"; ///< of the connection
    std::string node;        ///< where it happened
    std::int64_t timestamp = 0; ///< ms since the epoch
    json::object volatile_data;
};

/// A notification to send on a channel.
struct notification
{
    std::string channel;
    json::object payload;
};

/** The document notification (Kuzzle v2 shape) for one channel.

    `scope` is "in" or "out"; `source` is the document's content as sent.
    `state` is "done", as Kuzzle 1 documented it (Kuzzle 2 leaves it out;
    its SDKs still read it).
*/
inline json::object document_notification(document_change const& c, std::string_view scope_name,
                                          json::object const& source, std::string_view channel)
{
    json::object result{{"_id", c.id}, {"_source", source}};
    if(c.action == document_action::update)
    {
        json::array fields(c.updated_fields.begin(), c.updated_fields.end());
        result["_updatedFields"] = std::move(fields);
    }
    auto const event = c.action == document_action::remove    ? "delete"
                       : c.action == document_action::publish ? "publish"
                                                              : "write";
    return {{"type", "document"},      {"status", 200},          {"action", to_string(c.action)},
            {"event", event},          {"scope", scope_name},    {"index", c.index},
            {"collection", c.collection}, {"controller", c.controller}, {"protocol", c.protocol},
            {"node", c.node},          {"requestId", c.request_id}, {"timestamp", c.timestamp},
            {"volatile", c.volatile_data}, {"result", std::move(result)}, {"state", "done"},
            {"room", channel}};
}

namespace detail {

/// `source` with `_id` added, as Kuzzle tests documents.
inline json::object tested(json::object const& source, json::value const& id)
{
    json::object d = source;
    if(!id.is_null())
        d["_id"] = id;
    return d;
}

} // namespace detail

/** The document notifications a change causes, one per channel.

    - create and publish: "in" to the rooms the new content matches;
    - replace and update: "in" to the rooms the new content matches (it
      entered or stayed), "out" to those the old content matched and the new
      one does not;
    - delete: "out" to the rooms the deleted content matched.
    A channel gets the notifications of its scope (`all` both, `none` none);
    channels with `propagate` false are skipped when `from_other_node`.
*/
inline std::vector<notification> notify_document(room_registry& rooms, document_change const& c,
                                                 bool from_other_node = false)
{
    std::vector<std::string> in, out;
    std::vector<std::string> before_rooms;
    if(c.before)
        before_rooms = rooms.match(c.index, c.collection, detail::tested(*c.before, c.id));
    if(c.action == document_action::remove)
        out = before_rooms;
    else if(c.after)
    {
        in = rooms.match(c.index, c.collection, detail::tested(*c.after, c.id));
        std::set_difference(before_rooms.begin(), before_rooms.end(), in.begin(), in.end(), std::back_inserter(out));
    }
    std::vector<notification> sent;
    auto send = [&](std::vector<std::string> const& ids, scope s, json::object const& source) {
        for(auto const& id : ids)
            for(auto const& ch : rooms.channels(id))
            {
                if(ch.options.scope != scope::all && ch.options.scope != s)
                    continue;
                if(ch.options.state == state::pending)
                    continue;
                if(from_other_node && !ch.options.propagate)
                    continue;
                sent.push_back({ch.name, document_notification(c, s == scope::in ? "in" : "out", source, ch.name)});
            }
    };
    static json::object const empty;
    send(in, scope::in, c.after ? *c.after : empty);
    send(out, scope::out, c.action == document_action::remove ? (c.before ? *c.before : empty)
                                                            : (c.after ? *c.after : empty));
    return sent;
}

/** The notifications that a change is about to be made (Kuzzle 1's "pending" state).

    Sent before the change, "not guaranteed" as Kuzzle 1 put it: to the rooms
    the content matches (the new content; for a delete, the content to be
    deleted), on the channels whose state is `pending` or `all` and whose
    scope is `all` (their `scope` is "unknown"). `action` is the request's
    action (`createOrReplace`, `mDelete`).
*/
inline std::vector<notification> announce_document(room_registry& rooms, document_change const& c,
                                                   std::string_view action)
{
    static json::object const empty;
    auto const& content = c.action == document_action::remove ? c.before : c.after;
    std::vector<notification> sent;
    for(auto const& id : rooms.match(c.index, c.collection, detail::tested(content ? *content : empty, c.id)))
        for(auto const& ch : rooms.channels(id))
        {
            if(ch.options.state == state::done || ch.options.scope != scope::all)
                continue;
            auto payload = document_notification(c, "unknown", content ? *content : empty, ch.name);
            payload["action"] = action;
            payload["state"] = "pending";
            sent.push_back({ch.name, std::move(payload)});
        }
    return sent;
}

/** The user notifications for a connection entering ("in") or leaving ("out") a room.

    Sent on the room's channels whose `users` option is `all` or the same
    direction, with `count` as the room's subscribers (on every node of a
    cluster); channels with `propagate` false are skipped when
    `from_other_node`.
*/
inline std::vector<notification> notify_user(room_registry const& rooms, presence_change const& c, std::size_t count,
                                             bool from_other_node = false)
{
    std::vector<notification> sent;
    for(auto const& ch : rooms.channels(c.room_id))
    {
        auto const u = ch.options.users;
        if(u == users::none || (u == users::in && !c.entering) || (u == users::out && c.entering))
            continue;
        if(from_other_node && !ch.options.propagate)
            continue;
        sent.push_back({ch.name,
                        {{"type", "user"},
                         {"status", 200},
                         {"user", c.entering ? "in" : "out"},
                         {"result", {{"count", count}}},
                         {"index", c.index},
                         {"collection", c.collection},
                         {"controller", "realtime"},
                         {"action", c.action},
                         {"protocol", c.protocol},
                         {"node", c.node},
                         {"timestamp", c.timestamp},
                         {"volatile", c.volatile_data},
                         {"room", ch.name}}});
    }
    return sent;
}

/// The server notification a connection gets when its token expires (on channel `kuzzle:notification:server`).
inline json::object token_expired_notification(std::string_view node = "")
{
    return {{"type", "TokenExpired"},
            {"status", 200},
            {"info", "This is an automated server notification"},
            {"message", "Authentication Token Expired"},
            {"node", node}};
}

} // namespace rtnotify::rooms

#endif
