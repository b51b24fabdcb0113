// rtnotify-conformance: one HTTP exchange over Beast (compiled once, in the runner's library).
// SPDX-License-Identifier: BSL-1.0
#include "http.hpp"

#include "target.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cctype>
#include <cstdint>
#include <sstream>

namespace rtnotify_conformance {

namespace http = boost::beast::http;

namespace {

/// Writes `req` on `stream`, then reads the reply into `parser`; `then(error, during)` once.
template<class Stream, class Then>
void write_then_read(Stream& stream, http::request<http::string_body>& req, boost::beast::flat_buffer& buffer,
                     http::response_parser<http::string_body>& parser, Then then)
{
    http::async_write(stream, req, [&stream, &buffer, &parser, then](boost::system::error_code wec, std::size_t) {
        // a server may answer (413) and close before it has read a large body: read what it sent
        http::async_read(stream, buffer, parser, [wec, then](boost::system::error_code rec, std::size_t) {
            if(rec)
                return then(wec ? wec : rec, wec ? "send" : "read the reply");
            then(rec, "");
        });
    });
}

/// A connection, new or kept, and the io_context its operations run on.
struct open_connection
{
    boost::asio::io_context& ioc;
    connection& conn;
    boost::beast::flat_buffer& buffer; ///< bytes read past the previous reply stay here
    bool is_open = false;              ///< a previous reply came on it: send at once
    bool keep = false;                 ///< ask for it to persist (else `Connection: close`)
};

std::variant<reply, no_reply> exchange_on(open_connection on, target const& to, std::string const& method,
                                          std::string const& path,
                                          std::vector<std::pair<std::string, std::string>> const& headers,
                                          std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit)
{
    namespace asio = boost::asio;
    http::request<http::string_body> req{http::string_to_verb(method), path, 11};
    req.set(http::field::host, to.authority());
    req.set(http::field::user_agent, "rtnotify-conformance");
    if(!on.keep)
        req.set(http::field::connection, "close");
    if(auto const c = jar.header(); !c.empty())
        req.set(http::field::cookie, c);
    for(auto const& [k, v] : to.headers)
        req.set(k, v);
    for(auto const& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    if(!body.empty() || method == "POST" || method == "PUT")
        req.prepare_payload();
    auto shown = req.base(); // the wire log's copy: the command line's headers without their values
    for(auto const& [k, v] : to.headers)
        shown.set(k, "(given on the command line)");
    std::ostringstream head;
    head << shown;
    auto const sent = wire_text(head.str(), body);
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_reply_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(max_reply_header_bytes));
    std::optional<no_reply> failed;
    bool done = false;
    auto const start = std::chrono::steady_clock::now();
    auto finish = [&](boost::system::error_code ec, std::string const& during) {
        if(ec)
            failed = no_reply{ec == boost::beast::error::timeout, during + ": " + ec.message(), {}};
        done = true;
    };
    asio::ip::tcp::resolver resolver(on.ioc);
    on.conn.lowest().expires_after(limit);
    if(on.is_open)
        on.conn.with_stream([&](auto& stream) { write_then_read(stream, req, on.buffer, parser, finish); });
    else
        async_open(to, resolver, on.conn.lowest(), on.conn.tls(), [&](boost::system::error_code ec, std::string const& during) {
            if(ec)
                return finish(ec, during);
            on.conn.with_stream([&](auto& stream) { write_then_read(stream, req, on.buffer, parser, finish); });
        });
    on.ioc.restart();
    on.ioc.run_for(limit + std::chrono::milliseconds(100)); // the stream's own timer ends it first
    if(!done)
    {
        // still resolving (the stream's timer does not bound that): cancel, and let the handlers,
        // which refer to this frame, finish now rather than on a kept connection's next request
        resolver.cancel();
        on.conn.close();
        on.ioc.restart();
        on.ioc.run();
        return no_reply{true, "no reply", sent};
    }
    if(failed)
    {
        failed->sent = sent;
        if(on.is_open)
            failed->what += " (on the connection the previous reply came on)";
        return *failed;
    }
    auto res = parser.release();
    reply r;
    r.status = res.result_int();
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    auto ct = std::string(res[http::field::content_type]);
    ct = ct.substr(0, ct.find(';'));
    while(!ct.empty() && ct.back() == ' ')
        ct.pop_back();
    for(auto& c : ct)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.content_type = std::move(ct);
    for(auto [it, end] = res.equal_range(http::field::set_cookie); it != end; ++it)
        jar.take(std::string_view(it->value().data(), it->value().size()));
    std::ostringstream received;
    received << res.base();
    r.head = received.str();
    r.sent = sent;
    r.body = std::move(res.body());
    r.reused = on.is_open;
    r.kept = on.keep && res.keep_alive();
    return r;
}

} // namespace

std::variant<reply, no_reply> exchange(target const& to, std::string const& method, std::string const& path,
                                       std::vector<std::pair<std::string, std::string>> const& headers,
                                       std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit)
{
    boost::asio::io_context ioc;
    connection conn(ioc.get_executor(), to);
    boost::beast::flat_buffer buffer(max_reply_header_bytes);
    return exchange_on({ioc, conn, buffer}, to, method, path, headers, body, jar, limit);
}

struct kept_connection::state
{
    boost::asio::io_context ioc;
    std::optional<connection> conn;
    boost::beast::flat_buffer buffer{max_reply_header_bytes};
    bool open = false;
};

kept_connection::kept_connection() : state_(std::make_unique<state>()) {}

kept_connection::~kept_connection() = default;

bool kept_connection::open() const { return state_->open; }

std::variant<reply, no_reply> kept_connection::exchange(target const& to, std::string const& method,
                                                        std::string const& path,
                                                        std::vector<std::pair<std::string, std::string>> const& headers,
                                                        std::string const& body, cookie_jar& jar,
                                                        std::chrono::milliseconds limit)
{
    auto& s = *state_;
    if(!s.open)
    {
        s.conn.emplace(s.ioc.get_executor(), to);
        s.buffer.clear();
    }
    auto got = exchange_on({s.ioc, *s.conn, s.buffer, s.open, true}, to, method, path, headers, body, jar, limit);
    auto const* r = std::get_if<reply>(&got);
    s.open = r && r->kept;
    if(!s.open)
        s.conn->close();
    return got;
}

} // namespace rtnotify_conformance
