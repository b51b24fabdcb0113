// Socket.IO packets (protocols 4 and 5): what an Engine.IO message carries, decoded and encoded.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_PACKET_HPP
#define RTNOTIFY_SOCKETIO_PACKET_HPP

#include <rtnotify/detail/json_numbers.hpp>
#include <rtnotify/socketio/decode_options.hpp>
#include <rtnotify/socketio/diagnostic.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::socketio {

/** The Socket.IO packet types, as the digit that starts a packet
    (https://github.com/socketio/socket.io-protocol). Protocol 4 (socket.io
    2.x) calls type 4 ERROR; protocol 5 calls it CONNECT_ERROR.
*/
enum class packet_type : char
{
    connect = '0',
    disconnect = '1',
    event = '2',
    ack = '3',
    connect_error = '4',
    binary_event = '5',
    binary_ack = '6',
};

/** One Socket.IO packet: `<type>[<namespace>,][<ack id>][<JSON data>]`.
    Binary packets (with attachments) are not represented: they are refused.
*/
struct packet
{
    packet_type type = packet_type::event;

    /// The namespace; "/" when the packet names none.
    std::string nsp = "/";

    /// The acknowledgement id of an EVENT that wants one, or of an ACK.
    std::optional<std::uint64_t> id;

    /// The data, null when the packet has none: an array for EVENT (its name first) and ACK, an object for CONNECT.
    boost::json::value data;

    bool operator==(packet const&) const = default;
};

/** Decodes the Socket.IO packet `text` (the data of an Engine.IO message).

    Checks the type, refuses attachments (`error::binary_unsupported`),
    limits the namespace and the data's depth, and checks the data's shape:
    EVENT an array starting with a string, ACK an array, CONNECT an object or
    nothing, CONNECT_ERROR an object or a string, DISCONNECT nothing (so no
    data starts with a digit, which would read as an acknowledgement id).
    Errors give the byte in `text`.
*/
inline boost::system::result<packet, diagnostic> decode_packet(std::string_view text, decode_options const& opts = {})
{
    if(text.empty())
        return diagnostic{error::empty_packet, 0};
    if(text[0] == '5' || text[0] == '6')
        return diagnostic{error::binary_unsupported, 0};
    if(text[0] < '0' || text[0] > '4')
        return diagnostic{error::bad_packet_type, 0};
    packet p;
    p.type = static_cast<packet_type>(text[0]);
    std::size_t at = 1;
    if(at < text.size() && text[at] == '/')
    {
        auto const comma = text.find(',', at);
        auto const end = comma == std::string_view::npos ? text.size() : comma;
        if(end - at > opts.max_namespace_bytes)
            return diagnostic{error::namespace_too_long, at};
        p.nsp = std::string(text.substr(at, end - at));
        at = comma == std::string_view::npos ? end : end + 1;
    }
    if(at < text.size() && text[at] >= '0' && text[at] <= '9')
    {
        std::uint64_t id = 0;
        std::size_t digits = 0;
        for(; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits)
        {
            if(digits == 15) // Number.MAX_SAFE_INTEGER has 16 digits; 15 always fit
                return diagnostic{error::bad_ack_id, at - digits};
            id = id * 10 + static_cast<std::uint64_t>(text[at] - '0');
        }
        p.id = id;
    }
    if(at < text.size())
    {
        boost::json::parse_options po;
        po.max_depth = opts.max_json_depth;
        boost::system::error_code ec;
        p.data = boost::json::parse(text.substr(at), ec, {}, po);
        if(ec)
            return diagnostic{ec == boost::json::error::too_deep ? error::json_too_deep : error::bad_json, at};
        if(!rtnotify::detail::all_finite(p.data)) // 1e999: no double holds it, and no JSON text would say it again
            return diagnostic{error::bad_json, at};
    }
    bool const shaped = [&] {
        switch(p.type)
        {
        case packet_type::event:
            return p.data.is_array() && !p.data.get_array().empty() && p.data.get_array()[0].is_string();
        case packet_type::ack: return p.data.is_array();
        case packet_type::connect: return p.data.is_null() || p.data.is_object();
        case packet_type::disconnect: return p.data.is_null() && at == text.size();
        default: return p.data.is_object() || p.data.is_string(); // CONNECT_ERROR: an object (protocol 5) or a string (4)
        }
    }();
    if(!shaped)
        return diagnostic{error::bad_data, at};
    return p;
}

/// The text form of `p` (its data serialized; a null data is left out).
inline std::string encode_packet(packet const& p)
{
    std::string out(1, static_cast<char>(p.type));
    if(p.nsp != "/")
        out.append(p.nsp).push_back(',');
    if(p.id)
        out.append(std::to_string(*p.id));
    if(!p.data.is_null())
        out.append(boost::json::serialize(p.data));
    return out;
}

/** The text of an EVENT named `name` on namespace "/" whose one argument is
    `json` (already JSON text): `2["name",json]`, built without parsing `json`.
*/
inline std::string encode_event(std::string_view name, std::string_view json)
{
    std::string out = "2[";
    out.append(boost::json::serialize(boost::json::string_view(name.data(), name.size())));
    out.push_back(',');
    out.append(json);
    out.push_back(']');
    return out;
}

} // namespace rtnotify::socketio

#endif
