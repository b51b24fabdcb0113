// rtnotify/beast/detail/http_connection.hpp: one HTTP/1.x connection of the server, from its first request to its upgrade or close.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_HTTP_CONNECTION_HPP
#define RTNOTIFY_BEAST_DETAIL_HTTP_CONNECTION_HPP

#include <rtnotify/bayeux/http.hpp>
#include <rtnotify/beast/detail/batch_text.hpp>
#include <rtnotify/beast/detail/browser_cookie.hpp>
#include <rtnotify/beast/detail/hub.hpp>
#include <rtnotify/beast/detail/response_head.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/beast/detail/transport.hpp>
#include <rtnotify/beast/detail/ws_connection.hpp>
#include <rtnotify/beast/handed_connection.hpp>
#include <rtnotify/beast/sharding.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_cat.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rtnotify::beast::detail {

namespace http = boost::beast::http;

/// The path of a request target (without the query).
inline std::string_view path_of(std::string_view target) noexcept
{
    return target.substr(0, target.find('?'));
}

/// True when `path` is `mount` or lies below it (`/bayeux/handshake` under `/bayeux`).
inline bool under(std::string_view path, std::string_view mount) noexcept
{
    return path.starts_with(mount) && (path.size() == mount.size() || path[mount.size()] == '/');
}

/** One HTTP/1.x connection: reads requests one at a time, routes them, writes
    the responses; upgrades to a `basic_ws_connection` on the Bayeux and real-time
    paths and on the paths of `ws_services`. `Stream` is the byte stream:
    `tcp_stream` in the server, an in-memory one in the fuzz targets.

    A request waiting for the engine (a held connect) stops reading requests
    until its response is written, but one read watches the peer meanwhile:
    a client that goes away while held (a closed page, a device that gave up)
    closes the exchange at once, so deliveries stay queued for its next
    connect instead of being written to a dead socket. Bytes a client
    pipelines meanwhile are kept for its next request, up to
    `max_header_bytes`. A held SmartREST connect sends a space every
    `smartrest_keep_alive`, then the rows: over HTTP/1.1 in a chunked
    response, over HTTP/1.0 as the raw bytes of a response whose end is the
    end of the connection (HTTP/1.0 has no chunks).
*/
template<class Stream>
class basic_http_connection : public connection, public std::enable_shared_from_this<basic_http_connection<Stream>>
{
public:
    /// A connection on `stream` from `client` (the peer's address).
    basic_http_connection(std::shared_ptr<hub> h, Stream stream, std::string client)
        : hub_(std::move(h)), stream_(std::move(stream)), buffer_(hub_->options().max_header_bytes),
          client_(std::move(client))
    {
    }

    ~basic_http_connection() override { hub_->forget(this); }

    /// Starts reading, or answers 503 and closes when the server is full.
    void run()
    {
        if(!admitted())
            return;
        start_transport(stream_, opts().idle_timeout, [self = this->shared_from_this()](boost::system::error_code ec) {
            if(!ec)
                return self->read();
            if(ec != boost::asio::error::operation_aborted)
                self->hub_->log("TLS handshake with " + self->client_ + " failed: " + ec.message());
            self->close();
        });
    }

    /** Answers `request`, which another server of the group read on this
        connection (`handed_connection`), then reads on; `read_ahead` is what
        the peer sent after it. Answers 503 and closes when this server is full.
    */
    void run_handed(http::request<http::string_body> request, std::string_view read_ahead)
    {
        if(!admitted())
            return;
        auto const n = std::min(read_ahead.size(), buffer_.max_size());
        buffer_.commit(boost::asio::buffer_copy(buffer_.prepare(n), boost::asio::buffer(read_ahead.data(), n)));
        req_ = std::move(request);
        if(!reserve_body(req_.body().size()))
            return;
        serve();
    }

    /// Answers 503 with `why` and closes, without counting in (the server is short of something).
    void refuse_busy(std::string const& why)
    {
        close_after_ = true;
        respond(bayeux::http_error(503, why));
    }

    void on_send(session::send&& s) override
    {
        if(!pending_ || pending_->exchange != s.exchange || s.push)
            return;
        auto const self = std::move(keep_);
        auto const in = std::move(pending_->input);
        pending_.reset();
        auto body = batch_text(s, bayeux::http_response_prefix(in), bayeux::http_response_tail(in));
        respond_with(
            200,
            [&in](response_head& h) {
                h.set(http::field::content_type, bayeux::http_content_type(in));
                for(auto const& [name, value] : bayeux::http_no_cache_fields)
                    h.set(name, value);
            },
            std::move(body));
    }

