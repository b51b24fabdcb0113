// One Socket.IO socket on the server side, sans-I/O: Engine.IO handshake and heartbeat, the Socket.IO namespace "/", events in and out.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_SOCKET_HPP
#define RTNOTIFY_SOCKETIO_SOCKET_HPP

#include <rtnotify/detail/random.hpp>
#include <rtnotify/socketio/engineio_packet.hpp>
#include <rtnotify/socketio/packet.hpp>
#include <rtnotify/socketio/socket_options.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::socketio {

/// An event a client emitted on namespace "/": its name, its arguments, and the id of the acknowledgement it wants.
struct event
{
    std::string name;
    boost::json::array args;
    std::optional<std::uint64_t> ack;
};

/** The server side of one Socket.IO connection, whatever carries its
    Engine.IO packets (a WebSocket, HTTP long-polling): no I/O, no clock.

    It queues the handshake (and, for Engine.IO 3 clients, the Socket.IO
    CONNECT of namespace "/", which socket.io 2.x servers send unasked),
    answers Socket.IO CONNECTs (namespace "/" only; others get
    CONNECT_ERROR), runs the heartbeat of its protocol revision, and hands
    the events of "/" to the application. The transport sends what
    `take_outgoing` gives, one Engine.IO packet (text form) each, in order,
    and calls `on_timer` at `deadline()`.
    @code
    socketio::socket s(sid, socketio::eio_version::v4, true, {}, now);
    for(auto& text : s.take_outgoing()) ws.write(text);
    auto r = s.receive(frame, now); // an event, nothing, or why the packet was refused
    @endcode
*/
class socket
{
public:
    using time_point = std::chrono::steady_clock::time_point;

    /** A socket whose Engine.IO session id is `sid`, for a client of protocol
        `version`; `upgradable` says the handshake offers the WebSocket
        upgrade (the session starts on long-polling).
    */
    socket(std::string sid, eio_version version, bool upgradable, socket_options const& opts, time_point now)
        : opts_(opts), sid_(std::move(sid)), version_(version)
    {
        boost::json::object open{{"sid", sid_},
                                 {"upgrades", upgradable ? boost::json::array{"websocket"} : boost::json::array{}},
                                 {"pingInterval", opts_.ping_interval.count()},
                                 {"pingTimeout", opts_.ping_timeout.count()}};
        if(version_ == eio_version::v4)
            open["maxPayload"] = opts_.limits.max_payload_bytes;
        queue(encode_engineio_packet(engineio_type::open, boost::json::serialize(open)));
        if(version_ == eio_version::v3)
        {
            connected_ = true; // socket.io 2.x: the server connects "/" unasked
            queue(message(make_packet(packet_type::connect, "/")));
        }
        arm(now);
    }

    /// The Engine.IO session id.
    std::string const& sid() const noexcept { return sid_; }

    /// The Engine.IO revision the client speaks.
    eio_version version() const noexcept { return version_; }

    /// True once the client connected to namespace "/" (Engine.IO 3 clients at once).
    bool connected() const noexcept { return connected_; }

    /// True once the socket is over: the client closed it, or an error did (`close_reason`).
    bool closed() const noexcept { return closed_; }

    /// Why the socket closed: empty when the client closed it (Engine.IO CLOSE, Socket.IO DISCONNECT).
    error_code close_reason() const noexcept { return reason_; }

    /** Handles one Engine.IO packet `text` from the client.

        Returns the event it carries, if any. An error says why the packet
        was refused; when `closed()` the socket is over (a malformed packet,
        binary data, a packet only servers send), else the packet was
        ignored (an event of a namespace that is not connected, an ACK).
    */
    boost::system::result<std::optional<event>, diagnostic> receive(std::string_view text, time_point now)
    {
        if(closed_)
            return std::optional<event>();
        auto p = decode_engineio_packet(text);
        if(!p)
            return fail(p.error());
        return receive(*p, now);
    }

    /// As above, for a packet already decoded (one of a polling payload).
    boost::system::result<std::optional<event>, diagnostic> receive(engineio_packet const& p, time_point now)
    {
        if(closed_)
            return std::optional<event>();
        if(version_ == eio_version::v3)
            arm(now); // whatever an Engine.IO 3 client sends shows it is alive
        switch(p.type)
        {
        case engineio_type::ping: // Engine.IO 3 heartbeat (Engine.IO 4 clients only ping as an upgrade probe)
            if(!reply(encode_engineio_packet(engineio_type::pong, p.data)))
                return diagnostic{error::queue_full, 0};
            return std::optional<event>();
        case engineio_type::pong:
            awaiting_pong_ = false;
            arm(now);
            return std::optional<event>();
        case engineio_type::close:
            closed_ = true;
            return std::optional<event>();
        case engineio_type::noop:
            return std::optional<event>();
        case engineio_type::message:
            break;
        default: // OPEN, UPGRADE (the transport handles upgrades before the socket sees the WebSocket)
            return fail({error::unexpected_packet, 0});
        }
        auto sp = decode_packet(p.data, opts_.limits);
        if(!sp)
            return fail({sp.error().code, sp.error().offset + 1});
        return socketio_packet(std::move(*sp));
    }

