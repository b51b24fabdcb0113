// rtnotify-conformance: the WebSocket of a logical client over Beast (compiled once, in the runner's library).
// SPDX-License-Identifier: BSL-1.0
#include "websocket.hpp"

#include "target.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <sstream>

namespace rtnotify_conformance {

namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

class ws_client::socket
{
public:
    /// Opens `path` on `to` with the client's cookies (over TLS when `to`
    /// says so): the upgrade's reply (status 101 when open, else the
    /// refusal's status and body), or why none came.
    std::variant<reply, no_reply> open(target const& to, std::string const& path, cookie_jar& jar,
                                       std::chrono::milliseconds limit)
    {
        namespace asio = boost::asio;
        if(to.tls)
            secure_ = std::make_unique<websocket::stream<tls_stream>>(ioc_, *to.tls_context);
        else
            plain_ = std::make_unique<websocket::stream<boost::beast::tcp_stream>>(ioc_);
        std::optional<no_reply> failed;
        bool done = false;
        auto fail = [&](boost::system::error_code ec, std::string const& during) {
            failed = no_reply{ec == boost::beast::error::timeout, during + ": " + ec.message(), {}};
            done = true;
        };
        auto const start = std::chrono::steady_clock::now();
        asio::ip::tcp::resolver resolver(ioc_);
        with_socket([&](auto& ws) {
            async_open(to, resolver, boost::beast::get_lowest_layer(ws), secure_ ? &secure_->next_layer() : nullptr,
                       [&](boost::system::error_code ec, std::string const& during) {
                           if(ec)
                               return fail(ec, during);
                           ws.set_option(websocket::stream_base::decorator([&](auto& req) {
                               req.set(http::field::user_agent, "rtnotify-conformance");
                               if(auto const c = jar.header(); !c.empty())
                                   req.set(http::field::cookie, c);
                               for(auto const& [k, v] : to.headers)
                                   req.set(k, v);
                           }));
                           ws.async_handshake(upgrade_, to.authority(), path, [&](boost::system::error_code hec) {
                               if(hec && upgrade_.result_int() == 0)
                                   return fail(hec, "WebSocket upgrade");
                               done = true;
                           });
                       });
        });
        run_until(done, limit);
        if(!done)
            return no_reply{true, "no reply to the upgrade", {}};
        if(failed)
            return *failed;
        for(auto [it, end] = upgrade_.equal_range(http::field::set_cookie); it != end; ++it)
            jar.take(std::string_view(it->value().data(), it->value().size()));
        reply r;
        r.status = upgrade_.result_int();
        r.body = upgrade_.body();
        std::ostringstream head;
        head << upgrade_.base();
        r.head = head.str();
        r.sent = "GET " + path + " HTTP/1.1\r\nHost: " + to.authority() +
                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nUser-Agent: rtnotify-conformance\r\n";
        if(auto const c = jar.header(); !c.empty())
            r.sent += "Cookie: " + c + "\r\n";
        for(auto const& [k, v] : to.headers)
            r.sent += k + ": (given on the command line)\r\n";
        r.sent += "\r\n";
        r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        open_ = r.status == 101;
        return r;
    }

    /// True after an upgrade that succeeded.
    bool is_open() const noexcept { return open_; }

    /// Sends `text` as one text message; empty when it went out.
    std::optional<no_reply> send(std::string const& text, std::chrono::milliseconds limit)
    {
        if(!open_ || closed_)
            return no_reply{false, closed_ ? *closed_ : "the WebSocket is not open", {}};
        std::optional<no_reply> failed;
        bool done = false;
        with_socket([&](auto& ws) {
            ws.text(true);
            ws.async_write(boost::asio::buffer(text), [&](boost::system::error_code ec, std::size_t) {
                if(ec)
                    failed = no_reply{false, "send: " + ec.message(), {}};
                done = true;
            });
        });
        run_until(done, limit);
        if(!done)
        {
            closed_ = "the message could not be sent within the limit";
            return no_reply{true, *closed_, {}};
        }
        return failed;
    }

