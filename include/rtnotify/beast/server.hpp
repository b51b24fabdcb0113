// rtnotify/beast/server.hpp: the embeddable Bayeux, SmartREST and WebSocket-service server on Boost.Beast.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SERVER_HPP
#define RTNOTIFY_BEAST_SERVER_HPP

#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/beast/handed_connection.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/server_options.hpp>
#include <rtnotify/detail/config.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include <functional>
#include <list>
#include <memory>
#include <vector>

namespace rtnotify::session {
class server;
} // namespace rtnotify::session

namespace rtnotify::smartrest {
class registry;
} // namespace rtnotify::smartrest

namespace rtnotify::beast {

namespace detail {
class hub;
} // namespace detail

/** The rtnotify server on an `io_context` the application owns.

    Bayeux on `bayeux_path` (JSON and form POST, JSONP GET, WebSocket),
    SmartREST template registration on `smartrest_path` and SmartREST
    real-time on `realtime_paths`, all on one `session::server`, so a message
    published by a Bayeux client reaches SmartREST devices rendered through
    their templates. Everything runs on one strand: the io_context may be run
    by several threads, and `publish` and `stop` may be called from any.

    @code
    boost::asio::io_context ioc;
    rtnotify::beast::server srv(ioc);
    if(auto ec = srv.listen({boost::asio::ip::make_address("127.0.0.1"), 8080}))
        return fail(ec);
    ioc.run(); // until srv.stop() and the last connection closes
    @endcode
*/
class server
{
public:
    /// A server using `ioc`; it listens once `listen` is called. Destroy it
    /// only once `ioc` has stopped running (its handlers refer to it).
    /// Throws `std::invalid_argument` when a setting is out of range (`check_settings`).
    RTNOTIFY_DECL explicit server(boost::asio::io_context& ioc, server_options opts = {});

    server(server const&) = delete;
    server& operator=(server const&) = delete;

    /** Binds `endpoint` and starts accepting; call before running the io_context or from its strand.

        Port 0 picks a free port: `endpoints()` tells which. In a group
        (`sharding.count > 1`) the socket is bound with `SO_REUSEPORT`, so
        that every shard listens on the same port and the kernel spreads the
        connections among them.
        @return the error of open, bind or listen (e.g. the address is in use).
    */
    RTNOTIFY_DECL boost::system::error_code listen(boost::asio::ip::tcp::endpoint const& endpoint);

    /** Binds `endpoint` and starts accepting; each accepted socket goes to
        `start`, on the strand, which makes it a connection of the server's
        hub. The hook of `listen_tls` (<rtnotify/beast/server_tls.hpp>), so
        that only programs serving TLS compile its connections; its endpoints
        are `tls_endpoints()`, logged as `https://`.
        @return the error of open, bind or listen.
    */
    RTNOTIFY_DECL boost::system::error_code
    listen_tls_with(boost::asio::ip::tcp::endpoint const& endpoint,
                    std::function<void(std::shared_ptr<detail::hub> const&, boost::asio::ip::tcp::socket)> start);

    /** The TLS listeners use `tls` from now on (a renewed certificate): new
        connections handshake with it; open ones keep theirs (each holds a
        reference to its OpenSSL context). On the strand (see `executor`) or
        before the io_context runs.
    */
    void replace_tls_context(std::shared_ptr<boost::asio::ssl::context> tls)
    {
        if(tls)
            tls_ = std::move(tls);
    }

    /// The TLS listeners' context (null before `listen_tls`); on the strand.
    std::shared_ptr<boost::asio::ssl::context> const& tls_context() const noexcept { return tls_; }

    /** Binds `endpoint` for MQTT 3.1.1 clients and starts accepting: Kuzzle's
        MQTT protocol when `server_options::mqtt.service` is set, plain
        pub/sub otherwise (`kuzzle_mqtt_options`). Port 0 picks a free port:
        `mqtt_endpoints()` tells which.
        @return the error of open, bind or listen.
    */
    RTNOTIFY_DECL boost::system::error_code listen_mqtt(boost::asio::ip::tcp::endpoint const& endpoint);

    /** Binds `endpoint` for MQTT 3.1.1 clients over TLS, as `listen_tls_with`
        does for HTTPS: the hook of `listen_mqtt_tls`
        (<rtnotify/beast/server_tls.hpp>). Its endpoints are
        `mqtt_tls_endpoints()`, logged as `mqtts://`.
        @return the error of open, bind or listen.
    */
    RTNOTIFY_DECL boost::system::error_code
    listen_mqtt_tls_with(boost::asio::ip::tcp::endpoint const& endpoint,
                         std::function<void(std::shared_ptr<detail::hub> const&, boost::asio::ip::tcp::socket)> start);

    /// The MQTT endpoints listened on, with the ports actually bound.
    std::vector<boost::asio::ip::tcp::endpoint> mqtt_endpoints() const { return endpoints_of(listener_kind::mqtt); }

    /// The MQTT-over-TLS endpoints listened on, with the ports actually bound.
    std::vector<boost::asio::ip::tcp::endpoint> mqtt_tls_endpoints() const { return endpoints_of(listener_kind::mqtts); }

