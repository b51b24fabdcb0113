// rtnotify/beast/impl/server.ipp: the definitions of beast::server (header-only: from server.hpp; else from src.hpp).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_IMPL_SERVER_IPP
#define RTNOTIFY_BEAST_IMPL_SERVER_IPP

#include <rtnotify/beast/detail/http_connection.hpp>
#include <rtnotify/beast/detail/hub.hpp>
#include <rtnotify/beast/detail/mqtt_connection.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cerrno>
#include <chrono>
#include <sstream>
#include <utility>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rtnotify::beast {

RTNOTIFY_DECL server::server(boost::asio::io_context& ioc, server_options opts)
    : strand_(boost::asio::make_strand(ioc)),
      hub_((throw_if_invalid(check_settings(opts)), std::make_shared<detail::hub>(strand_, std::move(opts)))),
      reserve_(strand_)
{
    boost::system::error_code ignored;
    reserve_.open(boost::asio::ip::tcp::v4(), ignored);
}

RTNOTIFY_DECL boost::system::error_code server::listen(boost::asio::ip::tcp::endpoint const& endpoint)
{
    return bind(endpoint, listener{boost::asio::ip::tcp::acceptor(strand_), listener_kind::http, {}});
}

RTNOTIFY_DECL boost::system::error_code
server::listen_tls_with(boost::asio::ip::tcp::endpoint const& endpoint,
                        std::function<void(std::shared_ptr<detail::hub> const&, boost::asio::ip::tcp::socket)> start)
{
    return bind(endpoint, listener{boost::asio::ip::tcp::acceptor(strand_), listener_kind::https, std::move(start)});
}

RTNOTIFY_DECL boost::system::error_code server::listen_mqtt(boost::asio::ip::tcp::endpoint const& endpoint)
{
    return bind(endpoint, listener{boost::asio::ip::tcp::acceptor(strand_), listener_kind::mqtt, {}});
}

RTNOTIFY_DECL boost::system::error_code
server::listen_mqtt_tls_with(boost::asio::ip::tcp::endpoint const& endpoint,
                             std::function<void(std::shared_ptr<detail::hub> const&, boost::asio::ip::tcp::socket)> start)
{
    return bind(endpoint, listener{boost::asio::ip::tcp::acceptor(strand_), listener_kind::mqtts, std::move(start)});
}

