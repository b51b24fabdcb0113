// rtnotify-conformance: one HTTP exchange over Beast (compiled once, in the runner's library).
// SPDX-License-Identifier: BSL-1.0
#include "http.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cstdint>

namespace rtnotify_conformance {

namespace http = boost::beast::http;

std::variant<reply, no_reply> exchange(rtnotify::beast::endpoint_url const& to, std::string const& method,
                                       std::string const& target,
                                       std::vector<std::pair<std::string, std::string>> const& headers,
                                       std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit)
{
    namespace asio = boost::asio;
    asio::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, to.host + ":" + to.port);
    req.set(http::field::user_agent, "rtnotify-conformance");
    req.set(http::field::connection, "close");
    if(auto const c = jar.header(); !c.empty())
        req.set(http::field::cookie, c);
    for(auto const& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    if(!body.empty() || method == "POST" || method == "PUT")
        req.prepare_payload();
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_reply_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(max_reply_header_bytes));
    boost::beast::flat_buffer buffer(max_reply_header_bytes);
    std::optional<no_reply> failed;
    bool done = false;
    auto const start = std::chrono::steady_clock::now();
    auto fail = [&](boost::system::error_code ec, std::string_view during) {
        failed = no_reply{ec == boost::beast::error::timeout, std::string(during) + ": " + ec.message()};
        done = true;
    };
    asio::ip::tcp::resolver resolver(ioc);
    stream.expires_after(limit);
    resolver.async_resolve(to.host, to.port, [&](boost::system::error_code ec, asio::ip::tcp::resolver::results_type r) {
        if(ec)
            return fail(ec, "resolve " + to.host);
        stream.async_connect(r, [&](boost::system::error_code cec, auto const&) {
            if(cec)
                return fail(cec, "connect to " + to.host + ":" + to.port);
            http::async_write(stream, req, [&](boost::system::error_code wec, std::size_t) {
                // a server may answer (413) and close before it has read a large body: read what it sent
                http::async_read(stream, buffer, parser, [&, wec](boost::system::error_code rec, std::size_t) {
                    if(rec)
                        return fail(wec ? wec : rec, wec ? "send" : "read the reply");
                    done = true;
                });
            });
        });
    });
    ioc.run_for(limit + std::chrono::milliseconds(100)); // the stream's own timer ends it first
    if(!done)
        return no_reply{true, "no reply"};
    if(failed)
        return *failed;
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
    r.body = std::move(res.body());
    return r;
}

} // namespace rtnotify_conformance
