// What every connection of a server shares: the engine, the SmartREST bridge, routes of exchanges, timers.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_HUB_HPP
#define RTNOTIFY_BEAST_DETAIL_HUB_HPP

#include <rtnotify/beast/detail/buffer_budget.hpp>
#include <rtnotify/beast/detail/socketio_sessions.hpp>
#include <rtnotify/beast/memory_budget.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/server_options.hpp>
#include <rtnotify/beast/wait_histogram.hpp>
#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/http.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/mqtt/broker.hpp>
#include <rtnotify/mqtt/diagnostic.hpp>
#include <rtnotify/mqtt/packet.hpp>
#include <rtnotify/session/address_counts.hpp>
#include <rtnotify/session/server.hpp>
#include <rtnotify/session/smartrest_bridge.hpp>
#include <rtnotify/smartrest/registry.hpp>
#include <rtnotify/socketio/engineio_payload.hpp>
#include <rtnotify/socketio/request.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <system_error>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::beast::detail {

/// What the hub asks of a connection (HTTP or WebSocket).
class connection
{
public:
    virtual ~connection() = default;
    /// Bayeux messages for an exchange this connection opened: a response, or pushed deliveries.
    virtual void on_send(session::send&& s) = 0;
    /// The SmartREST response body for an exchange this connection opened.
    virtual void on_smartrest(std::string body) = 0;
    /// A text from the `ws_service` behind this connection; for a held Socket.IO poll, the payload that answers it.
    virtual void on_text(std::shared_ptr<std::string const> text) = 0;
    /// The Socket.IO session this WebSocket carries is over: close once what is queued is written.
    virtual void on_session_end() {}
    /// Bytes the MQTT broker sends on this connection (MQTT connections only).
    virtual void on_mqtt_bytes(std::shared_ptr<std::string const>) {}
    /// The MQTT broker closes this connection once the bytes before are written (MQTT connections only).
    virtual void on_mqtt_close() {}
    /// The server stops: finish the response in flight, then close.
    virtual void shutdown() = 0;
    /// The shutdown grace is over: close the socket now, whatever is in flight.
    virtual void abort() = 0;
};

/** The state every connection of a server shares: the session engine, the
    SmartREST templates and bridge, the exchanges in flight, the engine's timer.

    All calls happen on the server's strand. Actions of the engine are routed
    to the connection that opened their exchange; an exchange whose
    connection is gone is dropped quietly.
*/
class hub : public std::enable_shared_from_this<hub>
{
public:
    hub(boost::asio::any_io_executor ex, server_options opts)
        : opts_(with_wall_clock(std::move(opts))), engine_(opts_.session), templates_(opts_.templates), bridge_(engine_, templates_),
          broker_(mqtt_rules()), timer_(ex), mqtt_timer_(ex), sio_timer_(ex), drop_timer_(ex), tick_timer_(ex), grace_timer_(std::move(ex))
    {
    }

    /** The broker options of `opts_.mqtt`: its `credentials` check CONNECTs
        (with the address of their connection), and Kuzzle's rules on topics
        apply when a Kuzzle service answers requests.
    */
    mqtt::broker_options mqtt_rules()
    {
        auto const& o = opts_.mqtt;
        auto b = o.broker;
        if(o.credentials)
            b.authenticate = [this](mqtt::connect const& con, mqtt::connection_id c, session::time_point now) {
                if(!con.user_name)
                    return mqtt::connect_code::accepted;
                auto const it = exchanges_.find(c);
                auto const address = it == exchanges_.end() ? std::string_view() : std::string_view(it->second.client);
                return opts_.mqtt.credentials(*con.user_name, con.password.value_or(""), address, now);
            };
        if(!o.service)
            return b;
        b.may_publish = [request = o.request_topic, response = o.response_topic,
                         pubsub = o.allow_pubsub](mqtt::client_view const&, std::string_view topic) {
            return pubsub ? topic != response : topic == request;
        };
        b.may_subscribe = [request = o.request_topic](mqtt::client_view const&, std::string_view filter) {
            return filter != request && filter.find_first_of("+#") == std::string_view::npos;
        };
        return b;
    }

    /// `o`, its engine reading the system clock for timesync replies unless it was given a clock.
    static server_options with_wall_clock(server_options o)
    {
        if(!o.session.wall_clock_ms)
            o.session.wall_clock_ms = [] {
                return std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                    .count();
            };
        return o;
    }

    server_options const& options() const noexcept { return opts_; }
    session::server& engine() noexcept { return engine_; }
    smartrest::registry& templates() noexcept { return templates_; }
    bool stopping() const noexcept { return stopping_; }

    /// What the connections buffer together (`max_buffered_bytes`, `max_buffered_bytes_per_address`).
    buffer_budget& buffers() noexcept { return buffers_; }

    /// Writes `line` to the log, if there is one.
    void log(std::string_view line) const
    {
        if(opts_.log)
            opts_.log(line);
    }

    /// Why `admit` refused a connection.
    enum class refusal
    {
        none,
        server_full,  ///< `max_connections`
        address_full, ///< `max_connections_per_address`
    };

    /// Counts a new connection from `client` in, unless a limit is reached (the caller answers 503).
    refusal admit(std::weak_ptr<connection> c, connection const* key, std::string client)
    {
        if(live_.size() >= opts_.max_connections)
            return refusal::server_full;
        if(!per_client_->try_add(client, opts_.max_connections_per_address))
            return refusal::address_full;
        live_.emplace(key, live_connection{std::move(c), std::move(client)});
        return refusal::none;
    }

    /// Counts in a connection that takes over an admitted one (a WebSocket upgrade).
    void track(std::weak_ptr<connection> c, connection const* key, std::string client)
    {
        per_client_->add(client);
        live_.emplace(key, live_connection{std::move(c), std::move(client)});
    }