RTNOTIFY_DECL boost::system::error_code server::bind(boost::asio::ip::tcp::endpoint const& endpoint, listener given)
{
    auto const kind = given.kind;
    auto& l = listeners_.emplace_back(std::move(given));
    auto& a = l.acceptor;
    boost::system::error_code ec;
    a.open(endpoint.protocol(), ec);
    // a process the program starts does not inherit the port (it would keep it bound after the server closes it)
    if(!ec && ::fcntl(a.native_handle(), F_SETFD, FD_CLOEXEC) != 0)
        ec.assign(errno, boost::system::system_category());
    if(!ec)
        a.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if(!ec && hub_->options().sharding.count > 1)
        a.set_option(boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
    if(!ec)
        a.bind(endpoint, ec);
    if(!ec)
        a.listen(boost::asio::socket_base::max_listen_connections, ec);
    if(ec)
    {
        listeners_.pop_back();
        return ec;
    }
    std::ostringstream os;
    static constexpr char const* schemes[] = {"", "https://", "mqtt://", "mqtts://"}; // by listener_kind
    os << "listening on " << schemes[static_cast<int>(kind)] << a.local_endpoint(ec);
    hub_->log(os.str());
    accept(l);
    return {};
}

RTNOTIFY_DECL std::vector<boost::asio::ip::tcp::endpoint> server::endpoints_of(listener_kind kind) const
{
    std::vector<boost::asio::ip::tcp::endpoint> out;
    for(auto const& l : listeners_)
    {
        boost::system::error_code ec;
        auto e = l.acceptor.local_endpoint(ec);
        if(!ec && l.kind == kind)
            out.push_back(e);
    }
    return out;
}

RTNOTIFY_DECL void server::stop()
{
    boost::asio::dispatch(strand_, [this] {
        hub_->log("stopping");
        for(auto& l : listeners_)
        {
            boost::system::error_code ignored;
            l.acceptor.close(ignored);
        }
        hub_->stop();
    });
}

RTNOTIFY_DECL void server::publish(bayeux::message m)
{
    boost::asio::dispatch(strand_, [h = hub_, m = std::move(m)]() mutable { h->publish(std::move(m)); });
}

RTNOTIFY_DECL void server::publish_remote(bayeux::message m)
{
    boost::asio::dispatch(strand_, [h = hub_, m = std::move(m)]() mutable { h->publish_remote(std::move(m)); });
}

RTNOTIFY_DECL void server::register_remote_templates(std::string xid, std::string body, std::string owner,
                                                     std::function<void(std::string const&)> on_answer)
{
    boost::asio::dispatch(strand_, [h = hub_, xid = std::move(xid), body = std::move(body), owner = std::move(owner),
                                    on_answer = std::move(on_answer)] {
        auto answer = h->register_remote_templates(xid, body, owner);
        if(on_answer)
            on_answer(answer);
    });
}

RTNOTIFY_DECL void server::deliver_service_event(std::string event)
{
    boost::asio::dispatch(strand_, [h = hub_, event = std::move(event)] { h->deliver_service_event(event); });
}

RTNOTIFY_DECL void server::publish_mqtt_remote(std::string topic, std::string payload, std::uint8_t qos, bool retain)
{
    boost::asio::dispatch(strand_, [h = hub_, topic = std::move(topic), payload = std::move(payload), qos, retain] {
        h->publish_mqtt_remote(topic, payload, qos, retain);
    });
}

RTNOTIFY_DECL void server::keep_mqtt_retained(std::string topic, std::string payload, std::uint8_t qos)
{
    boost::asio::dispatch(strand_, [h = hub_, topic = std::move(topic), payload = std::move(payload), qos] {
        h->keep_mqtt_retained(topic, payload, qos);
    });
}

RTNOTIFY_DECL void server::adopt(handed_connection c)
{
    boost::asio::post(strand_, [this, c = std::move(c)]() mutable {
        if(hub_->stopping())
            return; // `c` closes the descriptor
        boost::asio::ip::tcp::socket s(strand_);
        auto const protocol = c.protocol();
        auto const fd = c.take_descriptor();
        boost::system::error_code ec;
        s.assign(protocol, fd, ec);
        if(ec)
        {
            ::close(fd);
            return hub_->log("could not take over a connection from another shard: " + ec.message());
        }
        std::make_shared<detail::http_connection>(hub_, boost::beast::tcp_stream(std::move(s)), c.client())
            ->run_handed(std::move(c.request()), c.read_ahead());
    });
}

RTNOTIFY_DECL std::vector<metric_family> server::metrics() const { return hub_->metrics(); }

RTNOTIFY_DECL server_options const& server::options() const noexcept { return hub_->options(); }

RTNOTIFY_DECL session::server& server::engine() noexcept { return hub_->engine(); }

RTNOTIFY_DECL smartrest::registry& server::templates() noexcept { return hub_->templates(); }

RTNOTIFY_DECL std::size_t server::connection_count() const noexcept { return hub_->connection_count(); }

RTNOTIFY_DECL void server::accept(listener& l)
{
    auto& a = l.acceptor;
    a.async_accept(strand_, [this, &l, &a](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
        if(ec == boost::asio::error::operation_aborted || !a.is_open())
            return;
        if(!ec)
        {
            if(std::exchange(out_of_descriptors_, false))
                hub_->log("accepting again: file descriptors are available");
            // nor its connections (it could read and write them)
            ::fcntl(s.native_handle(), F_SETFD, FD_CLOEXEC);
            if(l.kind == listener_kind::mqtt)
                detail::accepted_mqtt_connection(hub_, std::move(s))->run();
            else if(l.start)
                l.start(hub_, std::move(s));
            else
                detail::accepted_connection(hub_, std::move(s))->run();
            return accept(l);
        }
        bool const no_descriptors = ec == boost::asio::error::no_descriptors || ec.value() == ENFILE;
        if(no_descriptors && !std::exchange(out_of_descriptors_, true))
            hub_->log("accept failed: " + ec.message() + "; answering 503 while no file descriptor is free");
        else if(!no_descriptors)
            hub_->log("accept failed: " + ec.message());
        // (a plain HTTP answer: not for MQTT, nor for TLS before its handshake)
        if(no_descriptors && reserve_.is_open() && l.kind == listener_kind::http)
        {
            // the reserve descriptor answers one waiting client 503 rather than leave it hanging
            boost::system::error_code ignored;
            reserve_.close(ignored);
            return a.async_accept(strand_, [this, &l](boost::system::error_code aec, boost::asio::ip::tcp::socket waiting) {
                if(!aec)
                    detail::accepted_connection(hub_, std::move(waiting))->refuse_busy("out of file descriptors");
                if(l.acceptor.is_open())
                    accept_later(l);
            });
        }
        accept_later(l);
    });
}

RTNOTIFY_DECL void server::accept_later(listener& l)
{
    auto t = std::make_shared<boost::asio::steady_timer>(strand_, std::chrono::milliseconds(100));
    t->async_wait([this, &l, t](boost::system::error_code wait) {
        if(wait || !l.acceptor.is_open())
            return;
        // the reserve comes back first: while it cannot, descriptors are still short
        boost::system::error_code ec;
        if(!reserve_.is_open())
            reserve_.open(boost::asio::ip::tcp::v4(), ec);
        if(ec == boost::asio::error::no_descriptors || ec.value() == ENFILE)
            return accept_later(l);
        accept(l);
    });
}

} // namespace rtnotify::beast

#endif
