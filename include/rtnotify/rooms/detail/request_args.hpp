// The arguments of a Kuzzle API request: index, collection, body and named options, checked.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_REQUEST_ARGS_HPP
#define RTNOTIFY_ROOMS_DETAIL_REQUEST_ARGS_HPP

#include <rtnotify/rooms/api_failure.hpp>

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rtnotify::rooms::detail {

/// The string `o[key]`, or "" when it is absent or no string.
inline std::string string_of(boost::json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

/// Whether `o[key]` is `true` (Kuzzle's flags: `source`, `silent`).
inline bool flag_of(boost::json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v && v->is_bool() && v->get_bool();
}

/// `index` and `collection` of `req`, both required non-empty strings.
inline std::optional<api_failure> where(boost::json::object const& req, std::string& index, std::string& collection)
{
    for(auto [key, out] : {std::pair{"index", &index}, std::pair{"collection", &collection}})
    {
        auto const* v = req.if_contains(key);
        if(!v)
            return fail(400, "api.assert.missing_argument", std::string("Missing argument \"") + key + "\".");
        if(!v->is_string() || v->as_string().empty())
            return fail(400, "api.assert.invalid_type",
                        std::string("Wrong type for argument \"") + key + "\" (expected: non-empty string).");
        *out = std::string(v->as_string());
    }
    return std::nullopt;
}

/// The request's `body`, which must be an object (`{}` when absent and `optional`).
inline std::variant<boost::json::object const*, api_failure> body_of(boost::json::object const& req, bool optional)
{
    static boost::json::object const empty;
    auto const* b = req.if_contains("body");
    if(!b || b->is_null())
    {
        if(optional)
            return &empty;
        return fail(400, "api.assert.body_required", "The request must specify a body.");
    }
    if(!b->is_object())
        return fail(400, "api.assert.invalid_type", "Wrong type for argument \"body\" (expected: object).");
    return &b->as_object();
}

/// The value `v` names in `table`; empty when `v` is no string or names none of them.
template<class T, std::size_t N>
std::optional<T> named(std::pair<std::string_view, T> const (&table)[N], boost::json::value const& v)
{
    if(v.is_string())
        for(auto const& [name, value] : table)
            if(name == v.as_string())
                return value;
    return std::nullopt;
}

} // namespace rtnotify::rooms::detail

#endif
