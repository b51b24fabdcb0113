// Engine.IO polling payloads: several text packets in one HTTP body, as protocol 4 (record separators) and 3 (length prefixes) frame them.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_ENGINEIO_PAYLOAD_HPP
#define RTNOTIFY_SOCKETIO_ENGINEIO_PAYLOAD_HPP

#include <rtnotify/detail/utf8.hpp>
#include <rtnotify/socketio/decode_options.hpp>
#include <rtnotify/socketio/engineio_packet.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::socketio {

namespace detail {

/// The record separator between the packets of an Engine.IO 4 payload.
inline constexpr char record_separator = '\x1e';

/// The number of UTF-16 code units of the well-formed UTF-8 text `s` (what an Engine.IO 3 length prefix counts).
inline std::size_t utf16_length(std::string_view s) noexcept
{
    std::size_t units = 0;
    while(!s.empty())
    {
        auto n = rtnotify::detail::utf8_sequence_length(s);
        if(n == 0)
            n = 1; // not reached for JSON text; counted as one unit rather than looping
        units += n == 4 ? 2 : 1;
        s.remove_prefix(n);
    }
    return units;
}

} // namespace detail

/** Decodes a polling payload `body` of protocol `v` into its packets, which
    point into `body`.

    Engine.IO 4 separates packets with U+001E; Engine.IO 3 prefixes each with
    its length in UTF-16 code units and `:` (so the body must be well-formed
    UTF-8). A binary payload (protocol 3's, starting with byte 0 or 1) and
    binary packets are refused (`error::binary_unsupported`). Errors give the
    offset of the byte at fault in `body`.
*/
inline boost::system::result<std::vector<engineio_packet>, diagnostic>
decode_engineio_payload(std::string_view body, eio_version v, decode_options const& opts = {})
{
    if(body.size() > opts.max_payload_bytes)
        return diagnostic{error::payload_too_large, opts.max_payload_bytes};
    std::vector<engineio_packet> out;
    auto add = [&](std::string_view text, std::size_t at) -> boost::system::result<void, diagnostic> {
        if(out.size() == opts.max_packets_per_payload)
            return diagnostic{error::too_many_packets, at};
        auto p = decode_engineio_packet(text, at);
        if(!p)
            return p.error();
        out.push_back(*p);
        return {};
    };
    if(v == eio_version::v4)
    {
        std::size_t at = 0;
        for(;;)
        {
            auto const end = body.find(detail::record_separator, at);
            auto const text = body.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
            if(auto r = add(text, at); !r)
                return r.error();
            if(end == std::string_view::npos)
                return out;
            at = end + 1;
        }
    }
    if(!body.empty() && (body[0] == '\0' || body[0] == '\1'))
        return diagnostic{error::binary_unsupported, 0};
    std::size_t at = 0;
    do
    {
        std::size_t units = 0, digits = 0;
        for(; at + digits < body.size() && body[at + digits] >= '0' && body[at + digits] <= '9'; ++digits)
        {
            if(digits == 9) // a billion code units: past any max_payload_bytes
                return diagnostic{error::bad_length_prefix, at};
            units = units * 10 + static_cast<std::size_t>(body[at + digits] - '0');
        }
        if(digits == 0 || at + digits == body.size() || body[at + digits] != ':')
            return diagnostic{error::bad_length_prefix, at + digits};
        auto const start = at + digits + 1;
        auto pos = start;
        for(std::size_t u = 0; u < units;)
        {
            auto const n = rtnotify::detail::utf8_sequence_length(body.substr(pos));
            if(n == 0)
                return diagnostic{pos == body.size() ? error::bad_length_prefix : error::bad_utf8,
                                  pos == body.size() ? at : pos};
            u += n == 4 ? 2 : 1;
            if(u > units) // the prefix ends inside a surrogate pair
                return diagnostic{error::bad_length_prefix, at};
            pos += n;
        }
        if(auto r = add(body.substr(start, pos - start), start); !r)
            return r.error();
        at = pos;
    } while(at != body.size());
    return out;
}

/** The polling payload of protocol `v` that carries `packets` (their text
    forms, well-formed UTF-8), in order.
*/
inline std::string encode_engineio_payload(std::span<std::string const> packets, eio_version v)
{
    std::string out;
    for(auto const& p : packets)
    {
        if(v == eio_version::v4)
        {
            if(!out.empty())
                out.push_back(detail::record_separator);
        }
        else
            out.append(std::to_string(detail::utf16_length(p))).push_back(':');
        out.append(p);
    }
    return out;
}

} // namespace rtnotify::socketio

#endif
