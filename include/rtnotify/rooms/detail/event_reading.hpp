// What the readers of other nodes' Kuzzle events share: the JSON object, its string members, its time and volatile data.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_EVENT_READING_HPP
#define RTNOTIFY_ROOMS_DETAIL_EVENT_READING_HPP

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rtnotify::rooms::detail {

/// The JSON object `text` holds (nested at most `max_depth` deep), or what is wrong with it.
inline std::variant<boost::json::object, std::string> event_object(std::string_view text, std::size_t max_depth)
{
    boost::json::parse_options po;
    po.max_depth = max_depth;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec, {}, po);
    if(ec)
        return "not JSON: " + ec.message();
    if(!v.is_object())
        return std::string("not a JSON object");
    return std::move(v.as_object());
}

/// Copies member `name` of `o` into `to` if it is a string. @return false when it is absent or not a string.
inline bool string_member(boost::json::object const& o, char const* name, std::string& to)
{
    auto const* m = o.if_contains(name);
    if(!m || !m->is_string())
        return false;
    to = std::string(m->get_string());
    return true;
}

/// Reads `timestamp` (an integer) and `volatile` (an object) of `o`; what is wrong, if anything.
inline std::optional<std::string> read_stamp(boost::json::object const& o, std::int64_t& timestamp,
                                             boost::json::object& volatile_data)
{
    auto const* ts = o.if_contains("timestamp");
    if(!ts || !ts->is_int64())
        return std::string("timestamp: missing or not an integer");
    timestamp = ts->get_int64();
    auto const* vol = o.if_contains("volatile");
    if(!vol || !vol->is_object())
        return std::string("volatile: missing or not an object");
    volatile_data = vol->get_object();
    return std::nullopt;
}

} // namespace rtnotify::rooms::detail

#endif
