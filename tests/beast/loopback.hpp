// Test helpers for the Beast bindings: a server on 127.0.0.1 run by its own
// thread, and HTTP and WebSocket clients whose every wait is bounded.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_BEAST_LOOPBACK_HPP
#define RTNOTIFY_TESTS_BEAST_LOOPBACK_HPP

#include <rtnotify/beast/client.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace rtnotify_test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;
using response = http::response<http::string_body>;

/// A `beast::server` on 127.0.0.1 (a free port), run by a thread until the fixture ends.
struct running_server
{
    asio::io_context ioc;
    rtnotify::beast::server srv;
    unsigned short port = 0;
    std::thread thread;

    /// A server on `at` (0: a free port).
    explicit running_server(rtnotify::beast::server_options opts = {}, unsigned short at = 0) : srv(ioc, std::move(opts))
    {
        auto ec = srv.listen({asio::ip::make_address("127.0.0.1"), at});
        EXPECT_FALSE(ec) << ec.message();
        port = srv.endpoints().at(0).port();
        thread = std::thread([this] { ioc.run(); });
    }

    ~running_server()
    {
        srv.stop();
        if(thread.joinable())
            thread.join();
    }

    /// Runs `f` on the server's strand and waits for it.
    template<class F>
    void on_strand(F f)
    {
        std::promise<void> done;
        asio::dispatch(srv.executor(), [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }
};

/// Runs `ioc` until `done()` holds or `limit` passes; true when done.
template<class Done>
bool run_until(asio::io_context& ioc, Done done, std::chrono::milliseconds limit)
{
    auto const end = std::chrono::steady_clock::now() + limit;
    while(!done() && std::chrono::steady_clock::now() < end)
    {
        ioc.restart();
        ioc.run_for(10ms);
    }
    return done();
}

/// One HTTP/1.1 connection; a request may be started and its response awaited later.
class http_client
{
public:
    explicit http_client(unsigned short port) : stream_(ioc_)
    {
        bool connected = false;
        stream_.async_connect({asio::ip::make_address("127.0.0.1"), port}, [&](boost::system::error_code ec) {
            EXPECT_FALSE(ec) << ec.message();
            connected = true;
        });
        EXPECT_TRUE(run_until(ioc_, [&] { return connected; }, 5000ms));
    }

    /// A request to `target` (POST when there is a body) with `headers`.
    static http::request<http::string_body> make(http::verb method, std::string_view target, std::string body = {},
                                                 std::initializer_list<std::pair<std::string_view, std::string_view>>
                                                     headers = {})
    {
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        for(auto const& [k, v] : headers)
            req.set(k, v);
        req.body() = std::move(body);
        req.prepare_payload();
        return req;
    }

    /// A JSON POST of `json` to `target`.
    static http::request<http::string_body> post_json(std::string_view target, std::string json)
    {
        return make(http::verb::post, target, std::move(json), {{"Content-Type", "application/json"}});
    }

    /// Writes `req`, then reads its response in the background.
    void start(http::request<http::string_body> req)
    {
        req_ = std::move(req);
        done_ = false;
        res_ = {};
        http::async_write(stream_, req_, [this](boost::system::error_code ec, std::size_t) {
            if(ec)
            {
                ec_ = ec;
                done_ = true;
                return;
            }
            http::async_read(stream_, buffer_, res_, [this](boost::system::error_code rec, std::size_t) {
                ec_ = rec;
                done_ = true;
            });
        });
    }

    /// The response, if it comes within `limit`.
    std::optional<response> wait(std::chrono::milliseconds limit = 10000ms)
    {
        if(!run_until(ioc_, [this] { return done_; }, limit))
            return std::nullopt;
        EXPECT_FALSE(ec_) << ec_.message();
        return std::move(res_);
    }

    /// Sends `req` and returns its response (an empty 599 when none came).
    response call(http::request<http::string_body> req)
    {
        start(std::move(req));
        auto r = wait();
        EXPECT_TRUE(r) << "no response to " << req_.target();
        return r ? std::move(*r) : response{static_cast<http::status>(599), 11};
    }

    /// True when the server closed the connection (a read ends at once with EOF).
    bool closed_by_server()
    {
        bool done = false;
        boost::system::error_code ec;
        char c;
        stream_.socket().async_read_some(asio::buffer(&c, 1), [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        return run_until(ioc_, [&] { return done; }, 5000ms) && ec == asio::error::eof;
    }

private:
    asio::io_context ioc_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    response res_;
    boost::system::error_code ec_;
    bool done_ = false;
};

/// Raw bytes over TCP to `host` (a loopback address): for requests a well-behaved client would not send.
inline std::string raw_exchange(unsigned short port, std::string_view bytes, std::chrono::milliseconds limit = 5000ms,
                                char const* host = "127.0.0.1")
{
    asio::io_context ioc;
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address(host), port});
    asio::write(s, asio::buffer(bytes));
    std::string out;
    std::array<char, 4096> chunk;
    bool done = false;
    std::function<void()> more = [&] {
        s.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
            out.append(chunk.data(), n);
            if(ec)
                done = true;
            else
                more();
        });
    };
    more();
    run_until(ioc, [&] { return done; }, limit);
    return out;
}

/// What `send_endless` saw: the bytes it wrote before the peer stopped it, and what the peer answered.
struct endless_result
{
    std::size_t sent = 0;
    std::string answer;
    bool peer_closed = false;
};

