// rtnotify-conformance: opens a connection to a target, over TLS when it asks for it (HTTP and WebSocket share it).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_CONNECT_HPP
#define RTNOTIFY_CONFORMANCE_CONNECT_HPP

#include "target.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <optional>
#include <string>

namespace rtnotify_conformance {

/// A TLS connection to a target.
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// A connection to a target: a TCP stream, with TLS over it when the target asks for it.
class connection
{
public:
    connection(boost::asio::io_context& ioc, target const& t)
    {
        if(t.tls)
            secure_.emplace(ioc, *t.tls_context);
        else
            plain_.emplace(ioc);
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

private:
    std::optional<boost::beast::tcp_stream> plain_;
    std::optional<tls_stream> secure_;
};

/** Resolves `t`, connects `lowest` and, when `tls` is given, shakes hands
    on it (with the server name sent and, unless verification is off,
    checked against the certificate); then calls `then(error, during)` once,
    `during` saying which of these failed.
*/
template<class Then>
void async_open(target const& t, boost::asio::ip::tcp::resolver& resolver, boost::beast::tcp_stream& lowest,
                tls_stream* tls, Then then)
{
    namespace asio = boost::asio;
    resolver.async_resolve(t.host, t.port, [&t, &lowest, tls, then](boost::system::error_code ec,
                                                                   asio::ip::tcp::resolver::results_type r) mutable {
        if(ec)
            return then(ec, "resolve " + t.host);
        lowest.async_connect(r, [&t, tls, then](boost::system::error_code cec, auto const&) mutable {
            if(cec)
                return then(cec, "connect to " + t.authority());
            if(!tls)
                return then(cec, std::string());
            boost::system::error_code not_address;
            asio::ip::make_address(t.host, not_address);
            if(not_address && !SSL_set_tlsext_host_name(tls->native_handle(), t.host.c_str()))
                return then(asio::error::invalid_argument, "send the server name " + t.host);
            if(t.verify)
                tls->set_verify_callback(asio::ssl::host_name_verification(t.host));
            tls->async_handshake(asio::ssl::stream_base::client, [&t, then](boost::system::error_code hec) mutable {
                then(hec, hec ? "TLS handshake with " + t.authority() : std::string());
            });
        });
    });
}

} // namespace rtnotify_conformance

#endif
