// rtnotify/beast/connection.hpp: a connection to an endpoint, over TLS when it asks for it (HTTP and WebSocket share it).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_CONNECTION_HPP
#define RTNOTIFY_BEAST_CONNECTION_HPP

#include <rtnotify/beast/endpoint.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <fcntl.h>

#include <optional>
#include <string>

namespace rtnotify::beast {

/// A TLS connection.
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// A connection to an endpoint: a TCP stream, with TLS over it when the endpoint asks for it.
class connection
{
public:
    /// A closed connection to `e`, on `ex`.
    connection(boost::asio::any_io_executor ex, endpoint const& e)
    {
        if(e.tls)
            secure_.emplace(ex, *e.tls_context);
        else
            plain_.emplace(ex);
    }

    /// The TCP stream (its timer bounds every operation).
    boost::beast::tcp_stream& lowest() { return secure_ ? boost::beast::get_lowest_layer(*secure_) : *plain_; }

    /// The TLS stream, or null for a plain connection.
    tls_stream* tls() { return secure_ ? &*secure_ : nullptr; }

    /// Calls `f` with the stream to read and write: the TLS one, or the TCP one.
    template<class F>
    void with_stream(F&& f)
    {
        if(secure_)
            f(*secure_);
        else
            f(*plain_);
    }

    /// Closes the socket at once (no TLS shutdown), cancelling what is pending.
    void close()
    {
        boost::system::error_code ignored;
        lowest().socket().close(ignored);
    }

private:
    std::optional<boost::beast::tcp_stream> plain_;
    std::optional<tls_stream> secure_;
};

/** Resolves `e`, connects `lowest` and, when `tls` is given, shakes hands
    on it (with the server name sent and, unless verification is off,
    checked against the certificate); then calls `then(error, during)` once,
    the socket connected being close-on-exec,
    `during` saying which of these failed ("connect to host:port", ...).
    `e`, `resolver`, `lowest` and `*tls` must outlive the operation.
*/
template<class Then>
void async_open(endpoint const& e, boost::asio::ip::tcp::resolver& resolver, boost::beast::tcp_stream& lowest,
                tls_stream* tls, Then then)
{
    namespace asio = boost::asio;
    resolver.async_resolve(e.host, e.port, [&e, &lowest, tls, then](boost::system::error_code ec,
                                                                   asio::ip::tcp::resolver::results_type r) mutable {
        if(ec)
            return then(ec, "resolve " + e.host);
        lowest.async_connect(r, [&e, &lowest, tls, then](boost::system::error_code cec, auto const&) mutable {
            if(cec)
                return then(cec, "connect to " + e.authority());
            // a process the program starts does not inherit the connection (it could read and write it)
            ::fcntl(lowest.socket().native_handle(), F_SETFD, FD_CLOEXEC);
            if(!tls)
                return then(cec, std::string());
            boost::system::error_code not_address;
            asio::ip::make_address(e.host, not_address);
            if(not_address && !SSL_set_tlsext_host_name(tls->native_handle(), e.host.c_str()))
                return then(asio::error::invalid_argument, "send the server name " + e.host);
            if(e.verify)
                tls->set_verify_callback(asio::ssl::host_name_verification(e.host));
            tls->async_handshake(asio::ssl::stream_base::client, [&e, then](boost::system::error_code hec) mutable {
                then(hec, hec ? "TLS handshake with " + e.authority() : std::string());
            });
        });
    });
}

} // namespace rtnotify::beast

#endif
