// The interface of an application behind a WebSocket path of the server: texts in, texts out.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_WS_SERVICE_HPP
#define RTNOTIFY_BEAST_WS_SERVICE_HPP

#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/outgoing_text.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::beast {

/// A text message for one WebSocket of a `ws_service`; many may share one text.
using ws_text = rtnotify::outgoing_text;

/// An HTTP request for a service's HTTP API (`server_options::http_api`).
struct service_http_request
{
    std::string_view method;          ///< "GET", "POST", ...
    std::string_view target;          ///< path and query, as received
    std::string_view body;
    std::string_view authorization;   ///< the `Authorization` header
    std::string_view kuzzle_volatile; ///< the `X-Kuzzle-Volatile` header
    std::string_view address;         ///< the client's IP address
};

/// A service's answer to an HTTP request: a JSON response, and the texts it sends to its WebSockets.
struct service_http_answer
{
    unsigned status = 200;
    std::string body; ///< JSON
    std::vector<ws_text> texts;
};

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

    /// Answers an HTTP request on a path no protocol of the server takes, when the service is `server_options::http_api`; nothing: 404.
    virtual std::optional<service_http_answer> on_http(service_http_request const& request)
    {
        (void)request;
        return std::nullopt;
    }

    /// The service's own figures, for the server's metrics (`server_options::metrics_path`).
    virtual std::vector<metric_family> metrics() const { return {}; }

    /// Called about once a second while the server runs: what the passing of time makes the service send.
    virtual std::vector<ws_text> on_tick() { return {}; }

    /** What the other nodes of a cluster need to know of the calls since
        the last time (texts the same service of another node reads with
        `on_cluster_event`); the server takes them after every call and
        hands them to `server_options::on_service_event`.
    */
    virtual std::vector<std::string> take_cluster_events() { return {}; }

    /// An event of the same service on another node (`server::deliver_service_event`): what to send here.
    virtual std::vector<ws_text> on_cluster_event(std::string_view event)
    {
        (void)event;
        return {};
    }

    /// The most memory the service keeps, whatever its sockets send, in bytes (a term of `memory_budget`).
    virtual std::size_t memory_bound() const = 0;
};

} // namespace rtnotify::beast

#endif