    /// Counts a connection out.
    void forget(connection const* key)
    {
        if(auto it = live_.find(key); it != live_.end())
        {
            per_client_->remove(it->second.client);
            live_.erase(it);
        }
        if(stopping_ && live_.empty())
            grace_timer_.cancel(); // all closed in time: run() may return now
    }

    /// The number of open connections.
    std::size_t connection_count() const noexcept { return live_.size(); }

    /** A new exchange for `c`: one HTTP request (`lasting` false: over with
        its response) or one WebSocket (`lasting` true: until `close`).
        `client` is the peer's address, which sessions are counted by;
        `browser` the `BAYEUX_BROWSER` cookie the exchange carries (empty:
        none), which sessions are bound to; `authorization` its HTTP
        `Authorization` header, kept only when the engine's policy
        authenticates handshakes.
    */
    session::exchange_id open(std::weak_ptr<connection> c, bool lasting, std::string client, std::string browser = {},
                              std::string_view authorization = {})
    {
        auto const id = next_exchange_++;
        route r{std::move(c), lasting, false, std::move(client), std::move(browser), {}};
        if(opts_.session.policy.authenticate)
            r.authorization = authorization;
        exchanges_.emplace(id, std::move(r));
        return id;
    }

    /// The connection of `ex` is gone: a connect held there can no longer be answered.
    void close(session::exchange_id ex)
    {
        if(exchanges_.erase(ex) == 0)
            return;
        bridge_.close_exchange(ex);
        engine_.close_exchange(ex, now());
        drain();
    }

    /// The `ws_service` mounted on `path`, or null.
    ws_service* service_at(std::string_view path) const
    {
        auto it = opts_.ws_services.find(path);
        return it == opts_.ws_services.end() ? nullptr : it->second.get();
    }

    /// `text` received on `ex`, a WebSocket of `svc`.
    void service_text(session::exchange_id ex, ws_service& svc, std::string_view text)
    {
        to_service(ex, svc, text, "websocket");
    }

    /// `ex`, a WebSocket of `svc`, is gone.
    void service_close(session::exchange_id ex, ws_service& svc)
    {
        if(exchanges_.erase(ex) != 0)
            deliver_texts(svc.on_close(ex));
    }

    /// A new MQTT connection `c` from `client`: its exchange, which the broker gives `connect_timeout` to CONNECT.
    session::exchange_id mqtt_open(std::weak_ptr<connection> c, std::string client)
    {
        auto const ex = open(std::move(c), true, std::move(client));
        exchanges_.at(ex).mqtt = true;
        broker_.open(ex, now());
        drain_mqtt();
        return ex;
    }

    /// Packet `p` read on the MQTT connection `ex`.
    void mqtt_packet(session::exchange_id ex, mqtt::packet p)
    {
        broker_.receive(ex, std::move(p), now());
        drain_mqtt();
    }

    /// The MQTT connection `ex` sent bytes its reader refused (`diag`).
    void mqtt_refuse(session::exchange_id ex, mqtt::diagnostic const& diag)
    {
        log("MQTT connection from " + client_of(ex) + " closed: " + diag.to_string());
        broker_.refuse(ex, diag.code, now());
        drain_mqtt();
    }

    /// The MQTT connection `ex` is behind with writing (`true`) or has caught up: the broker holds back or resumes.
    void mqtt_behind(session::exchange_id ex, bool behind)
    {
        broker_.set_behind(ex, behind);
        drain_mqtt();
    }

    /// The MQTT connection `ex` is gone: the broker publishes its will, the Kuzzle service forgets it.
    void mqtt_closed(session::exchange_id ex)
    {
        if(exchanges_.erase(ex) == 0)
            return;
        broker_.closed(ex, now());
        if(opts_.mqtt.service)
            deliver_texts(opts_.mqtt.service->on_close(ex));
        drain_mqtt();
    }

    /// A response with `status` was written.
    void count_response(unsigned status) { ++responses_by_status_[status]; }

    /// A connection went to another shard of the group with its request.
    void count_hand_off() { ++handed_off_; }