    /// The HTTP endpoints listened on, with the ports actually bound.
    std::vector<boost::asio::ip::tcp::endpoint> endpoints() const { return endpoints_of(listener_kind::http); }

    /// The HTTPS endpoints listened on, with the ports actually bound.
    std::vector<boost::asio::ip::tcp::endpoint> tls_endpoints() const { return endpoints_of(listener_kind::https); }

    /** Stops gracefully: no new connections; held connects are answered
        (`reconnect:"retry"`), responses in flight are written, then every
        socket closes (WebSockets with 1001). `io_context::run` returns once
        the last one is closed, if nothing else keeps it busy.
    */
    RTNOTIFY_DECL void stop();

    /// Publishes `m` to the subscribers of its channel, as the server (from any thread).
    RTNOTIFY_DECL void publish(bayeux::message m);

    /** Publishes `m`, which another node of a cluster accepted, to the
        subscribers of its channel here (from any thread); not passed to
        `server_options::on_published`, so it does not go around again.
    */
    RTNOTIFY_DECL void publish_remote(bayeux::message m);

    /** Registers SmartREST templates that another node registered (from
        any thread), as if posted here: the registry's bounds apply, an X-Id
        already known keeps its templates. Not passed to
        `server_options::on_templates_registered`. `on_answer`, if given,
        gets the answer (`20,<id>`, or why not), on the strand.
    */
    RTNOTIFY_DECL void register_remote_templates(std::string xid, std::string body, std::string owner,
                                                 std::function<void(std::string const&)> on_answer = {});

    /** Gives an event that a WebSocket service of another node made
        (`server_options::on_service_event`) to the services here, and sends
        the texts they answer (from any thread).
    */
    RTNOTIFY_DECL void deliver_service_event(std::string event);

    /** Publishes an MQTT message that a client of another node of a cluster
        published (`server_options::on_mqtt_published`) to the MQTT
        subscribers here, as a publish of the application's (from any thread);
        a retained one is kept here too. Not passed to `on_mqtt_published`.
    */
    RTNOTIFY_DECL void publish_mqtt_remote(std::string topic, std::string payload, std::uint8_t qos, bool retain);

    /** Keeps a message the cluster retained (read from where the nodes keep
        them) as the retained message of `topic`, unless one is retained
        here already; sends it to nobody (from any thread).
    */
    RTNOTIFY_DECL void keep_mqtt_retained(std::string topic, std::string payload, std::uint8_t qos);

    /** Takes over a plain HTTP connection that another server of the group
        read a request on (`sharding_options::hand_off`), answers the request
        and serves the connection from then on (from any thread). A server
        that is stopping, or full, closes it.
    */
    RTNOTIFY_DECL void adopt(handed_connection c);

    /// The options it runs with (fixed at construction; from any thread).
    RTNOTIFY_DECL server_options const& options() const noexcept;

    /// What `metrics_path` answers, as families (the other shards' summed in on the first of a group); on the strand only.
    RTNOTIFY_DECL std::vector<metric_family> metrics() const;

    /// The session engine (include <rtnotify/session/server.hpp> to use it); on the strand only (see `executor`).
    RTNOTIFY_DECL session::server& engine() noexcept;

    /// The SmartREST templates (`POST` to `smartrest_path` adds to them; include
    /// <rtnotify/smartrest/registry.hpp> to use them); on the strand only.
    RTNOTIFY_DECL smartrest::registry& templates() noexcept;

    /// The strand everything runs on.
    boost::asio::strand<boost::asio::io_context::executor_type> const& executor() const noexcept { return strand_; }

    /// The number of open connections; on the strand only.
    RTNOTIFY_DECL std::size_t connection_count() const noexcept;

private:
    /// What a listener's connections speak.
    enum class listener_kind
    {
        http,
        https,
        mqtt,
        mqtts
    };

    /// An acceptor and what it accepts.
    struct listener
    {
        boost::asio::ip::tcp::acceptor acceptor;
        listener_kind kind = listener_kind::http;
        /// Takes the accepted sockets of a TLS listener.
        std::function<void(std::shared_ptr<detail::hub> const&, boost::asio::ip::tcp::socket)> start;
    };

    RTNOTIFY_DECL boost::system::error_code bind(boost::asio::ip::tcp::endpoint const& endpoint, listener l);
    RTNOTIFY_DECL std::vector<boost::asio::ip::tcp::endpoint> endpoints_of(listener_kind kind) const;
    RTNOTIFY_DECL void accept(listener& l);
    RTNOTIFY_DECL void accept_later(listener& l);

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    std::shared_ptr<detail::hub> hub_;
    std::list<listener> listeners_; // stable addresses for the handlers
    /// A descriptor held in reserve: when accept runs out of descriptors, it
    /// is released to answer one waiting client 503, then taken back.
    boost::asio::ip::tcp::socket reserve_;
    bool out_of_descriptors_ = false; ///< logged once per shortage
    std::shared_ptr<boost::asio::ssl::context> tls_; ///< the TLS listeners' context
};

} // namespace rtnotify::beast

#if RTNOTIFY_HEADER_ONLY
#include <rtnotify/beast/impl/server.ipp>
#endif

#endif
