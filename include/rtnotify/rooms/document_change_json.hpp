// A document change as JSON text, so that the other nodes of a cluster notify their own rooms of it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DOCUMENT_CHANGE_JSON_HPP
#define RTNOTIFY_ROOMS_DOCUMENT_CHANGE_JSON_HPP

#include <rtnotify/rooms/detail/event_reading.hpp>
#include <rtnotify/rooms/notification.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rtnotify::rooms {

/** `c` as one JSON object:

    @code
    {"index":"i","collection":"c","action":"update","controller":"document","_id":"d",
     "before":{...},"after":{...},"updatedFields":["a"],"protocol":"websocket",
     "node":"rtnotify","requestId":"r","timestamp":1700000000000,"volatile":{},"_version":3}
    @endcode

    `before`, `after` and `updatedFields` only when the change has them,
    `_version` when not 0, `silent` only when true.
*/
inline std::string document_change_json(document_change const& c)
{
    json::object o{{"index", c.index},         {"collection", c.collection}, {"action", to_string(c.action)},
                   {"controller", c.controller}, {"_id", c.id},              {"protocol", c.protocol},
                   {"node", c.node},           {"requestId", c.request_id}, {"timestamp", c.timestamp},
                   {"volatile", c.volatile_data}};
    if(c.before)
        o["before"] = *c.before;
    if(c.after)
        o["after"] = *c.after;
    if(!c.updated_fields.empty())
        o["updatedFields"] = json::array(c.updated_fields.begin(), c.updated_fields.end());
    if(c.version != 0)
        o["_version"] = c.version;
    if(c.silent)
        o["silent"] = true;
    return json::serialize(o);
}

/** The change `text` holds, or what is wrong with it (the member, or the
    JSON error and its byte offset). Refuses what `document_change_json`
    never writes: a member of the wrong type, an unknown action, a `_id`
    that is neither a string nor null, JSON nested deeper than
    `max_depth`.
*/
inline std::variant<document_change, std::string> read_document_change(std::string_view text, std::size_t max_depth = 64)
{
    auto read = detail::event_object(text, max_depth);
    if(auto* e = std::get_if<std::string>(&read))
        return std::move(*e);
    auto const* o = &std::get<json::object>(read);
    document_change c;
    for(auto const& [name, to] : std::array<std::pair<char const*, std::string*>, 6>{
            {{"index", &c.index},
             {"collection", &c.collection},
             {"controller", &c.controller},
             {"protocol", &c.protocol},
             {"node", &c.node},
             {"requestId", &c.request_id}}})
        if(!detail::string_member(*o, name, *to))
            return std::string(name) + ": missing or not a string";
    std::string action;
    if(!detail::string_member(*o, "action", action))
        return std::string("action: missing or not a string");
    constexpr std::array actions{document_action::create, document_action::replace, document_action::update,
                                 document_action::remove, document_action::publish};
    auto const* known = std::find_if(actions.begin(), actions.end(), [&](document_action a) { return to_string(a) == action; });
    if(known == actions.end())
        return "action: unknown action \"" + action + "\"";
    c.action = *known;
    auto const* id = o->if_contains("_id");
    if(!id || !(id->is_string() || id->is_null()))
        return std::string("_id: missing, or neither a string nor null");
    c.id = *id;
    if(auto e = detail::read_stamp(*o, c.timestamp, c.volatile_data))
        return std::move(*e);
    for(auto const& [name, to] : std::array<std::pair<char const*, std::optional<json::object>*>, 2>{
            {{"before", &c.before}, {"after", &c.after}}})
        if(auto const* m = o->if_contains(name))
        {
            if(!m->is_object())
                return std::string(name) + ": not an object";
            *to = m->get_object();
        }
    if(auto const* version = o->if_contains("_version"))
    {
        if(!version->is_int64() || version->get_int64() < 1)
            return std::string("_version: not a number from 1");
        c.version = static_cast<std::uint64_t>(version->get_int64());
    }
    if(auto const* silent = o->if_contains("silent"))
    {
        if(!silent->is_bool())
            return std::string("silent: not a boolean");
        c.silent = silent->get_bool();
    }
    if(auto const* f = o->if_contains("updatedFields"))
    {
        if(!f->is_array())
            return std::string("updatedFields: not an array");
        for(auto const& e : f->get_array())
        {
            if(!e.is_string())
                return std::string("updatedFields: an element is not a string");
            c.updated_fields.emplace_back(e.get_string());
        }
    }
    return c;
}

} // namespace rtnotify::rooms

#endif