    /** Queues the event `name` with one argument, `json` (JSON text), for
        the client. Returns false, dropping it, when the socket is closed, not
        connected to "/" yet, or would hold more than `max_queued_bytes`.
    */
    bool emit(std::string_view name, std::string_view json)
    {
        if(closed_ || !connected_)
            return false;
        auto text = encode_engineio_packet(engineio_type::message, encode_event(name, json));
        if(queued_bytes_ + text.size() > opts_.max_queued_bytes)
            return false;
        queue(std::move(text));
        return true;
    }

    /// The Engine.IO packets waiting for the client, in order (text forms); the socket forgets them.
    std::vector<std::string> take_outgoing()
    {
        queued_bytes_ = 0;
        return std::exchange(out_, {});
    }

    /// True when packets wait for the client.
    bool has_outgoing() const noexcept { return !out_.empty(); }

    /// The bytes of the packets waiting for the client.
    std::size_t queued_bytes() const noexcept { return queued_bytes_; }

    /// When `on_timer` must run next.
    time_point deadline() const noexcept { return deadline_; }

    /// Runs the heartbeat at `now`: sends an Engine.IO 4 PING when due, or closes with `error::ping_timeout`.
    void on_timer(time_point now)
    {
        if(closed_ || now < deadline_)
            return;
        if(version_ == eio_version::v3 || awaiting_pong_)
        {
            closed_ = true;
            reason_ = error::ping_timeout;
            return;
        }
        queue(encode_engineio_packet(engineio_type::ping));
        awaiting_pong_ = true;
        deadline_ = now + opts_.ping_timeout;
    }

    /// Closes the socket from the server's side, queueing the Engine.IO CLOSE.
    void close()
    {
        if(closed_)
            return;
        queue(encode_engineio_packet(engineio_type::close));
        closed_ = true;
    }

private:
    static packet make_packet(packet_type type, std::string nsp)
    {
        packet p;
        p.type = type;
        p.nsp = std::move(nsp);
        return p;
    }

    static std::string message(packet const& p)
    {
        return encode_engineio_packet(engineio_type::message, encode_packet(p));
    }

    void queue(std::string text)
    {
        queued_bytes_ += text.size();
        out_.push_back(std::move(text));
    }

    /// Queues an answer the client asked for; past `max_queued_bytes` (a client that asks and never reads) the socket closes.
    bool reply(std::string text)
    {
        if(queued_bytes_ + text.size() > opts_.max_queued_bytes)
        {
            closed_ = true;
            reason_ = error::queue_full;
            return false;
        }
        queue(std::move(text));
        return true;
    }

    /// The next heartbeat deadline after hearing from the client (or opening) at `now`.
    void arm(time_point now)
    {
        if(version_ == eio_version::v3)
            deadline_ = now + opts_.ping_interval + opts_.ping_timeout; // the client's next PING
        else if(!awaiting_pong_)
            deadline_ = now + opts_.ping_interval; // our next PING
    }

    boost::system::result<std::optional<event>, diagnostic> fail(diagnostic d)
    {
        closed_ = true;
        reason_ = d.code;
        return d;
    }

    boost::system::result<std::optional<event>, diagnostic> socketio_packet(packet p)
    {
        switch(p.type)
        {
        case packet_type::connect:
            if(p.nsp != "/")
            {
                auto refusal = make_packet(packet_type::connect_error, p.nsp);
                if(version_ == eio_version::v3)
                    refusal.data = "Invalid namespace";
                else
                    refusal.data = boost::json::object{{"message", "Invalid namespace"}};
                if(!reply(message(refusal)))
                    return diagnostic{error::queue_full, 0};
                return diagnostic{error::unknown_namespace, 1};
            }
            if(!connected_ || version_ == eio_version::v4)
            {
                auto welcome = make_packet(packet_type::connect, "/");
                if(version_ == eio_version::v4) // the id of the socket on "/", for the client's information
                    welcome.data = boost::json::object{{"sid", rtnotify::detail::random_id(20)}};
                if(!reply(message(welcome)))
                    return diagnostic{error::queue_full, 0};
            }
            connected_ = true;
            return std::optional<event>();
        case packet_type::disconnect:
            if(p.nsp != "/")
                return diagnostic{error::unknown_namespace, 1};
            closed_ = true; // "/" was the only namespace: the socket is over
            return std::optional<event>();
        case packet_type::event:
        {
            if(p.nsp != "/" || !connected_)
                return diagnostic{error::unknown_namespace, 1};
            auto& args = p.data.get_array();
            event e{std::string(args[0].get_string()), {}, p.id};
            args.erase(args.begin());
            e.args = std::move(args);
            return std::optional<event>(std::move(e));
        }
        case packet_type::ack: // the server asks for none
            return diagnostic{error::unexpected_packet, 0};
        default: // CONNECT_ERROR: only servers send it
            return fail({error::unexpected_packet, 1});
        }
    }

    socket_options opts_;
    std::string sid_;
    eio_version version_;
    std::vector<std::string> out_;
    std::size_t queued_bytes_ = 0;
    time_point deadline_{};
    bool connected_ = false;
    bool awaiting_pong_ = false;
    bool closed_ = false;
    error_code reason_;
};

} // namespace rtnotify::socketio

#endif
