// rtnotify/beast/endpoint.hpp: where a server is and what every request to it carries (TLS, credentials, headers).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_ENDPOINT_HPP
#define RTNOTIFY_BEAST_ENDPOINT_HPP

#include <rtnotify/detail/percent.hpp>

#include <boost/asio/ssl/context.hpp>

#include <openssl/evp.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::beast {

/// A header sent with every request and WebSocket upgrade.
using header = std::pair<std::string, std::string>;

/// How to reach an endpoint, beside its URL.
struct endpoint_options
{
    std::optional<std::string> user; ///< `NAME:PASSWORD` for Basic authentication (overrides the URL's userinfo)
    std::vector<header> headers;     ///< sent on every request, after `Authorization`
    std::string cacert;              ///< a PEM file of trusted certificates (empty: the system store)
    bool insecure = false;           ///< accept any certificate (no verification)
};

/// A server's endpoint: where it is, and what every request to it carries.
struct endpoint
{
    bool tls = false;            ///< `https://` or `wss://`
    std::string host;            ///< a name or an address (IPv6 without brackets)
    std::string port = "80";
    std::string path = "/";      ///< the request target of every request
    std::vector<header> headers; ///< `Authorization` (from credentials) and the options' headers
    std::shared_ptr<boost::asio::ssl::context> tls_context; ///< set when `tls`
    bool verify = true;          ///< the certificate is checked (against `host`)

    /// The `Host` header's value: `host:port`, an IPv6 address in brackets.
    std::string authority() const
    {
        return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + port;
    }

    /// The URL without credentials, for reports and messages.
    std::string url() const { return std::string(tls ? "https://" : "http://") + authority() + path; }
};

namespace detail {

inline bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// RFC 3986 `unreserved` and `sub-delims`: what a host name or userinfo may hold besides `%XX`.
inline bool is_url_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~!$&'()*+,;=").find(c) != std::string_view::npos;
}

inline std::string base64(std::string_view s)
{
    std::string out(4 * ((s.size() + 2) / 3), '\0');
    auto const n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<unsigned char const*>(s.data()), static_cast<int>(s.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

} // namespace detail

/// `Name: value` (a token, a colon, a value without CR, LF or NUL; blanks trimmed) as a header; empty when it is not one.
inline std::optional<header> parse_header_line(std::string_view line)
{
    auto const colon = line.find(':');
    if(colon == 0 || colon == std::string_view::npos)
        return std::nullopt;
    auto const name = line.substr(0, colon);
    for(char c : name)
        if(!detail::is_token_char(c))
            return std::nullopt;
    auto value = line.substr(colon + 1);
    while(!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while(!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    for(char c : value)
        if(c == '\r' || c == '\n' || c == '\0')
            return std::nullopt;
    return header{std::string(name), std::string(value)};
}

/** Reads `url` as an endpoint: `http`, `https`, `ws` or `wss` (RFC 3986:
    `scheme://[user:password@]host[:port][/path]`, no query or fragment);
    percent-decoded userinfo becomes Basic credentials unless `o.user` is
    set; for TLS, a client context trusting `o.cacert` or the system store.
    On error, a message saying what is wrong.
*/
inline std::variant<endpoint, std::string> parse_endpoint(std::string_view url, endpoint_options const& o = {})
{
    endpoint e;
    auto const sep = url.find("://");
    if(sep == std::string_view::npos)
        return "not a URL (no scheme://)";
    std::string scheme(url.substr(0, sep));
    for(auto& c : scheme)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if(scheme == "https" || scheme == "wss")
        e.tls = true;
    else if(scheme != "http" && scheme != "ws")
        return "the scheme must be http, https, ws or wss, not '" + scheme + "'";
    auto rest = url.substr(sep + 3);
    if(rest.find_first_of("?#") != std::string_view::npos)
        return "the URL must not have a query or a fragment";
    auto const slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    auto const path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    for(char c : path)
        if(!detail::is_url_char(c) && c != '/' && c != ':' && c != '@' && c != '%')
            return "the path holds a character a URL cannot: '" + std::string(1, c) + "'";
    e.path = std::string(path);

    std::optional<std::string> credentials = o.user;
    if(auto const at = authority.rfind('@'); at != std::string_view::npos)
    {
        auto const userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        auto const colon = userinfo.find(':');
        auto const name = rtnotify::detail::percent_decoded(userinfo.substr(0, colon));
        auto const password = rtnotify::detail::percent_decoded(
            colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1));
        if(!name || !password)
            return "not a URL (a bad %-escape in the userinfo)";
        if(!credentials)
            credentials = *name + ":" + *password;
    }
    std::string_view port;
    if(authority.starts_with('['))
    {
        auto const close = authority.find(']');
        if(close == std::string_view::npos)
            return "not a URL (an IPv6 address without its ']')";
        e.host = std::string(authority.substr(1, close - 1));
        for(char c : e.host)
            if(!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'))
                return "not a URL (a bad IPv6 address)";
        authority.remove_prefix(close + 1);
        if(!authority.empty() && !authority.starts_with(':'))
            return "not a URL (text after the IPv6 address)";
        port = authority.empty() ? authority : authority.substr(1);
    }
    else
    {
        auto const colon = authority.find(':');
        e.host = std::string(authority.substr(0, colon));
        if(colon != std::string_view::npos)
            port = authority.substr(colon + 1);
        for(char c : e.host)
            if(!detail::is_url_char(c))
                return "not a URL (the host holds '" + std::string(1, c) + "')";
    }
    if(e.host.empty())
        return "the URL names no host";
    e.port = port.empty() ? (e.tls ? "443" : "80") : std::string(port);
    std::uint16_t number = 0;
    if(auto const [end, ec] = std::from_chars(e.port.data(), e.port.data() + e.port.size(), number);
       ec != std::errc() || end != e.port.data() + e.port.size() || number == 0)
        return "the port must be a number from 1 to 65535, not '" + e.port + "'";

    if(credentials)
    {
        if(credentials->find(':') == std::string::npos)
            return "credentials must be NAME:PASSWORD";
        e.headers.emplace_back("Authorization", "Basic " + detail::base64(*credentials));
    }
    e.headers.insert(e.headers.end(), o.headers.begin(), o.headers.end());

    if(e.tls)
    {
        namespace ssl = boost::asio::ssl;
        e.tls_context = std::make_shared<ssl::context>(ssl::context::tls_client);
        boost::system::error_code ec;
        if(!o.cacert.empty())
            e.tls_context->load_verify_file(o.cacert, ec);
        else
            e.tls_context->set_default_verify_paths(ec);
        if(ec)
            return "cannot load the trusted certificates" + (o.cacert.empty() ? "" : " of " + o.cacert) + ": " +
                   ec.message();
        e.verify = !o.insecure;
        e.tls_context->set_verify_mode(e.verify ? ssl::verify_peer : ssl::verify_none);
    }
    else if(!o.cacert.empty() || o.insecure)
        return "trusted certificates and turning verification off need an https:// or wss:// URL";
    return e;
}

} // namespace rtnotify::beast

#endif