    /// The server's metrics, as `server_options::metrics_path` answers them.
    std::vector<metric_family> metrics() const
    {
        auto gauge = [](std::string name, std::string help, std::uint64_t value) {
            return metric_family{std::move(name), std::move(help), metric_kind::gauge, {{"", value}}, {}};
        };
        auto counter = [](std::string name, std::string help, std::uint64_t value) {
            return metric_family{std::move(name), std::move(help), metric_kind::counter, {{"", value}}, {}};
        };
        // a counter by one label, which has a sample per value seen
        auto counter_by = [](std::string name, std::string help, char const* label, auto const& counts) {
            metric_family f{std::move(name), std::move(help), metric_kind::counter, {}, {}};
            for(auto const& [key, n] : counts)
            {
                if constexpr(std::is_arithmetic_v<std::decay_t<decltype(key)>>)
                    f.samples.push_back({std::string(label) + "=\"" + std::to_string(key) + '"', n});
                else
                    f.samples.push_back({std::string(label) + "=\"" + std::string(key) + '"', n});
            }
            return f;
        };
        std::vector<metric_family> m{
            gauge("rtnotify_connections", "Open connections (HTTP, WebSocket and MQTT).", live_.size()),
            gauge("rtnotify_bayeux_sessions", "Bayeux sessions (SmartREST devices included).", engine_.session_count()),
            gauge("rtnotify_bayeux_subscriptions", "Subscriptions of the Bayeux sessions (a channel once per subscriber).",
                  engine_.subscription_count()),
            gauge("rtnotify_bayeux_queued_bytes", "Bytes the Bayeux sessions' queues hold.", engine_.queued_bytes()),
            counter("rtnotify_bayeux_deliveries_total", "Bayeux deliveries handed to a connection.", deliveries_),
            waits_.family("rtnotify_bayeux_delivery_wait_seconds",
                          "How long Bayeux deliveries waited in the server, from their publish to their connection."),
            counter("rtnotify_bayeux_dropped_total", "Bayeux messages dropped because a session's queue was full.", dropped_),
            counter_by("rtnotify_bayeux_errors_total",
                       "Bayeux replies that refused a message, by the code of their error (0: none readable).", "code",
                       errors_by_code_),
            counter_by("rtnotify_bayeux_sessions_closed_total", "Bayeux sessions closed, by reason.", "reason",
                       closed_by_reason_),
            gauge("rtnotify_mqtt_connections", "MQTT connections.", broker_.connection_count()),
            gauge("rtnotify_mqtt_sessions", "MQTT sessions (persistent ones included).", broker_.session_count()),
            gauge("rtnotify_mqtt_queued_bytes", "Bytes the MQTT sessions' queues hold.", broker_.queued_bytes()),
            counter_by("rtnotify_http_responses_total",
                       "HTTP responses written, by status (streamed SmartREST connects excepted).", "status",
                       responses_by_status_),
            counter("rtnotify_connections_handed_total",
                    "Connections handed with their request to the thread that serves it (--threads), by the one that read it.",
                    handed_off_),
            gauge("rtnotify_memory_budget_bytes", "The most memory the server keeps whatever peers send (docs/server.md).",
                  memory_budget_),
        };
        for(auto const* svc : services())
            for(auto& f : svc->metrics())
                m.push_back(std::move(f));
        if(opts_.more_metrics)
            for(auto& f : opts_.more_metrics())
                m.push_back(std::move(f));
        if(opts_.sharding.peer_metrics)
            for(auto const& shard : opts_.sharding.peer_metrics())
                sum_metrics(m, shard);
        return m;
    }

    /// The answer of `opts_.http_api` to `request`, whose texts go to their WebSockets; nothing without one.
    std::optional<bayeux::http_response> http_api(service_http_request const& request)
    {
        if(!opts_.http_api)
            return std::nullopt;
        auto answer = opts_.http_api->on_http(request);
        if(!answer)
            return std::nullopt;
        arm_ticks();
        deliver_texts(std::move(answer->texts));
        return bayeux::http_response{answer->status, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(answer->body)};
    }

    /// True when `path` is where Socket.IO answers.
    bool socketio_at(std::string_view path) const { return opts_.socketio.service && path == opts_.socketio.path; }

    /** An HTTP request (not an upgrade) from `c` on the Socket.IO path: the
        answer, or none for a poll of session `held` held until there is
        something to send (which then comes through `c->on_text`).
    */
    std::optional<bayeux::http_response> socketio_http(std::weak_ptr<connection> c, std::string const& client, bool post,
                                                      std::string_view target, std::string_view body,
                                                      session::exchange_id& held)
    {
        auto q = socketio::read_request_query(target);
        if(!q || q->transport != socketio::transport::polling)
            return engineio_refusal(q ? socketio::request_error{3, "Bad request"} : q.error(), client, "no polling");
        if(q->sid.empty())
        {
            if(post)
                return engineio_refusal({2, "Bad handshake method"}, client, "a handshake must be a GET");
            auto const ex = socketio_open(client, q->version, true);
            if(ex == 0)
                return bayeux::http_error(503, "too many Socket.IO sessions");
            return engineio_payload(sio_.find(ex)->sock);
        }
        auto const ex = sio_.find(q->sid);
        auto* s = sio_.find(ex);
        if(!s)
            return engineio_refusal({1, "Session ID unknown"}, client, "unknown sid");
        if(s->sock.version() != q->version || !s->ws.expired())
            return engineio_refusal({3, "Bad request"}, client, "a poll of a session on a WebSocket, or of another revision");
        if(!post)
        {
            if(!s->poll.expired())
            {
                socketio_end(ex, "a second poll while one is held");
                return engineio_refusal({3, "Bad request"}, client, "overlapping polls");
            }
            if(s->sock.has_outgoing())
                return engineio_payload(s->sock);
            if(s->probe) // an upgrade is under way: a poll that came after the probe ends at once, so the client can pause
                return plain_text(noop_payload(s->sock));
            s->poll = std::move(c);
            held = ex;
            return std::nullopt;
        }
        auto packets = socketio::decode_engineio_payload(body, q->version, opts_.socketio.socket.limits);
        if(!packets)
        {
            socketio_end(ex, "bad payload: " + packets.error().to_string());
            return engineio_refusal({3, "Bad request"}, client, "bad payload");
        }
        for(auto const& p : *packets)
            if(!socketio_packet(ex, p))
                break;
        socketio_flush(ex);
        return plain_text("ok");
    }

    /** Engine.IO's answer to a WebSocket upgrade request for `target` on the
        Socket.IO path that cannot succeed (bad query, unknown session, no room
        for a new one), or none: the upgrade may go ahead.
    */
    std::optional<bayeux::http_response> socketio_upgrade_refusal(std::string_view target, std::string const& client) const
    {
        auto q = socketio::read_request_query(target);
        if(!q || q->transport != socketio::transport::websocket)
            return engineio_refusal(q ? socketio::request_error{3, "Bad request"} : q.error(), client, "no WebSocket");
        if(q->sid.empty())
        {
            if(auto why = socketio_full(client))
                return bayeux::http_error(503, *why);
            return std::nullopt;
        }
        if(upgradable_session(*q) == 0)
            return engineio_refusal({1, "Session ID unknown"}, client, "upgrade of an unknown sid");
        return std::nullopt;
    }

