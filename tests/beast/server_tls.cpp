// Tests of rtnotify/beast/server_tls.hpp and server::listen_tls: Bayeux over https and wss, a renewed certificate, peers that speak no TLS.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/server_tls.hpp>

#include "beast/loopback.hpp"
#include "beast/self_signed.hpp"

#include <boost/asio/ssl/stream.hpp>
#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace rb = rtnotify::beast;
namespace ss = rtnotify::session;

/// The server context of `cert`, which must load.
std::shared_ptr<asio::ssl::context> context_of(self_signed const& cert)
{
    auto loaded = rb::load_server_tls(cert.certificate_file(), cert.key_file());
    if(auto const* why = std::get_if<std::string>(&loaded))
        ADD_FAILURE() << *why;
    return std::get<0>(loaded);
}

/// A server with one TLS listener on 127.0.0.1 (a free port), run by a thread; its log kept.
struct tls_server
{
    asio::io_context ioc;
    std::mutex m;
    std::vector<std::string> lines;
    rb::server srv;
    unsigned short port = 0;
    std::thread thread;

    tls_server(std::shared_ptr<asio::ssl::context> tls, rb::server_options o = {}) : srv(ioc, with_log(std::move(o)))
    {
        auto ec = rb::listen_tls(srv, {asio::ip::make_address("127.0.0.1"), 0}, std::move(tls));
        EXPECT_FALSE(ec) << ec.message();
        port = srv.tls_endpoints().at(0).port();
        thread = std::thread([this] { ioc.run(); });
    }

    ~tls_server()
    {
        srv.stop();
        thread.join();
    }

    rb::server_options with_log(rb::server_options o)
    {
        o.log = [this](std::string_view line) {
            std::lock_guard lock(m);
            lines.emplace_back(line);
        };
        return o;
    }

    bool logged(std::string_view part)
    {
        std::lock_guard lock(m);
        for(auto const& l : lines)
            if(l.find(part) != std::string::npos)
                return true;
        return false;
    }
};

/// A Bayeux client of `url` trusting `cacert`, on its own io_context; records deliveries.
struct tls_client
{
    asio::io_context ioc;
    rb::client c;
    std::vector<std::string> deliveries;
    bool subscribed = false;

    tls_client(std::string const& url, std::string const& cacert, bool websocket)
        : c(ioc.get_executor(), endpoint_of(url, cacert), options(websocket))
    {
        c.on_event = [this](ss::client_event& e) {
            if(auto* d = std::get_if<ss::delivered>(&e))
                deliveries.push_back(boost::json::serialize(d->message.data.value()));
            else if(auto* r = std::get_if<ss::replied>(&e))
                if(r->reply.channel == "/meta/subscribe" && r->reply.successful.value_or(false))
                    subscribed = true;
        };
    }

    static rb::endpoint endpoint_of(std::string const& url, std::string const& cacert)
    {
        rb::endpoint_options reach;
        reach.cacert = cacert;
        auto at = rb::parse_endpoint(url, reach);
        EXPECT_TRUE(std::holds_alternative<rb::endpoint>(at));
        return std::get<rb::endpoint>(std::move(at));
    }

    static rb::client_options options(bool websocket)
    {
        rb::client_options o;
        if(websocket)
            o.session.connection_types = {"websocket"};
        return o;
    }
};

/// The outcome of a TLS handshake with 127.0.0.1:`port`, trusting only `cacert`.
boost::system::error_code handshake(unsigned short port, std::string const& cacert)
{
    asio::io_context ioc;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.load_verify_file(cacert);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    asio::ssl::stream<asio::ip::tcp::socket> s(ioc, ctx);
    s.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    std::optional<boost::system::error_code> result;
    s.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code ec) { result = ec; });
    EXPECT_TRUE(run_until(ioc, [&] { return result.has_value(); }, 5000ms));
    return result.value_or(asio::error::timed_out);
}

TEST(ServerTls, LoadsACertificateAndItsKeyAndSaysWhatIsWrongOtherwise)
{
    self_signed a, b;
    EXPECT_TRUE(std::holds_alternative<std::shared_ptr<asio::ssl::context>>(
        rb::load_server_tls(a.certificate_file(), a.key_file())));

    auto why = [](rb::load_server_tls_result r) { return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : ""; };
    auto const missing = (a.directory() / "none.pem").string();
    EXPECT_EQ(why(rb::load_server_tls(missing, a.key_file())).find("cannot use the certificate chain of " + missing + ": "), 0u);
    EXPECT_EQ(why(rb::load_server_tls(a.certificate_file(), missing)).find("cannot use the private key of " + missing + ": "),
              0u);
    EXPECT_EQ(why(rb::load_server_tls(a.certificate_file(), b.key_file())),
              "cannot use the private key of " + b.key_file() + ": key values mismatch");
    auto const garbage = (a.directory() / "garbage.pem").string();
    std::ofstream(garbage) << "not a certificate\n";
    EXPECT_EQ(why(rb::load_server_tls(garbage, a.key_file())).find("cannot use the certificate chain of " + garbage), 0u);
}

TEST(ServerTls, BayeuxGoesOverHttpsAndWss)
{
    self_signed cert;
    tls_server s(context_of(cert));
    auto const base = "://127.0.0.1:" + std::to_string(s.port) + "/bayeux";
    tls_client sub("https" + base, cert.certificate_file(), false);
    tls_client ws_sub("wss" + base, cert.certificate_file(), true);
    tls_client pub("https" + base, cert.certificate_file(), false);
    for(auto* c : {&sub, &ws_sub})
    {
        c->c.subscribe("/tls");
        c->c.start();
        ASSERT_TRUE(run_until(c->ioc, [&] { return c->subscribed; }, 5000ms));
    }
    pub.c.start();
    pub.c.publish("/tls", boost::json::value{{"n", 1}});
    for(auto* c : {&sub, &ws_sub})
    {
        ASSERT_TRUE(run_until(c->ioc, [&] { pub.ioc.poll(); return !c->deliveries.empty(); }, 5000ms));
        EXPECT_EQ(c->deliveries, std::vector<std::string>{R"({"n":1})"});
    }
}

TEST(ServerTls, APeerThatSpeaksNoTlsIsClosedAndTheListenerGoesOn)
{
    self_signed cert;
    rb::server_options o;
    o.idle_timeout = std::chrono::milliseconds(300);
    tls_server s(context_of(cert), o);
    // plain HTTP on the TLS port: the handshake fails, the connection closes, nothing is answered in the clear
    EXPECT_EQ(raw_exchange(s.port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").find("HTTP/1.1"), std::string::npos);
    // a peer that sends nothing is closed when the handshake's time is up
    auto const start = std::chrono::steady_clock::now();
    raw_exchange(s.port, "", 5000ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4000ms);
    EXPECT_FALSE(handshake(s.port, cert.certificate_file()));
    EXPECT_TRUE(s.logged("TLS handshake with 127.0.0.1 failed"));
}

TEST(ServerTls, ARenewedCertificateServesNewConnections)
{
    self_signed first, second;
    tls_server s(context_of(first));
    EXPECT_FALSE(handshake(s.port, first.certificate_file()));
    EXPECT_TRUE(handshake(s.port, second.certificate_file())); // not trusted
    std::promise<void> done;
    asio::dispatch(s.srv.executor(), [&] {
        s.srv.replace_tls_context(context_of(second));
        done.set_value();
    });
    done.get_future().wait();
    EXPECT_FALSE(handshake(s.port, second.certificate_file()));
    EXPECT_TRUE(handshake(s.port, first.certificate_file()));
}

} // namespace