    /// The next message, waiting at most `limit` for it.
    received receive(std::chrono::milliseconds limit)
    {
        if(!open_)
            return no_reply{false, "the WebSocket is not open", {}};
        if(!reading_ && !closed_)
        {
            reading_ = true;
            with_socket([this](auto& ws) {
                ws.async_read(buffer_, [this, &ws](boost::system::error_code ec, std::size_t) {
                    reading_ = false;
                    if(ec)
                    {
                        closed_ = ec == websocket::error::closed
                                      ? "the server closed the WebSocket (" + std::to_string(ws.reason().code) + ")"
                                      : "receive: " + ec.message();
                        return;
                    }
                    got_ = boost::beast::buffers_to_string(buffer_.data());
                    buffer_.consume(buffer_.size());
                });
            });
        }
        run_while_not([this] { return !reading_; }, limit);
        if(got_)
        {
            auto text = std::move(*got_);
            got_.reset();
            return text;
        }
        if(closed_)
            return no_reply{false, *closed_, {}};
        return no_reply{true, "no message", {}};
    }

    /// Closes the WebSocket (normal closure), waiting at most `limit`.
    void close(std::chrono::milliseconds limit)
    {
        if(!open_ || closed_)
            return;
        bool done = false;
        with_socket([&](auto& ws) {
            ws.async_close(websocket::close_code::normal, [&](boost::system::error_code) { done = true; });
        });
        run_until(done, limit);
        closed_ = "closed by the client";
    }

private:
    /// Calls `f` with the WebSocket, plain or over TLS.
    template<class F>
    void with_socket(F const& f)
    {
        if(secure_)
            f(*secure_);
        else
            f(*plain_);
    }

    /// Runs until `done`; if the limit passes first, what is pending refers to
    /// the caller's frame, so the io_context must never run again.
    void run_until(bool const& done, std::chrono::milliseconds limit)
    {
        run_while_not([&] { return done; }, limit);
        if(!done)
            dead_ = true;
    }

    template<class Done>
    void run_while_not(Done const& finished, std::chrono::milliseconds limit)
    {
        if(dead_)
            return;
        auto const until = std::chrono::steady_clock::now() + limit;
        while(!finished() && std::chrono::steady_clock::now() < until)
        {
            if(ioc_.stopped())
                ioc_.restart();
            if(ioc_.run_one_until(until) == 0 && ioc_.stopped() && !finished())
                break; // nothing left to wait for
        }
    }

    boost::asio::io_context ioc_;
    std::unique_ptr<websocket::stream<boost::beast::tcp_stream>> plain_; // one of the two, made by open()
    std::unique_ptr<websocket::stream<tls_stream>> secure_;
    websocket::response_type upgrade_;
    boost::beast::flat_buffer buffer_;
    bool open_ = false;
    bool dead_ = false; // an operation on the caller's frame timed out
    bool reading_ = false;
    std::optional<std::string> got_;
    std::optional<std::string> closed_;
};

ws_client::ws_client() : socket_(std::make_unique<socket>()) {}

ws_client::~ws_client() = default;

std::variant<reply, no_reply> ws_client::open(target const& to, std::string const& path, cookie_jar& jar,
                                              std::chrono::milliseconds limit)
{
    return socket_->open(to, path, jar, limit);
}

bool ws_client::is_open() const noexcept { return socket_->is_open(); }

std::optional<no_reply> ws_client::send(std::string const& text, std::chrono::milliseconds limit)
{
    return socket_->send(text, limit);
}

ws_client::received ws_client::receive(std::chrono::milliseconds limit) { return socket_->receive(limit); }

void ws_client::close(std::chrono::milliseconds limit) { socket_->close(limit); }

} // namespace rtnotify_conformance