    /** The WebSocket `c` on the Socket.IO path is open with `target`: a new
        session (no `sid`), or a candidate to carry session `sid` once it
        answers the probe. Returns the session's exchange; 0 says close `c`.
    */
    session::exchange_id socketio_ws_open(std::weak_ptr<connection> c, std::string const& client, std::string_view target)
    {
        auto q = socketio::read_request_query(target);
        if(!q || q->transport != socketio::transport::websocket)
            return engineio_refusal(q ? socketio::request_error{3, "Bad request"} : q.error(), client, "no WebSocket"), 0;
        if(q->sid.empty())
        {
            auto const ex = socketio_open(client, q->version, false);
            if(auto* s = sio_.find(ex))
            {
                s->ws = std::move(c);
                socketio_flush(ex);
            }
            return ex;
        }
        auto const ex = upgradable_session(*q); // checked before the upgrade; the session may have ended since
        if(ex == 0)
            return engineio_refusal({1, "Session ID unknown"}, client, "upgrade of an unknown sid"), 0;
        return ex;
    }

    /// `text` arrived on the WebSocket `key`, which carries session `ex` or would.
    void socketio_ws_text(session::exchange_id ex, std::weak_ptr<connection> c, connection const* key, std::string_view text)
    {
        auto* s = sio_.find(ex);
        if(!s)
            return;
        if(s->ws.expired()) // the upgrade: 2probe, 3probe, then 5 moves the session onto this WebSocket
        {
            if(text == "2probe")
            {
                s->probe = key;
                if(auto w = c.lock())
                    w->on_text(std::make_shared<std::string const>("3probe"));
                if(auto poll = s->poll.lock()) // the client's poll ends, so it stops polling
                {
                    s->poll.reset();
                    poll->on_text(std::make_shared<std::string const>(noop_payload(s->sock)));
                }
                return;
            }
            if(text == "5" && s->probe == key)
            {
                s->ws = std::move(c);
                s->probe = nullptr;
                return socketio_flush(ex);
            }
            return socketio_end(ex, "unexpected packet during the upgrade");
        }
        if(socketio_packet(ex, text))
            socketio_flush(ex);
    }

    /// The WebSocket `key` of session `ex` is closed: if it carried the session, the session ends.
    void socketio_ws_closed(session::exchange_id ex, connection const* key)
    {
        auto* s = sio_.find(ex);
        if(!s)
            return;
        if(s->ws.lock().get() == key)
            return socketio_end(ex, {});
        if(s->probe == key)
            s->probe = nullptr; // the upgrade failed: polling goes on
    }

    /// The held poll of session `ex` on connection `key` is gone (its client left): nothing waits for packets now.
    void socketio_poll_gone(session::exchange_id ex, connection const* key)
    {
        if(auto* s = sio_.find(ex); s && s->poll.lock().get() == key)
            s->poll.reset();
    }

    /// The MQTT broker, for inspection (on the strand only).
    mqtt::broker const& broker() const noexcept { return broker_; }

    /// A Bayeux batch received on `ex`.
    void bayeux(session::exchange_id ex, std::vector<bayeux::message> batch)
    {
        auto const it = exchanges_.find(ex);
        if(it == exchanges_.end())
            return;
        auto const carrier = it->second.lasting ? session::exchange_kind::socket : session::exchange_kind::request;
        engine_.receive(ex, std::move(batch), now(), carrier, it->second.client, it->second.browser,
                        it->second.authorization);
        drain();
    }

    /// Whether a SmartREST request with this `Authorization` header from `client` is served (`smartrest_credentials`).
    bool smartrest_allowed(std::string_view authorization, std::string_view client) const
    {
        return !opts_.smartrest_credentials || opts_.smartrest_credentials(authorization, client, now());
    }

    /** A SmartREST real-time body posted with `xid` on `ex`, with the request's
        `Authorization` header; the response comes through `on_smartrest`.
    */
    void smartrest(session::exchange_id ex, std::string_view xid, std::string_view body,
                   std::string_view authorization = {})
    {
        auto const it = exchanges_.find(ex);
        auto const client = it == exchanges_.end() ? std::string_view() : std::string_view(it->second.client);
        bridge_.receive(ex, xid, body, now(), client, authorization);
        drain();
    }

    /** The response to a `POST` of `body` with `xid` on the template path
        (`smartrest_bridge::register_templates`); a registration that made
        a collection goes to `on_templates_registered`.
    */
    std::string register_templates(std::string_view xid, std::string_view body, std::string_view owner)
    {
        auto const before = templates_.size();
        auto answer = bridge_.register_templates(xid, body, owner);
        if(templates_.size() > before && opts_.on_templates_registered)
            opts_.on_templates_registered(xid, body, owner);
        return answer;
    }

    /// Registers what another node registered (not passed to `on_templates_registered`); its answer, for logs.
    std::string register_remote_templates(std::string_view xid, std::string_view body, std::string_view owner)
    {
        return bridge_.register_templates(xid, body, owner);
    }

    /// Publishes `m` from the application.
    std::optional<bayeux::error_string> publish(bayeux::message m)
    {
        auto e = engine_.publish(std::move(m), now());
        drain();
        return e;
    }

    /// Delivers `m`, which another node accepted, to this node's subscribers (not reported to `on_published`).
    std::optional<bayeux::error_string> publish_remote(bayeux::message m)
    {
        auto e = engine_.publish_remote(std::move(m), now());
        drain();
        return e;
    }

    /// Passes another node's service event to the services here, and sends what they answer.
    void deliver_service_event(std::string_view event)
    {
        for(auto* svc : services())
            deliver_texts(svc->on_cluster_event(event));
    }

