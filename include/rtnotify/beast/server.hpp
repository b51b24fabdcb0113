//
// rtnotify: header-only C++20 library for real-time notification protocols.
//
#ifndef RTNOTIFY_BEAST_SERVER_HPP
#define RTNOTIFY_BEAST_SERVER_HPP

#include <rtnotify/beast/detail/http_connection.hpp>
#include <rtnotify/beast/detail/hub.hpp>
#include <rtnotify/beast/server_options.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace rtnotify::beast {

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
    explicit server(boost::asio::io_context& ioc, server_options opts = {})
        : strand_(boost::asio::make_strand(ioc)), hub_(std::make_shared<detail::hub>(strand_, std::move(opts)))
    {
    }

    server(server const&) = delete;
    server& operator=(server const&) = delete;

    /** Binds `endpoint` and starts accepting; call before running the io_context or from its strand.

        Port 0 picks a free port: `endpoints()` tells which.
        @return the error of open, bind or listen (e.g. the address is in use).
    */
    boost::system::error_code listen(boost::asio::ip::tcp::endpoint const& endpoint)
    {
        auto& a = acceptors_.emplace_back(strand_);
        boost::system::error_code ec;
        a.open(endpoint.protocol(), ec);
        if(!ec)
            a.set_option(boost::asio::socket_base::reuse_address(true), ec);
        if(!ec)
            a.bind(endpoint, ec);
        if(!ec)
            a.listen(boost::asio::socket_base::max_listen_connections, ec);
        if(ec)
        {
            acceptors_.pop_back();
            return ec;
        }
        std::ostringstream os;
        os << "listening on " << a.local_endpoint(ec);
        hub_->log(os.str());
        accept(a);
        return {};
    }

    /// The endpoints listened on, with the ports actually bound.
    std::vector<boost::asio::ip::tcp::endpoint> endpoints() const
    {
        std::vector<boost::asio::ip::tcp::endpoint> out;
        for(auto const& a : acceptors_)
        {
            boost::system::error_code ec;
            auto e = a.local_endpoint(ec);
            if(!ec)
                out.push_back(e);
        }
        return out;
    }

    /** Stops gracefully: no new connections; held connects are answered
        (`reconnect:"retry"`), responses in flight are written, then every
        socket closes (WebSockets with 1001). `io_context::run` returns once
        the last one is closed, if nothing else keeps it busy.
    */
    void stop()
    {
        boost::asio::dispatch(strand_, [this] {
            hub_->log("stopping");
            for(auto& a : acceptors_)
            {
                boost::system::error_code ignored;
                a.close(ignored);
            }
            hub_->stop();
        });
    }

    /// Publishes `m` to the subscribers of its channel, as the server (from any thread).
    void publish(bayeux::message m)
    {
        boost::asio::dispatch(strand_, [h = hub_, m = std::move(m)]() mutable { h->publish(std::move(m)); });
    }

    /// The session engine; use it on the strand only (see `executor`).
    session::server& engine() noexcept { return hub_->engine(); }

    /// The SmartREST templates (`POST` to `smartrest_path` adds to them); on the strand only.
    smartrest::registry& templates() noexcept { return hub_->templates(); }

    /// The strand everything runs on.
    boost::asio::strand<boost::asio::io_context::executor_type> const& executor() const noexcept { return strand_; }

    /// The number of open connections; on the strand only.
    std::size_t connection_count() const noexcept { return hub_->connection_count(); }

private:
    void accept(boost::asio::ip::tcp::acceptor& a)
    {
        a.async_accept(strand_, [this, &a](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
            if(ec == boost::asio::error::operation_aborted || !a.is_open())
                return;
            if(!ec)
            {
                std::make_shared<detail::http_connection>(hub_, std::move(s))->run();
                return accept(a);
            }
            // out of descriptors or the like: try again a little later rather than spin
            hub_->log("accept failed: " + ec.message());
            auto t = std::make_shared<boost::asio::steady_timer>(strand_, std::chrono::milliseconds(100));
            t->async_wait([this, &a, t](boost::system::error_code wait) {
                if(!wait && a.is_open())
                    accept(a);
            });
        });
    }

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    std::shared_ptr<detail::hub> hub_;
    std::list<boost::asio::ip::tcp::acceptor> acceptors_; // stable addresses for the handlers
};

} // namespace rtnotify::beast

#endif
