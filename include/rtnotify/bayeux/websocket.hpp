// Bayeux over WebSocket: the messages of one text frame.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_WEBSOCKET_HPP
#define RTNOTIFY_BAYEUX_WEBSOCKET_HPP

#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>

#include <span>
#include <string>
#include <string_view>

namespace rtnotify::bayeux {

/// The messages of a WebSocket text frame: one JSON array of messages, or one message object.
inline boost::system::result<std::vector<message>, decode_error> read_ws_frame(std::string_view text,
                                                                               decode_options const& opts = {})
{
    return decode(text, opts);
}

/// The text frame carrying `messages`: one JSON array.
inline std::string make_ws_frame(std::span<message const> messages)
{
    return encode(messages);
}

} // namespace rtnotify::bayeux

#endif