    /// Publishes an MQTT message that a client of another node published, to the MQTT subscribers here; logs one refused.
    void publish_mqtt_remote(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain)
    {
        if(stopping_)
            return;
        if(auto const bad = broker_.publish(topic, payload, qos, retain))
            return log("MQTT message of another node refused: " + bad.message() + " (" +
                       std::to_string(topic.size()) + "-byte topic)");
        drain_mqtt();
    }

    /// Keeps a message another node retained, unless one is retained here for its topic; sends it to nobody.
    void keep_mqtt_retained(std::string_view topic, std::string_view payload, std::uint8_t qos)
    {
        if(stopping_)
            return;
        if(auto const bad = broker_.retain_if_absent(topic, payload, qos))
            return log("MQTT retained message of the cluster refused: " + bad.message() + " (" +
                       std::to_string(topic.size()) + "-byte topic)");
        drain_mqtt();
    }

    /// Stops: held connects are answered, every connection is asked to close, timers end.
    void stop()
    {
        if(stopping_)
            return;
        stopping_ = true;
        engine_.release_held(now());
        drain();
        for(auto const ex : sio_.exchanges()) // held polls get the CLOSE packet, WebSockets close
            socketio_end(ex, {});
        timer_.cancel();
        mqtt_timer_.cancel();
        sio_timer_.cancel();
        drop_timer_.cancel();
        tick_timer_.cancel();
        auto live = live_;
        for(auto const& [key, l] : live)
            if(auto c = l.conn.lock())
                c->shutdown();
        if(live_.empty())
            return;
        // a peer that never reads would hold its write in flight until write_timeout
        grace_timer_.expires_after(opts_.shutdown_grace);
        grace_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self)
                return;
            self->log("stopping: " + std::to_string(self->live_.size()) + " connections still open after " +
                      std::to_string(self->opts_.shutdown_grace.count()) + " ms, closed");
            auto left = self->live_;
            for(auto const& [key, l] : left)
                if(auto c = l.conn.lock())
                    c->abort();
        });
    }