    void on_smartrest(std::string body) override
    {
        if(!pending_ || !pending_->smartrest)
            return;
        auto const self = std::move(keep_);
        pending_.reset();
        stop_keep_alive();
        if(streaming_)
        {
            chunks_.push_back(std::move(body));
            last_queued_ = true;
            write_chunks();
            return;
        }
        respond(bayeux::http_response{200, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)});
    }

    void on_text(std::shared_ptr<std::string const> payload) override
    {
        if(!pending_ || !pending_->socketio)
            return;
        auto const self = std::move(keep_);
        pending_.reset();
        respond(bayeux::http_response{200, {{"Content-Type", "text/plain; charset=UTF-8"}}, {}}, shared_text(std::move(payload)));
    }

    void shutdown() override
    {
        close_after_ = true;
        if(state_ == state::reading)
            close_transport(stream_); // the read ends with operation_aborted
    }

    void abort() override
    {
        close_after_ = true;
        if(state_ != state::closed) // closed: handed over to a WebSocket, or closed already
            close_transport(stream_); // the write or read in flight ends with operation_aborted
    }

private:
    enum class state
    {
        reading,    ///< waiting for (the rest of) a request
        processing, ///< a request waits for the engine
        writing,    ///< a response is being written
        closed,
    };

    struct waiting
    {
        session::exchange_id exchange = 0;
        bool smartrest = false;
        bayeux::http_input input; ///< Bayeux: how the reply is framed (JSON or JSONP)
        bool socketio = false;    ///< a Socket.IO poll of the session `exchange`
    };

    server_options const& opts() const { return hub_->options(); }

    /// Counts this connection in; when the server or its peer's address is full, answers 503 and closes instead.
    bool admitted()
    {
        switch(hub_->admit(this->weak_from_this(), this, client_))
        {
        case hub::refusal::none: return true;
        case hub::refusal::server_full:
            hub_->log("refused a connection: " + std::to_string(opts().max_connections) + " connections open");
            break;
        case hub::refusal::address_full:
            hub_->log("refused a connection from " + client_ + ": " + std::to_string(opts().max_connections_per_address) +
                      " connections open from there");
            break;
        }
        close_after_ = true;
        respond(bayeux::http_error(503, "too many connections"));
        return false;
    }

    /// Reads the next request, which must be in within `idle_timeout`.
    void read()
    {
        if(hub_->stopping() || close_after_)
            return close();
        state_ = state::reading;
        req_ = {}; // a connection that stays idle keeps nothing of its last request
        out_head_.release(); // nor of its last response (written whole, or streamed)
        auto const deadline = std::chrono::steady_clock::now() + opts().idle_timeout;
        if constexpr(receives_first_bytes)
            if(buffer_.size() == 0) // nothing pipelined: wait for the request's first bytes
                return await_request(deadline);
        read_header(deadline);
    }

    /** Receives the first bytes of the next request straight from the
        socket: while the connection is idle, no Beast operation, its timer
        or a parser is in flight, only this receive. The connection closes
        at `deadline`.
    */
    void await_request(std::chrono::steady_clock::time_point deadline)
    {
        awaiting_ = true;
        idle_deadline_ = deadline;
        if(!idle_timer_armed_)
            arm_idle_timer();
        auto const room = std::min<std::size_t>(buffer_.max_size(), first_receive_bytes);
        stream_.socket().async_receive(buffer_.prepare(room), [self = this->shared_from_this(), deadline](
                                                                  boost::system::error_code ec, std::size_t n) {
            self->awaiting_ = false;
            self->buffer_.commit(n);
            if(ec || self->state_ == state::closed)
                return self->close();
            self->read_header(deadline);
        });
    }

    /** Sets `idle_timer_` for `idle_deadline_`. It stays set while the
        connection serves requests (no timer operation per request): when it
        expires, it closes the connection if an idle wait has outlived its
        deadline, sets itself again for a later wait's deadline, or lets the
        next wait set it.
    */
    void arm_idle_timer()
    {
        if(!idle_timer_)
            idle_timer_ = std::make_unique<boost::asio::steady_timer>(stream_.get_executor());
        idle_timer_armed_ = true;
        idle_timer_->expires_at(idle_deadline_);
        idle_timer_->async_wait([weak = this->weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self)
                return;
            self->idle_timer_armed_ = false;
            if(!self->awaiting_)
                return;
            if(std::chrono::steady_clock::now() >= self->idle_deadline_)
                return self->close();
            self->arm_idle_timer();
        });
    }

    /// What an idle connection receives at most before the parser reads the rest (Beast's first read takes as much).
    static constexpr std::size_t first_receive_bytes = 512;

    /// Reads the head of the next request, which must be in by `deadline`.
    void read_header(std::chrono::steady_clock::time_point deadline)
    {
        parser_ = std::make_unique<http::request_parser<http::string_body>>();
        parser_->header_limit(static_cast<std::uint32_t>(opts().max_header_bytes));
        parser_->body_limit(opts().max_body_bytes);
        set_deadline(stream_, deadline - std::chrono::steady_clock::now());
        http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](boost::system::error_code ec,
                                                                                        std::size_t) {
            self->on_header(ec);
        });
    }

    /// The header is in: the body's bytes are asked of `max_buffered_bytes` (and the address's share) before it is read.
    void on_header(boost::system::error_code ec)
    {
        if(ec)
            return on_read(ec);
        auto const announced = parser_->chunked() ? opts().max_body_bytes : parser_->content_length().value_or(0);
        if(!reserve_body(std::min<std::uint64_t>(announced, opts().max_body_bytes)))
            return;
        if(parser_->is_done())
            return on_read({});
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](boost::system::error_code rec, std::size_t) { self->on_read(rec); });
    }

    /// Asks `max_buffered_bytes` (and the address's share) for a body of `body` bytes; when short, answers 503 and closes.
    bool reserve_body(std::size_t body)
    {
        switch(body == 0 ? buffer_budget::shortage::none : hub_->buffers().reserve(body, client_))
        {
        case buffer_budget::shortage::none: reserved_ = body; return true;
        case buffer_budget::shortage::server:
            refuse(503, "server busy: request bodies and messages fill max_buffered_bytes (" +
                            std::to_string(hub_->buffers().limit()) + " bytes)");
            return false;
        case buffer_budget::shortage::address:
            refuse(503, "server busy: request bodies and messages from " + client_ +
                            " fill max_buffered_bytes_per_address (" + std::to_string(hub_->buffers().per_address()) +
                            " bytes)");
            return false;
        }
        return false;
    }

    /// Gives the body's bytes back to `max_buffered_bytes`, and drops the body (it has been processed).
    void release_body()
    {
        hub_->buffers().release(std::exchange(reserved_, 0), client_);
        std::string().swap(req_.body());
    }

    void on_read(boost::system::error_code ec)
    {
        if(ec)
            release_body();
        // buffer_overflow: the bytes read but not parsed outgrew max_header_bytes (a header, or a chunk-size line)
        bool const overflow = ec == http::error::buffer_overflow;
        if(ec == http::error::header_limit || (overflow && !parser_->is_header_done()))
            return refuse(431, "request header larger than " + std::to_string(opts().max_header_bytes) + " bytes");
        if(overflow)
            return refuse(400, "chunk header longer than " + std::to_string(opts().max_header_bytes) + " bytes");
        if(ec == http::error::body_limit)
            return refuse(413, "request body larger than " + std::to_string(opts().max_body_bytes) + " bytes");
        if(ec && ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
           ec != http::error::partial_message)
            return refuse(400, "malformed HTTP request: " + ec.message());
        if(ec)
            return close(); // end of stream, timeout, reset, shutdown
        req_ = parser_->release();
        parser_.reset();
        serve();
    }

    /// Answers `req_`, whose body `reserved_` holds.
    void serve()
    {
        arrived_ = std::chrono::steady_clock::now();
        state_ = state::processing;
        handle();
        release_body(); // what a held request keeps is what the engine made of it
        if(state_ == state::processing && pending_)
            watch_peer();
    }

    /// While the engine holds the request, reads what the peer sends: its end closes the exchange.
    void watch_peer()
    {
        auto const room = buffer_.max_size() - buffer_.size();
        if(watching_ || room == 0)
            return; // a full buffer: the peer has pipelined enough, and is watched no longer
        watching_ = true;
        clear_deadline(stream_);
        if constexpr(watches_one_byte)
        {
            // the watch holds one byte: no buffer (when nothing is pipelined) and none of Beast's layers
            if(buffer_.size() == 0)
                buffer_.shrink_to_fit();
            stream_.socket().async_receive(boost::asio::buffer(&one_byte_, 1), [self = this->shared_from_this()](
                                                                                   boost::system::error_code ec, std::size_t n) {
                if(n == 1)
                    self->buffer_.commit(boost::asio::buffer_copy(self->buffer_.prepare(1), boost::asio::buffer(&self->one_byte_, 1)));
                if(!ec)
                    self->read_ready(ec);
                self->on_watch(ec);
            });
        }
        else
            stream_.async_read_some(buffer_.prepare(std::min<std::size_t>(room, 1024)),
                                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                        self->buffer_.commit(n);
                                        self->on_watch(ec);
                                    });
    }

    /// Reads into `buffer_` what the socket holds already, as much as the buffer has room for, without waiting.
    void read_ready(boost::system::error_code& ec)
    {
        auto& socket = stream_.socket();
        auto const n = std::min(socket.available(ec), buffer_.max_size() - buffer_.size());
        if(!ec && n != 0)
            buffer_.commit(socket.read_some(buffer_.prepare(n), ec)); // `n` bytes are there: this read does not wait
    }

    void on_watch(boost::system::error_code ec)
    {
        watching_ = false;
        if(state_ == state::closed)
            return;
        if(std::exchange(read_after_watch_, false))
            return read(); // the response is out; what was read belongs to the next request
        if(ec)
            return close(); // the peer left (or reset) while its request was held
        watch_peer();
    }

    /// The response is written: reads the next request, once the watch on the peer has ended.
    void next_request()
    {
        if(!watching_)
            return read();
        read_after_watch_ = true;
        cancel_transport(stream_);
    }

    /// Answers a request that could not be read, then closes.
    void refuse(unsigned status, std::string const& why)
    {
        hub_->log("HTTP " + std::to_string(status) + ": " + why);
        close_after_ = true;
        req_ = {};
        respond(bayeux::http_error(status, why));
    }

    void handle()
    {
        auto const& o = opts();
        auto const target = std::string_view(req_.target().data(), req_.target().size());
        auto const path = path_of(target);
        bool const bayeux_path = under(path, o.bayeux_path);
        bool const realtime_path = std::find(o.realtime_paths.begin(), o.realtime_paths.end(), path) !=
                                   o.realtime_paths.end();
        auto const xid_field = req_.find("X-Id");
        bool const has_xid = xid_field != req_.end();
        // in a group, the shards past the first serve Bayeux over HTTP alone (a preflight is the same
        // everywhere); a Bayeux WebSocket goes to its browser's shard (`browser_shard`), where the sessions
        // that browser made over HTTP live, or without a cookie to the first, where a client that opens a
        // new one to resume its session (CometD's reload extension, a reconnect) finds it again
        bool const upgrade = boost::beast::websocket::is_upgrade(req_);
        if(can_hand_off && opts().sharding.count > 1 && req_.method() != http::verb::options)
        {
            auto const services = !bayeux_path && !(realtime_path && !has_xid);
            auto const to = services ? 0 : upgrade ? browser_shard().value_or(0) : opts().sharding.index;
            if(to != opts().sharding.index)
                return hand_off(to);
        }

        if(upgrade)
        {
            // browsers send Origin on every upgrade; other clients need not
            if(auto const origin = req_.find(http::field::origin);
               origin != req_.end() && !o.cors.allows(std::string_view(origin->value().data(), origin->value().size())))
            {
                hub_->log("WebSocket refused: origin " + std::string(origin->value()) + " is not allowed");
                return respond(bayeux::http_error(403, "origin not allowed"));
            }
            // what a client sent after the upgrade request would be lost with this buffer: it may not send any
            if(buffer_.size() != 0)
                return refuse(400, "bytes sent after the WebSocket upgrade request, before its response");
            if(hub_->socketio_at(path))
            {
                if(auto refusal = hub_->socketio_upgrade_refusal(target, client_))
                    return respond(std::move(*refusal));
                state_ = state::closed;
                log_access(101, 0);
                std::make_shared<basic_ws_connection<Stream>>(hub_, hand_over(stream_), client_, nullptr, std::string(target))
                    ->accept(std::move(req_));
                return;
            }
            auto* service = bayeux_path || (realtime_path && !has_xid) ? nullptr : hub_->service_at(path);
            if(!bayeux_path && !(realtime_path && !has_xid) && !service)
                return respond(bayeux::http_error(404, "no WebSocket endpoint at " + std::string(path)));
            state_ = state::closed;
            log_access(101, 0);
            std::make_shared<basic_ws_connection<Stream>>(hub_, hand_over(stream_), client_, service)->accept(std::move(req_));
            return;
        }
        if(req_.method() == http::verb::options)
            return respond(bayeux::http_response{200, {{"Content-Type", "text/plain; charset=utf-8"}}, {}});
        if(!o.metrics_path.empty() && path == o.metrics_path && req_.method() == http::verb::get)
            return respond(bayeux::http_response{200,
                                                 {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}},
                                                 prometheus_text(hub_->metrics())});
        if(!o.health_path.empty() && path == o.health_path && req_.method() == http::verb::get)
            return respond(bayeux::http_response{hub_->stopping() ? 503u : 200u,
                                                 {{"Content-Type", "application/json; charset=utf-8"}},
                                                 hub_->stopping() ? R"({"status":"stopping"})" : R"({"status":"ok"})"});
        if(hub_->socketio_at(path))
        {
            if(req_.method() != http::verb::get && req_.method() != http::verb::post)
                return respond(bayeux::http_error(405, "Engine.IO takes GET and POST"));
            session::exchange_id held = 0;
            auto answer = hub_->socketio_http(this->weak_from_this(), client_, req_.method() == http::verb::post, target,
                                              req_.body(), held);
            if(answer)
                return respond(std::move(*answer));
            pending_ = waiting{held, false, {}, true};
            keep_ = this->shared_from_this();
            return;
        }
        auto const authorization = req_[http::field::authorization];
        if((path == o.smartrest_path || (realtime_path && has_xid)) &&
           !hub_->smartrest_allowed(std::string_view(authorization.data(), authorization.size()), client_))
        {
            hub_->log("SmartREST 401 " + std::string(path) + " from " + client_ + ": no valid credentials");
            auto refusal = bayeux::http_error(401, "Invalid credentials");
            refusal.headers.emplace_back("WWW-Authenticate", "Basic realm=\"rtnotify\"");
            return respond(std::move(refusal));
        }
        if(path == o.smartrest_path)
        {
            if(req_.method() != http::verb::post)
                return respond(bayeux::http_error(405, "SmartREST takes POST"));
            if(!has_xid && !req_.body().starts_with("15,")) // 15,<X-Id> on the first line names it instead
                return respond(bayeux::http_error(400, "missing X-Id header"));
            auto body = hub_->register_templates(has_xid ? std::string_view(xid_field->value()) : std::string_view(), req_.body(), client_);
            return respond(bayeux::http_response{200, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)});
        }
        if(realtime_path && has_xid)
        {
            if(req_.method() != http::verb::post)
                return respond(bayeux::http_error(405, "SmartREST takes POST"));
            pending_ = waiting{hub_->open(this->weak_from_this(), false, client_), true, {}};
            keep_ = this->shared_from_this();
            if(opts().smartrest_keep_alive.count() > 0)
                start_keep_alive();
            hub_->smartrest(pending_->exchange, xid_field->value(), req_.body(),
                            std::string_view(authorization.data(), authorization.size()));
            return;
        }
        if(bayeux_path || realtime_path)
        {
            auto const method = std::string_view(req_.method_string().data(), req_.method_string().size());
            auto const ct = req_[http::field::content_type];
            auto in = bayeux::read_http_request(
                {method, target, std::string_view(ct.data(), ct.size()), std::string_view(req_.body())}, o.http);
            if(!in)
            {
                hub_->log("HTTP " + std::to_string(in.error().status) + " " + std::string(method) + " " +
                          std::string(path) + ": " + in.error().body);
                return respond(std::move(in.error()));
            }
            if(auto const owner = can_hand_off ? owner_elsewhere(in->messages) : std::nullopt)
                return hand_off(*owner);
            auto messages = std::move(in->messages);
            auto browser = browser_id_of(req_.base());
            if(browser.empty()) // the reply gives one, which binds the session once a request brings it back
                new_browser_ = opts().sharding.count > 1 ? shard_tags[opts().sharding.index] + new_browser_id()
                                                         : new_browser_id();
            pending_ = waiting{hub_->open(this->weak_from_this(), false, client_, std::move(browser),
                                          std::string_view(authorization.data(), authorization.size())),
                               false, std::move(*in)};
            keep_ = this->shared_from_this();
            hub_->bayeux(pending_->exchange, std::move(messages));
            return;
        }
        auto const method = std::string_view(req_.method_string().data(), req_.method_string().size());
        auto const vol = req_["X-Kuzzle-Volatile"];
        if(auto answer = hub_->http_api({method, target, std::string_view(req_.body()),
                                         std::string_view(authorization.data(), authorization.size()),
                                         std::string_view(vol.data(), vol.size()), client_}))
            return respond(std::move(*answer));
        respond(bayeux::http_error(404, "nothing at " + std::string(path)));
    }

    /** The shard of the group whose session the first client id of
        `messages` names, when it is another one; for a handshake, the shard
        of the client's browser (`browser_shard`), when it is another one.
    */
    std::optional<std::size_t> owner_elsewhere(std::vector<bayeux::message> const& messages) const
    {
        auto const& group = opts().sharding;
        if(group.count == 1)
            return std::nullopt;
        auto const named = std::find_if(messages.begin(), messages.end(), [](auto const& m) { return m.client_id; });
        auto const owner = named != messages.end() ? shard_of_client(*named->client_id, group.count) : browser_shard();
        return owner && *owner != group.index ? owner : std::nullopt;
    }

    /** The shard whose tag begins the request's browser id (`BAYEUX_BROWSER`,
        which a shard of a group gives with its tag first), or none. A
        browser's handshakes and WebSockets go there, so a session it made
        over HTTP goes on over a WebSocket (Faye's clients do so).
    */
    std::optional<std::size_t> browser_shard() const
    {
        auto const cookie = req_[http::field::cookie];
        return shard_of_client(browser_id_in(std::string_view(cookie.data(), cookie.size())), opts().sharding.count);
    }

    /** Whether a connection can go to another shard: a plain TCP one can. A
        TLS one cannot (its state lives in this thread's OpenSSL objects): only
        the first shard listens for TLS, and a client id of another shard is
        unknown there (402).
    */
    static constexpr bool can_hand_off = std::is_same_v<Stream, boost::beast::tcp_stream>;

    /** Whether a held request's connection watches its peer by receiving one
        byte from the socket: a plain TCP one does. The layers of a TLS or
        in-memory stream may hold bytes already taken from the socket, so
        those read the stream. (An idle connection's first receive takes up
        to `first_receive_bytes` at once: a byte apart would cost a second
        receive per request, measured at 10 % more CPU per delivery.)
    */
    static constexpr bool watches_one_byte = std::is_same_v<Stream, boost::beast::tcp_stream>;

    /** Whether an idle connection receives its next request's first bytes
        from the socket before the parser reads (`await_request`): a plain
        TCP one does. The parser starts from those bytes, so this costs no
        receive more per request. A TLS or in-memory stream may hold bytes
        already taken from the socket, and reads the stream.
    */
    static constexpr bool receives_first_bytes = std::is_same_v<Stream, boost::beast::tcp_stream>;

    /// Gives this connection, with `req_` and what was read after it, to shard `to` of the group, and lets go of it.
    void hand_off(std::size_t to)
    {
        if constexpr(can_hand_off)
        {
            auto& socket = stream_.socket();
            boost::system::error_code ec;
            auto const local = socket.local_endpoint(ec);
            if(ec)
                return close();
            std::string ahead(static_cast<char const*>(buffer_.data().data()), buffer_.size());
            auto const fd = socket.release(ec);
            if(ec)
                return close();
            state_ = state::closed;
            hub_->forget(this); // counted out before the other shard counts it in
            hub_->count_hand_off();
            opts().sharding.hand_off(to, handed_connection(fd, local.protocol(), std::move(req_), std::move(ahead), client_));
        }
        else
            (void)to; // never called: `can_hand_off` is false
    }

    /// CORS headers for a request that carries `Origin`, as `cors_policy` allows.
    void add_cors(response_head& f) const
    {
        auto const origin = req_.find(http::field::origin);
        if(origin == req_.end())
            return;
        auto const& policy = opts().cors;
        auto const from = std::string_view(origin->value().data(), origin->value().size());
        auto const allow = policy.allow_origin_for(from);
        f.set(http::field::vary, "Origin");
        if(allow.empty())
            return;
        f.set(http::field::access_control_allow_origin, allow);
        if(policy.lists(from))
            f.set(http::field::access_control_allow_credentials, "true");
        if(req_.method() == http::verb::options)
        {
            f.set(http::field::access_control_allow_methods,
                  opts().http_api ? "GET, POST, PUT, PATCH, DELETE, OPTIONS" : "GET, POST, OPTIONS");
            f.set(http::field::access_control_allow_headers, policy.allow_headers);
            f.set(http::field::access_control_max_age, "86400");
        }
    }

    bool keep_open() const { return !close_after_ && !hub_->stopping() && req_.keep_alive(); }

    void respond(bayeux::http_response r)
    {
        auto body = shared_text(std::move(r.body));
        respond(std::move(r), std::move(body));
    }

    /// Tells the access log, if there is one, that a response with `status` and `body_bytes` begins.
    void log_access(unsigned status, std::size_t body_bytes) const
    {
        auto const& log = opts().access_log;
        if(!log)
            return;
        auto const target = std::string_view(req_.target().data(), req_.target().size());
        auto const method = std::string_view(req_.method_string().data(), req_.method_string().size());
        bool const read = !target.empty(); // a request refused before it was read has none
        access_entry e;
        e.peer = client_;
        e.method = read ? method : std::string_view();
        e.path = target.substr(0, target.find('?'));
        e.status = status;
        e.body_bytes = body_bytes;
        e.elapsed = read ? std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - arrived_)
                         : std::chrono::milliseconds(0);
        e.tls = requires(Stream& s) { s.async_handshake(boost::asio::ssl::stream_base::server, [](boost::system::error_code) {}); };
        log(e);
    }

    /// The HTTP version of the response: the request's (1.1 for a request refused before it was read).
    unsigned response_version() const { return req_.version() ? req_.version() : 11; }

    /// Writes a response with the status and headers of `head` (its body ignored) and `body`.
    void respond(bayeux::http_response head, shared_text body)
    {
        respond_with(
            head.status,
            [&head](response_head& h) {
                for(auto const& [name, value] : head.headers)
                    h.set(name, value);
            },
            std::move(body));
    }

    /// Writes a response with `status`, the fields `add_fields(response_head&)` sets, and `body`:
    /// the head from `out_head_` and the body's shared pieces in one gathered write.
    template<class AddFields>
    void respond_with(unsigned status, AddFields add_fields, shared_text body)
    {
        hub_->count_response(status);
        log_access(status, body.size());
        bool const again = keep_open();
        out_head_.start(status, response_version());
        out_head_.set(http::field::server, "rtnotify");
        add_fields(out_head_);
        add_cors(out_head_);
        if(!new_browser_.empty())
            out_head_.set(http::field::set_cookie, browser_cookie_for(std::exchange(new_browser_, {})));
        out_head_.finish(body.size(), again);
        out_body_ = std::move(body);
        out_buffers_.clear();
        out_buffers_.emplace_back(out_head_.text().data(), out_head_.text().size());
        out_body_.append_buffers_to(out_buffers_);
        state_ = state::writing;
        if constexpr(sends_at_once)
        {
            boost::system::error_code ec;
            if(send_now(ec) || ec)
                return on_response_written(ec, again);
        }
        hub_->buffers().hold(out_body_);
        set_deadline(stream_, opts().write_timeout);
        boost::asio::async_write(stream_, std::span<boost::asio::const_buffer const>(out_buffers_),
                                 [self = this->shared_from_this(), again](boost::system::error_code ec, std::size_t) {
                                     self->hub_->buffers().unhold(self->out_body_);
                                     self->on_response_written(ec, again);
                                 });
    }

    /** Whether a response is first offered to the socket at once, without
        waiting: a plain TCP one is. A response the socket takes whole (the
        usual case: the kernel's send buffer has room) is done without an
        asynchronous write, its Beast and Asio operations and their timer;
        what it does not take is written asynchronously.
    */
    static constexpr bool sends_at_once = std::is_same_v<Stream, boost::beast::tcp_stream>;

    /** Sends what the socket takes of `out_buffers_` now, without waiting,
        and drops it from them; true when it took everything. `ec` is set when
        the connection failed (not when the socket would have to wait).
    */
    bool send_now(boost::system::error_code& ec)
    {
        auto& socket = stream_.socket();
        if(!socket.non_blocking())
            socket.non_blocking(true, ec); // a send that would wait fails with would_block instead
        auto sent = ec ? 0 : socket.send(out_buffers_, 0, ec);
        if(ec == boost::asio::error::would_block || ec == boost::asio::error::try_again)
            ec = {};
        auto next = out_buffers_.begin();
        for(; next != out_buffers_.end() && sent >= next->size(); ++next)
            sent -= next->size();
        out_buffers_.erase(out_buffers_.begin(), next);
        if(!out_buffers_.empty())
            out_buffers_.front() += sent;
        return out_buffers_.empty();
    }

    /// The response is written (or failed with `ec`): the next request is read, or the connection closes.
    void on_response_written(boost::system::error_code ec, bool again)
    {
        out_body_ = {};
        if(ec || !again)
            return close();
        next_request();
    }

    void start_keep_alive()
    {
        if(!keep_alive_timer_)
            keep_alive_timer_ = std::make_unique<boost::asio::steady_timer>(stream_.get_executor());
        keep_alive_timer_->expires_after(opts().smartrest_keep_alive);
        keep_alive_timer_->async_wait([weak = this->weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self || !self->pending_ || self->state_ != state::processing)
                return;
            self->chunks_.push_back(" ");
            self->write_chunks();
            self->start_keep_alive();
        });
    }

    /// Stops the keep-alive spaces of a held SmartREST request, if any were started.
    void stop_keep_alive()
    {
        if(keep_alive_timer_)
            keep_alive_timer_->cancel();
    }

    /// True when the streamed response ends with the connection: HTTP/1.0 has no chunked encoding.
    bool close_delimited() const { return req_.version() < 11; }

    /// Writes the streamed SmartREST response: its head once, then the queued pieces in order,
    /// as chunks (HTTP/1.1) or as raw bytes before the connection closes (HTTP/1.0).
    void write_chunks()
    {
        if(writing_chunk_)
            return;
        if(!streaming_)
        {
            streaming_ = true;
            log_access(200, 0);
            stream_again_ = !close_delimited() && keep_open();
            out_head_.start(200, req_.version());
            out_head_.set(http::field::server, "rtnotify");
            out_head_.set(http::field::content_type, "text/plain; charset=utf-8");
            add_cors(out_head_);
            out_head_.finish_streamed(stream_again_);
            writing_chunk_ = true;
            set_deadline(stream_, opts().write_timeout);
            boost::asio::async_write(stream_, boost::asio::buffer(out_head_.text()),
                                     [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                                         self->on_chunk_written(ec, false);
                                     });
            return;
        }
        if(chunks_.empty())
            return;
        writing_chunk_ = true;
        bool const last = last_queued_ && chunks_.size() == 1;
        auto on_done = [self = this->shared_from_this(), last](boost::system::error_code ec, std::size_t) {
            self->chunks_.erase(self->chunks_.begin());
            self->on_chunk_written(ec, last);
        };
        set_deadline(stream_, opts().write_timeout);
        auto const& c = chunks_.front();
        if(close_delimited())
            boost::asio::async_write(stream_, boost::asio::buffer(c), std::move(on_done));
        else if(!last)
            boost::asio::async_write(stream_, http::make_chunk(boost::asio::buffer(c)), std::move(on_done));
        else if(c.empty())
            boost::asio::async_write(stream_, http::make_chunk_last(), std::move(on_done));
        else
            boost::asio::async_write(
                stream_, boost::beast::buffers_cat(http::make_chunk(boost::asio::buffer(c)), http::make_chunk_last()),
                std::move(on_done));
    }

    void on_chunk_written(boost::system::error_code ec, bool last)
    {
        writing_chunk_ = false;
        if(ec)
            return close();
        if(!last)
        {
            state_ = pending_ ? state::processing : state::writing;
            return write_chunks();
        }
        streaming_ = false;
        last_queued_ = false;
        if(!stream_again_)
            return close();
        next_request();
    }

    void close()
    {
        if(state_ == state::closed)
            return;
        state_ = state::closed;
        auto const self = std::move(keep_);
        stop_keep_alive();
        if(idle_timer_)
            idle_timer_->cancel();
        release_body();
        if(pending_)
        {
            auto const ex = pending_->exchange;
            bool const poll = pending_->socketio;
            pending_.reset();
            if(poll)
                hub_->socketio_poll_gone(ex, this);
            else
                hub_->close(ex);
        }
        close_transport(stream_); // a receive or read in flight ends with operation_aborted
    }

    std::shared_ptr<hub> hub_;
    Stream stream_;
    boost::beast::flat_buffer buffer_; ///< bytes read, not parsed yet: at most max_header_bytes
    std::unique_ptr<http::request_parser<http::string_body>> parser_; ///< while a request is read
    http::request<http::string_body> req_;
    std::optional<waiting> pending_;
    std::size_t reserved_ = 0; ///< bytes of `max_buffered_bytes` this request's body holds
    std::shared_ptr<basic_http_connection> keep_; ///< keeps this alive while the engine holds the request
    std::string client_; ///< the peer's address, which connections, templates and sessions are counted by
    std::string new_browser_; ///< a `BAYEUX_BROWSER` cookie the response gives (the request had none)
    std::chrono::steady_clock::time_point arrived_; ///< when the current request was read
    state state_ = state::reading;
    bool close_after_ = false;
    bool watching_ = false;         ///< a read watches the peer of a held request
    bool read_after_watch_ = false; ///< the watch was cancelled to read the next request

    // the response being written: its head, its body, and the buffers of both
    response_head out_head_;
    shared_text out_body_;
    std::vector<boost::asio::const_buffer> out_buffers_;

    char one_byte_ = 0; ///< what the watch on a held request's peer receives into

    // an idle connection's wait for its next request (`await_request`)
    std::unique_ptr<boost::asio::steady_timer> idle_timer_; ///< made for the first wait
    std::chrono::steady_clock::time_point idle_deadline_;   ///< when the current or last wait ends
    bool idle_timer_armed_ = false;
    bool awaiting_ = false; ///< a wait is in flight

    // a streamed SmartREST response (keep-alive spaces, then the rows)
    std::unique_ptr<boost::asio::steady_timer> keep_alive_timer_; ///< made for the first held SmartREST request
    std::vector<std::string> chunks_;
    bool stream_again_ = false; ///< the connection stays open after it
    bool streaming_ = false; ///< its head is written
    bool last_queued_ = false;
    bool writing_chunk_ = false;
};

/// The server's HTTP connection, on a TCP socket.
using http_connection = basic_http_connection<boost::beast::tcp_stream>;

/// The connection of a socket the server accepted, counted by its peer's address.
inline std::shared_ptr<http_connection> accepted_connection(std::shared_ptr<hub> h, boost::asio::ip::tcp::socket socket)
{
    auto client = peer_address(socket);
    return std::make_shared<http_connection>(std::move(h), boost::beast::tcp_stream(std::move(socket)), std::move(client));
}

} // namespace rtnotify::beast::detail

#endif
