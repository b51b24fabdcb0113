// The interface of an application behind a WebSocket path of the server: texts in, texts out.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_WS_SERVICE_HPP
#define RTNOTIFY_BEAST_WS_SERVICE_HPP

#include <rtnotify/outgoing_text.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::beast {

/// A text message for one WebSocket of a `ws_service`; many may share one text.
using ws_text = rtnotify::outgoing_text;

/** An application behind a WebSocket path of `beast::server`, such as
    `kuzzle_service`: text messages in, text messages out, no I/O.

    The server numbers each WebSocket (ids are never reused), calls
    `on_open` before its first text, `on_text` for each text message it
    receives, `on_close` once when it is gone, and `on_tick` about once a
    second, on the server's strand, and sends the returned texts in order;
    texts for a WebSocket that is already gone are dropped. Binary messages
    close the WebSocket (1003) without reaching the service.
*/
class ws_service
{
public:
    virtual ~ws_service() = default;

    /// `ws` sent `text` over `protocol` ("websocket", or "mqtt" for the requests of `kuzzle_mqtt_options::service`).
    virtual std::vector<ws_text> on_text(std::uint64_t ws, std::string_view text, std::string_view protocol) = 0;

    /// `ws` is closed (by its peer, an error, a limit or the server stopping).
    virtual std::vector<ws_text> on_close(std::uint64_t ws) = 0;

    /// Before the first text of `ws`: the address of its client (its IP address, as the per-address limits count it).
    virtual void on_open(std::uint64_t ws, std::string_view address)
    {
        (void)ws;
        (void)address;
    }

    /// Called about once a second while the server runs: what the passing of time makes the service send.
    virtual std::vector<ws_text> on_tick() { return {}; }

    /// The most memory the service keeps, whatever its sockets send, in bytes (a term of `memory_budget`).
    virtual std::size_t memory_bound() const = 0;
};

} // namespace rtnotify::beast

#endif