private:
    /** What the log calls session `client_id`: 8 hex digits of a hash keyed
        by a secret of this process. The same session gets the same tag in
        every line, and the tag does not give away the id, which is a bearer
        secret (whoever knows it may act as the session).
    */
    std::string log_tag(std::string_view client_id) const
    {
        auto const h = std::hash<std::string_view>{}(log_key_ + std::string(client_id));
        char out[9];
        std::snprintf(out, sizeof out, "%08x", static_cast<unsigned>(h ^ (h >> 32)));
        return out;
    }

    struct route
    {
        std::weak_ptr<connection> conn;
        bool lasting = false;
        bool mqtt = false;   ///< an MQTT connection: texts for it go through the broker
        std::string client;  ///< the peer's address
        std::string browser; ///< the `BAYEUX_BROWSER` cookie it carries, empty if none
        std::string authorization; ///< its `Authorization` header, for the engine's policy (`open`)
        bool socketio = false; ///< a Socket.IO session: texts for it are events of its socket
        bool introduced = false; ///< its service was told its client's address (`ws_service::on_open`)
    };

    /// `text` from `ex` to `svc` over `protocol`; before the first, the service learns the client's address.
    void to_service(session::exchange_id ex, ws_service& svc, std::string_view text, std::string_view protocol)
    {
        if(auto it = exchanges_.find(ex); it != exchanges_.end() && !it->second.introduced)
        {
            it->second.introduced = true;
            svc.on_open(ex, it->second.client);
        }
        arm_ticks();
        deliver_texts(svc.on_text(ex, text, protocol));
    }

    /// Ticks the services every second, from the first text one receives until the server stops.
    void arm_ticks()
    {
        if(ticking_ || stopping_)
            return;
        ticking_ = true;
        tick_timer_.expires_after(std::chrono::seconds(1));
        tick_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self)
                return;
            self->ticking_ = false;
            for(auto* svc : self->services())
                self->deliver_texts(svc->on_tick());
            self->arm_ticks();
        });
    }

    /// The services of the options, each once wherever it is mounted.
    std::vector<ws_service*> services() const
    {
        std::vector<ws_service*> all;
        for(auto const& [path, svc] : opts_.ws_services)
            all.push_back(svc.get());
        all.push_back(opts_.mqtt.service.get());
        all.push_back(opts_.socketio.service.get());
        all.push_back(opts_.http_api.get());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        all.erase(std::remove(all.begin(), all.end(), nullptr), all.end());
        return all;
    }

    static session::time_point now() { return std::chrono::steady_clock::now(); }

    /** Hands each text of a `ws_service` to its WebSocket, if still there.

        MQTT, as Kuzzle does it: a notification is published once on its
        channel's topic (whoever subscribed to the topic gets it), and a
        response goes to its MQTT client on the response topic.
    */
    void deliver_texts(std::vector<ws_text> texts)
    {
        take_service_events(); // every call of a service ends here
        std::string const* published = nullptr; // a notification's recipients share its text and come in a row
        for(auto& t : texts)
        {
            if(t.channel && t.text.get() != published)
            {
                broker_.publish(*t.channel, *t.text, 0, false);
                published = t.text.get();
            }
            auto it = exchanges_.find(t.to);
            if(it == exchanges_.end())
                continue;
            if(it->second.socketio)
                socketio_emit(t);
            else if(it->second.mqtt)
            {
                if(!t.channel && opts_.mqtt.development_mode)
                    broker_.publish(opts_.mqtt.response_topic, *t.text, 0, false);
                else if(!t.channel)
                    broker_.send_to(t.to, opts_.mqtt.response_topic, *t.text, 0);
            }
            else if(auto c = it->second.conn.lock())
                c->on_text(std::move(t.text));
        }
        drain_mqtt();
    }

    /// Hands the services' events for the other nodes of a cluster to `on_service_event` (dropped without one).
    void take_service_events()
    {
        for(auto* svc : services())
            for(auto& e : svc->take_cluster_events())
                if(opts_.on_service_event)
                    opts_.on_service_event(e);
    }

    /// Logs a refused Engine.IO request and gives its answer.
    bayeux::http_response engineio_refusal(socketio::request_error const& e, std::string const& client, std::string_view why) const
    {
        log("Socket.IO request from " + client + " refused (" + std::string(why) + "): " + e.message);
        return {static_cast<unsigned>(e.code == 4 ? 403 : 400), {{"Content-Type", "application/json"}}, e.body()};
    }

    /// A polling payload of one NOOP packet, which ends a poll during an upgrade.
    static std::string noop_payload(socketio::socket const& sock)
    {
        std::string const noop[] = {socketio::encode_engineio_packet(socketio::engineio_type::noop)};
        return socketio::encode_engineio_payload(noop, sock.version());
    }

    /// The packets `sock` queued, as a polling payload.
    bayeux::http_response engineio_payload(socketio::socket& sock)
    {
        sio_queued_ -= sock.queued_bytes();
        return plain_text(socketio::encode_engineio_payload(sock.take_outgoing(), sock.version()));
    }

    /// A 200 response of Engine.IO's polling transport (a payload, or "ok" to a post).
    static bayeux::http_response plain_text(std::string body)
    {
        return {200, {{"Content-Type", "text/plain; charset=UTF-8"}}, std::move(body)};
    }

    /// The exchange of the session a WebSocket upgrade with query `q` would carry (its sid, its revision, not on a WebSocket yet), or 0.
    session::exchange_id upgradable_session(socketio::request_query const& q) const
    {
        auto const ex = sio_.find(q.sid);
        auto const* s = sio_.find(ex);
        return s && s->sock.version() == q.version && s->ws.expired() ? ex : 0;
    }

    /// Why a new session for `client` would be one too many (logged), or none.
    std::optional<std::string> socketio_full(std::string const& client) const
    {
        std::optional<std::string> why;
        if(sio_.size() >= opts_.socketio.max_sessions)
            why = "too many Socket.IO sessions";
        else if(sio_.count_of(client) >= opts_.socketio.max_sessions_per_address)
            why = "too many Socket.IO sessions from " + client;
        if(why)
            log("Socket.IO handshake from " + client + " refused: " + *why);
        return why;
    }

    /// A new session for `client` (its handshake queued), or 0 past `max_sessions` or `max_sessions_per_address`.
    session::exchange_id socketio_open(std::string const& client, socketio::eio_version v, bool polling)
    {
        if(socketio_full(client))
            return 0;
        auto const ex = open({}, true, client);
        exchanges_.at(ex).socketio = true;
        auto sid = rtnotify::detail::random_id(20);
        while(sio_.find(sid) != 0)
            sid = rtnotify::detail::random_id(20);
        auto& s = sio_.add(ex, socketio_session{socketio::socket(std::move(sid), v, polling, opts_.socketio.socket, now()),
                                                client, {}, {}});
        sio_queued_ += s.sock.queued_bytes();
        arm_socketio();
        return ex;
    }

    /** Gives an Engine.IO packet (`in`: its text, or the packet decoded from a payload) to the socket
        of `ex`; a request event goes to the service. Returns false when the session ended on it. */
    template<class Packet>
    bool socketio_packet(session::exchange_id ex, Packet const& in)
    {
        auto* s = sio_.find(ex);
        auto const before = s->sock.queued_bytes();
        auto r = s->sock.receive(in, now());
        sio_queued_ += s->sock.queued_bytes() - before; // answers (pongs, CONNECT) only add
        if(!r && s->sock.closed())
        {
            socketio_end(ex, r.error().to_string());
            return false;
        }
        if(!r)
            log("Socket.IO packet from " + s->client + " ignored: " + r.error().to_string());
        else if(auto& e = *r; e && e->name == opts_.socketio.request_event && !e->args.empty())
            to_service(ex, *opts_.socketio.service, boost::json::serialize(e->args[0]), "socketio");
        else if(e)
            log("Socket.IO event \"" + e->name + "\" from " + s->client + " ignored: only \"" + opts_.socketio.request_event +
                "\" with a request is served");
        s = sio_.find(ex); // the service's texts may have ended sessions
        if(s && s->sock.closed())
        {
            socketio_end(ex, {});
            return false;
        }
        sio_.refile(ex);
        arm_socketio();
        return true;
    }

    /// Emits text `t` of the service on its session's socket: a response as the event named by its `requestId`, a notification by its channel.
    void socketio_emit(ws_text const& t)
    {
        auto* s = sio_.find(t.to);
        if(!s)
            return;
        auto const event = t.channel ? std::string_view(*t.channel) : std::string_view(t.request_id);
        if(event.empty())
            return; // neither a response nor a notification (Kuzzle's WebSocket heartbeat): no event for it
        auto const before = s->sock.queued_bytes();
        if(sio_queued_ + event.size() + t.text->size() + 8 > opts_.socketio.max_total_queued_bytes)
            log("Socket.IO event \"" + std::string(event) + "\" for " + s->client + " dropped: " + std::to_string(sio_queued_) +
                " bytes wait for Socket.IO clients (socketio.max_total_queued_bytes)");
        else if(!s->sock.emit(event, *t.text))
            log("Socket.IO event \"" + std::string(event) + "\" for " + s->client + " dropped: " +
                std::to_string(s->sock.queued_bytes()) + " bytes wait for the client (socketio.socket.max_queued_bytes)");
        sio_queued_ += s->sock.queued_bytes() - before;
        socketio_flush(t.to);
    }

    /// Sends what the socket of `ex` queued: on its WebSocket, or as the answer to its held poll.
    void socketio_flush(session::exchange_id ex)
    {
        auto* s = sio_.find(ex);
        if(!s || !s->sock.has_outgoing())
            return;
        if(auto w = s->ws.lock())
        {
            sio_queued_ -= s->sock.queued_bytes();
            for(auto& text : s->sock.take_outgoing())
                w->on_text(std::make_shared<std::string const>(std::move(text)));
        }
        else if(auto poll = s->poll.lock())
        {
            s->poll.reset();
            poll->on_text(std::make_shared<std::string const>(std::move(engineio_payload(s->sock).body)));
        }
    }

    /// Ends session `ex` (`why` logged unless empty): its transports are told, the service forgets it.
    void socketio_end(session::exchange_id ex, std::string const& why)
    {
        auto* s = sio_.find(ex);
        if(!s)
            return;
        if(!why.empty())
            log("Socket.IO session from " + s->client + " closed: " + why);
        auto const before = s->sock.queued_bytes();
        s->sock.close();
        sio_queued_ += s->sock.queued_bytes() - before;
        socketio_flush(ex); // the CLOSE packet, if a transport takes it
        if(auto w = s->ws.lock())
            w->on_session_end();
        sio_queued_ -= s->sock.queued_bytes(); // what no poll came for
        sio_.erase(ex);
        if(exchanges_.erase(ex) != 0)
            deliver_texts(opts_.socketio.service->on_close(ex));
        arm_socketio();
    }

    /// Runs the heartbeats that are due, and waits for the next one.
    void arm_socketio()
    {
        arm_timer(sio_timer_, sio_armed_, sio_.next_deadline(), [](hub& h) {
            auto const t = now();
            for(auto ex = h.sio_.due(t); ex != 0; ex = h.sio_.due(t))
            {
                auto* s = h.sio_.find(ex);
                auto const before = s->sock.queued_bytes();
                s->sock.on_timer(t);
                h.sio_queued_ += s->sock.queued_bytes() - before;
                if(s->sock.closed())
                {
                    h.socketio_end(ex, s->sock.close_reason().message());
                    continue;
                }
                h.sio_.refile(ex);
                h.socketio_flush(ex);
            }
            h.arm_socketio();
        });
    }

    std::string client_of(session::exchange_id ex) const
    {
        auto it = exchanges_.find(ex);
        return it == exchanges_.end() ? std::string("?") : it->second.client;
    }

    /// Carries out the broker's actions: bytes and closes to MQTT connections, requests to the Kuzzle service.
    void drain_mqtt()
    {
        for(auto actions = broker_.take_actions(); !actions.empty(); actions = broker_.take_actions())
            for(auto& a : actions)
            {
                if(auto* s = std::get_if<mqtt::send_bytes>(&a))
                {
                    if(auto it = exchanges_.find(s->to); it != exchanges_.end())
                        if(auto c = it->second.conn.lock())
                            c->on_mqtt_bytes(std::move(s->bytes));
                }
                else if(auto* x = std::get_if<mqtt::close_connection>(&a))
                {
                    if(x->why)
                        log("MQTT connection from " + client_of(x->connection) + " closed: " + x->why.message());
                    if(auto it = exchanges_.find(x->connection); it != exchanges_.end())
                        if(auto c = it->second.conn.lock())
                            c->on_mqtt_close();
                }
                else if(auto* m = std::get_if<mqtt::message_received>(&a))
                {
                    auto const& p = m->message;
                    if(opts_.mqtt.service && p.topic == opts_.mqtt.request_topic)
                        to_service(m->from, *opts_.mqtt.service, p.payload, "mqtt");
                    else if(opts_.on_mqtt_published)
                        opts_.on_mqtt_published(p.topic, p.payload, p.qos, p.retain);
                }
                else if(auto* w = std::get_if<mqtt::will_published>(&a))
                {
                    if(opts_.on_mqtt_published)
                        opts_.on_mqtt_published(w->message.topic, w->message.payload, w->message.qos, w->message.retain);
                }
                else if(auto* d = std::get_if<mqtt::message_dropped>(&a))
                    count_dropped(*d);
            }
        arm_mqtt();
    }

    /** Logs the messages the broker drops: the first at once, then how many
        more within each second after it (a slow reader may lose thousands).
    */
    void count_dropped(mqtt::message_dropped const& d)
    {
        if(mqtt_dropped_++ != 0)
            return; // the timer below reports it
        log("MQTT message on " + d.topic + " for client " + log_tag(d.client_id) + " dropped: " + d.why.message());
        drop_timer_.expires_after(std::chrono::seconds(1));
        drop_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self)
                return;
            if(auto const more = std::exchange(self->mqtt_dropped_, 0); more > 1)
                self->log("MQTT: " + std::to_string(more - 1) + " more message(s) dropped within a second");
        });
    }

    /// Waits for the broker's next deadline (only when it changed).
    void arm_mqtt()
    {
        arm_timer(mqtt_timer_, mqtt_armed_, broker_.next_timer(), [](hub& h) {
            h.broker_.on_timer(now());
            h.drain_mqtt();
        });
    }

    /// Sets `timer` to `deadline` unless it is set there already (`armed`); at the deadline `fire(hub&)` runs.
    template<class Fire>
    void arm_timer(boost::asio::steady_timer& timer, std::optional<session::time_point>& armed,
                   std::optional<session::time_point> deadline, Fire fire)
    {
        if(stopping_ || deadline == armed)
            return;
        armed = deadline;
        if(!deadline)
        {
            timer.cancel();
            return;
        }
        timer.expires_at(*deadline);
        timer.async_wait([weak = weak_from_this(), &armed, fire](boost::system::error_code ec) {
            auto self = weak.lock();
            if(ec || !self || self->stopping_)
                return;
            armed.reset(); // a member of *self, alive while self is held
            fire(*self);
        });
    }

    void respond_smartrest(session::exchange_id ex, std::string body)
    {
        auto it = exchanges_.find(ex);
        if(it == exchanges_.end())
            return;
        auto c = it->second.conn.lock();
        if(!it->second.lasting)
            exchanges_.erase(it);
        if(c)
            c->on_smartrest(std::move(body));
    }

    /// Routes the SmartREST responses and the engine's other actions, then sets the timer to the next deadline.
    void drain()
    {
        bridge_.take_actions(responses_, actions_);
        for(auto& r : responses_)
            respond_smartrest(r.exchange, std::move(r.body));
        responses_.clear();
        for(auto& a : actions_)
        {
            if(auto* s = std::get_if<session::send>(&a))
            {
                auto it = exchanges_.find(s->exchange);
                if(it == exchanges_.end())
                    continue;
                auto c = it->second.conn.lock();
                if(!it->second.lasting && !s->push)
                    exchanges_.erase(it);
                if(c)
                {
                    count_sent(*s);
                    c->on_send(std::move(*s));
                }
            }
            else if(auto const* p = std::get_if<session::published>(&a))
            {
                if(opts_.on_published)
                    opts_.on_published(*p);
            }
            else if(auto const* c = std::get_if<session::session_closed>(&a))
            {
                ++closed_by_reason_[reason(c->reason)];
                log("session " + log_tag(c->client_id) + " closed: " + reason(c->reason));
            }
            else if(auto const* o = std::get_if<session::overflowed>(&a))
            {
                dropped_ += o->dropped;
                log("session " + log_tag(o->client_id) + " queue full: " + std::to_string(o->dropped) + " dropped");
            }
            else if(auto const* r = std::get_if<session::service_request>(&a))
                log("session " + log_tag(r->client_id) + " sent to " + r->message->channel + " (no service there)");
        }
        actions_.clear();
        arm();
    }

    /// Counts what `s` hands to a connection: its deliveries and how long each waited, its error replies by code.
    void count_sent(session::send const& s)
    {
        deliveries_ += s.deliveries.size();
        if(!s.deliveries.empty())
        {
            auto const t = now();
            for(auto const& d : s.deliveries)
                waits_.record(t - d.what.accepted);
        }
        for(auto const& r : s.messages)
            if(r.successful == false)
                ++errors_by_code_[r.error ? bayeux::error_string::parse(*r.error).code.value_or(0) : 0];
    }

    static char const* reason(session::close_reason r)
    {
        switch(r)
        {
        case session::close_reason::disconnected: return "disconnected";
        case session::close_reason::expired: return "expired";
        case session::close_reason::overflow: return "queue overflow";
        case session::close_reason::closed: return "closed by the server";
        }
        return "?";
    }

    /// Waits for the engine's next deadline (only when it changed).
    void arm()
    {
        arm_timer(timer_, armed_, engine_.next_deadline(), [](hub& h) {
            h.engine_.on_timer(now());
            h.drain();
        });
    }

    server_options opts_;
    session::server engine_;
    smartrest::registry templates_;
    session::smartrest_bridge bridge_;
    mqtt::broker broker_;
    boost::asio::steady_timer timer_;
    boost::asio::steady_timer mqtt_timer_;
    std::optional<session::time_point> mqtt_armed_;
    detail::socketio_sessions sio_;
    std::size_t sio_queued_ = 0; ///< the bytes every Socket.IO socket has queued together
    boost::asio::steady_timer sio_timer_;
    std::optional<session::time_point> sio_armed_;
    std::size_t mqtt_dropped_ = 0; ///< messages dropped since the last log line about them
    boost::asio::steady_timer drop_timer_;
    boost::asio::steady_timer tick_timer_; ///< `ws_service::on_tick`
    bool ticking_ = false;
    boost::asio::steady_timer grace_timer_; ///< ends the shutdown of connections that do not close
    std::optional<session::time_point> armed_;
    std::unordered_map<session::exchange_id, route> exchanges_;
    struct live_connection
    {
        std::weak_ptr<connection> conn;
        std::string client; ///< the peer's address
    };
    std::unordered_map<connection const*, live_connection> live_;
    /// Open connections per peer address: the group's, or this server's own.
    std::shared_ptr<session::address_counts> per_client_ = session::shared_or_own(opts_.sharding.connections_per_address);
    std::vector<session::smartrest_response> responses_;
    std::vector<session::server_action> actions_;
    buffer_budget buffers_{opts_.max_buffered_bytes, opts_.max_buffered_bytes_per_address,
                           opts_.sharding.buffered_per_address};
    session::exchange_id next_exchange_ = 1;
    std::uint64_t deliveries_ = 0;                               ///< Bayeux deliveries handed to connections
    wait_histogram waits_;                                       ///< how long those deliveries waited
    std::map<int, std::uint64_t> errors_by_code_;                ///< Bayeux error replies handed to connections
    std::uint64_t handed_off_ = 0;                               ///< connections handed to another shard
    std::uint64_t dropped_ = 0;                                  ///< Bayeux messages dropped by full queues
    std::map<std::string_view, std::uint64_t> closed_by_reason_; ///< Bayeux sessions closed (`reason`'s names)
    std::map<unsigned, std::uint64_t> responses_by_status_;     ///< HTTP responses written
    std::uint64_t memory_budget_ = memory_budget(opts_);
    bool stopping_ = false;
    std::string const log_key_ = rtnotify::detail::random_id(16);
};

} // namespace rtnotify::beast::detail

#endif
