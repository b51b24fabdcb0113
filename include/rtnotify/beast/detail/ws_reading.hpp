// rtnotify/beast/detail/ws_reading.hpp: what the server's WebSockets accept from a peer, and what a Bayeux one makes of a message.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_WS_READING_HPP
#define RTNOTIFY_BEAST_DETAIL_WS_READING_HPP

#include <rtnotify/bayeux/websocket.hpp>
#include <rtnotify/beast/server_options.hpp>

#include <boost/beast/core/role.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::beast::detail {

/// Bounds a server WebSocket by `opts`: message size (1009 beyond it), idle time with pings, and the `Server` header of the upgrade.
template<class NextLayer>
void configure_server_ws(boost::beast::websocket::stream<NextLayer>& ws, server_options const& opts)
{
    namespace websocket = boost::beast::websocket;
    ws.read_message_max(opts.max_ws_message_bytes);
    auto timeouts = websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
    timeouts.idle_timeout = opts.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(boost::beast::http::field::server, "rtnotify"); }));
}

/// `why` cut to the 123 bytes a close frame's reason holds, at a UTF-8 character boundary.
inline std::string close_reason_text(std::string why)
{
    constexpr std::size_t max = 123;
    if(why.size() <= max)
        return why;
    std::size_t cut = max;
    while(cut > 0 && (static_cast<unsigned char>(why[cut]) & 0xC0) == 0x80) // a continuation byte
        --cut;
    why.resize(cut);
    return why;
}

/// Why a Bayeux WebSocket closes after a message: the close code and its reason.
struct ws_refusal
{
    boost::beast::websocket::close_code code;
    std::string reason;
};

/** A message read on a Bayeux WebSocket: the batch it carries, or why the
    socket closes (1003 for a binary message, 1007 for one that is not a
    Bayeux batch within `limits`, with the decoder's precise error).
*/
inline std::variant<std::vector<bayeux::message>, ws_refusal> read_bayeux_ws_message(bool text, std::string_view payload,
                                                                                     bayeux::decode_options const& limits)
{
    namespace websocket = boost::beast::websocket;
    if(!text)
        return ws_refusal{websocket::close_code::unknown_data, "binary messages are not accepted"};
    auto batch = bayeux::read_ws_frame(payload, limits);
    if(!batch)
        return ws_refusal{websocket::close_code::bad_payload, "bad Bayeux message: " + batch.error().to_string()};
    return std::move(*batch);
}

} // namespace rtnotify::beast::detail

#endif
