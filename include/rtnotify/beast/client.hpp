// rtnotify/beast/client.hpp: the embeddable Bayeux client over Beast (HTTP long-polling or WebSocket).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_CLIENT_HPP
#define RTNOTIFY_BEAST_CLIENT_HPP

#include <rtnotify/bayeux/decode_options.hpp>
#include <rtnotify/beast/cookie_jar.hpp>
#include <rtnotify/beast/endpoint.hpp>
#include <rtnotify/detail/config.hpp>
#include <rtnotify/session/client.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::beast {

/// Settings of `beast::client`.
struct client_options
{
    /// The engine's settings; `connection_types` decides the transport: a
    /// first entry `websocket` means WebSocket, anything else long-polling.
    session::client_options session;
    std::size_t max_response_bytes = 8 * 1024 * 1024; ///< a longer response or message fails its request
    /// A response's status line and headers, and the bytes read but not
    /// parsed yet (a chunk-size line); beyond, the request fails.
    std::size_t max_header_bytes = 64 * 1024;
    bayeux::decode_options limits;                     ///< for the messages received
};

/** A Bayeux client over HTTP long-polling or WebSocket, driving `session::client`.

    The engine decides what to send and when; this class carries it: two
    HTTP connections (the connect lane, held by the server, and the lane for
    everything else) or one WebSocket. The cookies the server sets (its
    `BAYEUX_BROWSER`, which binds the session to this client) go back with
    every request and WebSocket upgrade (`cookie_jar`). Events (deliveries, replies, state
    changes) go to `on_event`, on the executor's thread. A transport failure
    fails the request in the engine, which backs off and retries.

    Not thread-safe: call it from the executor's thread (or use a strand).
    Keep it alive while the io_context runs (handlers refer to it).
*/
class client
{
public:
    /// A client of the server at `at` (see `parse_endpoint`), using `ex`; nothing is sent before `start`.
    client(boost::asio::any_io_executor ex, endpoint at, client_options opts = {})
        : ex_(ex), url_(std::move(at)), opts_(std::move(opts)), engine_(opts_.session), timer_(ex)
    {
        websocket_ = !opts_.session.connection_types.empty() && opts_.session.connection_types.front() == "websocket";
    }

    client(client const&) = delete;
    client& operator=(client const&) = delete;

    /// Called for every event of the engine, in order.
    std::function<void(session::client_event&)> on_event;

    /// Told why a request failed on its way (resolve, connect, TLS, an HTTP status
    /// other than 200, a response that is not Bayeux, a lost WebSocket),
    /// before the engine backs off and retries on its own.
    std::function<void(std::string_view why)> on_failure;

    /// Handshakes, then keeps the connect loop going.
    void start()
    {
        engine_.handshake(now());
        pump();
    }

    /// Subscribes to `channel` (again after every new handshake).
    void subscribe(std::string channel)
    {
        engine_.subscribe(std::move(channel));
        pump();
    }

    /// Unsubscribes from `channel`.
    void unsubscribe(std::string channel)
    {
        engine_.unsubscribe(std::move(channel));
        pump();
    }

    /// Publishes; the outcome comes as a `replied` event whose reply has the returned id.
    std::string publish(std::string channel, bayeux::json::value data)
    {
        auto id = engine_.publish(std::move(channel), std::move(data));
        pump();
        return id;
    }

    /// Disconnects; the state becomes `disconnected` when the server answers.
    void disconnect()
    {
        engine_.disconnect();
        pump();
    }

    /// Stops at once: pending requests are abandoned and the sockets closed.
    RTNOTIFY_DECL void close();

    /// The engine (state, client id).
    session::client const& engine() const noexcept { return engine_; }

    /// The cookies the server has set.
    beast::cookie_jar const& cookies() const noexcept { return cookies_; }

private:
    static session::time_point now() { return std::chrono::steady_clock::now(); }

    struct http_lane; ///< one HTTP connection carrying one request at a time
    struct ws_state;  ///< the WebSocket and the frames waiting to be written

    /// Sends what the engine has due, hands its events out and waits for its next deadline.
    RTNOTIFY_DECL void pump();
    RTNOTIFY_DECL void received(std::uint64_t id, std::string_view body);
    RTNOTIFY_DECL void failed(std::uint64_t id, std::string const& why);
    RTNOTIFY_DECL void send_http(session::client_request r);
    RTNOTIFY_DECL void transmit(std::shared_ptr<http_lane> const& lane, std::uint64_t id, bool reused);
    RTNOTIFY_DECL void lost(std::shared_ptr<http_lane> const& lane, std::uint64_t id, bool again, std::string const& why);
    RTNOTIFY_DECL bool abandoned(http_lane const& lane) const;
    RTNOTIFY_DECL void send_ws(session::client_request r);
    RTNOTIFY_DECL void write_ws();
    RTNOTIFY_DECL void read_ws(std::shared_ptr<ws_state> ws);
    RTNOTIFY_DECL void ws_lost(std::shared_ptr<ws_state> const& ws, std::string const& why);

    boost::asio::any_io_executor ex_;
    endpoint url_;
    client_options opts_;
    session::client engine_;
    boost::asio::steady_timer timer_;
    bool websocket_ = false;
    bool closed_ = false;
    std::shared_ptr<http_lane> lanes_[2]; // connect lane, message lane
    std::shared_ptr<ws_state> ws_;
    beast::cookie_jar cookies_;
    std::uint64_t connect_id_ = 0;
    std::uint64_t message_id_ = 0;
};

} // namespace rtnotify::beast

#if RTNOTIFY_HEADER_ONLY
#include <rtnotify/beast/impl/client.ipp>
#endif

#endif
