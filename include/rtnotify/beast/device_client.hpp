// rtnotify/beast/device_client.hpp: runs a session::device over HTTP(S) with Beast: the SmartREST real-time loop of a device.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DEVICE_CLIENT_HPP
#define RTNOTIFY_BEAST_DEVICE_CLIENT_HPP

#include <rtnotify/beast/connection.hpp>
#include <rtnotify/beast/endpoint.hpp>
#include <rtnotify/session/device.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rtnotify::beast {

/// Settings of `device_client`.
struct device_client_options
{
    session::device_options device;                          ///< the engine's settings (X-Id, channels, ...)
    std::size_t max_response_bytes = std::size_t(16) << 20; ///< a larger response fails its request
    std::size_t max_header_bytes = 16384;                    ///< response head limit
};

/** A SmartREST device over HTTP(S): `session::device` driven by Asio.

    Every body is POSTed to the endpoint's path (the real-time path, e.g.
    `/notification/realtime`) with `X-Id`, the endpoint's headers and
    credentials, on a connection of its own, as the Cumulocity C SDK does:
    a long poll needs no keep-alive. Each request is bounded by the engine's
    deadline; a response that is not `200` fails its request. All handlers
    run on the executor given; the object must outlive them (call `close`
    and let the executor run dry).
*/
class device_client
{
public:
    device_client(boost::asio::any_io_executor ex, endpoint e, device_client_options o = {})
        : ex_(std::move(ex)), endpoint_(std::move(e)), opts_(std::move(o)), engine_(opts_.device), timer_(ex_),
          resolver_(ex_)
    {
    }

    /// Called with every event of the engine, in order.
    std::function<void(session::device_event&)> on_event;
    /// Called with the reason of every failed request.
    std::function<void(std::string_view)> on_failure;

    /// Starts the real-time flow (handshake, subscribe, connects).
    void start()
    {
        engine_.start(now());
        pump();
    }

    /// Sends `84` (a held connect is given up and its connection closed).
    void disconnect()
    {
        engine_.disconnect();
        pump();
    }

    /// Stops everything now: open connections are closed, no handler runs afterwards.
    void close()
    {
        closed_ = true;
        timer_.cancel();
        resolver_.cancel();
        for(auto& [id, c] : open_)
            c->conn.close();
        open_.clear();
    }

    /// The engine, to read its state.
    session::device const& engine() const noexcept { return engine_; }

private:
    struct exchange
    {
        exchange(boost::asio::any_io_executor const& ex, endpoint const& e) : conn(ex, e) {}
        connection conn;
        boost::beast::http::request<boost::beast::http::string_body> req;
        std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser;
        boost::beast::flat_buffer buffer;
    };

    static session::time_point now() { return std::chrono::steady_clock::now(); }

    /// Sends what is due, hands on the events, closes connections the engine gave up, arms the timer.
    void pump()
    {
        if(closed_)
            return;
        while(auto r = engine_.next_request(now()))
            send(std::move(*r));
        for(auto it = open_.begin(); it != open_.end();)
        {
            if(it->first == engine_.in_flight())
                ++it;
            else
            {
                it->second->conn.close();
                it = open_.erase(it);
            }
        }
        for(auto& e : engine_.take_events())
            if(on_event)
                on_event(e);
        if(closed_)
            return;
        timer_.cancel();
        if(auto const t = engine_.next_deadline())
        {
            timer_.expires_at(*t);
            timer_.async_wait([this](boost::system::error_code ec) {
                if(ec || closed_)
                    return;
                engine_.on_timer(now());
                pump();
            });
        }
    }

    void send(session::device_request r)
    {
        namespace http = boost::beast::http;
        auto const x = std::make_shared<exchange>(ex_, endpoint_);
        x->req = {http::verb::post, endpoint_.path, 11};
        x->req.set(http::field::host, endpoint_.authority());
        x->req.set(http::field::content_type, "text/plain");
        x->req.set("X-Id", r.xid);
        for(auto const& [name, value] : endpoint_.headers)
            x->req.set(name, value);
        x->req.body() = std::move(r.body);
        x->req.prepare_payload();
        auto const deadline = engine_.next_deadline();
        x->conn.lowest().expires_after(deadline ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                      *deadline - now())
                                                : std::chrono::steady_clock::duration(std::chrono::seconds(30)));
        auto const id = r.id;
        open_[id] = x;
        async_open(endpoint_, resolver_, x->conn.lowest(), x->conn.tls(),
                   [this, x, id](boost::system::error_code ec, std::string const& during) {
                       if(!open_.contains(id))
                           return; // given up, or closed
                       if(ec)
                           return failed(id, during + ": " + ec.message());
                       exchange_on(x, id);
                   });
    }

    void exchange_on(std::shared_ptr<exchange> const& x, std::uint64_t id)
    {
        namespace http = boost::beast::http;
        x->parser.emplace();
        x->parser->body_limit(opts_.max_response_bytes);
        x->parser->header_limit(static_cast<std::uint32_t>(opts_.max_header_bytes));
        x->conn.with_stream([&](auto& stream) {
            http::async_write(stream, x->req, [this, x, id, &stream](boost::system::error_code ec, std::size_t) {
                if(!open_.contains(id))
                    return;
                if(ec)
                    return failed(id, "send: " + ec.message());
                http::async_read(stream, x->buffer, *x->parser, [this, x, id](boost::system::error_code rec, std::size_t) {
                    if(!open_.contains(id))
                        return;
                    if(rec)
                        return failed(id, "read the response: " + rec.message());
                    auto const& res = x->parser->get();
                    if(res.result() != http::status::ok)
                        return failed(id, "HTTP " + std::to_string(res.result_int()) + " from " + endpoint_.path);
                    x->conn.close();
                    open_.erase(id);
                    engine_.receive(id, res.body(), now());
                    pump();
                });
            });
        });
    }

    void failed(std::uint64_t id, std::string const& why)
    {
        open_.at(id)->conn.close();
        open_.erase(id);
        if(on_failure)
            on_failure(why);
        engine_.fail(id, now());
        pump();
    }

    boost::asio::any_io_executor ex_;
    endpoint endpoint_;
    device_client_options opts_;
    session::device engine_;
    boost::asio::steady_timer timer_;
    boost::asio::ip::tcp::resolver resolver_;
    std::map<std::uint64_t, std::shared_ptr<exchange>> open_; ///< requests on their way, by id
    bool closed_ = false;
};

} // namespace rtnotify::beast

#endif
