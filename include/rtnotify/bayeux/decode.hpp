// Decodes a Bayeux batch from JSON text within decode_options, with errors that say what and where.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_DECODE_HPP
#define RTNOTIFY_BAYEUX_DECODE_HPP

#include <rtnotify/bayeux/decode_options.hpp>
#include <rtnotify/bayeux/error.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/detail/json_numbers.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/json/error.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::bayeux {

/// Why a body is not a batch of messages, and where.
struct decode_error
{
    error_code code;                  ///< a `bayeux::error`
    std::optional<std::size_t> index; ///< the message's index in the batch
    std::string path;                 ///< the field at fault, dotted (`advice.timeout`), when there is one
    std::size_t offset = 0;           ///< byte offset, for JSON syntax errors
    error_code json_code;             ///< for `not_json`: Boost.JSON's reason

    /// "message 2, field clientId: field has the wrong type".
    std::string to_string() const
    {
        std::string s;
        if(index)
            s = "message " + std::to_string(*index) + ", ";
        if(!path.empty())
            s += "field " + path + ", ";
        if(!index && path.empty())
            s = "byte " + std::to_string(offset) + ", ";
        s.resize(s.size() - 2);
        s += ": " + code.message();
        if(json_code)
            s += " (" + json_code.message() + ")";
        return s;
    }

    bool operator==(decode_error const&) const = default;
};

/// Lets `result<T, decode_error>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(decode_error const& e, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(e.code, e.to_string()), loc);
}

namespace detail {

/// Bodies up to this size are parsed into a buffer on the stack (`decode`).
inline constexpr std::size_t small_body_bytes = 1024;

// The first string or key longer than `max` in `v`.
inline bool has_long_string(json::value const& v, std::size_t max) noexcept
{
    switch(v.kind())
    {
    case json::kind::string: return v.get_string().size() > max;
    case json::kind::array:
        for(auto const& e : v.get_array())
            if(has_long_string(e, max))
                return true;
        return false;
    case json::kind::object:
        for(auto const& kv : v.get_object())
            if(kv.key().size() > max || has_long_string(kv.value(), max))
                return true;
        return false;
    default: return false;
    }
}

} // namespace detail

/** Decodes a request or response body: a JSON array of messages, or one message object.

    @return the messages, or a `decode_error` naming the message index and
    field (not an object, wrong type, missing `channel`), the byte offset of
    bad JSON, or the limit exceeded.
*/
inline boost::system::result<std::vector<message>, decode_error> decode(std::string_view body,
                                                                         decode_options const& opts = {})
{
    if(body.size() > opts.max_body_size)
        return decode_error{error::body_too_large, std::nullopt, {}, opts.max_body_size, {}};
    json::parse_options po;
    po.max_depth = opts.max_depth;
    // The tree lives only as long as this call, and the messages keep what they need
    // in the default resource: a small body (a connect, a subscribe) is parsed into a
    // buffer on the stack, without a heap allocation per key, and its messages copy
    // what they keep; a larger one is parsed into the default resource, and its
    // messages take their data from the tree without a copy.
    unsigned char tree_buffer[4096];
    json::monotonic_resource tree(tree_buffer, sizeof tree_buffer);
    unsigned char parser_stack[2048];
    json::stream_parser p({}, po, parser_stack, sizeof parser_stack);
    if(body.size() <= detail::small_body_bytes)
        p.reset(&tree);
    else
        p.reset();
    json::error_code ec;
    auto const used = p.write(body.data(), body.size(), ec);
    if(!ec)
        p.finish(ec);
    if(ec)
    {
        if(ec == json::error::too_deep)
            return decode_error{error::too_deep, std::nullopt, {}, used, {}};
        return decode_error{error::not_json, std::nullopt, {}, used, ec};
    }
    json::value root = p.release();
    rtnotify::detail::restore_overflowed_zeros(root);
    if(detail::has_long_string(root, opts.max_string_length))
        return decode_error{error::string_too_long, std::nullopt, {}, 0, {}};

    std::vector<message> out;
    auto one = [&](json::value& v, std::size_t index) -> std::optional<decode_error> {
        auto* o = v.if_object();
        if(!o)
            return decode_error{error::not_object, index, {}, 0, {}};
        if(auto e = detail::to_message(std::move(*o), out.emplace_back()))
            return decode_error{e->code, index, std::string(e->field), 0, {}};
        return std::nullopt;
    };
    if(auto* a = root.if_array())
    {
        if(a->size() > opts.max_messages)
            return decode_error{error::too_many_messages, std::nullopt, {}, 0, {}};
        out.reserve(a->size());
        for(std::size_t i = 0; i < a->size(); ++i)
            if(auto e = one((*a)[i], i))
                return *e;
    }
    else if(root.is_object())
    {
        if(auto e = one(root, 0))
            return *e;
    }
    else
        return decode_error{error::not_object, std::nullopt, {}, 0, {}};
    return out;
}

} // namespace rtnotify::bayeux

#endif
