// Engine.IO packets (protocols 3 and 4): their types, and their text form on a WebSocket or in a polling payload.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_ENGINEIO_PACKET_HPP
#define RTNOTIFY_SOCKETIO_ENGINEIO_PACKET_HPP

#include <rtnotify/socketio/diagnostic.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtnotify::socketio {

/// The Engine.IO protocol revision a client speaks (its `EIO` query parameter): 3 for socket.io 2.x clients, 4 for 3.x and later.
enum class eio_version : std::uint8_t
{
    v3 = 3,
    v4 = 4,
};

/** The Engine.IO packet types, as the digit that starts a packet
    (https://github.com/socketio/engine.io-protocol).
*/
enum class engineio_type : char
{
    open = '0',    ///< server → client: the handshake
    close = '1',   ///< either way: the session ends
    ping = '2',    ///< Engine.IO 4: server → client; 3: client → server. Either way "probe" during an upgrade
    pong = '3',    ///< the answer to a ping, with its data
    message = '4', ///< the data of the layer above: a Socket.IO packet
    upgrade = '5', ///< client → server: the WebSocket takes over from polling
    noop = '6',    ///< server → client: ends a held poll during an upgrade
};

/// One text Engine.IO packet; `data` is what follows the type digit.
struct engineio_packet
{
    engineio_type type = engineio_type::message;
    std::string_view data;

    bool operator==(engineio_packet const&) const = default;
};

/** Decodes the text packet `text` (one WebSocket text message, or one packet
    of a polling payload). A binary packet (`b` and base64) is refused with
    `error::binary_unsupported`; errors are at `offset` plus the byte in `text`.
    The packet's data points into `text`.
*/
inline boost::system::result<engineio_packet, diagnostic> decode_engineio_packet(std::string_view text, std::size_t offset = 0)
{
    if(text.empty())
        return diagnostic{error::empty_packet, offset};
    if(text[0] == 'b')
        return diagnostic{error::binary_unsupported, offset};
    if(text[0] < '0' || text[0] > '6')
        return diagnostic{error::bad_packet_type, offset};
    return engineio_packet{static_cast<engineio_type>(text[0]), text.substr(1)};
}

/// Appends the text form of a packet of `type` with `data` to `out`.
inline void encode_engineio_packet(engineio_type type, std::string_view data, std::string& out)
{
    out.push_back(static_cast<char>(type));
    out.append(data);
}

/// The text form of a packet of `type` with `data`.
inline std::string encode_engineio_packet(engineio_type type, std::string_view data = {})
{
    std::string out;
    out.reserve(1 + data.size());
    encode_engineio_packet(type, data, out);
    return out;
}

} // namespace rtnotify::socketio

#endif