/** Sends `head`, then `filler` again and again (up to `max_bytes`), as an
    attacker whose request never ends; reads what the server answers
    meanwhile. Stops when the server closes, at `max_bytes`, or after `limit`.
*/
inline endless_result send_endless(unsigned short port, std::string_view head, std::string_view filler,
                                   std::size_t max_bytes, std::chrono::milliseconds limit = 10000ms)
{
    asio::io_context ioc;
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(s, asio::buffer(head));
    endless_result r;
    std::array<char, 4096> chunk;
    bool writing = true;
    std::function<void()> write = [&] {
        if(r.sent >= max_bytes)
        {
            writing = false;
            return;
        }
        s.async_write_some(asio::buffer(filler), [&](boost::system::error_code ec, std::size_t n) {
            r.sent += n;
            if(!ec)
                write(); // a failed write means the server closed or reset: the read sees that too, and ends the wait
        });
    };
    std::function<void()> read = [&] {
        s.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
            r.answer.append(chunk.data(), n);
            if(ec)
                r.peer_closed = true;
            else
                read();
        });
    };
    write();
    read();
    run_until(ioc, [&] { return r.peer_closed || (!writing && !r.answer.empty()); }, limit);
    return r;
}

/** A server on 127.0.0.1, run by its own thread, that reads one request and
    answers `head`, then `filler` again and again until the peer goes or
    `max_bytes` are sent: a hostile server whose response never ends.
*/
struct endless_server
{
    asio::io_context ioc;
    asio::ip::tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    std::atomic<bool> done{false};
    std::size_t sent = 0; // read after finish()
    std::thread thread;

    endless_server(std::string head, std::string filler, std::size_t max_bytes)
    {
        thread = std::thread([this, head = std::move(head), filler = std::move(filler), max_bytes] {
            asio::ip::tcp::socket s(ioc);
            acceptor.accept(s);
            std::array<char, 4096> request;
            boost::system::error_code ec;
            s.read_some(asio::buffer(request), ec);
            asio::write(s, asio::buffer(head), ec);
            while(!ec && sent < max_bytes)
                sent += asio::write(s, asio::buffer(filler), ec);
            done = true;
        });
    }

    ~endless_server() { finish(); }

    /// Waits for the server to stop sending; the bytes it sent.
    std::size_t finish()
    {
        if(thread.joinable())
            thread.join();
        return sent;
    }

    unsigned short port() const { return acceptor.local_endpoint().port(); }

    rtnotify::beast::endpoint url() const
    {
        return std::get<rtnotify::beast::endpoint>(
            rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(port()) + "/"));
    }
};

/// One WebSocket client.
class ws_client
{
public:
    /// A WebSocket to `path`; `cookie`, when not empty, is the upgrade request's `Cookie`.
    ws_client(unsigned short port, std::string_view path, std::string cookie = {}) : ws_(ioc_)
    {
        if(!cookie.empty())
            ws_.set_option(websocket::stream_base::decorator(
                [cookie](websocket::request_type& req) { req.set(http::field::cookie, cookie); }));
        bool ready = false;
        boost::beast::get_lowest_layer(ws_).async_connect(
            {asio::ip::make_address("127.0.0.1"), port}, [&, path = std::string(path)](boost::system::error_code ec) {
                EXPECT_FALSE(ec) << ec.message();
                // a message written in several segments must not wait for the server's delayed ACK
                boost::beast::get_lowest_layer(ws_).socket().set_option(asio::ip::tcp::no_delay(true), ec);
                ws_.async_handshake("127.0.0.1", path, [&](boost::system::error_code hec) {
                    EXPECT_FALSE(hec) << hec.message();
                    ready = true;
                });
            });
        EXPECT_TRUE(run_until(ioc_, [&] { return ready; }, 5000ms));
    }

    /// Sends one message (text unless `binary`).
    void send(std::string text, bool binary = false)
    {
        bool sent = false;
        ws_.text(!binary);
        out_ = std::move(text);
        ws_.async_write(asio::buffer(out_), [&](boost::system::error_code ec, std::size_t) {
            EXPECT_FALSE(ec) << ec.message();
            sent = true;
        });
        EXPECT_TRUE(run_until(ioc_, [&] { return sent; }, 5000ms));
    }

    /// The next message, if one comes within `limit`; a read left pending carries on at the next call.
    std::optional<std::string> receive(std::chrono::milliseconds limit = 10000ms)
    {
        if(!reading_)
        {
            reading_ = true;
            got_ = false;
            ws_.async_read(buffer_, [this](boost::system::error_code ec, std::size_t) {
                ec_ = ec;
                got_ = true;
            });
        }
        if(!run_until(ioc_, [this] { return got_; }, limit))
            return std::nullopt;
        reading_ = false;
        if(ec_)
            return std::nullopt;
        auto s = boost::beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        return s;
    }

    /// Closes with 1000 and waits (bounded) for the server's close frame.
    void close()
    {
        bool done = false;
        ws_.async_close(websocket::close_code::normal, [&](boost::system::error_code) { done = true; });
        EXPECT_TRUE(run_until(ioc_, [&] { return done; }, 5000ms));
    }

    /// The error of the last read (websocket::error::closed once the server closed).
    boost::system::error_code last_error() const { return ec_; }

    /// The close frame the server sent.
    websocket::close_reason reason() const { return ws_.reason(); }

private:
    asio::io_context ioc_;
    websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::string out_;
    boost::system::error_code ec_;
    bool reading_ = false;
    bool got_ = false;
};

/// A connection from 127.0.0.1 that announces a body of `announced` bytes and sends `sent` of them, once the server has read them.
inline asio::ip::tcp::socket start_slow_body(asio::io_context& ioc, unsigned short port, std::size_t announced, std::size_t sent)
{
    asio::ip::tcp::socket slow(ioc);
    slow.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(slow, asio::buffer("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                                   std::to_string(announced) + "\r\n\r\n" + std::string(sent, ' ')));
    std::this_thread::sleep_for(100ms);
    return slow;
}

} // namespace rtnotify_test

#endif
