// rtnotify/beast/server_tls.hpp: a server's HTTPS, WSS and MQTT-over-TLS listeners, and their TLS context from a certificate chain and a key in PEM files.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SERVER_TLS_HPP
#define RTNOTIFY_BEAST_SERVER_TLS_HPP

#include <rtnotify/beast/detail/http_connection.hpp>
#include <rtnotify/beast/detail/mqtt_connection.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/err.h>

#include <memory>
#include <string>
#include <variant>

namespace rtnotify::beast {

namespace detail {

/// OpenSSL's reason for the error `ec`, or its message.
inline std::string tls_reason(boost::system::error_code const& ec)
{
    if(ec.category() == boost::asio::error::get_ssl_category())
        if(char const* r = ERR_reason_error_string(static_cast<unsigned long>(ec.value())))
            return r;
    return ec.message();
}

/// The server's HTTPS connection: TLS over a TCP socket.
using https_connection = basic_http_connection<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

/// The server's MQTT connection over TLS.
using mqtts_connection = basic_mqtt_connection<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

/** Listens with `listen(start)` (a hook of `server`) where each socket
    accepted becomes a `Connection` (`https_connection` or
    `mqtts_connection`) that starts with the TLS handshake, on the context
    `srv` holds when the socket comes; `tls` becomes that context.
*/
template<class Connection, class Listen>
boost::system::error_code listen_over_tls(server& srv, std::shared_ptr<boost::asio::ssl::context> tls, Listen listen)
{
    if(!tls)
        return boost::asio::error::invalid_argument;
    srv.replace_tls_context(std::move(tls));
    return listen([&srv](std::shared_ptr<hub> const& h, boost::asio::ip::tcp::socket socket) {
        auto client = peer_address(socket);
        std::make_shared<Connection>(h,
                                     boost::beast::ssl_stream<boost::beast::tcp_stream>(
                                         boost::beast::tcp_stream(std::move(socket)), *srv.tls_context()),
                                     std::move(client))
            ->run();
    });
}

} // namespace detail

/** Binds `endpoint` on `srv` for HTTPS and WSS: every connection starts
    with a TLS handshake (within `server_options::idle_timeout`) using
    `tls`, which holds the certificate chain and the private key; then it is
    served as `server::listen`'s are. Every TLS listener of `srv` uses the
    context given last (`server::replace_tls_context` renews it). Port 0
    picks a free port: `srv.tls_endpoints()` tells which. Call before
    running the io_context or on the strand.
    @return the error of open, bind or listen; `invalid_argument` without a context.
*/
inline boost::system::error_code listen_tls(server& srv, boost::asio::ip::tcp::endpoint const& endpoint,
                                            std::shared_ptr<boost::asio::ssl::context> tls)
{
    return detail::listen_over_tls<detail::https_connection>(
        srv, std::move(tls), [&](auto start) { return srv.listen_tls_with(endpoint, std::move(start)); });
}

/** Binds `endpoint` on `srv` for MQTT over TLS (Kuzzle's MQTT protocol, or
    plain pub/sub, as `server::listen_mqtt`): every connection starts with a
    TLS handshake using `tls`, which with the CONNECT after it must end within
    the broker's `connect_timeout`. It shares its context with the HTTPS
    listeners: the one given last (`server::replace_tls_context` renews it).
    Port 0 picks a free port: `srv.mqtt_tls_endpoints()` tells which. Call
    before running the io_context or on the strand.
    @return the error of open, bind or listen; `invalid_argument` without a context.
*/
inline boost::system::error_code listen_mqtt_tls(server& srv, boost::asio::ip::tcp::endpoint const& endpoint,
                                                 std::shared_ptr<boost::asio::ssl::context> tls)
{
    return detail::listen_over_tls<detail::mqtts_connection>(
        srv, std::move(tls), [&](auto start) { return srv.listen_mqtt_tls_with(endpoint, std::move(start)); });
}

/// A loaded context, or why it could not be loaded.
using load_server_tls_result = std::variant<std::shared_ptr<boost::asio::ssl::context>, std::string>;

/** A server's TLS context (TLS 1.2 and 1.3) holding the certificate chain
    of `certificate_file` (PEM: the server's certificate first, then the
    intermediates) and the private key of `key_file` (PEM), which must be the
    certificate's. Otherwise, a message naming the file and what is wrong.
    Call it again to reload renewed files (`server::replace_tls_context`).
*/
inline load_server_tls_result load_server_tls(std::string const& certificate_file, std::string const& key_file)
{
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(certificate_file, ec);
    if(ec)
        return "cannot use the certificate chain of " + certificate_file + ": " + detail::tls_reason(ec);
    ctx->use_private_key_file(key_file, ssl::context::pem, ec);
    if(ec) // OpenSSL also refuses a key that is not the certificate's: "key values mismatch"
        return "cannot use the private key of " + key_file + ": " + detail::tls_reason(ec);
    return ctx;
}

} // namespace rtnotify::beast

#endif
