// rtnotify/beast/server_tls.hpp: the TLS context of a server's HTTPS and WSS listeners, from a certificate chain and a key in PEM files.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SERVER_TLS_HPP
#define RTNOTIFY_BEAST_SERVER_TLS_HPP

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>

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

} // namespace detail

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
